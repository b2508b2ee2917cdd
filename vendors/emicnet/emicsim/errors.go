package emicsim

import "errors"

var (
	// ErrInvalidOptions: Options that cannot make a front (no enterprise, a
	// group without a queue, a bad encryption key ...).
	ErrInvalidOptions = errors.New("emicsim: invalid options")
	// ErrClosed: the front was closed.
	ErrClosed = errors.New("emicsim: closed")
	// ErrUnknownAccount: no such extension (admin API).
	ErrUnknownAccount = errors.New("emicsim: unknown account")
	// ErrUnknownEnterprise: no such switch number (admin API).
	ErrUnknownEnterprise = errors.New("emicsim: unknown enterprise")
	// ErrNotSignedIn: the seat has no session (admin API: Inject, Kick).
	ErrNotSignedIn = errors.New("emicsim: seat not signed in")
)
