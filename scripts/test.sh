#!/usr/bin/env bash
# Runs the whole Go test suite the way CI does, inside a throwaway desktop:
#
#   scripts/test.sh [PACKAGES...]        (default ./...)
#
# - HOME and XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_CACHE_HOME /
#   XDG_RUNTIME_DIR live under a temporary folder, so no test touches the
#   user's real accounts, history, keyring or logs. The Go build and module
#   caches and the go env file stay the user's (no cold rebuilds).
# - An Xvfb display on a free display number, with its own xauth cookie.
# - Everything below runs in a private D-Bus session (dbus-run-session) with
#   gnome-keyring-daemon serving the Secret Service, unlocked with a throwaway
#   password.
# - LANG=zh_CN.UTF-8 (scripts/ensure-locale.sh generates it; C.UTF-8 when not).
# - Gates for the integration tests: AGENTBAR_KEYRING_IT=1, AGENTBAR_GUI_IT=1,
#   and AGENTBAR_ARTIFACTS=<repo>/artifacts, where GUI tests save screenshots
#   (this script also leaves go-test.log, suite-time.txt, xvfb.log and
#   keyring.log there).
#
# Knobs (environment): GO_TEST_FLAGS (default "-race -timeout 15m"; CI adds
# -count=1 so integration tests never come from the test cache),
# AGENTBAR_XVFB_SCREEN (default 1280x1024x24). The whole suite has a budget
# of 20 minutes on 2 cores; artifacts/suite-time.txt records what it took.
#
# Xvfb, gnome-keyring and the temporary folder are cleaned up on every exit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { echo "test.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# ---------------------------------------------------------------------------
# Stage 2: inside the private D-Bus session.
# ---------------------------------------------------------------------------
keyring_pid=""
# Called from the EXIT trap.
# shellcheck disable=SC2317
stop_keyring() {
	if [[ -n $keyring_pid ]] && kill -0 "$keyring_pid" 2>/dev/null; then
		kill "$keyring_pid" 2>/dev/null || true
		wait "$keyring_pid" 2>/dev/null || true
	fi
}

