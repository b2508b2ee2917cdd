package wire

import "errors"

var (
	// ErrMalformedFrame: a frame is not JSON of the contract's shape.
	ErrMalformedFrame = errors.New("udesk wire: malformed frame")
	// ErrFrameTooLarge: a frame is over MaxFrameSize.
	ErrFrameTooLarge = errors.New("udesk wire: frame too large")
	// ErrMalformedToken: the token backend's answer lacks appId, timestamp or token.
	ErrMalformedToken = errors.New("udesk wire: malformed token response")
)
