package demo

import "errors"

// ErrNotStarted: a command before Login or after Logout.
var ErrNotStarted = errors.New("demo: the demo call center is not running")
