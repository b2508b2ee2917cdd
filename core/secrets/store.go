package secrets

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ServiceName is the keyring service every agentbar secret is filed under.
const ServiceName = "agentbar"

// Kinds of secret an account can hold. Other kinds are allowed; these are
// the ones agentbar itself uses.
const (
	KindPassword = "password"
	KindToken    = "token"
)

// Limits on what a Store accepts.
const (
	// MaxNameLen bounds an account name or a kind, in bytes (account names
	// in core/config are at most 64 characters).
	MaxNameLen = 256
	// MaxSecretLen bounds a value in bytes. The Secret Service slows down
	// well before this; macOS and Windows refuse far less (about 2.5 KB).
	MaxSecretLen = 64 << 10
)

// Store keeps one secret per account and kind.
//
// Get returns ErrNotFound when nothing is saved; Delete returns ErrNotFound
// when there was nothing to delete. Implementations are safe for concurrent
// use.
type Store interface {
	Get(account, kind string) (string, error)
	Set(account, kind, value string) error
	Delete(account, kind string) error
}

// UserKey is the keyring user a secret is filed under: "<account>/<kind>".
// It fails with ErrInvalidKey when account or kind could make that
// ambiguous or unprintable.
func UserKey(account, kind string) (string, error) {
	if err := checkName("account", account); err != nil {
		return "", err
	}
	if err := checkName("kind", kind); err != nil {
		return "", err
	}
	return account + "/" + kind, nil
}

func checkName(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty %s", ErrInvalidKey, what)
	case len(s) > MaxNameLen:
		return fmt.Errorf("%w: %s longer than %d bytes", ErrInvalidKey, what, MaxNameLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s %q is not UTF-8", ErrInvalidKey, what, s)
	case strings.ContainsRune(s, '/'):
		return fmt.Errorf("%w: %s %q contains '/'", ErrInvalidKey, what, s)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return fmt.Errorf("%w: %s %q contains a control character", ErrInvalidKey, what, s)
	}
	return nil
}

// checkValue applies the limits every Store shares to a value being saved.
func checkValue(value string) error {
	switch {
	case value == "":
		return ErrEmptySecret
	case len(value) > MaxSecretLen:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrTooBig, len(value), MaxSecretLen)
	}
	return nil
}
