package gui

import (
	"fyne.io/fyne/v2"
)

// trayHost is the part of fyne's desktop.App the tray uses; unit tests pass
// a recording fake, Run passes the real app.
type trayHost interface {
	SetSystemTrayMenu(menu *fyne.Menu)
	SetSystemTrayIcon(icon fyne.Resource)
}

// tray is the status icon and its menu: show/hide, ready, busy, quit. Its
// methods run on the UI thread.
type tray struct {
	host  trayHost
	icons [numIconStates]fyne.Resource

	menu   *fyne.Menu
	toggle *fyne.MenuItem
	ready  *fyne.MenuItem
	busy   *fyne.MenuItem
	quit   *fyne.MenuItem

	shownIcon iconState
	shownMenu [4]bool // ready/busy disabled and checked, as last sent
}

// trayActions are what the menu items do.
type trayActions struct {
	toggle, ready, busy, quit func()
}

// newTray builds the menu and starts the tray with the offline icon. On the
// desktop the first SetSystemTrayMenu starts the StatusNotifierItem, so
// call it before the app runs.
func newTray(host trayHost, tr translator, do trayActions) *tray {
	t := &tray{host: host, icons: trayIcons(), shownIcon: iconOffline}
	t.toggle = fyne.NewMenuItem(tr.T("tray.toggle"), do.toggle)
	t.ready = fyne.NewMenuItem(tr.T("tray.ready"), do.ready)
	t.busy = fyne.NewMenuItem(tr.T("tray.busy"), do.busy)
	t.quit = fyne.NewMenuItem(tr.T("tray.quit"), do.quit)
	// IsQuit stops fyne from adding a second, untranslated "Quit".
	t.quit.IsQuit = true
	t.ready.Disabled, t.busy.Disabled = true, true
	t.shownMenu = t.menuState()
	t.menu = fyne.NewMenu("agentbar", t.toggle, fyne.NewMenuItemSeparator(),
		t.ready, t.busy, fyne.NewMenuItemSeparator(), t.quit)
	host.SetSystemTrayIcon(t.icons[iconOffline])
	host.SetSystemTrayMenu(t.menu)
	return t
}

func (t *tray) menuState() [4]bool {
	return [4]bool{t.ready.Disabled, t.ready.Checked, t.busy.Disabled, t.busy.Checked}
}

// show brings the icon and the menu in line with the board, sending only
// what changed (each menu refresh rebuilds the D-Bus menu).
func (t *tray) show(b board) {
	if s := iconFor(b); s != t.shownIcon {
		t.shownIcon = s
		t.host.SetSystemTrayIcon(t.icons[s])
	}
	name := b.agent.Name()
	t.ready.Disabled, t.ready.Checked = !b.canChoose("ready"), b.loggedIn && name == "ready"
	t.busy.Disabled, t.busy.Checked = !b.canChoose("busy"), b.loggedIn && name == "busy"
	if m := t.menuState(); m != t.shownMenu {
		t.shownMenu = m
		t.host.SetSystemTrayMenu(t.menu)
	}
}
