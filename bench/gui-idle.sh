#!/usr/bin/env bash
# Idle cost of the desktop app: CPU and memory of agentbar's window, signed
# in and idle, beside a reference Fyne app, in one run on one display.
#
#   bench/gui-idle.sh [SECONDS]          (default 60: the window per case)
#
# Cases, measured one after another (never two at once) on one Xvfb
# display, inside one private D-Bus session with gnome-keyring (as
# scripts/test.sh sets up), each with a throwaway HOME and XDG folders:
#
#   ref     bench/guiidle/ref: a Fyne window with one label, nothing else.
#           What any Fyne app costs here; the ratios divide by it.
#   remote  agentbar signed in to the simulated call center running in a
#           process of its own (bench/guiidle/center: the demo's agents
#           and queues, no callers), as a plain SIP account whose password
#           sits in the keyring: the app as it runs against a real
#           platform. The brief's targets apply to this case.
#   demo    agentbar signed in to the built-in demo (the "demo" platform:
#           the simulated center, its SIP front and two simulated
#           colleagues in the app's own process), with no random callers
#           (arrival_seconds=0), so no call rings during the window.
#
# Each case waits until the app is up (agentbar: signed in, per `agentbar
# ctl status`), then SETTLE seconds (default 10) for start-up work to end,
# then measures SECONDS:
#
#   CPU     utime+stime from /proc/PID/stat over the window, in % of one
#           core; "X" is the Xvfb server's CPU over the same window (what
#           the app's drawing costs the display server).
#   RSS     VmRSS at the end of the window, and the highest VmRSS sampled
#           once a second; PSS from /proc/PID/smaps_rollup at the end
#           (shared library pages divided among their users).
#   wakes   voluntary+involuntary context switches per second over the
#           window (all threads): how often the idle app wakes up.
#
# Sound: AGENTBAR_AUDIO_BACKEND (default null: miniaudio's null backend,
# which ticks like a real device; this machine has no sound card), or with
# GUI_IDLE_PULSE=1 a private PulseAudio server (null sink and source) whose
# own CPU over the window is the "snd" column.
# Knobs (environment): CASES (default "ref remote demo"), SETTLE,
# KEEP=1 keeps the work folder (logs, configs), GUI_IDLE_PERF=1 records
# `perf record -g` of each case over its window into the work folder,
# GUI_IDLE_GOGC and GUI_IDLE_MEMLIMIT are passed to the agentbar cases as
# GOGC and GOMEMLIMIT when set. AGENTBAR_CPUPROFILE=FILE makes the agentbar cases
# write a CPU profile (FILE.remote, FILE.demo), AGENTBAR_MEMPROFILE=FILE a
# heap profile taken when the app is told to quit (the idle heap). Go's
# profiler sees only Go threads: GUI_IDLE_PERF=1 for the C ones (miniaudio,
# GLFW, Mesa's llvmpipe) and the runtime's own.
#
# Needs: go, Xvfb, xauth, dbus-run-session, gnome-keyring-daemon. Not part
# of `make test`. The numbers and how to read them: bench/README.md.

# The helpers below run in stage 2 (this script again, under
# dbus-run-session), which shellcheck cannot follow.
# shellcheck disable=SC2317
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=${1:-60}
settle=${SETTLE:-10}
cases=${CASES:-ref remote demo}

log() { echo "gui-idle: $*" >&2; }
die() {
	log "$*"
	exit 1
}

