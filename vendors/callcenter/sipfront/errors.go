package sipfront

import "errors"

var (
	// ErrClosed: the front has been closed.
	ErrClosed = errors.New("sipfront: closed")
	// ErrBadSDP: an SDP body that cannot be parsed or has no audio stream.
	ErrBadSDP = errors.New("sipfront: malformed SDP")
	// ErrNoCodec: the endpoint offered neither PCMU nor PCMA.
	ErrNoCodec = errors.New("sipfront: no common codec (PCMU, PCMA)")
	// ErrNotRegistered: the agent has no registered contact.
	ErrNotRegistered = errors.New("sipfront: agent not registered")
	// ErrNoCall: the call or party has no media here.
	ErrNoCall = errors.New("sipfront: no such call or party")
)
