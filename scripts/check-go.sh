#!/usr/bin/env bash
# Checks that the go command is here and at least as new as go.mod asks
# (`go 1.26.0` -> Go 1.26). Prints how to install Go when it is not.
set -euo pipefail
cd "$(dirname "$0")/.."

need=$(awk '$1 == "go" && $2 ~ /^[0-9]/ {print $2; exit}' go.mod)
need_major=${need%%.*}
need_rest=${need#*.}
need_minor=${need_rest%%.*}
want="Go ${need_major}.${need_minor}"

how_to_install() {
	local arch
	case $(uname -m) in
	x86_64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	armv6l | armv7l) arch=armv6l ;;
	*) arch=$(uname -m) ;;
	esac
	cat >&2 <<EOF

agentbar needs $want or newer to build (go.mod: go $need).
Install it from the official release (Debian's and Ubuntu's own golang
packages are usually older):
  1. Download go${need_major}.${need_minor}.x for your system from https://go.dev/dl/
  2. sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go${need_major}.${need_minor}.*.linux-${arch}.tar.gz
  3. echo 'export PATH=\$PATH:/usr/local/go/bin' >> ~/.profile; export PATH=\$PATH:/usr/local/go/bin
  4. go version    # should print go${need_major}.${need_minor} or newer
With Go 1.21 or newer already installed you can instead let it fetch the
right toolchain by itself: unset GOTOOLCHAIN or set GOTOOLCHAIN=auto
(\`go env -w GOTOOLCHAIN=auto\`); that needs access to the Go download site.
EOF
}

if ! command -v go >/dev/null; then
	if [[ -x /usr/local/go/bin/go ]]; then
		echo "check-go: Go is installed in /usr/local/go but not on PATH: export PATH=\$PATH:/usr/local/go/bin" >&2
	else
		echo "check-go: the go command was not found." >&2
	fi
	how_to_install
	exit 1
fi

# Inside the module, an older go with GOTOOLCHAIN=auto switches to (and may
# download) the toolchain go.mod asks for; GOVERSION then names that one.
if ! have=$(go env GOVERSION 2>&1); then
	echo "check-go: 'go env GOVERSION' failed: $have" >&2
	how_to_install
	exit 1
fi

if [[ ! $have =~ go([0-9]+)\.([0-9]+) ]]; then
	echo "check-go: cannot read the Go version from '$have'; continuing." >&2
	exit 0
fi
have_major=${BASH_REMATCH[1]}
have_minor=${BASH_REMATCH[2]}
if ((have_major < need_major || (have_major == need_major && have_minor < need_minor))); then
	echo "check-go: found $have ($(command -v go)), too old." >&2
	how_to_install
	exit 1
fi
