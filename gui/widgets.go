package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Setters that touch a widget only when something changes: every render
// runs them all (once a second for the timers), and an unchanged widget
// should cost nothing.

func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

func setImportance(l *widget.Label, i widget.Importance) {
	if l.Importance != i {
		l.Importance = i
		l.Refresh()
	}
}

func setVisible(o fyne.CanvasObject, visible bool) {
	switch {
	case visible && !o.Visible():
		o.Show()
	case !visible && o.Visible():
		o.Hide()
	}
}

// disableable is a widget that can be enabled and disabled.
type disableable interface {
	Disabled() bool
	Enable()
	Disable()
}

func setEnabled(w disableable, enabled bool) {
	switch {
	case enabled && w.Disabled():
		w.Enable()
	case !enabled && !w.Disabled():
		w.Disable()
	}
}

// minHeight is a layout that gives its objects the whole space and asks
// for at least h pixels of height while any of them shows (a list inside a
// VBox would otherwise shrink to one row).
type minHeight float32

func (h minHeight) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (h minHeight) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		if o.Visible() {
			s = s.Max(o.MinSize())
			s.Height = max(s.Height, float32(h))
		}
	}
	return s
}