hz=$(getconf CLK_TCK)
# utime+stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# A /proc/PID/status field in kB (VmRSS, VmHWM) or count.
status_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
pss_kb() { awk '$1 == "Pss:" {print $2}' "/proc/$1/smaps_rollup"; }
# Context switches of all the process's threads (a thread that ended
# during the window is not counted).
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '$1 ~ /ctxt_switches:/ {n += $2} END {print n}'; }
# One line per thread: TID NAME TICKS (NAME without spaces).
thread_ticks() {
	local f line
	for f in /proc/"$1"/task/*/stat; do
		line=$(cat "$f" 2>/dev/null) || continue
		local tid=${line%% *} name=${line#*(}
		name=${name%)*}
		local rest=${line##*) }
		# shellcheck disable=SC2086
		set -- $rest
		echo "$tid ${name// /_} $((${12} + ${13}))"
	done
}

# ---------------------------------------------------------------------------
# Stage 2: inside the private D-Bus session, on the display.
# ---------------------------------------------------------------------------
keyring_pid=""
pulse_pid=""
pids=()
# Called from the EXIT trap.
# shellcheck disable=SC2317
stop_all() {
	local p
	for p in "${pids[@]}" "$pulse_pid" "$keyring_pid"; do
		if [[ -n $p ]]; then
			kill "$p" 2>/dev/null || true
		fi
	done
	wait 2>/dev/null || true
}

# wait_for SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds.
wait_for() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 5; i++)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# Each agentbar case gets its own HOME and XDG folders: its own accounts,
# history and control endpoint (one agentbar per user).
use_home() {
	export HOME=$work/$1/home XDG_CONFIG_HOME=$work/$1/config XDG_DATA_HOME=$work/$1/data XDG_CACHE_HOME=$work/$1/cache
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
}

signed_in() { "$work/agentbar" ctl status 2>/dev/null | grep -Eq '"logged_in": *true'; }

# measure NAME PID: settle, then one window; appends a row to $work/rows.
measure() {
	local name=$1 pid=$2
	sleep "$settle"
	kill -0 "$pid" 2>/dev/null || die "$name exited before the measurement; see $work/$name.log"
	local c0 x0 s0 t0 c1 x1 s1 t1 rss hwm=0 r i
	thread_ticks "$pid" >"$work/$name.threads0"
	c0=$(cpu_ticks "$pid") x0=$(cpu_ticks "$xvfb_pid") s0=$(switches "$pid") t0=$(date +%s.%N)
	local p0=0 p1=0
	[[ -n $pulse_pid ]] && p0=$(cpu_ticks "$pulse_pid")
	if [[ -n ${GUI_IDLE_PERF:-} ]]; then
		perf record -q -g -p "$pid" -o "$work/$name.perf" -- sleep "$secs" >/dev/null 2>&1 &
	fi
	for ((i = 0; i < secs; i++)); do
		sleep 1
		r=$(status_field "$pid" VmRSS) || die "$name exited during the measurement"
		((r > hwm)) && hwm=$r
	done
	c1=$(cpu_ticks "$pid") x1=$(cpu_ticks "$xvfb_pid") s1=$(switches "$pid") t1=$(date +%s.%N)
	[[ -n $pulse_pid ]] && p1=$(cpu_ticks "$pulse_pid")
	rss=$(status_field "$pid" VmRSS)
	thread_ticks "$pid" >"$work/$name.threads1"
	# The busiest threads, by name (Go's threads share the program's name).
	awk -v hz="$hz" -v secs="$secs" -v n="$name" '
		NR == FNR { before[$1] = $3; next }
		{ used[$2] += $3 - before[$1]; count[$2]++ }
		END { for (t in used) if (used[t] > 0) printf "%s %s x%d %.2f\n", n, t, count[t], 100 * used[t] / hz / secs }' \
		"$work/$name.threads0" "$work/$name.threads1" | sort -k4 -rn | head -6 >>"$work/threads"
	printf '%s %s %s %s %s %s %s %s %s %s\n' "$name" "$((c1 - c0))" "$((x1 - x0))" "$t0" "$t1" \
		"$rss" "$hwm" "$(pss_kb "$pid")" "$((s1 - s0))" "$((p1 - p0))" >>"$work/rows"
	log "$name: done"
}

# run_agentbar NAME ARGS...: starts the desktop app, waits until it is
# signed in, measures it, stops it.
run_agentbar() {
	local name=$1 pid
	shift
	local env=()
	[[ -n ${GUI_IDLE_GOGC:-} ]] && env+=("GOGC=$GUI_IDLE_GOGC")
	[[ -n ${GUI_IDLE_MEMLIMIT:-} ]] && env+=("GOMEMLIMIT=$GUI_IDLE_MEMLIMIT")
	[[ -n ${AGENTBAR_CPUPROFILE:-} ]] && env+=("AGENTBAR_CPUPROFILE=$AGENTBAR_CPUPROFILE.$name")
	[[ -n ${AGENTBAR_MEMPROFILE:-} ]] && env+=("AGENTBAR_MEMPROFILE=$AGENTBAR_MEMPROFILE.$name")
	env "${env[@]}" "$work/agentbar" "$@" >"$work/$name.log" 2>&1 &
	pid=$!
	pids+=("$pid")
	wait_for 60 signed_in || die "$name did not sign in within 60 s; see $work/$name.log and $XDG_CACHE_HOME/agentbar/logs"
	measure "$name" "$pid"
	kill -INT "$pid"
	wait "$pid" 2>/dev/null || true
}

case_ref() {
	"$work/ref" >"$work/ref.log" 2>&1 &
	local pid=$!
	pids+=("$pid")
	measure ref "$pid"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}

case_remote() {
	use_home remote
	"$work/center" >"$work/center.json" 2>"$work/center.log" &
	local center_pid=$!
	pids+=("$center_pid")
	wait_for 30 grep -q password "$work/center.json" || die "the center did not start; see $work/center.log"
	local sip password
	sip=$(sed -E 's/.*"sip":"([^"]+)".*/\1/' "$work/center.json")
	password=$(sed -E 's/.*"password":"([^"]+)".*/\1/' "$work/center.json")
	printf '%s\n' "$password" | "$work/agentbar" account add --name office --platform sip \
		--set "uri=sip:8001@$sip" --set transport=udp --set local_ip=127.0.0.1 \
		--set display_name=bench --password-stdin >/dev/null
	run_agentbar remote --account office
	kill "$center_pid"
	wait "$center_pid" 2>/dev/null || true
}

