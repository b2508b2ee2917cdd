package gui

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"agentbar/core"
)

// waitTimeout bounds every wait in these tests.
const waitTimeout = 5 * time.Second

// harness is a MainWindow on fyne's test app, following a real engine
// signed in (or not) to the fake platform.
//
// Threading in tests: fyne's test driver runs fyne.Do inline, so renders
// happen on the window's event-loop goroutine. The settled hook hands each
// finished render to the test and the loop waits until the test lets it go
// on; while the test holds a render, the loop is parked and the test may
// read and tap widgets without racing it.
type harness struct {
	t      testing.TB
	app    fyne.App
	fake   *fakePlatform
	reg    *core.Registry
	engine *core.Engine
	w      *MainWindow

	renders chan chan struct{} // finished renders; close the inner chan to resume
	held    chan struct{}      // the render the test holds, nil when none
	quit    chan struct{}      // closed at cleanup: the hook stops waiting
	ticks   chan time.Time

	clockMu sync.Mutex
	clock   time.Time
}

// harnessOption changes the window's options before it is built.
type harnessOption func(h *harness, o *Options)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{
		t: t, app: test.NewTempApp(t), fake: newFakePlatform(),
		renders: make(chan chan struct{}), quit: make(chan struct{}),
		ticks: make(chan time.Time), clock: time.Date(2026, 11, 21, 9, 0, 0, 0, time.Local),
	}
	h.reg = h.fake.registry()
	h.engine = core.New(core.Options{Registry: h.reg, CommandTimeout: 2 * time.Second, Now: h.now})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		if err := h.engine.Close(ctx); err != nil && !errors.Is(err, core.ErrNotLoggedIn) {
			t.Errorf("engine close: %v", err)
		}
	})
	o := Options{Engine: h.engine, Lang: "zh", Title: "坐席电话条", Registry: h.reg,
		ticks: h.ticks, now: h.now, settled: h.settled}
	for _, f := range opts {
		f(h, &o)
	}
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
func (h *harness) login() {
	h.t.Helper()
	h.release()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := h.engine.Login(ctx, core.LoginRequest{Account: "alice", Platform: "fake"}); err != nil {
		h.t.Fatalf("login: %v", err)
	}
	h.waitFor("signed in", func() bool {
		return h.w.shown.loggedIn && h.w.shown.conn == core.ConnConnected && len(h.w.shown.breaks) > 0
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
