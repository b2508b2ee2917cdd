package gui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// popupSize keeps the incoming-call window small and its two buttons big.
func popupSize() fyne.Size { return fyne.NewSize(380, 260) }

// incomingPopup is the window that comes up on top when a call rings: the
// caller's number large, where it is from, the queue, and answer and
// reject filling its bottom half. It shows the oldest ringing call (with
// "+N more" when several ring), goes away when that call stops ringing, and
// stays away for a call the agent dismissed by closing it.
type incomingPopup struct {
	w   *MainWindow
	win fyne.Window

	id        core.CallID // the call on show, "" when hidden
	bound     []fyne.Shortcut
	dismissed map[core.CallID]bool

	heading *widget.Label
	number  *widget.Label
	details *widget.Label
	more    *widget.Label
	answer  *widget.Button
	reject  *widget.Button
	timer   *widget.Label
}

func newIncomingPopup(w *MainWindow) *incomingPopup {
	return &incomingPopup{w: w, dismissed: map[core.CallID]bool{}}
}

// build makes the window (UI thread).
func (p *incomingPopup) build() {
	tr := p.w.tr
	p.win = p.w.app.NewWindow(tr.T("popup.title"))
	p.heading = widget.NewLabel(tr.T("popup.heading"))
	p.heading.Importance = widget.HighImportance
	p.heading.TextStyle = fyne.TextStyle{Bold: true}
	p.timer = widget.NewLabel("")
	p.timer.TextStyle = clockStyle()
	p.number = widget.NewLabel("")
	p.number.SizeName = theme.SizeNameHeadingText
	p.number.TextStyle = fyne.TextStyle{Bold: true}
	p.number.Alignment = fyne.TextAlignCenter
	p.number.Selectable = true
	p.details = widget.NewLabel("")
	p.details.Alignment = fyne.TextAlignCenter
	p.details.Wrapping = fyne.TextWrapWord
	p.more = widget.NewLabel("")
	quiet(p.more)
	p.more.Alignment = fyne.TextAlignCenter
	p.more.Hide()
	p.answer = widget.NewButtonWithIcon(tr.T("call.answer"), theme.ConfirmIcon(), func() { p.act(core.ActAnswer) })
	p.answer.Importance = widget.SuccessImportance
	p.reject = widget.NewButtonWithIcon(tr.T("call.reject"), theme.CancelIcon(), func() { p.act(core.ActReject) })
	p.reject.Importance = widget.DangerImportance
	// Two equal buttons fill the bottom: easy to hit, and the integration
	// test clicks the left one by position.
	buttons := container.New(minHeight(64), container.NewGridWithColumns(2, p.answer, p.reject))
	p.win.SetContent(container.NewPadded(container.NewBorder(
		container.NewBorder(nil, nil, p.heading, p.timer),
		buttons, nil, nil,
		container.NewVBox(p.number, p.details, p.more))))
	p.win.Resize(popupSize())
	p.win.SetFixedSize(true)
	p.win.SetCloseIntercept(func() {
		// Closing the popup dismisses it for this call; the call still
		// rings in the main window and the tray.
		p.dismissed[p.id] = true
		p.hide()
	})
	p.w.bindShortcuts(p.win.Canvas(), &p.bound)
	// Enter answers, Escape rejects: the popup has the focus when it comes up.
	p.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			p.act(core.ActAnswer)
		case fyne.KeyEscape:
			p.act(core.ActReject)
		}
	})
}

// act answers or rejects the call on show (reject falls back to hang-up on
// platforms without a separate reject).
func (p *incomingPopup) act(a core.Action) {
	c, ok := p.w.shown.call(p.id)
	if !ok {
		return
	}
	if a == core.ActReject && !c.Allowed.Has(core.ActReject) {
		a = core.ActHangup
	}
	if c.Allowed.Has(a) {
		p.w.callAction(p.id, a)
	}
}

// render shows the oldest ringing call not dismissed, or hides.
func (p *incomingPopup) render(b board, now time.Time) {
	var (
		call    core.Call
		found   bool
		ringing int
	)
	for _, c := range b.calls {
		if c.State != core.CallRinging {
			continue
		}
		ringing++
		if !found && !p.dismissed[c.ID] {
			call, found = c, true
		}
	}
	for id := range p.dismissed {
		if c, ok := b.call(id); !ok || c.State != core.CallRinging {
			delete(p.dismissed, id)
		}
	}
	if !found {
		p.hide()
		return
	}
	tr := p.w.tr
	setText(p.number, groupNumber(callNumber(call)))
	setText(p.details, callDetails(call, tr))
	setText(p.timer, since(call.Started, now))
	more := ""
	if ringing > 1 {
		more = tr.T("popup.more", "Count", strconv.Itoa(ringing-1))
	}
	setText(p.more, more)
	setVisible(p.more, more != "")

	answering := p.w.pending[callKey(call.ID, core.ActAnswer)]
	rejecting := p.w.pending[callKey(call.ID, core.ActReject)] || p.w.pending[callKey(call.ID, core.ActHangup)]
	setEnabled(p.answer, call.Allowed.Has(core.ActAnswer) && !answering && !rejecting)
	setEnabled(p.reject, (call.Allowed.Has(core.ActReject) || call.Allowed.Has(core.ActHangup)) && !answering && !rejecting)
	setBusyLabel(p.answer, tr.T("call.answer"), answering, tr)
	setBusyLabel(p.reject, tr.T("call.reject"), rejecting, tr)

	if p.id != call.ID {
		p.id = call.ID
		p.win.Show()
		p.win.RequestFocus()
		raiseAbove(p.win)
		if p.w.o.popupShown != nil {
			p.w.o.popupShown(call.ID)
		}
	}
}

// hide takes the popup away.
func (p *incomingPopup) hide() {
	if p.id == "" {
		return
	}
	p.id = ""
	if p.win != nil {
		p.win.Hide()
	}
}

// visible reports whether the popup shows a call, and which.
func (p *incomingPopup) visible() (core.CallID, bool) { return p.id, p.id != "" }

// close destroys the window (a language change builds a new popup).
func (p *incomingPopup) close() {
	p.win.Close()
	p.id = ""
}
