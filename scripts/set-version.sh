#!/usr/bin/env bash
# Sets a new version everywhere it appears:
#
#   scripts/set-version.sh 0.2.0
#
# writes VERSION, FyneApp.toml's Version (and bumps Build), and adds a
# <release> with today's date at the top of the AppStream metainfo.
set -euo pipefail
cd "$(dirname "$0")/.."

new=${1:?usage: scripts/set-version.sh MAJOR.MINOR.PATCH}
metainfo=packaging/linux/cn.agentbar.desktop.metainfo.xml

printf '%s\n' "$new" >VERSION

build=$(sed -nE 's/^Build *= *([0-9]+).*/\1/p' FyneApp.toml | head -n1)
sed -i -E "s/^Version *= *\"[^\"]*\"/Version = \"$new\"/; s/^Build *= *[0-9]+/Build = $((${build:-0} + 1))/" FyneApp.toml

if ! grep -q "<release version=\"$new\"" "$metainfo"; then
	today=$(date -u +%Y-%m-%d)
	sed -i "0,/<releases>/s//<releases>\n    <release version=\"$new\" date=\"$today\"\/>/" "$metainfo"
fi

scripts/check-version.sh
echo "set-version: $new"
