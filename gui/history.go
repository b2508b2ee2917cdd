package gui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core/history"
)

// historyPageSize is how many calls the history tab lists.
const historyPageSize = 200

// historyPanel is the history tab: the engine's calls, newest first,
// filtered (all, missed, in, out) and searched by number; a chosen call
// shows its details with its note (editable) and a button to call back.
type historyPanel struct {
	w *MainWindow

	rows     []history.Record
	selected int  // index into rows, -1 for none
	stale    bool // calls ended since the last fetch
	again    bool // the filter changed while a fetch ran

	filter    *widget.RadioGroup
	search    *widget.Entry
	list      *widget.List
	status    *widget.Label
	detail    *fyne.Container
	number    *widget.Label
	info      *widget.Label
	note      *widget.Entry
	saveNote  *widget.Button
	noteSaved *widget.Label
	callBack  *widget.Button
	view      *fyne.Container
}

// History filter choices, by translation key.
var historyFilters = []string{"history.filter.all", "history.filter.missed", "history.filter.in", "history.filter.out"}

func newHistoryPanel(w *MainWindow) *historyPanel {
	tr := w.tr
	h := &historyPanel{w: w, selected: -1}
	labels := make([]string, len(historyFilters))
	for i, k := range historyFilters {
		labels[i] = tr.T(k)
	}
	h.filter = widget.NewRadioGroup(labels, func(string) { h.reload() })
	h.filter.Horizontal = true
	h.filter.Required = true
	h.filter.Selected = labels[0]
	h.search = widget.NewEntry()
	h.search.SetPlaceHolder(tr.T("history.search"))
	h.search.OnChanged = func(string) { h.reload() }
	h.list = widget.NewList(func() int { return len(h.rows) }, h.newRow, h.updateRow)
	h.list.OnSelected = func(i widget.ListItemID) { h.selected = i; h.showDetail() }
	h.list.OnUnselected = func(widget.ListItemID) { h.selected = -1; h.showDetail() }
	h.status = widget.NewLabel("")
	quiet(h.status)
	h.status.Wrapping = fyne.TextWrapWord
	h.status.Hide()

	h.number = widget.NewLabel("")
	h.number.TextStyle = fyne.TextStyle{Bold: true}
	h.number.SizeName = theme.SizeNameSubHeadingText
	h.number.Selectable = true
	h.info = widget.NewLabel("")
	h.info.Wrapping = fyne.TextWrapWord
	h.note = widget.NewMultiLineEntry()
	h.note.SetPlaceHolder(tr.T("notes.placeholder"))
	h.note.SetMinRowsVisible(2)
	h.note.Wrapping = fyne.TextWrapWord
	h.note.OnChanged = func(string) { h.noteSaved.Hide() }
	h.saveNote = widget.NewButtonWithIcon(tr.T("notes.save"), theme.DocumentSaveIcon(), h.submitNote)
	h.noteSaved = widget.NewLabel(tr.T("notes.saved"))
	h.noteSaved.Importance = widget.SuccessImportance
	h.noteSaved.Hide()
	h.callBack = widget.NewButtonWithIcon(tr.T("history.callback"), theme.MailForwardIcon(), h.dialBack)
	h.callBack.Importance = widget.SuccessImportance
	h.detail = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, h.callBack, h.number), h.info, h.note,
		container.NewBorder(nil, nil, h.noteSaved, h.saveNote))
	h.detail.Hide()

	h.view = container.NewBorder(container.NewVBox(h.filter, h.search, h.status), h.detail, nil, nil, h.list)
	return h
}

// newRow is a list row: the number and when on top, the rest below.
func (h *historyPanel) newRow() fyne.CanvasObject {
	icon := widget.NewIcon(theme.MediaRecordIcon())
	number := widget.NewLabel("")
	number.TextStyle = fyne.TextStyle{Bold: true}
	when := widget.NewLabel("")
	quiet(when)
	more := widget.NewLabel("")
	more.Truncation = fyne.TextTruncateEllipsis
	quiet(more)
	return container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(icon, number), when), more)
}

