package gui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// pickerMode is what the picker's choice is for.
type pickerMode int

const (
	pickNone pickerMode = iota
	pickTransfer
	pickConsult
	pickConference
)

// pickerListHeight shows about five targets at a time.
const pickerListHeight = 180

// targetPicker chooses where a call goes: the kind (agent, number, queue,
// IVR — those the platform offers and the call allows now), then a target
// from the platform's list (Engine.Targets) narrowed by the search box, or
// a number typed into it. It lives inside a call card.
type targetPicker struct {
	w  *MainWindow
	id core.CallID

	mode    pickerMode
	kinds   []core.TargetKind
	kind    core.TargetKind
	targets map[core.TargetKind][]core.Target // fetched lists
	shown   []core.Target                     // the list after the search
	chosen  int                               // index into shown, -1 for none

	title     *widget.Label
	kindRadio *widget.RadioGroup
	search    *widget.Entry
	list      *widget.List
	status    *widget.Label
	confirm   *widget.Button
	cancel    *widget.Button
	view      *fyne.Container
}

func newTargetPicker(w *MainWindow, id core.CallID) *targetPicker {
	tr := w.tr
	p := &targetPicker{w: w, id: id, targets: map[core.TargetKind][]core.Target{}, chosen: -1}
	p.title = heading("")
	p.kindRadio = widget.NewRadioGroup(nil, p.kindChosen)
	p.kindRadio.Horizontal = true
	p.kindRadio.Required = true
	p.search = widget.NewEntry()
	p.search.OnChanged = func(string) { p.filter(); w.render() }
	p.search.OnSubmitted = func(string) { p.submit() }
	p.list = widget.NewList(
		func() int { return len(p.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.shown) {
				o.(*widget.Label).SetText(targetLabel(p.shown[i], tr))
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) { p.chosen = i; w.render() }
	p.list.OnUnselected = func(widget.ListItemID) { p.chosen = -1; w.render() }
	p.status = widget.NewLabel("")
	quiet(p.status)
	p.status.Wrapping = fyne.TextWrapWord
	p.confirm = widget.NewButtonWithIcon("", theme.ConfirmIcon(), p.submit)
	p.confirm.Importance = widget.HighImportance
	p.cancel = widget.NewButtonWithIcon(tr.T("picker.cancel"), theme.CancelIcon(), func() {
		if c := w.cards[id]; c != nil {
			c.closeTools()
			w.render()
		}
	})
	p.view = container.NewVBox(widget.NewSeparator(), p.title, p.kindRadio, p.search,
		container.New(minHeight(pickerListHeight), p.list), p.status,
		container.NewGridWithColumns(2, p.cancel, p.confirm))
	return p
}

// kindsFor lists the kinds a mode offers on a call now.
func (p *targetPicker) kindsFor(mode pickerMode, call core.Call) []core.TargetKind {
	caps := p.w.shown.caps
	var out []core.TargetKind
	switch mode {
	case pickTransfer:
		action := map[core.TargetKind]core.Action{
			core.TargetAgent: core.ActTransferAgent, core.TargetNumber: core.ActTransferNumber,
			core.TargetQueue: core.ActTransferQueue, core.TargetIVR: core.ActTransferIVR,
		}
		for _, k := range caps.TransferKinds {
			if call.Allowed.Has(action[k]) {
				out = append(out, k)
			}
		}
	case pickConsult:
		if call.Allowed.Has(core.ActConsult) {
			out = slices.Clone(caps.ConsultKinds)
		}
	case pickConference:
		if call.Allowed.Has(core.ActConference) {
			out = []core.TargetKind{core.TargetAgent, core.TargetNumber}
		}
	}
	return out
}

// allowed reports whether the open mode is still possible on the call.
func (p *targetPicker) allowed(call core.Call) bool {
	return len(p.kindsFor(p.mode, call)) > 0
}

// open resets the picker for a mode and picks the first kind.
func (p *targetPicker) open(mode pickerMode, call core.Call) {
	tr := p.w.tr
	p.mode = mode
	p.kinds = p.kindsFor(mode, call)
	labels := make([]string, len(p.kinds))
	for i, k := range p.kinds {
		labels[i] = kindLabel(k, tr)
	}
	switch mode {
	case pickTransfer:
		p.title.SetText(tr.T("picker.transfer"))
		p.confirm.SetText(tr.T("picker.transfer.go"))
	case pickConsult:
		p.title.SetText(tr.T("picker.consult"))
		p.confirm.SetText(tr.T("picker.consult.go"))
	case pickConference:
		p.title.SetText(tr.T("picker.conference"))
		p.confirm.SetText(tr.T("picker.conference.go"))
	}
	p.kindRadio.Options = labels
	p.kindRadio.Refresh()
	p.search.SetText("")
	if len(p.kinds) > 0 {
		p.kindRadio.SetSelected(labels[0]) // calls kindChosen
	}
}

// kindChosen switches kind and fetches its list if the platform has one.
func (p *targetPicker) kindChosen(label string) {
	for _, k := range p.kinds {
		if kindLabel(k, p.w.tr) == label {
			p.kind = k
		}
	}
	p.chosen = -1
	p.list.UnselectAll()
	tr := p.w.tr
	if p.kind == core.TargetNumber {
		p.search.SetPlaceHolder(tr.T("picker.number"))
	} else {
		p.search.SetPlaceHolder(tr.T("picker.search"))
	}
	p.filter()
	if p.kind != core.TargetNumber && p.w.shown.caps.Directory {
		p.fetch(p.kind)
	}
	p.w.render()
}

// fetchKey names a list fetch in flight.
func (p *targetPicker) fetchKey(k core.TargetKind) string {
	return "targets:" + string(p.id) + ":" + string(k)
}

// fetch asks the platform for a kind's targets (every time the kind is
// chosen: agents' states change).
func (p *targetPicker) fetch(k core.TargetKind) {
	var got []core.Target
	p.w.startThen(p.fetchKey(k), callArea(p.id), func(ctx context.Context) (err error) {
		got, err = p.w.engine.Targets(ctx, k)
		return err
	}, func(err error) {
		if err == nil {
			p.targets[k] = got
			if p.kind == k {
				p.filter()
			}
		}
	})
}

// filter narrows the kind's list to what matches the search box.
func (p *targetPicker) filter() {
	q := strings.ToLower(strings.TrimSpace(p.search.Text))
	p.shown = p.shown[:0]
	if p.kind != core.TargetNumber {
		for _, t := range p.targets[p.kind] {
			if q == "" || strings.Contains(strings.ToLower(t.Label), q) || strings.Contains(strings.ToLower(t.ID), q) {
				p.shown = append(p.shown, t)
			}
		}
	}
	p.chosen = -1
	p.list.UnselectAll()
	p.list.Refresh()
}

// target is what confirm would send, if anything: the chosen list entry,
// else the number or id typed.
func (p *targetPicker) target() (core.Target, bool) {
	if p.chosen >= 0 && p.chosen < len(p.shown) {
		return p.shown[p.chosen], true
	}
	typed := strings.TrimSpace(p.search.Text)
	switch {
	case typed == "":
		return core.Target{}, false
	case p.kind == core.TargetNumber:
		if n, ok := cleanPastedNumber(typed); ok {
			typed = n
		}
		return core.Target{Kind: core.TargetNumber, ID: typed}, true
	case len(p.shown) == 1:
		return p.shown[0], true
	case !p.w.shown.caps.Directory:
		// Without a list the agent types the agent's or queue's id.
		return core.Target{Kind: p.kind, ID: typed}, true
	}
	return core.Target{}, false
}

// submit sends the call to the target.
func (p *targetPicker) submit() {
	t, ok := p.target()
	if !ok || p.w.pending[pickKey(p.id)] {
		return
	}
	p.w.targetAction(p.id, p.mode, t)
}

// render shows the list's state and enables confirm.
func (p *targetPicker) render(call core.Call, picking bool) {
	tr := p.w.tr
	status := ""
	switch {
	case p.w.pending[p.fetchKey(p.kind)]:
		status = tr.T("picker.loading")
	case p.kind == core.TargetNumber:
		status = tr.T("picker.number.hint")
	case !p.w.shown.caps.Directory:
		status = tr.T("picker.nolist")
	case len(p.shown) == 0 && len(p.targets[p.kind]) > 0:
		status = tr.T("picker.nomatch")
	case len(p.targets[p.kind]) == 0:
		status = tr.T("picker.empty")
	}
	setText(p.status, status)
	setVisible(p.status, status != "")
	setVisible(p.list, p.kind != core.TargetNumber && p.w.shown.caps.Directory)
	_, ok := p.target()
	setEnabled(p.confirm, ok && !picking)
}

// targetLabel is one line of the picker's list: name, id, state.
func targetLabel(t core.Target, tr translator) string {
	s := t.ID
	if t.Label != "" && t.Label != t.ID {
		s = t.Label + " (" + t.ID + ")"
	}
	if t.State != "" {
		state := t.State
		if st, err := core.ParseAgentState(t.State, "x"); err == nil {
			state = st.Label(tr.lang)
		}
		s += " · " + state
	}
	return s
}

// kindLabel names a target kind.
func kindLabel(k core.TargetKind, tr translator) string {
	switch k {
	case core.TargetAgent:
		return tr.T("picker.kind.agent")
	case core.TargetNumber:
		return tr.T("picker.kind.number")
	case core.TargetQueue:
		return tr.T("picker.kind.queue")
	case core.TargetIVR:
		return tr.T("picker.kind.ivr")
	}
	return string(k)
}
