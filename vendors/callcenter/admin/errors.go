package admin

import "errors"

var (
	// ErrNotLoopback: the admin endpoint only listens on loopback.
	ErrNotLoopback = errors.New("admin: address is not loopback")
	// ErrBadRequest: a request body that cannot be read.
	ErrBadRequest = errors.New("admin: bad request")
)
