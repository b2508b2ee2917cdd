package udeskdemo

import "errors"

// ErrNotStarted: a command before Login or after Logout.
var ErrNotStarted = errors.New("udeskdemo: the demo is not running")
