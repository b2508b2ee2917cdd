package sip

import "errors"

// ErrCAFile: the custom CA file could not be read or holds no certificate.
var ErrCAFile = errors.New("sip: custom CA file unusable")
