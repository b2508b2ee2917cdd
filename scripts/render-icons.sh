#!/usr/bin/env bash
# Renders assets/icon.svg into the PNG sizes that the desktop, the .deb and
# Fyne use. The PNGs are committed; run this after editing the SVG.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v rsvg-convert >/dev/null; then
	echo "render-icons: rsvg-convert is missing; install it with: sudo apt-get install librsvg2-bin" >&2
	exit 1
fi

for size in 16 32 48 64 128 256 512; do
	rsvg-convert --width "$size" --height "$size" --format png assets/icon.svg --output "assets/icon-$size.png"
done
# Fyne's FyneApp.toml and the tray take the largest one.
cp assets/icon-512.png assets/icon.png
ls -l assets/icon*.png
