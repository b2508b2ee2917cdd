#!/bin/sh
# Load benchmark of the simulated call center (vendors/callcenter): N
# simulated customers bridged to N SIP agent endpoints with media, for a
# while, on loopback. The center runs in one process, the agents (agentbar's
# SIP user agent, core/phone) in a child process. Prints CPU time, resident
# memory, goroutines and open files before, during and after, and checks the
# audio; exits non-zero when a check fails. Not part of `make test`.
#
#   bench/callcenter.sh                      200 calls for 60 s
#   bench/callcenter.sh -calls 50 -duration 20s -json out.json -cpuprofile cpu.out
set -eu
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/callcenter-bench
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./bench/callcenter
if [ $# -eq 0 ]; then
	set -- -calls 200 -duration 60s
fi
"$bin" "$@"
