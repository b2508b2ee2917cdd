package gui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"

	"fyne.io/fyne/v2"
)

// iconState is what the tray icon says at a glance. Its colour changes; the
// headset (the app icon's, assets/icon.svg) stays.
type iconState int

// Tray icon states, in the order the tray picks them: a ringing call
// outranks a call in progress, which outranks the agent state.
const (
	iconOffline  iconState = iota // grey
	iconReady                     // green
	iconNotReady                  // amber: busy, break, wrap-up
	iconRinging                   // blue (the app's own colour)
	iconTalking                   // red
	numIconStates
)

func (s iconState) String() string {
	return [...]string{"offline", "ready", "notready", "ringing", "talking"}[s]
}

// iconColours: calm, saturated enough to tell apart at 16 px, and chosen so
// that white reads on all of them.
var iconColours = [numIconStates]color.NRGBA{
	iconOffline:  {0x7A, 0x80, 0x8A, 0xFF},
	iconReady:    {0x23, 0x9A, 0x55, 0xFF},
	iconNotReady: {0xD9, 0x8E, 0x04, 0xFF},
	iconRinging:  {0x2D, 0x6C, 0xDF, 0xFF},
	iconTalking:  {0xD1, 0x3F, 0x3A, 0xFF},
}

// iconFor picks the tray state for a board.
func iconFor(b board) iconState {
	switch {
	case !b.loggedIn:
		return iconOffline
	case b.ringing():
		return iconRinging
	case b.onCall():
		return iconTalking
	case b.agent.Name() == "ready":
		return iconReady
	}
	return iconNotReady
}

// trayIconSize is what StatusNotifierItem hosts scale down from.
const trayIconSize = 64

// badgeColour is the missed-call badge: a red dot with a white ring.
var badgeColour = color.NRGBA{0xE0, 0x2F, 0x2F, 0xFF}

// renderIcon draws the app's headset on a rounded square of the state's
// colour, as PNG bytes, with the missed-call badge in the top right corner
// when asked. The shapes follow assets/icon.svg (a 128-unit canvas); each
// pixel is 4×4 supersampled for smooth edges.
func renderIcon(s iconState, size int, badge bool) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	bg := iconColours[s]
	const samples = 4
	scale := 128 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var inBG, inWhite, inBadge int
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/samples) * scale
					y := (float64(py) + (float64(sy)+0.5)/samples) * scale
					d := math.Hypot(x-badgeX, y-badgeY)
					switch {
					case badge && d <= badgeR:
						inBG++
						inBadge++
					case badge && d <= badgeR+badgeRing:
						inBG++
						inWhite++
					case roundedRect(x, y, 6, 6, 116, 116, 26):
						inBG++
						if headset(x, y) {
							inWhite++
						}
					}
				}
			}
			if inBG == 0 {
				continue
			}
			// Blend white and the badge over the background by coverage;
			// alpha is the shapes' coverage (anti-aliased edges).
			n := float64(inBG)
			wh, rd := float64(inWhite)/n, float64(inBadge)/n
			mix := func(c, r uint8) uint8 {
				return uint8(math.Round(float64(c)*(1-wh-rd) + 255*wh + float64(r)*rd))
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: mix(bg.R, badgeColour.R), G: mix(bg.G, badgeColour.G), B: mix(bg.B, badgeColour.B),
				A: uint8(math.Round(255 * n / samples / samples)),
			})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory NRGBA cannot fail
	}
	return buf.Bytes()
}

// The badge: a dot in the top right corner of the 128-unit canvas, over
// the square's corner, with a white ring that parts it from the square.
const (
	badgeX, badgeY = 100.0, 28.0
	badgeR         = 22.0
	badgeRing      = 5.0
)

// renderedTrayIcons is trayIcons computed once per process: drawing the ten
// pictures takes about 45 ms, too long to repeat on the UI thread when the
// language changes. The pictures never change (a memoised constant).
var renderedTrayIcons = sync.OnceValue(trayIcons)

// trayIcons renders every state once, with and without the missed-call
// badge, as fyne resources.
func trayIcons() [numIconStates][2]fyne.Resource {
	var out [numIconStates][2]fyne.Resource
	for s := iconState(0); s < numIconStates; s++ {
		out[s][0] = fyne.NewStaticResource(fmt.Sprintf("agentbar-%s.png", s), renderIcon(s, trayIconSize, false))
		out[s][1] = fyne.NewStaticResource(fmt.Sprintf("agentbar-%s-missed.png", s), renderIcon(s, trayIconSize, true))
	}
	return out
}

// headset reports whether a point (128-unit canvas) is on the white
// headset: headband, ear cups, microphone boom and microphone.
func headset(x, y float64) bool {
	// Nothing of the headset lies outside this box; most samples stop here.
	if x < 19 || x > 109 || y < 21 || y > 112 {
		return false
	}
	// Headband: M30 72 V62 A34 34 0 0 1 98 62 V72, 12 wide, round caps.
	const band = 6
	if segmentDist(x, y, 30, 72, 30, 62) <= band || segmentDist(x, y, 98, 62, 98, 72) <= band {
		return true
	}
	if y <= 62 && math.Abs(math.Hypot(x-64, y-62)-34) <= band {
		return true
	}
	// Ear cups and microphone.
	if roundedRect(x, y, 20, 60, 24, 36, 9) || roundedRect(x, y, 84, 60, 24, 36, 9) ||
		roundedRect(x, y, 56, 97, 20, 14, 7) {
		return true
	}
	// Boom: M92 90 Q92 104 72 104, 7 wide, as a polyline along the curve.
	const boom = 3.5
	if x < 72-boom || x > 92+boom || y < 90-boom || y > 104+boom {
		return false
	}
	const steps = 12
	px, py := 92.0, 90.0
	for i := 1; i <= steps; i++ {
		t := float64(i) / steps
		qx := (1-t)*(1-t)*92 + 2*(1-t)*t*92 + t*t*72
		qy := (1-t)*(1-t)*90 + 2*(1-t)*t*104 + t*t*104
		if segmentDist(x, y, px, py, qx, qy) <= boom {
			return true
		}
		px, py = qx, qy
	}
	return false
}

// roundedRect reports whether (x, y) is inside the rectangle at (rx, ry)
// of size w×h with corner radius r.
func roundedRect(x, y, rx, ry, w, h, r float64) bool {
	if x < rx || y < ry || x > rx+w || y > ry+h {
		return false
	}
	cx := math.Max(rx+r, math.Min(x, rx+w-r))
	cy := math.Max(ry+r, math.Min(y, ry+h-r))
	return math.Hypot(x-cx, y-cy) <= r
}

// segmentDist is the distance from (x, y) to the segment (ax, ay)-(bx, by).
func segmentDist(x, y, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/l))
	}
	return math.Hypot(x-(ax+t*dx), y-(ay+t*dy))
}
