// Package secrets keeps passwords and tokens out of agentbar's config files.
//
// Saved secrets live only in the operating system's keyring, reached through
// github.com/zalando/go-keyring: the Secret Service on Linux (gnome-keyring,
// KeePassXC), the Keychain on macOS, the Credential Manager on Windows. Each
// secret is stored under the service "agentbar" with the user
// "<account-name>/<kind>", e.g. "office/password".
//
// A session whose agent signs in without "remember password" keeps its
// secret in a Memory store instead; the engine does not care which.
//
// The keyring is outside agentbar's control: D-Bus may have no Secret
// Service, the keyring may be locked, or a call may never return. Keyring
// bounds every call with a timeout and turns these failures into an
// *UnavailableError that tells the agent, in Chinese or English, what
// happened and how to fix it, and that signing in without saving still works.
package secrets