case_demo() {
	use_home demo
	"$work/agentbar" account add --name quiet-demo --platform demo --set arrival_seconds=0 >/dev/null
	run_agentbar demo --account quiet-demo
}

# start_pulse runs a private PulseAudio with a null sink and source (as
# audio's PulseAudio test does) and points the agentbar cases at it.
start_pulse() {
	command -v pulseaudio >/dev/null || die "GUI_IDLE_PULSE=1 needs pulseaudio"
	local dir=$work/pulse
	mkdir -p "$dir"
	chmod 700 "$dir"
	XDG_RUNTIME_DIR=$dir HOME=$dir PULSE_STATE_PATH=$dir pulseaudio --daemonize=no -n --exit-idle-time=-1 \
		--disallow-exit --log-target=stderr \
		--load="module-native-protocol-unix auth-anonymous=1 socket=$dir/native" \
		--load="module-null-sink sink_name=vspk" --load="module-null-source source_name=vmic" \
		--load="module-suspend-on-idle timeout=1" \
		>"$work/pulse.log" 2>&1 &
	pulse_pid=$!
	wait_for 10 test -S "$dir/native" || die "pulseaudio did not start; see $work/pulse.log"
	export PULSE_SERVER=unix:$dir/native AGENTBAR_AUDIO_BACKEND=pulseaudio
}

in_session() {
	trap stop_all EXIT
	printf '%s' "throwaway-$RANDOM$RANDOM" |
		gnome-keyring-daemon --foreground --unlock --components=secrets >"$work/keyring.log" 2>&1 &
	keyring_pid=$!
	have_keyring() {
		dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true
	}
	wait_for 10 have_keyring || die "gnome-keyring did not start; see $work/keyring.log"
	[[ -n ${GUI_IDLE_PULSE:-} ]] && start_pulse
	: >"$work/rows"
	: >"$work/threads"
	local c
	for c in $cases; do
		log "case $c: settle ${settle}s, measure ${secs}s"
		"case_$c"
	done
	report
}

