#!/usr/bin/env bash
# CPU of one G.711 call: agentbar headless against baresip, same loop, same run.
#
#   bench/cpu-g711.sh [SECONDS]      (default 60)
#
# Both calls go to the same auto-answering baresip ("far", plays 1 kHz).
#   A: agentbar headless (plain SIP account, WAV file as microphone and
#      headset) dials far.
#   B: a second baresip ("near", WAV file as microphone, records what it
#      hears, as agentbar does) dials far.
# The script reads utime+stime of the caller process from /proc before and
# after each call and prints both and their ratio. Needs: baresip-core, sox.
set -euo pipefail
secs=${1:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/agentbar-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
export LANG=${LANG:-C.UTF-8}; [ "$LANG" = C ] && export LANG=C.UTF-8
command -v baresip >/dev/null || { echo "needs baresip (apt-get install baresip-core)"; exit 2; }
command -v sox >/dev/null || { echo "needs sox"; exit 2; }

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# A headless baresip: one account, a WAV as microphone, recordings in rec/.
baresip_conf() { # DIR PORT WAV CTRLPORT USER
	mkdir -p "$1/rec"
	cat >"$1/config" <<CFG
poll_method		epoll
net_interface		127.0.0.1
sip_listen		127.0.0.1:$2
audio_source		aufile,$3
audio_player		aubridge,bench
audio_alert		aubridge,bench
ausrc_srate		8000
ausrc_channels		1
auplay_srate		8000
auplay_channels		1
rtp_ports		$(($2 * 2 + 10000))-$(($2 * 2 + 10019))
module_path		/usr/lib/baresip/modules
module			g711.so
module			aufile.so
module			aubridge.so
module			sndfile.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$4
snd_path		$1/rec
CFG
	echo "<sip:$5@127.0.0.1:$2>;regint=0;answermode=auto;audio_codecs=PCMU" >"$1/accounts"
	: >"$1/contacts"
}
ctrl() { # PORT COMMAND [PARAMS]: one ctrl_tcp netstring command
	local j="{\"command\":\"$2\",\"params\":\"${3:-}\",\"token\":\"b$$\"}"
	exec 3<>"/dev/tcp/127.0.0.1/$1"
	printf '%d:%s,' "${#j}" "$j" >&3
	timeout 1 cat <&3 >/dev/null || true
	exec 3>&-
}

long=$((secs + 30))
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$work/far.wav" synth "$long" sine 1000 vol 0.5
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$work/near.wav" synth "$long" sine 440 vol 0.5

baresip_conf "$work/far" 25070 "$work/far.wav" 24444 far
baresip -4 -f "$work/far" </dev/null >"$work/far.log" 2>&1 &
pids+=($!)

echo "building agentbar..."
(cd "$repo" && go build -o "$work/agentbar" .)

# --- A: agentbar headless ---
export XDG_CONFIG_HOME=$work/a/config XDG_DATA_HOME=$work/a/data XDG_CACHE_HOME=$work/a/cache AGENTBAR_AUDIO_BACKEND=null
"$work/agentbar" account add --name bench --platform sip --set uri=sip:bench@127.0.0.1 --set register=false \
	--set local_ip=127.0.0.1 --set port=25080 >/dev/null
"$work/agentbar" headless --account bench --audio-in "$work/near.wav" --audio-out "$work/a-heard.wav" >"$work/a.out" 2>"$work/a.err" &
apid=$!
pids+=($apid)
for _ in $(seq 50); do grep -q ready "$work/a.out" 2>/dev/null && break; sleep 0.2; done
"$work/agentbar" ctl dial sip:far@127.0.0.1:25070 >/dev/null
sleep 2 # setup done; measure the steady call
a0=$(cpu_ticks $apid)
sleep "$secs"
a1=$(cpu_ticks $apid)
"$work/agentbar" ctl hangup >/dev/null
kill -INT $apid; wait $apid 2>/dev/null || true

# --- B: baresip near ---
baresip_conf "$work/near" 25090 "$work/near.wav" 24454 near
baresip -4 -f "$work/near" </dev/null >"$work/near.log" 2>&1 &
bpid=$!
pids+=($bpid)
sleep 1.5
ctrl 24454 dial sip:far@127.0.0.1:25070
sleep 2
b0=$(cpu_ticks $bpid)
sleep "$secs"
b1=$(cpu_ticks $bpid)
ctrl 24454 hangup

a=$(((a1 - a0) * 1000 / hz))
b=$(((b1 - b0) * 1000 / hz))
echo "one G.711 call for ${secs} s, CPU time of the calling side (clock ticks ${hz}/s):"
echo "  agentbar headless: ${a} ms  ($(awk -v a="$a" -v s="$secs" 'BEGIN{printf "%.2f", a/10/s}') % of a core)"
echo "  baresip:           ${b} ms  ($(awk -v b="$b" -v s="$secs" 'BEGIN{printf "%.2f", b/10/s}') % of a core)"
awk -v a="$a" -v b="$b" 'BEGIN{ if (b > 0) printf "  ratio agentbar/baresip: %.2f\n", a/b; else print "  ratio: baresip used no measurable CPU" }'
if command -v sox >/dev/null && [ -f "$work/a-heard.wav" ]; then
	echo "  agentbar heard: $(sox "$work/a-heard.wav" -n stat -freq 2>&1 | awk '/Rough/{print $3 " Hz (rough)"}')"
fi
