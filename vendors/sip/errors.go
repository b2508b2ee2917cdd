package sip

import "errors"

// ErrCAFile: the custom CA file could not be read or holds no certificate.
var ErrCAFile = errors.New("sip: custom CA file unusable")

// ErrKicked: the registrar took the seat away because the account signed
// in somewhere else.
var ErrKicked = errors.New("sip: signed in elsewhere")

// KickedError is ErrKicked with the registrar's own text.
type KickedError struct {
	Text string // what the registrar said, may be empty
}

func (e *KickedError) Error() string {
	if e.Text == "" {
		return ErrKicked.Error()
	}
	return ErrKicked.Error() + ": " + e.Text
}

// Unwrap makes errors.Is(err, ErrKicked) true.
func (e *KickedError) Unwrap() error { return ErrKicked }

// Sentence says what happened and what to do.
func (e *KickedError) Sentence(lang string) string {
	if lang == "en" {
		return "This account signed in on another device or program, so it was signed out here. Sign in again to use it here."
	}
	return "该账号已在其他设备或程序上登录，本机已下线。如需在本机继续使用，请重新登录。"
}
