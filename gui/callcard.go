package gui

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// callCard shows one active call: the number large, where it is from, its
// direction, queue, state, timer and quality, and the controls the call
// allows now; below them, at most one tool at a time (the DTMF keypad, the
// transfer/consult picker, the notes and call data).
type callCard struct {
	id core.CallID
	w  *MainWindow

	number  *widget.Label // large
	details *widget.Label // location carrier · direction · queue
	state   *widget.Label // coloured call state
	quality *widget.Label // MOS, loss, jitter; muted
	timer   *widget.Label

	answer, reject, hangup, hold, resume, mute, unmute *widget.Button
	keypad, transfer, consult, conference, notes       *widget.Button
	consultTransfer, consultCancel, consultConference  *widget.Button
	conferenceRetrieve, conferenceTransfer             *widget.Button
	errLine                                            *widget.Label // the last failed action's sentence
	toolBox                                            *fyne.Container
	dtmfPad                                            *fyne.Container
	dtmfSent                                           *widget.Label
	picker                                             *targetPicker
	data                                               *callDataEditor
	tool                                               cardTool
	view                                               *widget.Card // what the calls list holds
	lastCall                                           core.Call
}

// cardTool is the tool open below a card's buttons.
type cardTool int

const (
	toolNone cardTool = iota
	toolKeypad
	toolPicker
	toolNotes
)

// callButton pairs an action with its button on a card.
type callButton struct {
	action core.Action
	button *widget.Button
	key    string // translation key of its label
}

// newCallCard builds a card for a call.
func newCallCard(id core.CallID, w *MainWindow) *callCard {
	tr := w.tr
	c := &callCard{id: id, w: w}
	c.number = widget.NewLabel("")
	c.number.SizeName = theme.SizeNameHeadingText
	c.number.TextStyle = fyne.TextStyle{Bold: true}
	c.number.Selectable = true // agents copy numbers into their CRM
	c.details = widget.NewLabel("")
	c.details.Truncation = fyne.TextTruncateEllipsis
	c.state = widget.NewLabel("")
	c.state.TextStyle = fyne.TextStyle{Bold: true}
	c.quality = widget.NewLabel("")
	quiet(c.quality)
	c.quality.Truncation = fyne.TextTruncateEllipsis
	c.timer = widget.NewLabel("")
	c.timer.TextStyle = clockStyle()
	c.timer.SizeName = theme.SizeNameHeadingText
	c.errLine = errorLabel()

	act := func(a core.Action) func() { return func() { w.callAction(id, a) } }
	button := func(key string, icon fyne.Resource, tap func()) *widget.Button {
		return widget.NewButtonWithIcon(tr.T(key), icon, tap)
	}
	c.answer = button("call.answer", theme.ConfirmIcon(), act(core.ActAnswer))
	c.answer.Importance = widget.SuccessImportance
	c.reject = button("call.reject", theme.CancelIcon(), act(core.ActReject))
	c.hangup = button("call.hangup", theme.CancelIcon(), act(core.ActHangup))
	c.hangup.Importance = widget.DangerImportance
	c.hold = button("call.hold", theme.MediaPauseIcon(), act(core.ActHold))
	c.resume = button("call.resume", theme.MediaPlayIcon(), act(core.ActResume))
	c.mute = button("call.mute", theme.VolumeMuteIcon(), act(core.ActMute))
	c.unmute = button("call.unmute", theme.VolumeUpIcon(), act(core.ActUnmute))
	c.keypad = button("call.keypad", theme.GridIcon(), func() { c.toggle(toolKeypad, pickNone) })
	c.transfer = button("call.transfer", theme.MailForwardIcon(), func() { c.toggle(toolPicker, pickTransfer) })
	c.consult = button("call.consult", theme.AccountIcon(), func() { c.toggle(toolPicker, pickConsult) })
	c.conference = button("call.conference", theme.ContentAddIcon(), func() { c.toggle(toolPicker, pickConference) })
	c.notes = button("call.notes", theme.DocumentCreateIcon(), func() { c.toggle(toolNotes, pickNone) })
	c.consultTransfer = button("call.consult.transfer", theme.MailForwardIcon(), act(core.ActConsultTransfer))
	c.consultCancel = button("call.consult.cancel", theme.CancelIcon(), act(core.ActConsultCancel))
	c.consultConference = button("call.consult.conference", theme.ContentAddIcon(), act(core.ActConsultConference))
	c.conferenceRetrieve = button("call.conference.retrieve", theme.MediaReplayIcon(), act(core.ActConferenceRetrieve))
	c.conferenceTransfer = button("call.conference.leave", theme.LogoutIcon(), act(core.ActConferenceTransfer))

	c.dtmfSent = widget.NewLabel("")
	c.dtmfSent.TextStyle = clockStyle()
	c.dtmfPad = container.NewVBox(keypadGrid(func(r rune) { w.sendDigit(id, r) }), c.dtmfSent)
	c.picker = newTargetPicker(w, id)
	c.data = newCallDataEditor(w, id)
	c.toolBox = container.NewVBox()

	head := container.NewBorder(nil, nil, nil, c.timer, c.number)
	status := container.NewBorder(nil, nil, c.state, nil, c.quality)
	var grid []fyne.CanvasObject
	for _, b := range c.buttons() {
		grid = append(grid, b.button)
	}
	for _, b := range c.toolButtons() {
		grid = append(grid, b)
	}
	c.view = widget.NewCard("", "", container.NewVBox(head, c.details, status,
		container.NewGridWithColumns(3, grid...), c.toolBox, c.errLine))
	return c
}

