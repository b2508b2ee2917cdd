package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDefaultSettings(t *testing.T) {
	d := DefaultSettings()
	if problems := settingsProblems(d); len(problems) > 0 {
		t.Fatalf("defaults are invalid: %v", problems)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"close_to_tray defaults to true", d.UI.CloseToTray},
		{"language defaults to system", d.UI.Language == LanguageSystem},
		{"theme defaults to system", d.UI.Theme == ThemeSystem},
		{"busy rejects with 486", d.Calls.BusyRejectsWith == RejectBusyHere},
		{"no auto answer", !d.Calls.AutoAnswer},
		{"port 0 picks a free one", d.ControlAPI.Port == 0},
		{"no origin allowed", len(d.ControlAPI.AllowedOrigins) == 0},
		{"notifications on", d.Notifications.Enabled},
		{"demo off", !d.Demo.Enabled},
	}
	for _, c := range checks {
		if !c.ok {
			t.Error(c.name)
		}
	}
	// An empty file is the defaults.
	got, warnings, err := decodeSettings(nil)
	if err != nil || len(warnings) > 0 || !reflect.DeepEqual(got, d) {
		t.Fatalf("empty file: %+v, %v, %v", got, warnings, err)
	}
}

func TestDecodeSettingsKeepsDefaultsForMissingKeys(t *testing.T) {
	src := "[ui]\nlanguage = \"en\"\n[calls]\nauto_answer_delay = \"1.5s\"\n[control_api]\nallowed_origins = [\"https://crm.example.com\"]\n"
	got, _, err := decodeSettings([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSettings()
	want.UI.Language = LanguageEn
	want.Calls.AutoAnswerDelay = 1500 * time.Millisecond
	want.ControlAPI.AllowedOrigins = []string{"https://crm.example.com"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeSettingsMessages(t *testing.T) {
	src := `version = 1
[ui]
language = "fr"
theme = "dark"

[calls]
busy_rejects_with = 404
auto_answer_delay = "2m"
screen_pop_url = "https://crm.example.com/pop?n={numbr}"

[shortcuts]
answer = "Ctrl+Alt+A"
hangup = "alt+ctrl+a"
hold = "Q"

[control_api]
port = 70000
allowed_origins = ["https://ok.example.com", "https://crm.example.com/path", "*"]

[audio]
ringtone = "ring.wav"
`
	_, _, err := decodeSettings([]byte(src))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		`settings.toml:21: field "audio.ringtone": must be an absolute path to a sound file`,
		`settings.toml:3: field "ui.language": must be one of system, zh, en`,
		`settings.toml:8: field "calls.auto_answer_delay": must be between 0s and 1m0s`,
		`settings.toml:7: field "calls.busy_rejects_with": must be 486 (Busy Here) or 603 (Decline)`,
		`settings.toml:9: field "calls.screen_pop_url": unknown placeholder {numbr}; known: {number}, {display_number}, {call_id}, {direction}, {queue}, {location}, {agent}, {account}, {platform}`,
		`settings.toml:13: field "shortcuts.hangup": Ctrl+Alt+A is already used by shortcuts.answer`,
		`settings.toml:14: field "shortcuts.hold": "Q" needs Ctrl, Alt or Super`,
		`settings.toml:17: field "control_api.port": must be 0 (pick a free port) to 65535`,
		`settings.toml:18: field "control_api.allowed_origins": "https://crm.example.com/path" is not a web origin such as https://crm.example.com or https://*.example.com`,
		`settings.toml:18: field "control_api.allowed_origins": "*" is not a web origin such as https://crm.example.com or https://*.example.com`,
	}
	got := strings.Split(err.Error(), "\n")
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDecodeSettingsWarnings(t *testing.T) {
	ring := filepath.Join(t.TempDir(), "missing.wav")
	src := "[ui]\nlangauge = \"zh\"\n[audio]\nringtone = \"" + ring + "\"\n[future]\nthing = 1\n"
	got, warnings, err := decodeSettings([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got.UI.Language != LanguageSystem {
		t.Errorf("misspelt key changed the language to %q", got.UI.Language)
	}
	var lines []string
	for _, w := range warnings {
		lines = append(lines, w.String())
	}
	want := []string{
		`settings.toml:2: unknown key "ui.langauge" ignored`,
		`settings.toml:5: unknown key "future" ignored`,
		`settings.toml:6: unknown key "future.thing" ignored`,
	}
	if len(lines) != 4 || !slices.Equal(lines[:3], want) || !strings.HasPrefix(lines[3], "settings.toml:4: ringtone "+ring+" cannot be read") {
		t.Fatalf("warnings:\n%s", strings.Join(lines, "\n"))
	}
	if err := os.WriteFile(ring, []byte("RIFF"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, warnings, _ := decodeSettings([]byte(src)); len(warnings) != 3 {
		t.Fatalf("a readable ringtone still warns: %v", warnings)
	}
}

func TestEncodeDecodeSettingsRoundTrip(t *testing.T) {
	s := DefaultSettings()
	s.Audio = Audio{CaptureDevice: "alsa_input.usb-Jabra-00.mono", PlaybackDevice: "MA:1", Ringtone: "/usr/share/sounds/ring.wav"}
	s.UI = UI{Language: LanguageZh, Theme: ThemeDark, StartAtLogin: true}
	s.Calls = Calls{AutoAnswer: true, AutoAnswerDelay: 250 * time.Millisecond, BusyRejectsWith: RejectDecline,
		ScreenPopURL: "https://crm.example.com/c/{call_id}?tel={number}"}
	s.Shortcuts = Shortcuts{Answer: "F9", Mute: "Ctrl+Shift+M"}
	s.ControlAPI = ControlAPI{Port: 17890, AllowedOrigins: []string{"https://*.example.com", "http://localhost:3000"}}
	s.Demo = Demo{Enabled: true, Platform: "udesk"}
	data, err := encodeSettings(s)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := decodeSettings(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
	}
	if !strings.Contains(string(data), `auto_answer_delay = "250ms"`) {
		t.Errorf("durations should be written readably:\n%s", data)
	}
}

// FuzzDecodeSettings: any file, no panic; what is accepted is valid and
// survives a write and a read unchanged.
func FuzzDecodeSettings(f *testing.F) {
	f.Add("[ui]\nlanguage = \"zh\"\n")
	f.Add("[calls]\nauto_answer_delay = 5\nscreen_pop_url = \"https://x/{number}\"\n")
	f.Add("[control_api]\nallowed_origins = [\"https://a.b\"]\nport = -1\n")
	f.Add("[shortcuts]\nanswer = \"ctrl+\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		s, _, err := decodeSettings([]byte(src))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if problems := settingsProblems(s); len(problems) > 0 {
			t.Fatalf("accepted invalid settings: %v", problems)
		}
		data, err := encodeSettings(s)
		if err != nil {
			t.Fatal(err)
		}
		again, _, err := decodeSettings(data)
		if err != nil {
			t.Fatalf("re-reading our own output: %v\n%s", err, data)
		}
		if len(s.ControlAPI.AllowedOrigins) == 0 {
			s.ControlAPI.AllowedOrigins, again.ControlAPI.AllowedOrigins = nil, nil
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("round trip changed\n%+v\ninto\n%+v", s, again)
		}
	})
}
