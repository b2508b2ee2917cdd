package secrets

import "errors"

// Sentinel errors. Check them with errors.Is: the stores wrap them with the
// account and kind they concern.
var (
	// ErrNotFound: nothing is saved for that account and kind. The caller
	// asks the agent for the secret.
	ErrNotFound = errors.New("secrets: no saved secret")

	// ErrNoSecretService: the OS keyring cannot be used right now (no
	// Secret Service on D-Bus, no session bus, keyring locked, or it did not
	// answer). Every *UnavailableError matches it. The agent can still sign
	// in without saving the secret.
	ErrNoSecretService = errors.New("secrets: the system keyring is not available")

	// ErrTimeout: the keyring did not answer in time. It comes wrapped in an
	// *UnavailableError, so it also matches ErrNoSecretService.
	ErrTimeout = errors.New("secrets: the system keyring did not answer in time")

	// ErrInvalidKey: the account or kind is empty, too long, or contains a
	// '/' or a control character, so "<account>/<kind>" would be ambiguous.
	ErrInvalidKey = errors.New("secrets: invalid account or kind")

	// ErrEmptySecret: Set was given an empty value; use Delete to forget a
	// secret.
	ErrEmptySecret = errors.New("secrets: empty secret")

	// ErrTooBig: the value exceeds MaxSecretLen, or the platform's keyring
	// refused it as too big (macOS and Windows have small limits).
	ErrTooBig = errors.New("secrets: secret too big")
)
