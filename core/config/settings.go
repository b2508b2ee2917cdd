package config

import (
	"slices"
	"time"
)

// Settings are agentbar's preferences, one TOML table per section of
// settings.toml. Keys missing from the file keep their DefaultSettings
// value.
type Settings struct {
	Audio         Audio         `toml:"audio"`
	UI            UI            `toml:"ui"`
	Calls         Calls         `toml:"calls"`
	Notifications Notifications `toml:"notifications"`
	Shortcuts     Shortcuts     `toml:"shortcuts"`
	ControlAPI    ControlAPI    `toml:"control_api"`
	Demo          Demo          `toml:"demo"`
}

// Audio chooses devices and processing. Device IDs are malgo's
// DeviceID.String(); "" means the system default device.
type Audio struct {
	CaptureDevice  string `toml:"capture_device"`
	PlaybackDevice string `toml:"playback_device"`
	// RingerDevice plays the ringtone, so it can ring on the speakers
	// while calls go to the headset; "" rings on PlaybackDevice.
	RingerDevice string `toml:"ringer_device"`
	// Ringtone is an absolute path to a WAV file; "" is the built-in tone.
	Ringtone         string `toml:"ringtone"`
	EchoCancellation bool   `toml:"echo_cancellation"`
	AutoGainControl  bool   `toml:"auto_gain_control"`
	NoiseSuppression bool   `toml:"noise_suppression"`
}

// UI languages and themes.
const (
	LanguageSystem = "system" // from the locale (LANG); Chinese unless it is English
	LanguageZh     = "zh"
	LanguageEn     = "en"

	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// UI is the window's behaviour and look.
type UI struct {
	Language string `toml:"language"` // LanguageSystem, LanguageZh or LanguageEn
	// CloseToTray: closing the window keeps agentbar running in the tray,
	// so calls still ring.
	CloseToTray    bool   `toml:"close_to_tray"`
	StartMinimized bool   `toml:"start_minimized"`
	StartAtLogin   bool   `toml:"start_at_login"`
	Theme          string `toml:"theme"` // ThemeSystem, ThemeLight or ThemeDark
}

// SIP responses an agent's "busy" can reject a call with.
const (
	RejectBusyHere = 486 // Busy Here: the platform may try another agent
	RejectDecline  = 603 // Decline: the caller is refused outright
)

// MaxAutoAnswerDelay bounds Calls.AutoAnswerDelay.
const MaxAutoAnswerDelay = time.Minute

// Calls is how incoming calls are handled.
type Calls struct {
	AutoAnswer bool `toml:"auto_answer"`
	// AutoAnswerDelay is how long a call rings before auto-answer picks
	// it up, 0 to MaxAutoAnswerDelay; written as "3s".
	AutoAnswerDelay time.Duration `toml:"auto_answer_delay"`
	// BusyRejectsWith is the SIP status for rejecting a call: 486 or 603.
	BusyRejectsWith int `toml:"busy_rejects_with"`
	// ScreenPopURL, when set, is opened in the browser for each answered
	// call: an http(s) URL with {placeholders}; see ExpandScreenPop.
	ScreenPopURL string `toml:"screen_pop_url"`
}

// Notifications are the desktop notifications for calls.
type Notifications struct {
	Enabled bool `toml:"enabled"`
	Sound   bool `toml:"sound"`
}

// Shortcuts are global key combinations such as "Ctrl+Alt+A"; "" is none.
// See ParseShortcut.
type Shortcuts struct {
	Answer string `toml:"answer"`
	Hangup string `toml:"hangup"`
	Hold   string `toml:"hold"`
	Mute   string `toml:"mute"`
}

// ControlAPI is the local HTTP/WebSocket API that CRM pages in the browser
// use to dial and to follow calls.
type ControlAPI struct {
	Enabled bool `toml:"enabled"`
	// Port on 127.0.0.1; 0 lets agentbar pick a free one.
	Port int `toml:"port"`
	// AllowedOrigins are the web origins ("https://crm.example.com",
	// "https://*.example.com") whose pages may use the API.
	AllowedOrigins []string `toml:"allowed_origins"`
}

// Demo is the built-in demo call center.
type Demo struct {
	// Enabled offers the demo accounts at sign-in.
	Enabled bool `toml:"enabled"`
	// Platform limits the demo to one platform id; "" offers all.
	Platform string `toml:"platform"`
}

// DefaultSettings are the settings of a fresh install.
func DefaultSettings() Settings {
	return Settings{
		Audio: Audio{EchoCancellation: true, AutoGainControl: true, NoiseSuppression: true},
		UI:    UI{Language: LanguageSystem, CloseToTray: true, Theme: ThemeSystem},
		Calls: Calls{
			AutoAnswerDelay: 3 * time.Second,
			BusyRejectsWith: RejectBusyHere,
		},
		Notifications: Notifications{Enabled: true, Sound: true},
		Shortcuts: Shortcuts{
			Answer: "Ctrl+Alt+A",
			Hangup: "Ctrl+Alt+H",
			Hold:   "Ctrl+Alt+D",
			Mute:   "Ctrl+Alt+M",
		},
		ControlAPI: ControlAPI{Enabled: true},
	}
}

// Clone returns a copy that shares nothing with s.
func (s Settings) Clone() Settings {
	s.ControlAPI.AllowedOrigins = slices.Clone(s.ControlAPI.AllowedOrigins)
	return s
}