in_session() {
	local keyring_log="$AGENTBAR_ARTIFACTS/keyring.log"
	trap stop_keyring EXIT

	# --foreground keeps the daemon our child, so we know its pid; it reads
	# the password for the (new) login keyring from stdin and unlocks it.
	printf '%s' "throwaway-$RANDOM$RANDOM" |
		gnome-keyring-daemon --foreground --unlock --components=secrets >"$keyring_log" 2>&1 &
	keyring_pid=$!

	# Bounded wait until the daemon owns org.freedesktop.secrets on our bus.
	local owned="" i
	for ((i = 0; i < 100; i++)); do
		owned=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
			/org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
			string:org.freedesktop.secrets 2>/dev/null || true)
		[[ $owned == *true* ]] && break
		kill -0 "$keyring_pid" 2>/dev/null || die "gnome-keyring-daemon exited at start-up; see $keyring_log"
		sleep 0.1
	done
	[[ $owned == *true* ]] || die "gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s; see $keyring_log"

	# Prove the keyring is real and unlocked before any test relies on it.
	if command -v secret-tool >/dev/null; then
		local probe
		printf 'probe' | secret-tool store --label='agentbar test probe' agentbar-test probe ||
			die "cannot store a secret in the test keyring (locked?); see $keyring_log"
		probe=$(secret-tool lookup agentbar-test probe) || true
		[[ $probe == probe ]] || die "the test keyring did not return the stored secret"
		secret-tool clear agentbar-test probe
	fi

	# GO_TEST_FLAGS is split into words on purpose.
	# shellcheck disable=SC2206
	local flags=(${GO_TEST_FLAGS:--race -timeout 15m})
	if [[ ${CI:-} == true ]]; then
		flags+=(-count=1)
	fi
	local pkgs=("$@")
	((${#pkgs[@]})) || pkgs=(./...)

	log "DISPLAY=$DISPLAY LANG=$LANG HOME=$HOME"
	local rc=0 started=$SECONDS
	# Build every test binary first, two at a time, then run the packages
	# one at a time: many tests measure real-time audio (gaps over 60 ms,
	# tones within 1 %), and two such packages under the race detector on a
	# two-core machine starve each other's audio threads.
	log "go vet ./... && go test -run '^\$' ${flags[*]} ${pkgs[*]}   (build)"
	go vet "${pkgs[@]}" || return 1
	go test -run '^$' "${flags[@]}" "${pkgs[@]}" >/dev/null || return 1
	flags+=(-p 1)
	log "go test ${flags[*]} ${pkgs[*]}"
	# go test's own output is the last thing printed: CI reads its closing lines.
	go test "${flags[@]}" "${pkgs[@]}" 2>&1 | tee "$AGENTBAR_ARTIFACTS/go-test.log" || rc=${PIPESTATUS[0]}
	# The suite has a 20-minute budget; the time goes to the artifacts, not
	# to stdout, so go test's summary stays last.
	echo "go test: exit $rc after $((SECONDS - started)) s" >"$AGENTBAR_ARTIFACTS/suite-time.txt"
	return "$rc"
}

if [[ ${1:-} == --in-session ]]; then
	shift
	in_session "$@"
	exit $?
fi

# ---------------------------------------------------------------------------
# Stage 1: throwaway home, locale, Xvfb; then stage 2 under dbus-run-session.
# ---------------------------------------------------------------------------
for tool in go Xvfb xauth dbus-run-session dbus-send gnome-keyring-daemon; do
	command -v "$tool" >/dev/null || die "$tool is missing; run 'make test' (it installs the test packages) or see README.md"
done

# Keep the user's Go caches and go env file (GOFLAGS, GOPROXY...) before HOME moves.
mapfile -t go_env < <(go env GOPATH GOMODCACHE GOCACHE GOENV)
export GOPATH=${go_env[0]} GOMODCACHE=${go_env[1]} GOCACHE=${go_env[2]} GOENV=${go_env[3]}
export npm_config_cache=${npm_config_cache:-$HOME/.npm}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/agentbar-test.XXXXXX")
xvfb_pid=""
# Called from the EXIT trap.
# shellcheck disable=SC2317
cleanup() {
	if [[ -n $xvfb_pid ]] && kill -0 "$xvfb_pid" 2>/dev/null; then
		kill "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	chmod -R u+w "$scratch" 2>/dev/null || true
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME=$scratch/home
export XDG_CONFIG_HOME=$scratch/config
export XDG_DATA_HOME=$scratch/data
export XDG_CACHE_HOME=$scratch/cache
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# The caller's session must not leak in: the tests get our bus and display only.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

export AGENTBAR_ARTIFACTS=$repo/artifacts
rm -rf "$AGENTBAR_ARTIFACTS"
mkdir -p "$AGENTBAR_ARTIFACTS"
export AGENTBAR_KEYRING_IT=1
export AGENTBAR_GUI_IT=1
# A real sound backend (PulseAudio null sink, started by the test itself),
# and the SIP peers nobody here wrote (baresip, SIPp, Kamailio).
export AGENTBAR_PULSE_IT=1
export AGENTBAR_PEERS_IT=1
# CI has no sound card: miniaudio's null backend unless a test picks one.
export AGENTBAR_AUDIO_BACKEND=${AGENTBAR_AUDIO_BACKEND:-null}

# Locale: the agents' language when the system has it.
unset LC_ALL LANGUAGE
if locale -a 2>/dev/null | grep -qixF zh_CN.utf8; then
	export LANG=zh_CN.UTF-8
else
	log "zh_CN.UTF-8 is not generated here (scripts/ensure-locale.sh); using C.UTF-8"
	export LANG=C.UTF-8
fi

# Xvfb on the first free display from :99, with its own cookie. -displayfd
# makes Xvfb write the display number to the fifo once it accepts clients, so
# the read below is the readiness wait (bounded by read -t).
export XAUTHORITY=$scratch/Xauthority
touch "$XAUTHORITY"
ready_fifo=$scratch/xvfb-ready
mkfifo "$ready_fifo"
xvfb_log=$AGENTBAR_ARTIFACTS/xvfb.log
for ((display = 99; display < 160; display++)); do
	[[ -e /tmp/.X$display-lock || -e /tmp/.X11-unix/X$display ]] && continue
	xauth -q -f "$XAUTHORITY" add ":$display" . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
	Xvfb ":$display" -screen 0 "${AGENTBAR_XVFB_SCREEN:-1280x1024x24}" -auth "$XAUTHORITY" \
		-nolisten tcp -noreset -displayfd 3 3>"$ready_fifo" >>"$xvfb_log" 2>&1 &
	xvfb_pid=$!
	ready=""
	read -r -t 20 ready <"$ready_fifo" || true
	if [[ $ready == "$display" ]]; then
		export DISPLAY=:$display
		break
	fi
	# Taken meanwhile, or failed: try the next number.
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
	xvfb_pid=""
done
[[ -n ${DISPLAY:-} ]] || die "could not start Xvfb on any display from :99 to :159; see $xvfb_log"

rc=0
dbus-run-session -- bash "$repo/scripts/test.sh" --in-session "$@" || rc=$?
exit "$rc"
