package gui

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"agentbar/core"
	"agentbar/core/config"
	"agentbar/core/history"
	"agentbar/core/secrets"
)

// waitTimeout bounds every wait in these tests.
const waitTimeout = 5 * time.Second

// harness is a MainWindow on fyne's test app, following a real engine
// signed in (or not) to the fake platforms, with real account and
// settings files in a temporary folder, an in-memory keyring, and
// recording stand-ins for the sound side, notifications and the browser.
//
// Threading in tests: fyne's test driver runs fyne.Do inline, so renders
// happen on the window's event-loop goroutine. The settled hook hands each
// finished render to the test and the loop waits until the test lets it go
// on; while the test holds a render, the loop is parked and the test may
// read and tap widgets without racing it.
type harness struct {
	t       testing.TB
	app     fyne.App
	fake    *fakePlatform
	full    *fullPlatform
	reg     *core.Registry
	engine  *core.Engine
	w       *MainWindow
	config  *config.Store
	keys    *secrets.Memory
	audio   *fakeAudio
	hist    *history.Store  // nil unless withHistory
	journal *historyJournal // nil unless withHistory

	notified chan *fyne.Notification
	opened   chan *url.URL

	renders chan chan struct{} // finished renders; close the inner chan to resume
	held    chan struct{}      // the render the test holds, nil when none
	quit    chan struct{}      // closed at cleanup: the hook stops waiting
	ticks   chan time.Time
	meters  chan time.Time

	clockMu sync.Mutex
	clock   time.Time
}

// harnessOption changes the window's options before it is built.
type harnessOption func(h *harness, o *Options)

// withSettings saves settings before the window reads them.
func withSettings(change func(s *config.Settings)) harnessOption {
	return func(h *harness, o *Options) {
		s := h.config.Settings()
		change(&s)
		if err := h.config.PutSettings(s); err != nil {
			h.t.Fatal(err)
		}
	}
}

// withTray gives the window a recording tray.
func withTray(tray *fakeTray) harnessOption {
	return func(h *harness, o *Options) { o.tray = tray }
}

// withHistory gives the engine a real SQLite history (through the same
// journal writer the app uses) and the window its store.
func withHistory(h *harness, o *Options) {
	store, err := history.Open(filepath.Join(h.t.TempDir(), "history.db"))
	if err != nil {
		h.t.Fatal(err)
	}
	h.hist = store
	o.History = store
	o.FlushHistory = h.flushHistory
}

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{
		t: t, app: test.NewTempApp(t), fake: newFakePlatform(), audio: newFakeAudio(),
		keys: secrets.NewMemory(), notified: make(chan *fyne.Notification, 16), opened: make(chan *url.URL, 16),
		renders: make(chan chan struct{}), quit: make(chan struct{}),
		ticks: make(chan time.Time), meters: make(chan time.Time), clock: time.Date(2026, 11, 21, 9, 0, 0, 0, time.Local),
	}
	h.full = &fullPlatform{fakePlatform: h.fake}
	h.reg = h.fake.registry()
	h.full.register(h.reg)
	registerFormPlatform(h.reg)
	var err error
	h.config, err = config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Lang: "zh", Title: "坐席电话条", Registry: h.reg,
		Accounts: h.config, Settings: h.config, Secrets: h.keys, Audio: h.audio,
		ticks: h.ticks, meterTicks: h.meters, now: h.now, settled: h.settled,
		notify:       func(n *fyne.Notification) { h.notified <- n },
		openURL:      func(u *url.URL) error { h.opened <- u; return nil },
		AutostartDir: filepath.Join(t.TempDir(), "autostart"), Executable: "/usr/bin/agentbar",
	}
	for _, f := range opts {
		f(h, &o)
	}
	var journal core.Journal
	if h.hist != nil {
		h.journal = newHistoryJournal(h.hist)
		journal = h.journal
	}
	h.engine = core.New(core.Options{Registry: h.reg, CommandTimeout: 2 * time.Second, Now: h.now, Journal: journal})
	o.Engine = h.engine
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		if err := h.engine.Close(ctx); err != nil && !errors.Is(err, core.ErrNotLoggedIn) {
			t.Errorf("engine close: %v", err)
		}
		if h.journal != nil {
			if err := h.journal.w.Close(ctx); err != nil {
				t.Errorf("history writer: %v", err)
			}
		}
		if h.hist != nil {
			_ = h.hist.Close()
		}
	})
	h.w = NewMainWindow(h.app, o)
	t.Cleanup(func() {
		close(h.quit)
		h.w.Close()
	})
	h.waitFor("first render", func() bool { return true })
	return h
}

func (h *harness) now() time.Time {
	h.clockMu.Lock()
	defer h.clockMu.Unlock()
	return h.clock
}

