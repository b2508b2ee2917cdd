package config

import "errors"

// Sentinel errors. Check them with errors.Is; they come wrapped with the
// file, account and field they concern, usually in a *ValidationError.
var (
	// ErrInvalid: a file or a value failed validation. Every
	// *ValidationError matches it.
	ErrInvalid = errors.New("config: invalid")

	// ErrSecretField: an account field's key looks like a password or
	// token. Secrets belong in the keyring (core/secrets), never in
	// accounts.toml.
	ErrSecretField = errors.New("config: secret in account fields")

	// ErrAccountNotFound: no account has that name.
	ErrAccountNotFound = errors.New("config: no such account")

	// ErrUnknownPlatform: a FieldValidator may wrap this when an account
	// names a platform nobody registered; the message then points at the
	// account's "platform" line.
	ErrUnknownPlatform = errors.New("config: unknown platform")

	// ErrNewerVersion: the file was written by a newer agentbar whose
	// format this one does not know. The file is left untouched.
	ErrNewerVersion = errors.New("config: file written by a newer agentbar")
)
