#!/usr/bin/env bash
# The VERSION file is the one place the version is set. The binary gets it
# through -ldflags; FyneApp.toml and the AppStream metainfo have to repeat it,
# so this check fails when they drift. scripts/set-version.sh changes all three.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(tr -d '[:space:]' <VERSION)
metainfo=packaging/linux/cn.agentbar.desktop.metainfo.xml
status=0

if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([~+-][0-9A-Za-z.~+-]+)?$ ]]; then
	echo "check-version: VERSION '$version' is not MAJOR.MINOR.PATCH" >&2
	status=1
fi

fyne_version=$(sed -nE 's/^Version *= *"([^"]*)".*/\1/p' FyneApp.toml | head -n1)
if [[ $fyne_version != "$version" ]]; then
	echo "check-version: FyneApp.toml has Version \"$fyne_version\", VERSION has $version (scripts/set-version.sh $version)" >&2
	status=1
fi

newest_release=$(grep -oE '<release version="[^"]+"' "$metainfo" | head -n1 | sed -E 's/.*"([^"]+)"/\1/')
if [[ $newest_release != "$version" ]]; then
	echo "check-version: the newest <release> in $metainfo is \"$newest_release\", VERSION has $version (scripts/set-version.sh $version)" >&2
	status=1
fi

exit "$status"
