#!/usr/bin/env bash
# Makes sure a locale (default zh_CN.UTF-8, the agents' language) is generated,
# so the test suite runs with LANG set to it. Needs the `locales` package and
# root or sudo; when it cannot generate the locale it says so and returns 0:
# scripts/test.sh then falls back to C.UTF-8.
#
#   scripts/ensure-locale.sh [LOCALE]
set -euo pipefail

want=${1:-zh_CN.UTF-8}
lang_part=${want%%.*}   # zh_CN
charset=${want#*.}      # UTF-8

# `locale -a` spells UTF-8 as utf8; compare in that form.
normalize() { tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/'; }
has_locale() {
	local norm
	norm=$(normalize <<<"$want")
	locale -a 2>/dev/null | normalize | grep -qxF "$norm"
}

has_locale && exit 0

as_root=()
if [[ $(id -u) != 0 ]]; then
	if ! command -v sudo >/dev/null; then
		echo "ensure-locale: $want is not generated and there is no sudo; tests fall back to C.UTF-8." >&2
		exit 0
	fi
	as_root=(sudo)
fi

echo "ensure-locale: generating $want"
if [[ -f /etc/locale.gen ]] && grep -qE "^#? *${want//./\\.} " /etc/locale.gen && command -v locale-gen >/dev/null; then
	# Debian: enable the line so a later locale-gen run keeps the locale.
	"${as_root[@]}" sed -i -E "s/^# *(${want//./\\.} )/\1/" /etc/locale.gen
	"${as_root[@]}" locale-gen >/dev/null
elif command -v locale-gen >/dev/null && [[ -d /var/lib/locales/supported.d ]]; then
	# Ubuntu: locale-gen takes the locale as an argument.
	"${as_root[@]}" locale-gen "$want" >/dev/null
elif command -v localedef >/dev/null; then
	"${as_root[@]}" localedef -i "$lang_part" -f "$charset" "$want"
fi

if ! has_locale; then
	echo "ensure-locale: could not generate $want (is the 'locales' package installed?); tests fall back to C.UTF-8." >&2
fi
