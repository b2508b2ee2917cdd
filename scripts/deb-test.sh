#!/usr/bin/env bash
# Tests the .deb the way a user meets it:
#   1. the desktop entry and AppStream metainfo validate, versions agree;
#   2. `make package` builds dist/agentbar_<VERSION>_<arch>.deb, whose contents
#      and Depends are checked (every library the binary links must come from
#      a package in Depends);
#   3. dpkg -i installs it, `agentbar --version` prints the version, the
#      desktop entry is registered for tel:/sip:/callto: links;
#   4. dpkg -r removes it again.
# Steps 3-4 need root or sudo. They are skipped when neither is available, and
# outside CI also when an agentbar package is already installed here (the test
# would replace and then remove it; AGENTBAR_DEB_TEST_FORCE=1 to do it anyway).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

log() { echo "deb-test: $*"; }
fail() {
	echo "deb-test: FAIL: $*" >&2
	exit 1
}

version=$(tr -d '[:space:]' <VERSION)
desktop=packaging/linux/agentbar.desktop
metainfo=packaging/linux/cn.agentbar.desktop.metainfo.xml

# 1. Metadata.
for tool in desktop-file-validate appstreamcli dpkg-deb; do
	command -v "$tool" >/dev/null || fail "$tool is missing (make test installs desktop-file-utils and appstream)"
done
desktop-file-validate "$desktop" || fail "$desktop does not validate"
appstreamcli validate --no-net --pedantic "$metainfo" >/dev/null ||
	{ appstreamcli validate --no-net "$metainfo" || fail "$metainfo does not validate"; }
scripts/check-version.sh || fail "versions disagree"
log "desktop entry, metainfo and versions OK"

# 2. Build and inspect the package.
"${MAKE:-make}" --no-print-directory package
arch=$(dpkg-deb -f dist/agentbar_"${version}"_*.deb Architecture 2>/dev/null | head -n1) ||
	fail "make package did not produce dist/agentbar_${version}_*.deb"
deb=dist/agentbar_${version}_${arch}.deb
[[ -f $deb ]] || fail "$deb is missing"

[[ $(dpkg-deb -f "$deb" Package) == agentbar ]] || fail "$deb: Package is not agentbar"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "$deb: Version is not $version"

contents=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|')
expected=(
	/usr/bin/agentbar
	/usr/share/applications/agentbar.desktop
	/usr/share/metainfo/cn.agentbar.desktop.metainfo.xml
	/usr/share/icons/hicolor/scalable/apps/agentbar.svg
)
for size in 16 32 48 64 128 256 512; do
	expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/agentbar.png")
done
for path in "${expected[@]}"; do
	grep -qxF "$path" <<<"$contents" || fail "$deb lacks $path"
done

# Every shared library the binary names (ELF NEEDED) must come from a package
# in Depends; GLFW's dlopen()ed X11 libraries are listed in nfpm.yaml by hand.
depends=$(dpkg-deb -f "$deb" Depends)
needed=$(readelf -d build/agentbar 2>/dev/null | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p')
for soname in $needed; do
	owner=$(dpkg -S "*/$soname" 2>/dev/null | head -n1 | cut -d: -f1) ||
		true
	[[ -n $owner ]] || fail "build/agentbar links $soname, which no installed package provides"
	grep -qE "(^|[ ,|])$owner([ ,(|]|$)" <<<"$depends" ||
		fail "build/agentbar links $soname from package $owner, which packaging/nfpm.yaml does not list in depends"
done
log "$deb: contents, version and Depends ($depends) OK"

# 3-4. Install, run, remove.
as_root=()
if [[ $(id -u) != 0 ]]; then
	if ! command -v sudo >/dev/null; then
		log "SKIP install/remove: needs root or sudo"
		exit 0
	fi
	as_root=(sudo)
fi
if dpkg-query -W -f='${Status}' agentbar 2>/dev/null | grep -q 'ok installed'; then
	if [[ ${CI:-} != true && ${AGENTBAR_DEB_TEST_FORCE:-} != 1 ]]; then
		log "SKIP install/remove: an agentbar package is already installed here (AGENTBAR_DEB_TEST_FORCE=1 replaces and removes it)"
		exit 0
	fi
fi

installed=0
remove_package() {
	if ((installed)); then
		"${as_root[@]}" dpkg -r agentbar >/dev/null || true
	fi
}
trap remove_package EXIT

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >/dev/null ||
	fail "dpkg -i $deb failed (missing Depends? try: sudo apt-get install -f)"
installed=1

[[ $(command -v agentbar) == /usr/bin/agentbar ]] || fail "agentbar is not /usr/bin/agentbar on PATH after install"
got=$(/usr/bin/agentbar --version) || fail "agentbar --version exited non-zero"
[[ $got == "agentbar $version" ]] || fail "agentbar --version printed '$got', want 'agentbar $version'"
for path in "${expected[@]}"; do
	[[ -e $path ]] || fail "$path is missing after install"
done
desktop-file-validate /usr/share/applications/agentbar.desktop || fail "installed desktop entry does not validate"
# dpkg's trigger for desktop-file-utils (update-desktop-database) registers
# the link handlers; the tel: link opening agentbar depends on this line.
if [[ -f /usr/share/applications/mimeinfo.cache ]]; then
	for scheme in tel sip callto; do
		grep -qE "^x-scheme-handler/$scheme=.*agentbar\.desktop" /usr/share/applications/mimeinfo.cache ||
			fail "mimeinfo.cache does not name agentbar.desktop for $scheme: links"
	done
fi
log "installed: $got; files, desktop entry and tel:/sip:/callto: handlers OK"

"${as_root[@]}" dpkg -r agentbar >/dev/null || fail "dpkg -r agentbar failed"
installed=0
[[ ! -e /usr/bin/agentbar ]] || fail "/usr/bin/agentbar is still there after dpkg -r"
if [[ -f /usr/share/applications/mimeinfo.cache ]] && grep -q 'agentbar\.desktop' /usr/share/applications/mimeinfo.cache; then
	fail "mimeinfo.cache still names agentbar.desktop after dpkg -r"
fi
log "removed: OK"
