package gui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"agentbar/core"
	"agentbar/core/numbers"
)

// maxRecent is how many dialled numbers the recent list keeps.
const maxRecent = 10

// numberEntry is the dial field. A paste is cleaned up at once: "+86
// 138-0013-8000", "电话：(010) 1234 5678" or "tel:10086" become the
// number they mean, replacing what was in the field; a paste that is not a
// number (a SIP URI, a sentence) goes in as typed.
type numberEntry struct {
	widget.Entry
}

func newNumberEntry() *numberEntry {
	e := &numberEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut intercepts paste.
func (e *numberEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		if n, ok := cleanPastedNumber(p.Clipboard.Content()); ok {
			e.SetText(n)
			e.CursorColumn = len([]rune(n))
			e.Refresh()
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// cleanPastedNumber normalises pasted text when it is a phone number.
func cleanPastedNumber(s string) (string, bool) {
	n, err := numbers.Normalize(s)
	if err != nil {
		return "", false
	}
	return n, true
}

// buildDialPad: the number field with its call button, then redial, the
// keypad toggle, the recent numbers and, where the platform has them, the
// numbers the customer may see.
func (w *MainWindow) buildDialPad() fyne.CanvasObject {
	tr := w.tr
	w.numberEntry = newNumberEntry()
	w.numberEntry.SetPlaceHolder(tr.T("dial.placeholder"))
	w.numberEntry.OnSubmitted = func(string) { w.dial() }
	w.dialButton = widget.NewButtonWithIcon(tr.T("dial.button"), theme.MailForwardIcon(), w.dial)
	w.dialButton.Importance = widget.SuccessImportance
	w.dialError = errorLabel()

	// Redial and the keypad toggle are icons beside the field; their names
	// are in the recent list's and the keypad's own labels.
	w.redialButton = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), w.redial)
	w.redialButton.Importance = widget.LowImportance
	w.keypadButton = widget.NewButtonWithIcon("", theme.GridIcon(), func() {
		setVisible(w.keypad, !w.keypad.Visible())
	})
	w.keypadButton.Importance = widget.LowImportance
	w.recentSelect = widget.NewSelect(nil, func(n string) {
		if n != "" {
			w.numberEntry.SetText(n)
		}
	})
	w.recentSelect.PlaceHolder = tr.T("dial.recent")
	w.keypad = keypadGrid(func(r rune) {
		w.numberEntry.SetText(w.numberEntry.Text + string(r))
	})
	w.keypad.Hide()

	w.callerIDLabel = widget.NewLabel(tr.T("dial.callerid"))
	w.callerSelect = widget.NewSelect(nil, w.callerIDChosen)
	w.callerSelect.PlaceHolder = tr.T("dial.callerid.default")
	w.callerRow = container.NewBorder(nil, nil, w.callerIDLabel, nil, w.callerSelect)
	w.callerRow.Hide()

	w.listsRow = container.NewGridWithColumns(1, w.recentSelect, w.callerRow)
	dialRow := container.NewBorder(nil, nil, nil,
		container.NewHBox(w.redialButton, w.keypadButton, w.dialButton), w.numberEntry)
	return container.NewVBox(widget.NewSeparator(), dialRow, w.dialError, w.keypad,
		w.listsRow)
}

// keypadGrid is a phone's twelve keys; press gets each key's rune.
func keypadGrid(press func(r rune)) *fyne.Container {
	keys := []rune("123456789*0#")
	buttons := make([]fyne.CanvasObject, len(keys))
	for i, r := range keys {
		b := widget.NewButton(string(r), func() { press(r) })
		buttons[i] = b
	}
	return container.NewGridWithColumns(3, buttons...)
}

// dial calls the number in the dial field (button or Enter).
func (w *MainWindow) dial() {
	number := strings.TrimSpace(w.numberEntry.Text)
	if number == "" {
		w.fail(areaDial, &InputError{ErrEmptyNumber})
		return
	}
	w.placeCall(number)
}

// redial calls the last number dialled again.
func (w *MainWindow) redial() {
	if len(w.recent) == 0 {
		w.fail(areaDial, &InputError{ErrNothingToRedial})
		return
	}
	w.numberEntry.SetText(w.recent[0])
	w.placeCall(w.recent[0])
}

// placeCall dials number with the chosen caller id.
func (w *MainWindow) placeCall(number string) {
	callerID := w.callerPick
	w.startThen("dial", areaDial, func(ctx context.Context) error {
		_, err := w.engine.Dial(ctx, core.DialOptions{Target: number, CallerID: callerID})
		return err
	}, func(err error) {
		if err != nil {
			return
		}
		w.remember(number)
		// The call shows in its card now; clear the field unless the agent
		// has typed something else meanwhile.
		if strings.TrimSpace(w.numberEntry.Text) == number {
			w.numberEntry.SetText("")
		}
	})
}

// remember puts a dialled number first in the recent list.
func (w *MainWindow) remember(number string) {
	w.recent = slices.DeleteFunc(w.recent, func(n string) bool { return n == number })
	w.recent = slices.Insert(w.recent, 0, number)
	if len(w.recent) > maxRecent {
		w.recent = w.recent[:maxRecent]
	}
}

// callerIDChosen: the agent picked the number the customer sees.
func (w *MainWindow) callerIDChosen(label string) {
	w.callerPick = ""
	for _, c := range w.callerIDs {
		if callerIDLabel(c) == label {
			w.callerPick = c.ID
		}
	}
}

func callerIDLabel(c core.CallerID) string {
	if c.Label != "" && c.Label != c.Number {
		return c.Number + " · " + c.Label
	}
	return c.Number
}

// loadSessionLists fetches, after a sign-in, the lists the window offers:
// the caller ids (where the platform has them) and the recent numbers from
// the history. UI thread; the fetches run as commands.
func (w *MainWindow) loadSessionLists(b board) {
	if b.caps.CallerID {
		var got []core.CallerID
		w.startThen("callerids", areaDial, func(ctx context.Context) (err error) {
			got, err = w.engine.CallerIDs(ctx)
			return err
		}, func(err error) {
			if err != nil {
				return
			}
			w.callerIDs = got
			w.callerPick = ""
			for _, c := range got {
				if c.Current {
					w.callerPick = c.ID
				}
			}
		})
	} else {
		w.callerIDs, w.callerPick = nil, ""
	}
	w.history.loadRecent()
}

// renderDialPad brings the dial area in line with the board.
func (w *MainWindow) renderDialPad(b board) {
	setEnabled(w.dialButton, b.loggedIn && !w.pending["dial"])
	w.setBusyText(w.dialButton, "dial.button", w.pending["dial"])
	showError(w.dialError, w.errs[areaDial])
	setEnabled(w.redialButton, b.loggedIn && len(w.recent) > 0 && !w.pending["dial"])
	if !slices.Equal(w.recentSelect.Options, w.recent) {
		w.recentSelect.SetOptions(slices.Clone(w.recent))
	}
	setEnabled(w.recentSelect, len(w.recent) > 0)

	labels := make([]string, 0, len(w.callerIDs))
	chosen := ""
	for _, c := range w.callerIDs {
		l := callerIDLabel(c)
		labels = append(labels, l)
		if c.ID == w.callerPick {
			chosen = l
		}
	}
	if !slices.Equal(w.callerSelect.Options, labels) {
		w.callerSelect.SetOptions(labels)
	}
	if w.callerSelect.Selected != chosen {
		w.callerSelect.Selected = chosen
		w.callerSelect.Refresh()
	}
	callers := b.loggedIn && len(labels) > 0
	setVisible(w.callerRow, callers)
	// The recent numbers take the row alone, or share it with the caller id.
	if cols := 1 + btoi(callers); w.listsCols != cols {
		w.listsCols = cols
		w.listsRow.Layout = layout.NewGridLayoutWithColumns(cols)
		w.listsRow.Refresh()
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