// buttons lists the card's action buttons, in display order.
func (c *callCard) buttons() []callButton {
	return []callButton{
		{core.ActAnswer, c.answer, "call.answer"},
		{core.ActReject, c.reject, "call.reject"},
		{core.ActHangup, c.hangup, "call.hangup"},
		{core.ActHold, c.hold, "call.hold"},
		{core.ActResume, c.resume, "call.resume"},
		{core.ActMute, c.mute, "call.mute"},
		{core.ActUnmute, c.unmute, "call.unmute"},
		{core.ActConsultTransfer, c.consultTransfer, "call.consult.transfer"},
		{core.ActConsultCancel, c.consultCancel, "call.consult.cancel"},
		{core.ActConsultConference, c.consultConference, "call.consult.conference"},
		{core.ActConferenceRetrieve, c.conferenceRetrieve, "call.conference.retrieve"},
		{core.ActConferenceTransfer, c.conferenceTransfer, "call.conference.leave"},
	}
}

// toolButtons are the buttons that open a tool rather than act at once.
func (c *callCard) toolButtons() []*widget.Button {
	return []*widget.Button{c.keypad, c.transfer, c.consult, c.conference, c.notes}
}

// toggle opens a tool, or closes it when it is open already.
func (c *callCard) toggle(t cardTool, mode pickerMode) {
	if c.tool == t && (t != toolPicker || c.picker.mode == mode) {
		c.closeTools()
		return
	}
	c.tool = t
	var obj fyne.CanvasObject
	switch t {
	case toolKeypad:
		obj = c.dtmfPad
	case toolPicker:
		c.picker.open(mode, c.lastCall)
		obj = c.picker.view
	case toolNotes:
		c.data.open(c.lastCall)
		obj = c.data.view
	}
	c.toolBox.Objects = []fyne.CanvasObject{obj}
	c.toolBox.Refresh()
	c.w.render()
}

// closeTools closes the open tool.
func (c *callCard) closeTools() {
	c.tool = toolNone
	c.picker.mode = pickNone
	c.toolBox.Objects = nil
	c.toolBox.Refresh()
}

// transferAllowed reports whether any transfer kind is allowed now.
func transferAllowed(call core.Call) bool {
	return call.Allowed.Has(core.ActTransferAgent) || call.Allowed.Has(core.ActTransferNumber) ||
		call.Allowed.Has(core.ActTransferQueue) || call.Allowed.Has(core.ActTransferIVR)
}

