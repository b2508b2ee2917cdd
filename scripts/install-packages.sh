#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages named on the command line that are not
# installed yet, so `make run` and `make test` work on a fresh machine.
#
#   scripts/install-packages.sh [--best-effort] PACKAGE...
#
# - Packages already installed are skipped (dpkg-query), and `apt-get update`
#   runs only when something is missing, so a second run is instant.
# - Not root: apt-get runs through sudo (it may ask for your password).
# - --best-effort: packages this distribution's archive does not offer are
#   reported and skipped instead of failing the run (test tools differ between
#   distributions; Ubuntu, for one, ships chromium only as a snap). The tests
#   that need such a tool then fail or skip with their own message.
# - Not Debian/Ubuntu (no apt-get): lists the packages and returns 0; install
#   the equivalents by hand (README.md, "Other systems").
set -euo pipefail

best_effort=0
if [[ ${1:-} == --best-effort ]]; then
	best_effort=1
	shift
fi
(($#)) || exit 0

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	echo "install-packages: no apt-get here, so nothing is installed automatically." >&2
	echo "install-packages: install the equivalents of these Debian packages by hand (README.md, \"Other systems\"): $*" >&2
	exit 0
fi

# Names that installed packages provide also count: NodeSource's nodejs, for
# one, provides (and conflicts with) Debian's npm package.
provided=" $(dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' 2>/dev/null |
	awk -F'|' '$1 ~ /^ii/ && $2 != "" {print $2}' |
	tr ',' '\n' | awk '{print $1}' | sort -u | tr '\n' ' ')"

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ $status == "install ok installed" || $provided == *" $pkg "* ]] || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

as_root=()
if [[ $(id -u) != 0 ]]; then
	if ! command -v sudo >/dev/null; then
		echo "install-packages: these packages are missing and installing them needs root, but sudo is not installed:" >&2
		echo "  su -c 'apt-get update && apt-get install -y ${missing[*]}'" >&2
		exit 1
	fi
	as_root=(sudo)
fi
apt_get=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)

echo "install-packages: missing ${missing[*]}"
"${apt_get[@]}" update -qq

installable=()
unavailable=()
for pkg in "${missing[@]}"; do
	candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
	if [[ -z $candidate || $candidate == "(none)" ]]; then
		unavailable+=("$pkg")
	else
		installable+=("$pkg")
	fi
done

if ((${#unavailable[@]})); then
	if ((best_effort)); then
		echo "install-packages: WARNING: this distribution's archive has no ${unavailable[*]}; skipped (tests that need them will say so)." >&2
	else
		echo "install-packages: this distribution's archive has no ${unavailable[*]}; install the equivalents by hand (README.md)." >&2
		exit 1
	fi
fi
((${#installable[@]})) || exit 0

"${apt_get[@]}" install -y -q --no-install-recommends "${installable[@]}"
