#!/usr/bin/env bash
# CPU of one Opus WebRTC call against one plain G.711 call, measured in the
# same run, and the time from the INVITE to the first audio for each.
#
#   bench/webrtc.sh [-seconds 10] [-calls 5]
#
# Needs what the build needs (Makefile BUILD_PACKAGES, libopus-dev among
# them); no sound card, no network: both phones run in one process on
# loopback. See bench/webrtc/main.go for what is measured and how.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec go run ./bench/webrtc "$@"