// show fills the card from a call. pending says which keys are in flight
// (their buttons stay visible, disabled, with a busy mark); errText is the
// last failure's sentence.
func (c *callCard) show(call core.Call, now time.Time, tr translator, pending func(key string) bool, errText string) {
	c.lastCall = call
	number := call.RemoteNumber
	if number == "" {
		number = call.DisplayNumber
	}
	setText(c.number, groupNumber(number))
	setText(c.details, callDetails(call, tr))
	setText(c.state, capitalize(call.State.Label(tr.lang)))
	setImportance(c.state, callImportance(call.State))
	setText(c.quality, qualityLine(call, tr))

	start := call.Started
	if !call.Answered.IsZero() {
		start = call.Answered
	}
	setText(c.timer, since(start, now))

	for _, b := range c.buttons() {
		busy := pending(callKey(c.id, b.action))
		setVisible(b.button, call.Allowed.Has(b.action) || busy)
		setEnabled(b.button, !busy)
		setBusyLabel(b.button, tr.T(b.key), busy, tr)
	}
	picking := pending(pickKey(c.id))
	setVisible(c.keypad, call.Allowed.Has(core.ActDTMF))
	setVisible(c.transfer, transferAllowed(call))
	setVisible(c.consult, call.Allowed.Has(core.ActConsult))
	setVisible(c.conference, call.Allowed.Has(core.ActConference))
	setVisible(c.notes, c.w.notesAvailable(call))
	for _, b := range []*widget.Button{c.transfer, c.consult, c.conference} {
		setEnabled(b, !picking)
	}
	// A tool whose action the call no longer allows closes.
	switch {
	case c.tool == toolKeypad && !call.Allowed.Has(core.ActDTMF),
		c.tool == toolPicker && !c.picker.allowed(call):
		c.closeTools()
	}
	if c.tool == toolPicker {
		c.picker.render(call, picking)
	}
	if c.tool == toolNotes {
		c.data.render(call, pending(notesKey(c.id)))
	}
	setText(c.dtmfSent, c.w.dtmfLine(c.id))
	showError(c.errLine, errText)
}

// callDetails: location and carrier, direction, queue.
func callDetails(call core.Call, tr translator) string {
	var parts []string
	if loc := strings.TrimSpace(call.Location + " " + call.Carrier); loc != "" {
		parts = append(parts, loc)
	}
	if d := directionLabel(call.Direction, tr); d != "" {
		parts = append(parts, d)
	}
	if call.Queue != "" {
		parts = append(parts, call.Queue)
	}
	return strings.Join(parts, " · ")
}

// qualityLine: the call's measured quality, and whether it is muted.
func qualityLine(call core.Call, tr translator) string {
	var parts []string
	if call.Muted {
		parts = append(parts, tr.T("call.muted"))
	}
	if q := call.Quality; q != nil {
		parts = append(parts, tr.T("call.quality",
			"MOS", fmt.Sprintf("%.1f", q.MOS), "Loss", fmt.Sprintf("%.1f", q.LossPercent),
			"Jitter", fmt.Sprintf("%.0f", q.JitterMs)))
	}
	return strings.Join(parts, " · ")
}

// setBusyLabel labels a button, with the busy mark while its command runs.
func setBusyLabel(b *widget.Button, label string, busy bool, tr translator) {
	if busy {
		label += tr.T("busy.suffix")
	}
	if b.Text != label {
		b.SetText(label)
	}
}

// capitalize starts an English label with a capital, as a heading on its
// own (core's labels are lower case, to sit inside sentences).
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// directionLabel names a call's direction for the agent.
func directionLabel(d core.Direction, tr translator) string {
	switch d {
	case core.Inbound:
		return tr.T("direction.in")
	case core.Outbound:
		return tr.T("direction.out")
	case core.Internal:
		return tr.T("direction.internal")
	}
	return ""
}

// callImportance colours a call state: blue while it rings, red while the
// agent talks (the tray's colours), amber on hold.
func callImportance(s core.CallState) widget.Importance {
	switch s {
	case core.CallRinging:
		return widget.HighImportance
	case core.CallTalking, core.CallConsulting, core.CallConference:
		return widget.DangerImportance
	case core.CallHeld:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}