// advance moves the clock and ticks the window's timers.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	h.clockMu.Lock()
	h.clock = h.clock.Add(d)
	h.clockMu.Unlock()
	h.release()
	deadline := time.After(waitTimeout)
	for {
		select {
		case h.ticks <- h.now():
			return
		case resume := <-h.renders:
			close(resume) // the loop was busy with something else first
		case <-deadline:
			h.t.Fatal("the window did not take the tick")
		}
	}
}

// settled is the window's hook: offer the render to the test and wait.
func (h *harness) settled(board) {
	resume := make(chan struct{})
	select {
	case h.renders <- resume:
		select {
		case <-resume:
		case <-h.quit:
		}
	case <-h.quit:
	}
}

// release lets a held render go.
func (h *harness) release() {
	if h.held != nil {
		close(h.held)
		h.held = nil
	}
}

// waitFor lets renders go by until cond holds after one, then holds that
// render (the loop is parked) and returns.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	h.release()
	deadline := time.After(waitTimeout)
	for {
		select {
		case resume := <-h.renders:
			if cond() {
				h.held = resume
				return
			}
			close(resume)
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// login signs in to the fake platform and waits until the window shows it
// connected, with the break reasons loaded.
func (h *harness) login() { h.loginTo("fake") }

// loginTo signs in to one of the fake platforms ("fake": hold and breaks
// only; "full": every capability).
func (h *harness) loginTo(platform string) {
	h.t.Helper()
	h.release()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := h.engine.Login(ctx, core.LoginRequest{Account: "alice", Platform: platform}); err != nil {
		h.t.Fatalf("login: %v", err)
	}
	h.waitFor("signed in", func() bool {
		return h.w.shown.loggedIn && h.w.shown.conn == core.ConnConnected && len(h.w.shown.breaks) > 0 &&
			len(h.w.pending) == 0
	})
}

// expectOp waits until the platform received a request.
func (h *harness) expectOp(op string) {
	h.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case got := <-h.fake.opsC:
			if got == op {
				return
			}
		case resume := <-h.renders:
			close(resume) // the op may come from the UI thread's reaction
		case <-deadline:
			h.fake.mu.Lock()
			ops := slices.Clone(h.fake.ops)
			h.fake.mu.Unlock()
			h.t.Fatalf("platform never got %q; got %q", op, ops)
		}
	}
}

// card returns the card of the only call, or fails.
func (h *harness) card() *callCard {
	h.t.Helper()
	if len(h.w.cards) != 1 {
		h.t.Fatalf("%d call cards, want 1", len(h.w.cards))
	}
	for _, c := range h.w.cards {
		return c
	}
	return nil
}

// waitCard waits for exactly one call card that satisfies cond, with no
// command in flight (a button whose action is under way stays visible
// until its outcome is back, even when the platform's event came first).
func (h *harness) waitCard(what string, cond func(c *callCard) bool) *callCard {
	h.t.Helper()
	var found *callCard
	h.waitFor(what, func() bool {
		if len(h.w.cards) != 1 || len(h.w.pending) != 0 {
			return false
		}
		for _, c := range h.w.cards {
			found = c
		}
		return cond(found)
	})
	return found
}

// idle waits for a render with no command in flight.
func (h *harness) idle(what string, cond func() bool) {
	h.t.Helper()
	h.waitFor(what, func() bool { return len(h.w.pending) == 0 && cond() })
}

// flushHistory waits for the journal's writes.
func (h *harness) flushHistory(ctx context.Context) error {
	if h.journal != nil {
		return h.journal.w.Flush(ctx)
	}
	return nil
}

// drainWorker waits until everything the window queued on its worker so
// far has run, letting renders go meanwhile.
func (h *harness) drainWorker() {
	h.t.Helper()
	h.release()
	done := make(chan struct{})
	h.w.worker.do(func() { close(done) })
	deadline := time.After(waitTimeout)
	for {
		select {
		case <-done:
			return
		case resume := <-h.renders:
			close(resume)
		case <-deadline:
			h.t.Fatal("the worker is stuck")
		}
	}
}

// openedURL waits for a screen pop, letting renders go meanwhile.
func (h *harness) openedURL() *url.URL {
	h.t.Helper()
	h.release()
	deadline := time.After(waitTimeout)
	for {
		select {
		case u := <-h.opened:
			return u
		case resume := <-h.renders:
			close(resume)
		case <-deadline:
			h.t.Fatal("no screen pop")
			return nil
		}
	}
}

// notification waits for a desktop notification.
func (h *harness) notification() *fyne.Notification {
	h.t.Helper()
	select {
	case n := <-h.notified:
		return n
	case <-time.After(waitTimeout):
		h.t.Fatal("no notification")
		return nil
	}
}

// visibleActions lists the action buttons a card shows.
func visibleActions(c *callCard) []string {
	var out []string
	for _, b := range c.buttons() {
		if b.button.Visible() {
			out = append(out, b.action.String())
		}
	}
	return out
}
