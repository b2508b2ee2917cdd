package udesksim

import "errors"

var (
	// ErrClosed: the front has been closed.
	ErrClosed = errors.New("udesksim: closed")
	// ErrNoSession: the agent has no signed-in socket.
	ErrNoSession = errors.New("udesksim: agent has no session")
	// ErrInvalidOptions: New was given options it cannot run with.
	ErrInvalidOptions = errors.New("udesksim: invalid options")
)
