package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"agentbar/core"
	"agentbar/core/config"
)

// Keyboard shortcuts for answer, hang up, hold and mute, from the settings.
// They work while an agentbar window (the main window or the incoming-call
// popup) has the keyboard: system-wide hotkeys need a library this
// project's module proxy does not offer (golang.design/x/hotkey).

// keyNames maps config's canonical key names to fyne's where they differ.
var keyNames = map[string]fyne.KeyName{
	"Enter": fyne.KeyReturn, "Backspace": fyne.KeyBackspace,
	"PageUp": fyne.KeyPageUp, "PageDown": fyne.KeyPageDown,
}

// fyneNamedKeys are the named keys fyne reports (F1 to F12, not beyond).
var fyneNamedKeys = map[fyne.KeyName]bool{
	fyne.KeySpace: true, fyne.KeyTab: true, fyne.KeyEscape: true, fyne.KeyDelete: true,
	fyne.KeyInsert: true, fyne.KeyHome: true, fyne.KeyEnd: true, fyne.KeyUp: true,
	fyne.KeyDown: true, fyne.KeyLeft: true, fyne.KeyRight: true, fyne.KeyReturn: true,
	fyne.KeyBackspace: true, fyne.KeyPageUp: true, fyne.KeyPageDown: true,
	fyne.KeyF1: true, fyne.KeyF2: true, fyne.KeyF3: true, fyne.KeyF4: true, fyne.KeyF5: true,
	fyne.KeyF6: true, fyne.KeyF7: true, fyne.KeyF8: true, fyne.KeyF9: true, fyne.KeyF10: true,
	fyne.KeyF11: true, fyne.KeyF12: true,
}

// fyneShortcut turns a setting ("Ctrl+Alt+A") into a fyne shortcut; false
// for "" and for keys fyne cannot see (F13–F24, Pause).
func fyneShortcut(spec string) (*desktop.CustomShortcut, bool) {
	if spec == "" {
		return nil, false
	}
	k, err := config.ParseShortcut(spec)
	if err != nil {
		return nil, false
	}
	var mod fyne.KeyModifier
	if k.Ctrl {
		mod |= fyne.KeyModifierControl
	}
	if k.Alt {
		mod |= fyne.KeyModifierAlt
	}
	if k.Shift {
		mod |= fyne.KeyModifierShift
	}
	if k.Super {
		mod |= fyne.KeyModifierSuper
	}
	name, ok := keyNames[k.Key]
	if !ok {
		name = fyne.KeyName(k.Key)
	}
	if len(name) != 1 && !fyneNamedKeys[name] {
		return nil, false
	}
	return &desktop.CustomShortcut{KeyName: name, Modifier: mod}, true
}

// shortcutBindings are the settings' shortcuts with what each does.
func (w *MainWindow) shortcutBindings() []struct {
	spec string
	do   func()
} {
	s := w.settings.Shortcuts
	return []struct {
		spec string
		do   func()
	}{
		{s.Answer, w.answerRinging},
		{s.Hangup, w.hangupCurrent},
		{s.Hold, w.toggleHold},
		{s.Mute, w.toggleMute},
	}
}

// installShortcuts (re)binds the shortcuts on a window's canvas.
func (w *MainWindow) installShortcuts() {
	w.bindShortcuts(w.win.Canvas(), &w.boundMain)
	if w.popup != nil && w.popup.win != nil {
		w.bindShortcuts(w.popup.win.Canvas(), &w.popup.bound)
	}
}

// bindShortcuts replaces the shortcuts bound on a canvas; bound keeps
// them for the next replacement.
func (w *MainWindow) bindShortcuts(c fyne.Canvas, bound *[]fyne.Shortcut) {
	for _, old := range *bound {
		c.RemoveShortcut(old)
	}
	*bound = nil
	for _, b := range w.shortcutBindings() {
		sc, ok := fyneShortcut(b.spec)
		if !ok {
			continue
		}
		do := b.do
		c.AddShortcut(sc, func(fyne.Shortcut) { do() })
		*bound = append(*bound, sc)
	}
}

// toggleHold holds the current call, or resumes it.
func (w *MainWindow) toggleHold() {
	c, ok := w.shown.current()
	switch {
	case !ok:
	case c.Allowed.Has(core.ActHold):
		w.callAction(c.ID, core.ActHold)
	case c.Allowed.Has(core.ActResume):
		w.callAction(c.ID, core.ActResume)
	}
}

// toggleMute mutes the current call, or unmutes it.
func (w *MainWindow) toggleMute() {
	c, ok := w.shown.current()
	switch {
	case !ok:
	case c.Allowed.Has(core.ActMute):
		w.callAction(c.ID, core.ActMute)
	case c.Allowed.Has(core.ActUnmute):
		w.callAction(c.ID, core.ActUnmute)
	}
}
