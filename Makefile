# agentbar: build, run, test and package.
#
# On a fresh Debian/Ubuntu machine these two do everything (README.md):
#   make run     installs the build packages, builds ./agentbar and runs it (ARGS="...")
#   make test    installs the test packages too, tests the .deb, runs the Go suite
# Also:
#   make build | package | check | icons | clean

VERSION := $(shell cat VERSION)
GO      ?= go
ARGS    ?=
# Packages to test: make test PKGS=./core/...
PKGS    ?= ./...

LDFLAGS := -X main.version=$(VERSION)
# nfpm builds the .deb. Newer releases need modules this machine's Go proxy
# refuses (go.digitalxero.dev/..., 403); v2.45.2 is the newest that builds.
NFPM_VERSION := v2.45.2

# Debian/Ubuntu packages needed to build: cgo for GLFW/OpenGL (Fyne),
# miniaudio (malgo) and the Opus codec.
BUILD_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev libopus-dev
# ...and to run it: Fyne's bundled font has no Chinese glyphs; it falls back
# to a system CJK font (without one, Chinese text renders as boxes).
RUN_PACKAGES := fonts-wqy-microhei espeak-ng

# Packages the tests need on top of BUILD_PACKAGES. One list; append with
#   TEST_PACKAGES += name
TEST_PACKAGES := xvfb xauth x11-utils xdotool dbus dbus-x11 gnome-keyring libsecret-tools x11-apps imagemagick \
	sox libsox-fmt-all espeak-ng sip-tester baresip-core kamailio kamailio-websocket-modules \
	rtpengine-daemon pulseaudio pulseaudio-utils chromium nodejs npm
# ...for scripts/test.sh and scripts/deb-test.sh themselves: the zh_CN locale,
# Mesa's software OpenGL under Xvfb, the desktop-entry and AppStream
# validators, readelf, python3 for the SIP rig's pcap tool.
TEST_PACKAGES += locales libgl1-mesa-dri desktop-file-utils appstream binutils python3

.PHONY: run build deps test-deps check-go test package check icons clean

run: build
	./agentbar $(ARGS)

build: deps check-go
	$(GO) build -ldflags "$(LDFLAGS)" -o agentbar .

deps:
	@scripts/install-packages.sh $(BUILD_PACKAGES) $(RUN_PACKAGES)

test-deps: deps
	@scripts/install-packages.sh --best-effort $(TEST_PACKAGES)
	@scripts/ensure-locale.sh zh_CN.UTF-8

check-go:
	@scripts/check-go.sh

# The .deb test goes first so that go test's summary is the last thing printed.
test: test-deps check-go
	scripts/deb-test.sh
	scripts/test.sh $(PKGS)

# dist/agentbar_$(VERSION)_<arch>.deb; nfpm runs through `go run` so it never
# enters go.mod.
package: deps check-go
	$(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o build/agentbar .
	@mkdir -p dist
	rm -f dist/agentbar_$(VERSION)_*.deb
	VERSION=$(VERSION) ARCH=$$($(GO) env GOARCH) \
		$(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION) \
		pkg --packager deb --config packaging/nfpm.yaml --target dist/

# Formatting and vet over the whole tree.
check: check-go
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

icons:
	@scripts/install-packages.sh librsvg2-bin
	scripts/render-icons.sh

clean:
	rm -rf agentbar build dist artifacts
