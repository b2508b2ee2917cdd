// Package config keeps agentbar's accounts and settings in two TOML files
// under the user's config directory ($XDG_CONFIG_HOME/agentbar on Linux):
// accounts.toml and settings.toml.
//
// A Store loads both at Open, validates them (naming the file, line and
// field of every problem), and rewrites a file atomically on every change:
// a temporary file in the same directory, fsync, rename, fsync of the
// directory, mode 0600 in a 0700 directory. A reader therefore sees the old
// file or the new one, never a torn one, even across a crash.
//
// Secrets never go into these files. Save refuses any account field whose
// key looks like a password or token (see LooksLikeSecret); the caller
// moves it into core/secrets first.
//
// config does not know the platforms: an account's per-platform fields are
// free-form strings, checked by a FieldValidator the caller passes in
// (usually built from the platform registry in core).
package config
