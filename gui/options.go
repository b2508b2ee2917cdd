package gui

import (
	"context"
	"log/slog"
	"net/url"
	"time"

	"fyne.io/fyne/v2"

	"agentbar/audio"
	"agentbar/core"
)

// Options configure the desktop window. Engine is required; every other
// field is optional, and the window offers only what its options make
// possible (no Settings store: no settings saved; no History: no history
// tab content; no Audio: no meters, ringtone or test tone).
type Options struct {
	// Engine is the agent engine the window shows and drives.
	Engine *core.Engine
	// Lang is "zh" or "en"; the caller resolves "system" from the locale.
	// Anything else is Chinese.
	Lang string
	// Title is the window title, e.g. "坐席电话条" or "agentbar".
	Title string
	// Demo labels the window clearly as a demo (title and banner).
	Demo bool
	// Logger; discards when nil.
	Logger *slog.Logger
	// OnQuit is called once when the app stops (the agent chose Quit, closed
	// the window, or the process got SIGINT/SIGTERM), on the goroutine that
	// called Run, just before Run returns.
	OnQuit func()
	// CloseToTray hides the window to the tray when it is closed, instead of
	// quitting, when there is no Settings store (with one, its
	// ui.close_to_tray decides). No effect without a tray (no session bus).
	CloseToTray bool

	// Accounts are the saved accounts: the sign-in list, and the account
	// form's adds, edits and removals (*config.Store).
	Accounts AccountStore
	// Secrets is the keyring, for "remember password" (secrets.Store).
	Secrets SecretStore
	// Login signs in to a saved account; password "" reads the keyring
	// (core/app's App.LoginAccount). It runs on its own goroutine.
	Login func(ctx context.Context, account, password string) error
	// LoginDemo signs in to a built-in demo platform (a registry platform
	// marked Demo) with the fields the agent chose. Without it the sign-in
	// panel offers no demo.
	LoginDemo func(ctx context.Context, platform string, fields map[string]string) error
	// Registry lists the platforms: names in Lang, the account form's
	// fields, the demo entries.
	Registry *core.Registry
	// SetHandoff, when set, receives the window's handoff function: numbers
	// from `agentbar dial` and tel: links fill the dial field (and dial when
	// asked). core/app's App.SetHandoff fits.
	SetHandoff func(fn func(target string, dial bool) error)

	// Settings are the preferences, read at start and saved by the settings
	// window (*config.Store).
	Settings SettingsStore
	// History is the call history (*history.Store); FlushHistory waits until
	// the calls so far are written (core/app's App.FlushHistory).
	History      HistoryStore
	FlushHistory func(ctx context.Context) error
	// Audio is the sound pipeline (*audio.Pipeline): meters, ringtone, test
	// tone, device switching. ListDevices lists the sound devices for the
	// settings (audio.ListDevices).
	Audio       Audio
	ListDevices func() (audio.DeviceList, error)
	// AutostartDir is where the start-at-login entry goes; "" is
	// $XDG_CONFIG_HOME/autostart. Executable is the program it starts; ""
	// is this one (os.Executable).
	AutostartDir string
	Executable   string

	// Knobs for tests (package-internal).
	tray       trayHost                 // the tray to drive; Run passes the desktop app's
	ticks      <-chan time.Time         // timer refreshes; a 1 s ticker when nil
	meterTicks <-chan time.Time         // level meter refreshes; a 100 ms ticker when nil
	now        func() time.Time         // the clock for timers; time.Now when nil
	settled    func(shown board)        // called on the UI thread after every render
	notify     func(*fyne.Notification) // sends a desktop notification (on the worker); none when nil
	openURL    func(*url.URL) error     // opens a screen pop; the app's OpenURL when nil
	popupShown func(core.CallID)        // called on the UI thread when the popup comes up
	// mainThread: the UI runs on the main thread (Run with fyne's GLFW
	// driver). Work handed to fyne.Do that finds itself elsewhere is
	// dropped: once the app is quitting, fyne runs such work inline on the
	// calling goroutine after GLFW is gone, where touching a widget logs
	// threading errors and showing a window panics.
	mainThread bool
}

// commandTimeout bounds any command the window starts whose platform call
// the engine does not bound itself (sign-in through Options.Login).
const commandTimeout = 60 * time.Second

// defaultWindowSize fits a narrow bar beside a CRM screen.
func defaultWindowSize() fyne.Size { return fyne.NewSize(460, 720) }
