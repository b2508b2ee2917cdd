package gui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"agentbar/core"
)

func decodeIcon(t *testing.T, s iconState, size int) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(renderIcon(s, size, false)))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
		t.Fatalf("%s: %v, want %d px", s, b, size)
	}
	return img
}

func nrgba(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// TestTrayIconsDrawTheHeadset checks the pictures where it matters: the
// corners are transparent (rounded square), the background has the
// state's colour, and the headband, ear cups and microphone are white.
func TestTrayIconsDrawTheHeadset(t *testing.T) {
	const size = 128 // one pixel per unit of assets/icon.svg
	seen := map[color.NRGBA]iconState{}
	for s := iconState(0); s < numIconStates; s++ {
		img := decodeIcon(t, s, size)
		if c := nrgba(img.At(0, 0)); c.A != 0 {
			t.Errorf("%s: corner %v is not transparent", s, c)
		}
		bg := nrgba(img.At(64, 40)) // inside the headband's arch
		if bg != iconColours[s] {
			t.Errorf("%s: background %v, want %v", s, bg, iconColours[s])
		}
		if prev, dup := seen[bg]; dup {
			t.Errorf("%s and %s share a colour", s, prev)
		}
		seen[bg] = s
		white := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
		for _, p := range []image.Point{{64, 28}, {31, 78}, {95, 78}, {66, 104}, {30, 66}} {
			if c := nrgba(img.At(p.X, p.Y)); c != white {
				t.Errorf("%s: %v is %v, want white (headset)", s, p, c)
			}
		}
	}
	// Small sizes still render (hosts ask for 16-24 px).
	decodeIcon(t, iconReady, 16)
	icons := trayIcons()
	if icons[iconTalking][0].Name() != "agentbar-talking.png" || icons[iconTalking][1].Name() != "agentbar-talking-missed.png" {
		t.Errorf("resource names %q %q", icons[iconTalking][0].Name(), icons[iconTalking][1].Name())
	}
}

// TestMissedBadge: the badge is a red dot in the top right corner, parted
// from the square by a white ring; the rest of the icon is unchanged.
func TestMissedBadge(t *testing.T) {
	const size = 128
	plain, err := png.Decode(bytes.NewReader(renderIcon(iconReady, size, false)))
	if err != nil {
		t.Fatal(err)
	}
	badged, err := png.Decode(bytes.NewReader(renderIcon(iconReady, size, true)))
	if err != nil {
		t.Fatal(err)
	}
	if c := nrgba(badged.At(int(badgeX), int(badgeY))); c != badgeColour {
		t.Errorf("badge centre %v, want %v", c, badgeColour)
	}
	ring := nrgba(badged.At(int(badgeX), int(badgeY-badgeR-2)))
	if ring.R < 0xF0 || ring.G < 0xF0 || ring.B < 0xF0 {
		t.Errorf("badge ring %v, want white", ring)
	}
	for _, p := range []image.Point{{64, 40}, {31, 78}, {20, 110}} {
		if nrgba(plain.At(p.X, p.Y)) != nrgba(badged.At(p.X, p.Y)) {
			t.Errorf("%v changed with the badge", p)
		}
	}
	if c := nrgba(plain.At(int(badgeX), int(badgeY))); c == badgeColour {
		t.Error("the plain icon has the badge")
	}
}

func TestIconForBoard(t *testing.T) {
	in := core.Capabilities{AgentStates: []string{"ready", "busy"}}
	tests := []struct {
		name string
		b    board
		want iconState
	}{
		{"offline", board{}, iconOffline},
		{"ready", board{loggedIn: true, caps: in, agent: core.ReadyState()}, iconReady},
		{"busy", board{loggedIn: true, agent: core.BusyState()}, iconNotReady},
		{"wrap-up", board{loggedIn: true, agent: core.WrapUpState(time.Time{})}, iconNotReady},
		{"talking", board{loggedIn: true, agent: core.ReadyState(), calls: []core.Call{call("1", core.CallTalking)}}, iconTalking},
		{"ringing beats talking", board{loggedIn: true, calls: []core.Call{call("1", core.CallTalking), call("2", core.CallRinging)}}, iconRinging},
		{"dialling counts as a call", board{loggedIn: true, calls: []core.Call{call("1", core.CallDialing)}}, iconTalking},
	}
	for _, tt := range tests {
		if got := iconFor(tt.b); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func BenchmarkRenderTrayIcon(b *testing.B) {
	for b.Loop() {
		renderIcon(iconReady, trayIconSize, false)
	}
}
