package gui

import (
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Run builds the main window and the tray, sets the app's theme (fyne's
// default with calmer state colours, light or dark as the settings say),
// shows the window (unless the settings start it minimized to the tray)
// and runs the app until the agent quits (tray Quit, closing the window
// unless it hides to the tray, or SIGINT/SIGTERM, which fyne turns into
// Quit). It must be called on the main goroutine, like fyne.App.Run. It
// returns after the window has stopped following the engine; the caller
// closes the engine.
func Run(app fyne.App, o Options) error {
	if o.Engine == nil {
		return ErrNoEngine
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if err := registerWithFyne(); err != nil {
		o.Logger.Warn("gui: translations for fyne", "err", err)
	}
	themeSetting := ""
	if o.Settings != nil {
		themeSetting = o.Settings.Settings().UI.Theme
	}
	app.Settings().SetTheme(calmThemeFor(themeSetting))
	if app.Icon() == nil {
		app.SetIcon(appIcon())
	}
	if o.tray == nil {
		o.tray = desktopTray(app, o.Logger)
	}
	if o.notify == nil && o.tray != nil {
		// A session bus answers (desktopTray checked): notifications go
		// over it. Without one, godbus would try to start a bus of its own.
		o.notify = app.SendNotification
	}
	// Run is called on the main goroutine, locked to the main thread; with
	// the test driver it may be anywhere (and fyne.Do runs inline).
	o.mainThread = onMainThread()
	w := NewMainWindow(app, o)
	if o.SetHandoff != nil {
		o.SetHandoff(w.Handoff)
	}
	if w.tray != nil && w.settings.UI.StartMinimized {
		w.hidden = true
	} else {
		w.Window().Show()
	}
	app.Run()
	if o.SetHandoff != nil {
		o.SetHandoff(nil)
	}
	w.Close()
	if o.OnQuit != nil {
		o.OnQuit()
	}
	return nil
}

// desktopTray returns the app as a tray host when it has a tray and a
// D-Bus session bus answers; nil otherwise (see probeSessionBus).
func desktopTray(app fyne.App, log *slog.Logger) trayHost {
	desk, ok := app.(desktop.App)
	if !ok {
		return nil
	}
	if err := probeSessionBus(sessionBusTimeout); err != nil {
		log.Warn("gui: no system tray; closing the window will quit", "err", err)
		return nil
	}
	return desk
}

// appIcon is the headset in the app's own blue, for the window and the
// tray host when the caller set no icon.
func appIcon() fyne.Resource {
	return fyne.NewStaticResource("agentbar.png", renderIcon(iconRinging, 128, false))
}
