package gui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestPasteIsCleanedUp(t *testing.T) {
	tests := []struct {
		pasted, field string
	}{
		{"+86 138-0013-8000", "13800138000"},
		{"电话：(010) 1234 5678", "01012345678"},
		{"tel:10086", "10086"},
		{"１３９１２３４５６７８", "13912345678"},
		{"sip:8001@pbx.example.com", "sip:8001@pbx.example.com"}, // not a number: as pasted
		{"call me maybe", "call me maybe"},
	}
	for _, tt := range tests {
		t.Run(tt.pasted, func(t *testing.T) {
			app := test.NewTempApp(t)
			e := newNumberEntry()
			w := test.NewTempWindow(t, e)
			_ = w
			app.Clipboard().SetContent(tt.pasted)
			e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: app.Clipboard()})
			if e.Text != tt.field {
				t.Errorf("pasting %q gives %q, want %q", tt.pasted, e.Text, tt.field)
			}
		})
	}
}

func TestKeypadAndCallerID(t *testing.T) {
	h := newHarness(t)
	h.loginTo("full")
	w := h.w
	if !w.callerRow.Visible() || w.callerSelect.Selected != "02150001111 · 上海总机" {
		t.Fatalf("caller id row %v, chosen %q", w.callerRow.Visible(), w.callerSelect.Selected)
	}
	w.callerSelect.SetSelected("4008001234 · 400 热线")
	test.Tap(w.keypadButton)
	if !w.keypad.Visible() {
		t.Fatal("the keypad did not open")
	}
	for _, r := range "1008" {
		for _, k := range w.keypad.Objects {
			if b := k.(*widget.Button); b.Text == string(r) {
				test.Tap(b)
			}
		}
	}
	if w.numberEntry.Text != "1008" {
		t.Errorf("keypad typed %q", w.numberEntry.Text)
	}
	// The fake records the caller id through the engine's dial request.
	var mu sync.Mutex
	var seen string
	h.fake.mu.Lock()
	h.fake.onDial = func(callerID string) { mu.Lock(); seen = callerID; mu.Unlock() }
	h.fake.mu.Unlock()
	w.numberEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.expectOp("dial:1008")
	mu.Lock()
	defer mu.Unlock()
	if seen != "t2" {
		t.Errorf("dialled with caller id %q, want t2", seen)
	}
}

func TestFyneShortcuts(t *testing.T) {
	tests := []struct {
		spec string
		want *desktop.CustomShortcut
	}{
		{"Ctrl+Alt+A", &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt}},
		{"shift+f5", &desktop.CustomShortcut{KeyName: fyne.KeyF5, Modifier: fyne.KeyModifierShift}},
		{"Super+Enter", &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierSuper}},
		{"Alt+PageDown", &desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: fyne.KeyModifierAlt}},
		{"Ctrl+7", &desktop.CustomShortcut{KeyName: fyne.Key7, Modifier: fyne.KeyModifierControl}},
		{"Ctrl+F20", nil}, // fyne has no F20
		{"Pause", nil},
		{"A", nil}, // config refuses a bare letter
		{"", nil},
	}
	for _, tt := range tests {
		got, ok := fyneShortcut(tt.spec)
		if tt.want == nil {
			if ok {
				t.Errorf("%q: %v, want none", tt.spec, got)
			}
			continue
		}
		if !ok || *got != *tt.want {
			t.Errorf("%q: %v, want %v", tt.spec, got, tt.want)
		}
	}
}

func TestAutostartEntry(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "autostart")
	if autostartEnabled(dir) {
		t.Fatal("enabled before writing")
	}
	if err := setAutostart(dir, "/opt/agent bar/agentbar", true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "agentbar.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec=\"/opt/agent bar/agentbar\"\n") {
		t.Errorf("entry:\n%s", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files (a temporary file left behind?)", len(entries))
	}
	if !autostartEnabled(dir) {
		t.Error("not enabled after writing")
	}
	for i := 0; i < 2; i++ { // removing twice is fine
		if err := setAutostart(dir, "", false); err != nil {
			t.Fatal(err)
		}
	}
	if autostartEnabled(dir) {
		t.Error("still enabled after removing")
	}

	// A folder that cannot be written gives a sentence with the path.
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err = setAutostart(filepath.Join(blocked, "autostart"), "/usr/bin/agentbar", true)
	var ae *AutostartError
	if !errors.As(err, &ae) || !strings.Contains(ae.Sentence("zh"), "无法写入开机启动项") {
		t.Errorf("blocked folder: %v", err)
	}
}

func TestDesktopExecQuote(t *testing.T) {
	tests := map[string]string{
		"/usr/bin/agentbar":     "/usr/bin/agentbar",
		"/opt/a b/agentbar":     `"/opt/a b/agentbar"`,
		`/opt/$x"y/agentbar`:    `"/opt/\$x\"y/agentbar"`,
		"/opt/100%/agentbar":    `"/opt/100%%/agentbar"`,
		`/opt/back\slash/agent`: `"/opt/back\\slash/agent"`,
	}
	for in, want := range tests {
		if got := desktopExecQuote(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestWorkerRunsInOrderAndDrainsOnClose(t *testing.T) {
	w := newWorker()
	var got []int
	for i := 0; i < 100; i++ {
		w.do(func() { got = append(got, i) })
	}
	w.close()
	if len(got) != 100 {
		t.Fatalf("ran %d of 100", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("out of order at %d: %d", i, v)
		}
	}
	if w.do(func() {}) {
		t.Error("a closed worker accepted work")
	}
	w.close() // twice is fine
}
