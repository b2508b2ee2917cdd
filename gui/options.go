package gui

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"agentbar/core"
)

// Options configure the desktop window. Engine is required; every other
// field is optional.
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
	// quitting. It has no effect when there is no tray (no D-Bus session bus).
	CloseToTray bool
	// Accounts lists the saved account names for the sign-in chooser. It is
	// called on the UI thread and must return at once (no network).
	Accounts func() []string
	// Login signs in to a saved account. It runs on its own goroutine.
	Login func(ctx context.Context, account string) error
	// Registry names the platform in Lang; without it the window shows the
	// engine's (Chinese) platform name.
	Registry *core.Registry
	// SetHandoff, when set, receives the window's handoff function: numbers
	// from `agentbar dial` and tel: links fill the dial field (and dial when
	// asked). core/app's App.SetHandoff fits.
	SetHandoff func(fn func(target string, dial bool) error)

	// Knobs for tests (package-internal).
	tray    trayHost          // the tray to drive; Run passes the desktop app's
	ticks   <-chan time.Time  // timer refreshes; a 1 s ticker when nil
	now     func() time.Time  // the clock for timers; time.Now when nil
	settled func(shown board) // called on the UI thread after every render
}

// commandTimeout bounds any command the window starts whose platform call
// the engine does not bound itself (sign-in through Options.Login).
const commandTimeout = 60 * time.Second

// defaultWindowSize fits a narrow bar beside a CRM screen.
func defaultWindowSize() fyne.Size { return fyne.NewSize(440, 640) }
