package gui

import (
	"context"
	"image"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/config"
)

// Golden images of the key screens, in both languages, in testdata/
// (<screen>-<lang>.png). They are drawn by fyne's software painter with
// the calm theme forced to its light variant, at scale 1, on the harness's
// fixed clock. Latin text comes from fyne's bundled Noto Sans; Chinese
// from the system's fallback font, which on the test machine is WenQuanYi
// Micro Hei (Debian fonts-wqy-microhei, in the Makefile's RUN_PACKAGES):
// with another CJK font installed the Chinese masters differ, so the test
// insists on that one being there. A failed comparison writes the new
// picture to testdata/failed/ for a person to look at and, if right, copy
// over the master.

// goldenCJKFont is the font the Chinese in the masters is drawn with.
const goldenCJKFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

func requireGoldenFont(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(goldenCJKFont); err != nil {
		t.Fatalf("the golden images are drawn with WenQuanYi Micro Hei; install fonts-wqy-microhei (%v)", err)
	}
}

// capture lays a window out at size and takes its picture.
func capture(w fyne.Window, size fyne.Size) image.Image {
	// A resize to another size and back forces a full layout, as a real
	// window gets on every frame.
	w.Resize(size.AddWidthHeight(1, 1))
	w.Resize(size)
	return w.Canvas().Capture()
}

func TestGoldenScreens(t *testing.T) {
	requireGoldenFont(t)
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			langOpt := func(h *harness, o *Options) {
				o.Lang, o.Demo = lang, true
				o.LoginDemo = func(ctx context.Context, platform string, fields map[string]string) error { return nil }
			}

			// Sign-in: saved accounts, the demo.
			h := newHarness(t, langOpt, withAccounts(
				config.Account{Name: "alice", Platform: "fake"},
				config.Account{Name: "office", Platform: "form", Fields: map[string]string{"server": "wss://cti.example.com", "agent": "1001"}},
			))
			h.app.Settings().SetTheme(calmThemeFor(config.ThemeLight))
			h.w.signIn.choose("office")
			h.w.render()
			test.AssertImageMatches(t, "signin-"+lang+".png", capture(h.w.win, defaultWindowSize()))

			// A call in progress on the full platform, and a second one
			// ringing in the popup.
			h = newHarness(t, langOpt)
			h.app.Settings().SetTheme(calmThemeFor(config.ThemeLight))
			h.loginTo("full")
			h.release()
			h.fake.report(core.AgentStateUpdate{State: core.ReadyState()})
			h.idle("ready", func() bool { return h.w.shown.agent.Kind == core.Ready })
			ringAndAnswer(h, "p1")
			h.release()
			h.fake.report(core.QualityUpdate{PlatformCallID: "p1", Quality: core.Quality{MOS: 4.3, LossPercent: 0.2, JitterMs: 8}})
			h.idle("quality", func() bool { return h.card().quality.Text != "" })
			h.advance(83 * time.Second)
			h.idle("talking for 1:23", func() bool { return h.card().timer.Text == "01:23" })
			test.AssertImageMatches(t, "call-"+lang+".png", capture(h.w.win, defaultWindowSize()))
			h.release()
			h.fake.report(core.CallUpdate{PlatformCallID: "p2", Direction: core.Inbound, RemoteNumber: "02150001234",
				Location: "上海", Queue: "VIP", State: core.CallRinging})
			h.idle("popup", func() bool { id, ok := h.w.popup.visible(); return ok && id != h.card2("p1") })
			test.AssertImageMatches(t, "popup-"+lang+".png", capture(h.w.popup.win, popupSize()))

			// The supervisor wall, listening to one agent.
			h = newHarness(t, langOpt)
			h.app.Settings().SetTheme(calmThemeFor(config.ThemeLight))
			group := smallGroup()
			now := h.now().Unix()
			for i := range group {
				group[i].StateSince = now - int64(60*(i+1)+7)
			}
			group[1].Monitor = string(core.MonitorListen)
			v := openWallAsSupervisor(h, group)
			v.list.Select(0)
			h.w.render()
			test.AssertImageMatches(t, "wall-"+lang+".png", capture(v.win, fyne.NewSize(900, 420)))

			// Settings, sound tab.
			h = newHarness(t, langOpt, withDevices)
			h.app.Settings().SetTheme(calmThemeFor(config.ThemeLight))
			s := h.openSettings()
			s.capture.SetSelected(s.capture.Options[1])
			test.AssertImageMatches(t, "settings-"+lang+".png", capture(s.win, settingsSize()))
		})
	}
}

// card2 returns the engine id of the call with a platform id.
func (h *harness) card2(pid string) core.CallID {
	for _, c := range h.w.shown.calls {
		if c.PlatformCallID == pid {
			return c.ID
		}
	}
	return ""
}

// TestChineseGlyphsRender proves that the machine draws Chinese: a word
// must not look like characters no font has (which draw as empty boxes).
func TestChineseGlyphsRender(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(calmThemeFor(config.ThemeLight))
	draw := func(s string) image.Image {
		w := test.NewTempWindow(t, widget.NewLabel(s))
		return capture(w, fyne.NewSize(120, 40))
	}
	word, missing := draw("坐席"), draw("\U000F0000\U000F0001")
	if samePixels(word, missing) {
		t.Fatal("Chinese draws like missing glyphs: no CJK font is installed (fonts-wqy-microhei)")
	}
	if samePixels(draw("坐席"), draw("班长")) {
		t.Error("two different words draw the same")
	}
}
