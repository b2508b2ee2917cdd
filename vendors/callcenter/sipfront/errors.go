package sipfront

import (
	"errors"
	"fmt"
)

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
	// ErrNoTLS: a WSS listener was asked for without Options.TLS.
	ErrNoTLS = errors.New("sipfront: WSS needs a TLS configuration")
	// ErrRefused: the endpoint answered a request of ours with a failure
	// (the *StatusError says which).
	ErrRefused = errors.New("sipfront: request refused")
	// ErrSocketLost: the WebSocket an agent registered over closed.
	ErrSocketLost = errors.New("sipfront: WebSocket closed")
)

// StatusError is an endpoint's final non-2xx answer to a request the front
// sent (SendMessage); errors.Is(err, ErrRefused) holds.
type StatusError struct {
	Method string
	Code   int
	Reason string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("sipfront: %s answered %d %s", e.Method, e.Code, e.Reason)
}

// Is makes a StatusError an ErrRefused.
func (e *StatusError) Is(target error) bool { return target == ErrRefused }
