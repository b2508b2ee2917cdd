package gui

import (
	"slices"

	"fyne.io/fyne/v2"

	"agentbar/core"
)

// trayHost is the part of fyne's desktop.App the tray uses; unit tests pass
// a recording fake, Run passes the real app.
type trayHost interface {
	SetSystemTrayMenu(menu *fyne.Menu)
	SetSystemTrayIcon(icon fyne.Resource)
}

// tray is the status icon and its menu: show/hide; ready, busy and the
// platform's breaks; answer and hang up; quit. Its methods run on the UI
// thread.
type tray struct {
	host  trayHost
	icons [numIconStates][2]fyne.Resource // [state][missed badge]
	do    trayActions

	menu   *fyne.Menu
	toggle *fyne.MenuItem
	ready  *fyne.MenuItem
	busy   *fyne.MenuItem
	breaks *fyne.MenuItem // with a child menu of the platform's reasons
	answer *fyne.MenuItem
	hangup *fyne.MenuItem
	quit   *fyne.MenuItem

	breakStates []core.AgentState // the child menu's states, in order
	shownIcon   fyne.Resource
	shownMenu   trayMenuState
}

// trayMenuState is what a menu refresh would send, to send only changes
// (each refresh rebuilds the D-Bus menu).
type trayMenuState struct {
	readyOff, readyOn, busyOff, busyOn, answerOff, hangupOff bool
	breaks                                                   string // labels and the checked one
}

// trayActions are what the menu items do.
type trayActions struct {
	toggle, answer, hangup, quit func()
	state                        func(core.AgentState)
}

// trayActions wires the tray to the window.
func (w *MainWindow) trayActions() trayActions {
	return trayActions{
		toggle: w.toggleVisible,
		state:  w.chooseState,
		answer: w.answerRinging,
		hangup: w.hangupCurrent,
		quit:   w.app.Quit,
	}
}

// newTray builds the menu and starts the tray with the offline icon. On the
// desktop the first SetSystemTrayMenu starts the StatusNotifierItem, so
// call it before the app runs.
func newTray(host trayHost, tr translator, do trayActions) *tray {
	t := &tray{host: host, icons: renderedTrayIcons(), do: do}
	t.toggle = fyne.NewMenuItem(tr.T("tray.toggle"), do.toggle)
	t.ready = fyne.NewMenuItem(tr.T("tray.ready"), func() { do.state(core.ReadyState()) })
	t.busy = fyne.NewMenuItem(tr.T("tray.busy"), func() { do.state(core.BusyState()) })
	t.breaks = fyne.NewMenuItem(tr.T("tray.break"), nil)
	t.breaks.ChildMenu = fyne.NewMenu("")
	t.answer = fyne.NewMenuItem(tr.T("tray.answer"), do.answer)
	t.hangup = fyne.NewMenuItem(tr.T("tray.hangup"), do.hangup)
	t.quit = fyne.NewMenuItem(tr.T("tray.quit"), do.quit)
	// IsQuit stops fyne from adding a second, untranslated "Quit".
	t.quit.IsQuit = true
	t.ready.Disabled, t.busy.Disabled = true, true
	t.answer.Disabled, t.hangup.Disabled = true, true
	t.menu = fyne.NewMenu("agentbar", t.toggle, fyne.NewMenuItemSeparator(),
		t.ready, t.busy, fyne.NewMenuItemSeparator(),
		t.answer, t.hangup, fyne.NewMenuItemSeparator(), t.quit)
	t.shownMenu = t.menuState()
	t.shownIcon = t.icons[iconOffline][0]
	host.SetSystemTrayIcon(t.shownIcon)
	host.SetSystemTrayMenu(t.menu)
	return t
}

func (t *tray) menuState() trayMenuState {
	s := trayMenuState{
		readyOff: t.ready.Disabled, readyOn: t.ready.Checked,
		busyOff: t.busy.Disabled, busyOn: t.busy.Checked,
		answerOff: t.answer.Disabled, hangupOff: t.hangup.Disabled,
	}
	if slices.Contains(t.menu.Items, t.breaks) {
		for _, it := range t.breaks.ChildMenu.Items {
			s.breaks += it.Label + "\x00"
			if it.Checked {
				s.breaks += "*"
			}
		}
	}
	return s
}

// show brings the icon and the menu in line with the board, sending only
// what changed. missed adds the missed-call badge to the icon.
func (t *tray) show(b board, missed bool, tr translator) {
	badge := 0
	if missed {
		badge = 1
	}
	if icon := t.icons[iconFor(b)][badge]; icon != t.shownIcon {
		t.shownIcon = icon
		t.host.SetSystemTrayIcon(icon)
	}
	name := b.agent.Name()
	t.ready.Disabled, t.ready.Checked = !b.canChoose("ready"), b.loggedIn && name == "ready"
	t.busy.Disabled, t.busy.Checked = !b.canChoose("busy"), b.loggedIn && name == "busy"
	_, ringing := b.firstRinging()
	_, current := b.current()
	t.answer.Disabled = !ringing
	t.hangup.Disabled = !ringing && !current
	t.showBreaks(b, tr)
	if m := t.menuState(); m != t.shownMenu {
		t.shownMenu = m
		t.host.SetSystemTrayMenu(t.menu)
	}
}

// showBreaks offers the platform's break reasons in a submenu.
func (t *tray) showBreaks(b board, tr translator) {
	var states []core.AgentState
	if b.canChoose("break") {
		for _, r := range b.breaks {
			states = append(states, core.BreakState(r.Code, r.Label))
		}
	}
	has := slices.Contains(t.menu.Items, t.breaks)
	switch {
	case len(states) > 0 && !has:
		i := slices.Index(t.menu.Items, t.busy)
		t.menu.Items = slices.Insert(t.menu.Items, i+1, t.breaks)
	case len(states) == 0 && has:
		t.menu.Items = slices.DeleteFunc(t.menu.Items, func(it *fyne.MenuItem) bool { return it == t.breaks })
	}
	if !slices.EqualFunc(states, t.breakStates, core.AgentState.Equal) {
		t.breakStates = states
		items := make([]*fyne.MenuItem, len(states))
		for i, s := range states {
			items[i] = fyne.NewMenuItem(s.Label(tr.lang), func() { t.do.state(s) })
		}
		t.breaks.ChildMenu.Items = items
	}
	for i, s := range t.breakStates {
		t.breaks.ChildMenu.Items[i].Checked = b.agent.Equal(s)
	}
}

// answerRinging answers the oldest ringing call (tray, shortcut).
func (w *MainWindow) answerRinging() {
	if c, ok := w.shown.firstRinging(); ok && c.Allowed.Has(core.ActAnswer) {
		w.callAction(c.ID, core.ActAnswer)
	}
}

// hangupCurrent hangs up the current call, or rejects the ringing one.
func (w *MainWindow) hangupCurrent() {
	if c, ok := w.shown.current(); ok && c.Allowed.Has(core.ActHangup) {
		w.callAction(c.ID, core.ActHangup)
		return
	}
	if c, ok := w.shown.firstRinging(); ok {
		if c.Allowed.Has(core.ActReject) {
			w.callAction(c.ID, core.ActReject)
		} else if c.Allowed.Has(core.ActHangup) {
			w.callAction(c.ID, core.ActHangup)
		}
	}
}
