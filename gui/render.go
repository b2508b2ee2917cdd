package gui

import (
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// render brings every widget in line with the board last shown, the
// commands in flight and their failures. UI thread only. It is cheap when
// nothing changed (the setters skip unchanged widgets), so it simply runs
// in full on every change and every timer tick.
func (w *MainWindow) render() {
	b, now, tr := w.shown, w.now(), w.tr

	// Connection, registration and account.
	setText(w.connLabel, tr.T("conn."+b.conn.String()))
	setImportance(w.connLabel, connImportance(b.conn))
	if c := theme.Color(connColour(b.conn)); !sameColour(w.connDot.FillColor, c) {
		w.connDot.FillColor = c
		w.connDot.Refresh()
	}
	w.renderMedia(b)
	detail := w.errs[areaHeader]
	if detail == "" && b.loggedIn && b.conn != core.ConnConnected && b.connErr != nil {
		detail = core.Sentence(b.connErr, tr.lang)
	}
	if detail == "" && b.loggedIn && b.media.known && !b.media.registered && b.media.err != nil {
		detail = core.Sentence(b.media.err, tr.lang)
	}
	showError(w.connDetail, detail)
	if b.loggedIn {
		setText(w.accountLabel, b.account+" · "+w.platformName(b))
	} else {
		setText(w.accountLabel, tr.T("account.none"))
	}
	setText(w.sessionLabel, sessionLine(b.session, tr))
	setVisible(w.sessionLabel, b.loggedIn && w.sessionLabel.Text != "")
	setVisible(w.signOutButton, b.loggedIn)
	setEnabled(w.signOutButton, !w.pending["signout"])
	setVisible(w.wallButton, b.supervisor())
	monitor := ""
	if m := w.wallModel.monitored(); b.loggedIn && len(m) > 0 {
		monitor = tr.T("wall.monitor.on", "Mode", monitorLabel(core.MonitorMode(m[0].Monitor), tr), "Name", m[0].Name, "ID", m[0].ID)
	}
	setText(w.monitorLabel, monitor)
	setVisible(w.monitorLabel, monitor != "")

	// Agent state.
	setVisible(w.agentBox, b.loggedIn)
	setText(w.agentLabel, b.agent.Label(tr.lang))
	setImportance(w.agentLabel, agentImportance(b.agent))
	if b.loggedIn {
		setText(w.agentTimer, since(b.agentSince, now))
	} else {
		setText(w.agentTimer, "")
	}
	wrap := ""
	if b.agent.Reason == core.ReasonWrapUp && !b.agent.WrapUpUntil.IsZero() {
		wrap = tr.T("agent.wrapup.left", "Left", clock(b.agent.WrapUpUntil.Sub(now)))
	}
	setText(w.wrapLabel, wrap)
	setVisible(w.wrapLabel, wrap != "")
	w.renderStateSelect(b)
	showError(w.stateError, w.errs[areaState])

	// Calls, dialling, history.
	setVisible(w.tabs, b.loggedIn)
	w.renderCalls(b)
	w.renderDialPad(b)
	w.levels.render(w.o.Audio != nil && len(b.calls) > 0)
	historyTitle := tr.T("tab.history")
	if w.alerts.missed > 0 {
		historyTitle = tr.T("tab.history.missed", "Count", strconv.Itoa(w.alerts.missed))
	}
	if w.historyTab.Text != historyTitle {
		w.historyTab.Text = historyTitle
		w.tabs.Refresh()
	}
	w.history.render()

	// Signing in.
	setVisible(w.signInBox, !b.loggedIn)
	w.signIn.render(b)
	signInErr := w.errs[areaSignIn]

	// What the platform or the engine wants the agent to read. A sign-in
	// failure already shows under the button: do not say it twice.
	notice := b.noticeText
	if b.notice != nil {
		notice = core.Sentence(b.notice, tr.lang)
	}
	if notice == signInErr {
		notice = ""
	}
	setText(w.noticeLabel, notice)
	setVisible(w.noticeLabel, notice != "")

	w.popup.render(b, now)
	if w.wall != nil {
		w.wall.render(b, now)
	}
	if w.setWin != nil {
		w.setWin.render()
	}
	if w.tray != nil {
		w.tray.show(b, w.alerts.missed > 0, tr)
	}
}

// renderMedia shows whether the audio side is registered, for platforms
// whose audio reaches the desktop.
func (w *MainWindow) renderMedia(b board) {
	tr := w.tr
	show := b.loggedIn && b.media.known
	setVisible(w.mediaLabel, show)
	if !show {
		return
	}
	if b.media.registered {
		setText(w.mediaLabel, tr.T("media.registered"))
		setImportance(w.mediaLabel, widget.SuccessImportance)
	} else {
		setText(w.mediaLabel, tr.T("media.unregistered"))
		setImportance(w.mediaLabel, widget.WarningImportance)
	}
}

// renderStateSelect offers the states the platform has and shows the
// current one, unless the agent's own choice is still on its way.
func (w *MainWindow) renderStateSelect(b board) {
	choices := stateChoices(b, w.tr.lang)
	labels := make([]string, len(choices))
	current := ""
	clear(w.choices)
	for i, c := range choices {
		labels[i] = c.label
		w.choices[c.label] = c.state
		if c.state.Equal(b.agent) {
			current = c.label
		}
	}
	if !slices.Equal(labels, w.stateSelect.Options) {
		w.stateSelect.SetOptions(labels)
	}
	busy := w.pending["state"]
	if !busy && w.stateSelect.Selected != current {
		// Set the field, not SetSelected: that would call OnChanged and
		// ask the platform for the state it just reported.
		w.stateSelect.Selected = current
		w.stateSelect.Refresh()
	}
	setEnabled(w.stateSelect, b.loggedIn && !busy && len(labels) > 0)
}

// stateChoice is one entry of the state selector.
type stateChoice struct {
	label string
	state core.AgentState
}

// stateChoices lists what the agent may choose: ready, busy and the
// platform's break reasons, as far as the platform offers them. Wrap-up is
// the platform's to start and is not offered.
func stateChoices(b board, lang string) []stateChoice {
	var out []stateChoice
	seen := map[string]bool{}
	add := func(s core.AgentState) {
		label := s.Label(lang)
		if seen[label] && s.BreakCode != "" {
			label += " (" + s.BreakCode + ")"
		}
		seen[label] = true
		out = append(out, stateChoice{label, s})
	}
	if b.canChoose("ready") {
		add(core.ReadyState())
	}
	if b.canChoose("busy") {
		add(core.BusyState())
	}
	if b.canChoose("break") {
		for _, r := range b.breaks {
			add(core.BreakState(r.Code, r.Label))
		}
	}
	return out
}

// renderCalls keeps one card per active call, in the board's order.
func (w *MainWindow) renderCalls(b board) {
	now := w.now()
	objects := make([]fyne.CanvasObject, 0, len(b.calls)+1)
	live := map[core.CallID]bool{}
	pending := func(key string) bool { return w.pending[key] }
	for _, c := range b.calls {
		card, ok := w.cards[c.ID]
		if !ok {
			card = newCallCard(c.ID, w)
			w.cards[c.ID] = card
		}
		live[c.ID] = true
		card.show(c, now, w.tr, pending, w.errs[callArea(c.ID)])
		objects = append(objects, card.view)
	}
	for id := range w.cards {
		if !live[id] {
			w.forgetCall(id)
		}
	}
	if len(objects) == 0 {
		objects = append(objects, w.noCalls)
	}
	if !slices.Equal(w.callsBox.Objects, objects) {
		w.callsBox.Objects = objects
		w.callsBox.Refresh()
	}
}

func (w *MainWindow) setBusyText(b *widget.Button, key string, busy bool) {
	setBusyLabel(b, w.tr.T(key), busy, w.tr)
}

// showError shows a sentence in an error label, hiding it when empty.
func showError(l *widget.Label, s string) {
	setText(l, s)
	setVisible(l, s != "")
}

// platformName names the platform in the window's language when a
// registry is at hand.
func (w *MainWindow) platformName(b board) string {
	if w.o.Registry != nil {
		if info, ok := w.o.Registry.Lookup(b.platform); ok {
			return info.Name.In(w.tr.lang)
		}
	}
	if b.platformName != "" {
		return b.platformName
	}
	return b.platform
}

// sessionLine: the agent's name, id and extension on the platform.
func sessionLine(s core.SessionUpdate, tr translator) string {
	var parts []string
	if s.DisplayName != "" {
		parts = append(parts, s.DisplayName)
	}
	if s.AgentID != "" {
		parts = append(parts, tr.T("session.agent", "ID", s.AgentID))
	}
	if s.Extension != "" {
		parts = append(parts, tr.T("session.extension", "Ext", s.Extension))
	}
	if s.IsSupervisor {
		parts = append(parts, tr.T("session.supervisor"))
	}
	return strings.Join(parts, " · ")
}

// connImportance and connColour: green when connected, amber on the way,
// grey when offline.
func connImportance(c core.ConnState) widget.Importance {
	switch c {
	case core.ConnConnected:
		return widget.SuccessImportance
	case core.ConnConnecting, core.ConnReconnecting:
		return widget.WarningImportance
	}
	return widget.LowImportance
}

func connColour(c core.ConnState) fyne.ThemeColorName {
	switch c {
	case core.ConnConnected:
		return theme.ColorNameSuccess
	case core.ConnConnecting, core.ConnReconnecting:
		return theme.ColorNameWarning
	}
	return theme.ColorNameDisabled
}

// agentImportance: ready green, not ready amber, offline grey.
func agentImportance(s core.AgentState) widget.Importance {
	switch s.Kind {
	case core.Ready:
		return widget.SuccessImportance
	case core.NotReady:
		return widget.WarningImportance
	}
	return widget.LowImportance
}

func sameColour(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}