// updateRow fills a row from a call.
func (h *historyPanel) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(h.rows) {
		return
	}
	r, tr, now := h.rows[i], h.w.tr, h.w.now()
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	left := top.Objects[0].(*fyne.Container)
	icon := left.Objects[0].(*widget.Icon)
	number := left.Objects[1].(*widget.Label)
	when := top.Objects[1].(*widget.Label)
	more := box.Objects[1].(*widget.Label)

	icon.SetResource(historyIcon(r))
	n := r.RemoteNumber
	if n == "" {
		n = r.DisplayNumber
	}
	number.SetText(groupNumber(n))
	if r.Missed() {
		number.Importance = widget.DangerImportance
	} else {
		number.Importance = widget.MediumImportance
	}
	number.Refresh()
	when.SetText(shortTime(r.Started, now))
	more.SetText(historyLine(r, tr))
}

// historyIcon: a missed call stands out; in and out are told apart.
func historyIcon(r history.Record) fyne.Resource {
	switch {
	case r.Missed():
		return theme.NewErrorThemedResource(theme.CancelIcon())
	case r.Direction == history.DirectionOut:
		return theme.MailForwardIcon()
	case r.Direction == history.DirectionIn:
		return theme.MailReplyIcon()
	}
	return theme.AccountIcon()
}

// historyLine: direction or missed, duration, location, note.
func historyLine(r history.Record, tr translator) string {
	var parts []string
	switch {
	case r.Missed():
		parts = append(parts, tr.T("history.missed"))
	case r.Direction == history.DirectionIn:
		parts = append(parts, tr.T("direction.in"))
	case r.Direction == history.DirectionOut:
		parts = append(parts, tr.T("direction.out"))
	case r.Direction == history.DirectionInternal:
		parts = append(parts, tr.T("direction.internal"))
	}
	if !r.Answered.IsZero() && !r.Ended.IsZero() {
		parts = append(parts, clock(r.Ended.Sub(r.Answered)))
	}
	if loc := strings.TrimSpace(r.Location + " " + r.Carrier); loc != "" {
		parts = append(parts, loc)
	}
	if r.Queue != "" {
		parts = append(parts, r.Queue)
	}
	if r.Note != "" {
		parts = append(parts, "✎ "+firstLine(r.Note))
	}
	return strings.Join(parts, " · ")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + "…"
	}
	return s
}

// shortTime: the time for today's calls, month-day and time before.
func shortTime(t, now time.Time) string {
	t = t.In(now.Location())
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return t.Format("15:04")
	}
	if y1 == y2 {
		return t.Format("01-02 15:04")
	}
	return t.Format("2006-01-02")
}

// query is the filter as the agent set it.
func (h *historyPanel) query() history.Filter {
	f := history.Filter{Number: strings.TrimSpace(h.search.Text), Page: history.Page{Limit: historyPageSize}}
	if n, ok := cleanPastedNumber(f.Number); ok {
		f.Number = n
	}
	switch slices.Index(h.filter.Options, h.filter.Selected) {
	case 1:
		f.MissedOnly = true
	case 2:
		f.Direction = history.DirectionIn
	case 3:
		f.Direction = history.DirectionOut
	}
	return f
}

// reload fetches the calls for the current filter; a change while a fetch
// runs fetches again afterwards.
func (h *historyPanel) reload() {
	w := h.w
	if w.o.History == nil {
		return
	}
	if w.pending["history"] {
		h.again = true
		return
	}
	h.stale, h.again = false, false
	f, store, flush := h.query(), w.o.History, w.o.FlushHistory
	var got []history.Record
	w.startThen("history", areaHistory, func(ctx context.Context) (err error) {
		if flush != nil {
			// Calls that just ended are still on their way to the disk.
			if err := flush(ctx); err != nil {
				w.log.Warn("gui: history flush", "err", err)
			}
		}
		got, err = store.Query(ctx, f)
		return err
	}, func(err error) {
		if err == nil {
			h.setRows(got)
		}
		if h.again {
			h.reload()
		}
	})
}

