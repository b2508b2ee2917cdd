#!/bin/sh
# keyring-it.sh: run Go tests against a real, unlocked gnome-keyring.
#
#   scripts/keyring-it.sh [go test flags and packages...]
#   (default: ./core/secrets/...; e.g. scripts/keyring-it.sh -race ./core/secrets/...)
#
# It starts a private D-Bus session (dbus-run-session), unlocks a fresh
# gnome-keyring in it with a throwaway password and HOME, sets
# AGENTBAR_KEYRING_IT=1 and runs `go test` inside. Nothing touches the
# user's own keyring or session bus; everything it starts ends with the
# session.
#
# Debian packages: dbus (dbus-run-session, dbus-daemon), gnome-keyring,
# libsecret-tools (secret-tool, used by the tests to read what we wrote).
set -eu

for tool in dbus-run-session dbus-daemon gnome-keyring-daemon secret-tool go; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "keyring-it: $tool not found; install: apt-get install dbus gnome-keyring libsecret-tools" >&2
		exit 2
	fi
done

# Package patterns are relative to the repository root.
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
	set -- ./core/secrets/...
fi

# A throwaway HOME moves Go's caches too; keep the real ones.
GOCACHE=$(go env GOCACHE)
GOMODCACHE=$(go env GOMODCACHE)
GOPATH=$(go env GOPATH)
GOENV=$(go env GOENV)
export GOCACHE GOMODCACHE GOPATH GOENV

tmp=$(mktemp -d "${TMPDIR:-/tmp}/agentbar-keyring-it.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/home" "$tmp/run"
chmod 700 "$tmp/home" "$tmp/run"
HOME=$tmp/home
XDG_RUNTIME_DIR=$tmp/run
XDG_DATA_HOME=$tmp/home/.local/share
XDG_CONFIG_HOME=$tmp/home/.config
XDG_CACHE_HOME=$tmp/home/.cache
AGENTBAR_KEYRING_IT=1
export HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME AGENTBAR_KEYRING_IT
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# Inside the session: unlock a new login keyring (gnome-keyring-daemon
# forks into the background and lives as long as the bus), then test.
dbus-run-session -- sh -c '
	printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 3
	exec go test "$@"
' keyring-it "$@"