# report prints the table from $work/rows.
report() {
	echo
	echo "gui-idle: idle desktop, ${secs} s per case after ${settle} s settling, Xvfb ${screen}, LANG=$LANG, audio backend ${AGENTBAR_AUDIO_BACKEND}"
	awk -v hz="$hz" '
	{
		name[NR] = $1; wall = $5 - $4
		cpu[NR] = 100 * $2 / hz / wall; x[NR] = 100 * $3 / hz / wall; snd[NR] = 100 * $10 / hz / wall
		rss[NR] = $6 / 1024; hwm[NR] = $7 / 1024; pss[NR] = $8 / 1024; wk[NR] = $9 / wall
		if ($1 == "ref") ref = NR
	}
	END {
		printf "%-8s %9s %7s %7s %8s %8s %8s %8s %9s %9s\n", "case", "CPU %", "X %", "snd %", "RSS MB", "max MB", "PSS MB", "wakes/s", "CPU/ref", "RSS/ref"
		for (i = 1; i <= NR; i++) {
			cr = "-"; rr = "-"
			if (ref && i != ref) {
				cr = cpu[ref] > 0 ? sprintf("%.1fx", cpu[i] / cpu[ref]) : "n/a"
				rr = sprintf("%.2fx", rss[i] / rss[ref])
			}
			printf "%-8s %9.2f %7.2f %7.2f %8.1f %8.1f %8.1f %8.0f %9s %9s\n", name[i], cpu[i], x[i], snd[i], rss[i], hwm[i], pss[i], wk[i], cr, rr
		}
		print "targets (brief, case remote): CPU under 0.5 % of a core, RSS under 80 MB"
	}' "$work/rows"
	echo "busiest threads (case, thread name, how many, CPU % of a core):"
	sed 's/^/  /' "$work/threads"
}

if [[ ${1:-} == --in-session ]]; then
	shift
	# Stage 1 exported everything stage 2 needs.
	secs=$GUI_IDLE_SECS
	in_session
	exit $?
fi

# ---------------------------------------------------------------------------
# Stage 1: build, throwaway folders, Xvfb; then stage 2 under dbus-run-session.
# ---------------------------------------------------------------------------
for tool in go Xvfb xauth dbus-run-session dbus-send gnome-keyring-daemon; do
	command -v "$tool" >/dev/null || die "$tool is missing (see the header of this script)"
done
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 ]] || die "usage: bench/gui-idle.sh [SECONDS]"

work=$(mktemp -d "${TMPDIR:-/tmp}/agentbar-gui-idle.XXXXXX")
xvfb_pid=""
# shellcheck disable=SC2317
cleanup() {
	if [[ -n $xvfb_pid ]] && kill -0 "$xvfb_pid" 2>/dev/null; then
		kill "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	if [[ -n ${KEEP:-} ]]; then
		log "kept $work"
	else
		chmod -R u+w "$work" 2>/dev/null || true
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "building agentbar and the helpers"
(
	cd "$repo"
	go build -o "$work/agentbar" .
	go build -o "$work/ref" ./bench/guiidle/ref
	go build -o "$work/center" ./bench/guiidle/center
)

# The caller's session must not leak in.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export AGENTBAR_AUDIO_BACKEND=${AGENTBAR_AUDIO_BACKEND:-null}
unset LC_ALL LANGUAGE
if locale -a 2>/dev/null | grep -qixF zh_CN.utf8; then
	export LANG=zh_CN.UTF-8
else
	export LANG=C.UTF-8
fi
# The reference gets a home too (fyne keeps its preferences there).
export HOME=$work/ref-home XDG_CONFIG_HOME=$work/ref-home/config XDG_DATA_HOME=$work/ref-home/data XDG_CACHE_HOME=$work/ref-home/cache
mkdir -p "$HOME"

# Xvfb on the first free display from :120, as scripts/test.sh does.
screen=${AGENTBAR_XVFB_SCREEN:-1280x1024x24}
export XAUTHORITY=$work/Xauthority
touch "$XAUTHORITY"
ready_fifo=$work/xvfb-ready
mkfifo "$ready_fifo"
for ((display = 120; display < 180; display++)); do
	[[ -e /tmp/.X$display-lock || -e /tmp/.X11-unix/X$display ]] && continue
	xauth -q -f "$XAUTHORITY" add ":$display" . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
	Xvfb ":$display" -screen 0 "$screen" -auth "$XAUTHORITY" \
		-nolisten tcp -noreset -displayfd 3 3>"$ready_fifo" >>"$work/xvfb.log" 2>&1 &
	xvfb_pid=$!
	ready=""
	read -r -t 20 ready <"$ready_fifo" || true
	if [[ $ready == "$display" ]]; then
		export DISPLAY=:$display
		break
	fi
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
	xvfb_pid=""
done
[[ -n ${DISPLAY:-} ]] || die "could not start Xvfb; see $work/xvfb.log"

export work xvfb_pid screen settle cases GUI_IDLE_SECS=$secs
rc=0
dbus-run-session -- bash "$repo/bench/gui-idle.sh" --in-session || rc=$?
exit "$rc"
