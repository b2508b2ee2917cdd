package gui

import (
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
// direction and state with a timer, and the actions the call allows now.
type callCard struct {
	id core.CallID

	number  *widget.Label // large
	details *widget.Label // location · direction · queue
	state   *widget.Label // coloured call state
	timer   *widget.Label
	answer  *widget.Button
	hangup  *widget.Button
	hold    *widget.Button
	resume  *widget.Button
	errLine *widget.Label // the last failed action's sentence

	view *widget.Card // what the calls list holds
}

// callButton pairs an action with its button on a card.
type callButton struct {
	action core.Action
	button *widget.Button
	key    string // translation key of its label
}

// newCallCard builds a card; act runs when a button is tapped.
func newCallCard(id core.CallID, tr translator, act func(id core.CallID, a core.Action)) *callCard {
	c := &callCard{id: id}
	c.number = widget.NewLabel("")
	c.number.SizeName = theme.SizeNameHeadingText
	c.number.TextStyle = fyne.TextStyle{Bold: true}
	c.number.Selectable = true // agents copy numbers into their CRM
	c.details = widget.NewLabel("")
	c.details.Truncation = fyne.TextTruncateEllipsis
	c.state = widget.NewLabel("")
	c.state.TextStyle = fyne.TextStyle{Bold: true}
	c.timer = widget.NewLabel("")
	c.timer.TextStyle = fyne.TextStyle{Monospace: true}
	c.timer.SizeName = theme.SizeNameSubHeadingText
	c.errLine = widget.NewLabel("")
	c.errLine.Importance = widget.DangerImportance
	c.errLine.Wrapping = fyne.TextWrapWord
	c.errLine.Hide()

	c.answer = widget.NewButtonWithIcon(tr.T("call.answer"), theme.ConfirmIcon(), func() { act(id, core.ActAnswer) })
	c.answer.Importance = widget.SuccessImportance
	c.hangup = widget.NewButtonWithIcon(tr.T("call.hangup"), theme.CancelIcon(), func() { act(id, core.ActHangup) })
	c.hangup.Importance = widget.DangerImportance
	c.hold = widget.NewButtonWithIcon(tr.T("call.hold"), theme.MediaPauseIcon(), func() { act(id, core.ActHold) })
	c.resume = widget.NewButtonWithIcon(tr.T("call.resume"), theme.MediaPlayIcon(), func() { act(id, core.ActResume) })

	head := container.NewBorder(nil, nil, nil, c.timer, c.number)
	status := container.NewBorder(nil, nil, c.state, nil, c.details)
	buttons := container.NewGridWithColumns(2, c.answer, c.hangup, c.hold, c.resume)
	c.view = widget.NewCard("", "", container.NewVBox(head, status, buttons, c.errLine))
	return c
}

// buttons lists the card's action buttons.
func (c *callCard) buttons() []callButton {
	return []callButton{
		{core.ActAnswer, c.answer, "call.answer"},
		{core.ActHangup, c.hangup, "call.hangup"},
		{core.ActHold, c.hold, "call.hold"},
		{core.ActResume, c.resume, "call.resume"},
	}
}

// show fills the card from a call. pending says which actions are in
// flight (their buttons stay visible, disabled, with a busy mark); errText
// is the last failure's sentence.
func (c *callCard) show(call core.Call, now time.Time, tr translator, pending func(core.Action) bool, errText string) {
	number := call.RemoteNumber
	if number == "" {
		number = call.DisplayNumber
	}
	setText(c.number, groupNumber(number))

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
	setText(c.details, strings.Join(parts, " · "))

	setText(c.state, capitalize(call.State.Label(tr.lang)))
	setImportance(c.state, callImportance(call.State))

	start := call.Started
	if !call.Answered.IsZero() {
		start = call.Answered
	}
	setText(c.timer, since(start, now))

	for _, b := range c.buttons() {
		busy := pending(b.action)
		setVisible(b.button, call.Allowed.Has(b.action) || busy)
		setEnabled(b.button, !busy)
		label := tr.T(b.key)
		if busy {
			label += tr.T("busy.suffix")
		}
		if b.button.Text != label {
			b.button.SetText(label)
		}
	}
	setText(c.errLine, errText)
	setVisible(c.errLine, errText != "")
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
