package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"agentbar/audio"
	"agentbar/core/config"
)

// withDevices lists two headsets to the settings.
func withDevices(h *harness, o *Options) {
	o.ListDevices = func() (audio.DeviceList, error) {
		return audio.DeviceList{
			Capture:  []audio.DeviceInfo{{ID: "mic-1", Name: "USB 耳麦 麦克风"}, {ID: "mic-2", Name: "内置麦克风", Default: true}},
			Playback: []audio.DeviceInfo{{ID: "spk-1", Name: "USB 耳麦"}, {ID: "spk-2", Name: "扬声器", Default: true}},
		}, nil
	}
}

// openSettings opens the settings window and waits for the devices.
func (h *harness) openSettings() *settingsWindow {
	h.t.Helper()
	h.w.openSettings()
	if h.w.o.ListDevices != nil {
		h.idle("devices listed", func() bool { return h.w.setWin.devicesLoaded })
	}
	return h.w.setWin
}

func TestSettingsSaveAndApply(t *testing.T) {
	h := newHarness(t, withDevices)
	s := h.openSettings()
	if want := []string{"系统默认", "USB 耳麦 麦克风", "内置麦克风"}; strings.Join(s.capture.Options, "|") != strings.Join(want, "|") {
		t.Errorf("microphones %q", s.capture.Options)
	}
	s.capture.SetSelected("USB 耳麦 麦克风")
	s.playback.SetSelected("USB 耳麦")
	s.ringer.SetSelected("扬声器")
	s.autoAnswer.SetChecked(true)
	s.autoDelay.SetSelectedIndex(1)
	s.notifications.SetChecked(false)
	s.screenPop.SetText("https://crm.example.com/pop?tel={number}")
	s.answerKey.SetText("ctrl+shift+F5")
	s.themeSelect.SetSelected("深色")
	s.closeToTray.SetChecked(false)
	s.startMin.SetChecked(true)
	s.origins.SetText("https://crm.example.com\n\nhttps://*.example.org\nhttps://crm.example.com")
	test.Tap(s.save)
	h.idle("saved", func() bool { return s.savedLabel.Visible() })

	got := h.config.Settings()
	if got.Audio.CaptureDevice != "mic-1" || got.Audio.PlaybackDevice != "spk-1" || got.Audio.RingerDevice != "spk-2" {
		t.Errorf("devices %+v", got.Audio)
	}
	if !got.Calls.AutoAnswer || got.Calls.AutoAnswerDelay != time.Second || got.Notifications.Enabled ||
		got.Calls.ScreenPopURL != "https://crm.example.com/pop?tel={number}" || got.Shortcuts.Answer != "ctrl+shift+F5" ||
		got.UI.Theme != config.ThemeDark || got.UI.CloseToTray || !got.UI.StartMinimized {
		t.Errorf("saved %+v", got)
	}
	if strings.Join(got.ControlAPI.AllowedOrigins, " ") != "https://crm.example.com https://*.example.org" {
		t.Errorf("origins %q", got.ControlAPI.AllowedOrigins)
	}
	if h.w.settings.Calls.ScreenPopURL != got.Calls.ScreenPopURL {
		t.Error("the window does not use the saved settings")
	}
	select {
	case d := <-h.audio.devices:
		if d != [2]string{"mic-1", "spk-1"} {
			t.Errorf("switched to %v", d)
		}
	case <-time.After(waitTimeout):
		t.Error("the devices were not switched")
	}
	if th, ok := h.app.Settings().Theme().(calmTheme); !ok || !th.force || th.variant != theme.VariantDark {
		t.Errorf("theme %#v", h.app.Settings().Theme())
	}
	// The new answer shortcut works on the main window.
	h.release()
	h.login()
	h.release()
	h.fake.ring("p1", "13800138000", "")
	h.idle("ringing", func() bool { return len(h.w.cards) == 1 })
	h.w.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF5, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift})
	h.expectOp("answer:p1")
}