// setRows replaces the list, keeping the chosen call chosen.
func (h *historyPanel) setRows(rows []history.Record) {
	chosen := ""
	if h.selected >= 0 && h.selected < len(h.rows) {
		chosen = h.rows[h.selected].ID
	}
	h.rows = rows
	h.selected = slices.IndexFunc(rows, func(r history.Record) bool { return r.ID == chosen && chosen != "" })
	h.list.Refresh()
	if h.selected >= 0 {
		h.list.Select(h.selected)
	} else {
		h.list.UnselectAll()
	}
	h.showDetail()
}

// callsEnded: calls ended; fetch again if the tab shows, else on opening.
func (h *historyPanel) callsEnded() {
	if h.w.tabs.Selected() == h.w.historyTab {
		h.reload()
		return
	}
	h.stale = true
}

// loadRecent fills the dial pad's recent numbers from the history.
func (h *historyPanel) loadRecent() {
	w := h.w
	if w.o.History == nil {
		return
	}
	store := w.o.History
	var got []history.Record
	w.startThen("history:recent", areaDial, func(ctx context.Context) (err error) {
		got, err = store.Query(ctx, history.Filter{Direction: history.DirectionOut, Page: history.Page{Limit: 50}})
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		// Numbers dialled in this session stay first.
		for _, r := range got {
			if len(w.recent) >= maxRecent {
				break
			}
			if r.RemoteNumber != "" && !slices.Contains(w.recent, r.RemoteNumber) {
				w.recent = append(w.recent, r.RemoteNumber)
			}
		}
	})
}

// showDetail shows the chosen call, or hides the detail.
func (h *historyPanel) showDetail() {
	if h.selected < 0 || h.selected >= len(h.rows) {
		h.detail.Hide()
		return
	}
	r, tr := h.rows[h.selected], h.w.tr
	n := r.RemoteNumber
	if n == "" {
		n = r.DisplayNumber
	}
	h.number.SetText(groupNumber(n))
	info := r.Started.In(h.w.now().Location()).Format("2006-01-02 15:04:05")
	if line := historyLine(r, tr); line != "" {
		info += " · " + line
	}
	if len(r.Tags) > 0 {
		info += "\n" + tr.T("notes.tags") + " " + strings.Join(r.Tags, ", ")
	}
	h.info.SetText(info)
	h.note.SetText(r.Note)
	h.noteSaved.Hide()
	h.detail.Show()
}

// submitNote saves the chosen call's note.
func (h *historyPanel) submitNote() {
	w := h.w
	if w.o.History == nil || h.selected < 0 || h.selected >= len(h.rows) {
		return
	}
	id, note, store := h.rows[h.selected].ID, strings.TrimSpace(h.note.Text), w.o.History
	w.startThen("history:note", areaHistory, func(ctx context.Context) error {
		return store.SetNote(ctx, id, note)
	}, func(err error) {
		if err != nil {
			return
		}
		for i := range h.rows {
			if h.rows[i].ID == id {
				h.rows[i].Note = note
			}
		}
		h.list.Refresh()
		h.noteSaved.Show()
	})
}

// dialBack puts the chosen call's number in the dial field and calls it.
func (h *historyPanel) dialBack() {
	if h.selected < 0 || h.selected >= len(h.rows) {
		return
	}
	r := h.rows[h.selected]
	n := r.RemoteNumber
	if n == "" {
		n = r.DisplayNumber
	}
	w := h.w
	w.numberEntry.SetText(n)
	w.tabs.Select(w.callsTab)
	w.placeCall(n)
}

// render shows progress, failures and the empty list.
func (h *historyPanel) render() {
	w, tr := h.w, h.w.tr
	status := ""
	switch {
	case w.o.History == nil:
		status = tr.T("history.unavailable")
	case w.errs[areaHistory] != "":
		status = w.errs[areaHistory]
	case w.pending["history"] && len(h.rows) == 0:
		status = tr.T("history.loading")
	case len(h.rows) == 0:
		status = tr.T("history.empty")
	}
	setText(h.status, status)
	setVisible(h.status, status != "")
	setEnabled(h.callBack, w.shown.loggedIn && !w.pending["dial"])
	setEnabled(h.saveNote, !w.pending["history:note"])
}
