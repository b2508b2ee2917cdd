package gui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
)

// Call data keys the window writes: the agent's note and tags. Platforms
// that carry call data (telephonebar tag/associate, Udesk Options,
// PhoneKit userData) map them to their own fields.
const (
	dataNote = "note"
	dataTags = "tags"
)

// callDataEditor shows a call's data from the platform and lets the agent
// write a note and tags. The note goes to the call history (always) and to
// the platform (where it carries call data); tags go to the platform.
type callDataEditor struct {
	w  *MainWindow
	id core.CallID

	userData *widget.Label
	note     *widget.Entry
	tags     *widget.Entry
	tagsRow  *fyne.Container
	save     *widget.Button
	saved    *widget.Label
	view     *fyne.Container
	filled   bool // the entries were filled from the call once
}

func notesKey(id core.CallID) string { return "call:" + string(id) + ":notes" }

func newCallDataEditor(w *MainWindow, id core.CallID) *callDataEditor {
	tr := w.tr
	d := &callDataEditor{w: w, id: id}
	d.userData = widget.NewLabel("")
	d.userData.Wrapping = fyne.TextWrapWord
	quiet(d.userData)
	d.note = widget.NewMultiLineEntry()
	d.note.SetPlaceHolder(tr.T("notes.placeholder"))
	d.note.SetMinRowsVisible(3)
	d.note.Wrapping = fyne.TextWrapWord
	d.note.OnChanged = func(string) { d.saved.Hide() }
	d.tags = widget.NewEntry()
	d.tags.SetPlaceHolder(tr.T("notes.tags.placeholder"))
	d.tags.OnChanged = func(string) { d.saved.Hide() }
	d.tagsRow = container.NewBorder(nil, nil, widget.NewLabel(tr.T("notes.tags")), nil, d.tags)
	d.save = widget.NewButtonWithIcon(tr.T("notes.save"), theme.DocumentSaveIcon(), d.submit)
	d.save.Importance = widget.HighImportance
	d.saved = widget.NewLabel(tr.T("notes.saved"))
	d.saved.Importance = widget.SuccessImportance
	d.saved.Hide()
	d.view = container.NewVBox(widget.NewSeparator(), heading(tr.T("notes.heading")), d.userData,
		d.note, d.tagsRow, container.NewBorder(nil, nil, d.saved, d.save))
	return d
}

// open fills the entries from the call's data the first time.
func (d *callDataEditor) open(call core.Call) {
	if d.filled {
		return
	}
	d.filled = true
	d.note.SetText(call.UserData[dataNote])
	d.tags.SetText(call.UserData[dataTags])
	d.saved.Hide()
}

// submit saves the note and tags.
func (d *callDataEditor) submit() {
	w := d.w
	call, ok := w.shown.call(d.id)
	if !ok {
		return
	}
	note := strings.TrimSpace(d.note.Text)
	tags := normalizeTags(d.tags.Text)
	toPlatform := call.Allowed.Has(core.ActCallData)
	hist, flush := w.o.History, w.o.FlushHistory
	id := d.id
	w.startThen(notesKey(id), callArea(id), func(ctx context.Context) error {
		var errs []error
		if toPlatform {
			errs = append(errs, w.engine.SetCallData(ctx, id, map[string]string{dataNote: note, dataTags: tags}))
		}
		if hist != nil {
			if flush != nil {
				// The journal writes behind the engine: make sure the
				// call's row exists before the note goes into it.
				errs = append(errs, flush(ctx))
			}
			errs = append(errs, hist.SetNote(ctx, string(id), note))
		}
		return errors.Join(errs...)
	}, func(err error) {
		setVisible(d.saved, err == nil)
	})
}

// normalizeTags tidies "a, b，c" into "a,b,c".
func normalizeTags(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' })
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ",")
}

// render shows the platform's data and what can be saved.
func (d *callDataEditor) render(call core.Call, busy bool) {
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(call.UserData)) {
		if k == dataNote || k == dataTags {
			continue
		}
		lines = append(lines, k+": "+call.UserData[k])
	}
	setText(d.userData, strings.Join(lines, "\n"))
	setVisible(d.userData, len(lines) > 0)
	setVisible(d.tagsRow, call.Allowed.Has(core.ActCallData))
	setEnabled(d.save, !busy)
	setBusyLabel(d.save, d.w.tr.T("notes.save"), busy, d.w.tr)
}

// notesAvailable reports whether a call's notes can go anywhere.
func (w *MainWindow) notesAvailable(call core.Call) bool {
	return call.State != core.CallDialing && (w.o.History != nil || call.Allowed.Has(core.ActCallData))
}