func TestSettingsRefuseMistakes(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *settingsWindow)
		want   string
	}{
		{"screen pop", func(s *settingsWindow) { s.screenPop.SetText("https://crm.example.com/{caller}") }, "不认识占位符 {caller}"},
		{"shortcut", func(s *settingsWindow) { s.holdKey.SetText("H") }, "需要 Ctrl、Alt 或 Super 组合键"},
		{"same shortcut twice", func(s *settingsWindow) { s.muteKey.SetText("Ctrl+Alt+A") }, "已用于"},
		{"origin", func(s *settingsWindow) { s.origins.SetText("crm.example.com") }, "不是网页来源"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			before := h.config.Settings()
			s := h.openSettings()
			tt.change(s)
			test.Tap(s.save)
			h.idle("refused", func() bool { return s.errLabel.Visible() })
			if !strings.Contains(s.errLabel.Text, tt.want) {
				t.Errorf("says %q, want it to contain %q", s.errLabel.Text, tt.want)
			}
			if s.savedLabel.Visible() || h.config.Settings().Calls.ScreenPopURL != before.Calls.ScreenPopURL {
				t.Error("a refused change was saved")
			}
		})
	}
}

func TestStartAtLoginWritesTheAutostartEntry(t *testing.T) {
	h := newHarness(t)
	s := h.openSettings()
	s.startAtLogin.SetChecked(true)
	test.Tap(s.save)
	h.idle("saved", func() bool { return s.savedLabel.Visible() })
	path := filepath.Join(h.w.o.AutostartDir, "agentbar.desktop")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec=/usr/bin/agentbar\n") || !strings.HasPrefix(string(data), "[Desktop Entry]\n") {
		t.Errorf("entry:\n%s", data)
	}
	s.startAtLogin.SetChecked(false)
	test.Tap(s.save)
	h.idle("saved again", func() bool { return s.savedLabel.Visible() && !h.config.Settings().UI.StartAtLogin })
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the entry is still there: %v", err)
	}
}

func TestLanguageSwitchRebuildsEveryWindow(t *testing.T) {
	tray := &fakeTray{}
	h := newHarness(t, withTray(tray))
	h.login()
	test.Type(h.w.numberEntry, "10086")
	s := h.openSettings()
	s.language.SetSelected("English")
	test.Tap(s.save)
	h.idle("English", func() bool { return h.w.tr.lang == "en" })
	w := h.w
	if w.dialButton.Text != "Call" || w.agentLabel.Text != "Busy" || w.win.Title() != "坐席电话条" {
		t.Errorf("main window: %q %q %q", w.dialButton.Text, w.agentLabel.Text, w.win.Title())
	}
	if w.numberEntry.Text != "10086" {
		t.Errorf("the dial field lost %q", w.numberEntry.Text)
	}
	if w.setWin == nil || w.setWin == s || w.setWin.save.Text != "Save" || w.setWin.win.Title() != "Settings" {
		t.Error("the settings window was not rebuilt in English")
	}
	if tray.item("Ready") == nil || tray.item("Quit") == nil {
		t.Error("the tray menu is not in English")
	}
	if h.config.Settings().UI.Language != config.LanguageEn {
		t.Error("the language was not saved")
	}
}

func TestSettingsMeterTestToneAndRingtone(t *testing.T) {
	h := newHarness(t)
	s := h.openSettings()
	h.release()
	h.audio.setLevels(-15, -90)
	select {
	case h.meters <- time.Now():
	case <-time.After(waitTimeout):
		t.Fatal("the settings window does not turn the meter on")
	}
	expectHold(t, h.audio, true) // the meter needs the microphone open
	h.advance(time.Second)
	h.idle("meter", func() bool { return s.micMeter.value > 0.74 && s.micMeter.value < 0.76 })

	test.Tap(s.testTone)
	select {
	case name := <-h.audio.tones:
		if name != "test" {
			t.Errorf("tone %q", name)
		}
	case <-time.After(waitTimeout):
		t.Fatal("no test tone")
	}
	test.Tap(s.tryRing)
	h.expectRinger(true)

	s.close()
	if h.w.metersWanted.Load() {
		t.Error("closing the settings leaves the meter running")
	}
	h.release()
	expectHold(t, h.audio, false) // and lets the devices close
}

// expectHold waits for the window to hold (true) or release (false) the
// sound devices.
func expectHold(t *testing.T, a *fakeAudio, want bool) {
	t.Helper()
	select {
	case got := <-a.holds:
		if got != want {
			t.Fatalf("hold=%v, want hold=%v", got, want)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("no hold=%v", want)
	}
}
