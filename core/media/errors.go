package media

import "errors"

var (
	// ErrNoPort means no pair of free even/odd UDP ports was found in the
	// configured range.
	ErrNoPort = errors.New("media: no free RTP/RTCP port pair in range")

	// ErrClosed is returned by operations on a closed Session.
	ErrClosed = errors.New("media: session closed")

	// ErrNotStarted is returned by Update and SendDTMF before Start.
	ErrNotStarted = errors.New("media: session not started")

	// ErrAlreadyStarted is returned by a second Start.
	ErrAlreadyStarted = errors.New("media: session already started")

	// ErrBadParams means Params that cannot work: no codec, no remote address.
	ErrBadParams = errors.New("media: invalid parameters")

	// ErrNoDTMF means telephone-event was not negotiated (DTMFPayloadType 0).
	ErrNoDTMF = errors.New("media: telephone-event not negotiated")

	// ErrNotSending means the direction does not allow sending (recvonly or
	// inactive), so DTMF cannot go out.
	ErrNotSending = errors.New("media: direction does not allow sending")

	// ErrBadDigit means a rune that is not a DTMF key (0-9 * # A-D).
	ErrBadDigit = errors.New("media: not a DTMF digit")

	// ErrUnknownDirection is returned by ParseDirection for anything other
	// than sendrecv, sendonly, recvonly or inactive.
	ErrUnknownDirection = errors.New("media: unknown direction")
)
