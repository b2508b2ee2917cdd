package phone

import (
	"agentbar/core/media"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitTimeout bounds every wait for an event in these tests.
const waitTimeout = 10 * time.Second

// recorder keeps every event a phone emits so a test can wait for one
// without losing the others.
type recorder struct {
	t       testing.TB
	name    string
	mu      sync.Mutex
	events  []Event
	changed chan struct{}
	closed  chan struct{}
}

func record(t testing.TB, name string, p *Phone) *recorder {
	r := &recorder{t: t, name: name, changed: make(chan struct{}), closed: make(chan struct{})}
	go func() {
		defer close(r.closed)
		for e := range p.Events() {
			r.mu.Lock()
			r.events = append(r.events, e)
			close(r.changed)
			r.changed = make(chan struct{})
			r.mu.Unlock()
		}
	}()
	return r
}

// wait returns the n-th (1-based) event matching, waiting for it.
func (r *recorder) waitN(n int, what string, match func(Event) bool) Event {
	r.t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		count := 0
		for _, e := range r.events {
			if match(e) {
				count++
				if count == n {
					r.mu.Unlock()
					return e
				}
			}
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-r.closed:
			r.t.Fatalf("%s: events closed while waiting for %s; got:\n%s", r.name, what, r.dump())
		case <-deadline.C:
			r.t.Fatalf("%s: no %s within %v; got:\n%s", r.name, what, waitTimeout, r.dump())
		}
	}
}

func (r *recorder) wait(what string, match func(Event) bool) Event {
	r.t.Helper()
	return r.waitN(1, what, match)
}

func (r *recorder) dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		fmt.Fprintf(&b, "  %v\n", e)
	}
	return b.String()
}

func (r *recorder) count(match func(Event) bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if match(e) {
			n++
		}
	}
	return n
}

// waitState waits for call c (by Call-ID) to reach state.
func (r *recorder) waitState(callID string, state CallState) CallStateChanged {
	r.t.Helper()
	return r.wait(fmt.Sprintf("call %s %v", callID, state), func(e Event) bool {
		s, ok := e.(CallStateChanged)
		return ok && s.Call.ID() == callID && s.State == state
	}).(CallStateChanged)
}

func (r *recorder) waitIncoming() IncomingCall {
	r.t.Helper()
	return r.wait("IncomingCall", func(e Event) bool { _, ok := e.(IncomingCall); return ok }).(IncomingCall)
}

func (r *recorder) waitIncomingN(n int) IncomingCall {
	r.t.Helper()
	return r.waitN(n, "IncomingCall", func(e Event) bool { _, ok := e.(IncomingCall); return ok }).(IncomingCall)
}

// testPhone is a started phone on loopback with its event recorder.
type testPhone struct {
	*Phone
	ev      *recorder
	takenMu sync.Mutex
	taken   map[*Call]bool
}

func newTestPhone(t testing.TB, user, transport string, mod func(*Config)) *testPhone {
	t.Helper()
	return newTestPhoneWith(t, user, transport, mod, nil)
}

// newTestPhoneWith is newTestPhone with hooks set before Start.
func newTestPhoneWith(t testing.TB, user, transport string, mod func(*Config), hooks func(*testHooks)) *testPhone {
	t.Helper()
	cfg := Config{
		URI:       "sip:" + user + "@127.0.0.1",
		Transport: transport,
		LocalIP:   net.IPv4(127, 0, 0, 1),
		UserAgent: "agentbar-test-" + user,
		Logger:    testLogger(t, user),
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%s): %v", user, err)
	}
	if hooks != nil {
		hooks(&p.hooks)
	}
	tp := &testPhone{Phone: p, ev: record(t, user, p), taken: map[*Call]bool{}}
	if err := p.Start(context.Background()); err != nil {
		t.Fatalf("Start(%s): %v", user, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p.Close(ctx)
		<-tp.ev.closed
	})
	return tp
}

// dialAsync dials in the background; the result arrives on the channel.
type dialResult struct {
	call *Call
	err  error
}

func (tp *testPhone) dialAsync(ctx context.Context, target string) <-chan dialResult {
	ch := make(chan dialResult, 1)
	go func() {
		c, err := tp.Dial(ctx, target)
		ch <- dialResult{c, err}
	}()
	return ch
}

func waitDial(t testing.TB, ch <-chan dialResult) dialResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(waitTimeout):
		t.Fatal("Dial did not return")
		return dialResult{}
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// connect makes caller call callee, who answers; returns both legs.
func connect(t testing.TB, caller, callee *testPhone) (out, in *Call) {
	t.Helper()
	res := caller.dialAsync(ctxT(t), callee.Contact())
	inc := callee.nextIncoming()
	if err := inc.Call.Answer(ctxT(t)); err != nil {
		t.Fatalf("Answer: %v", err)
	}
	r := waitDial(t, res)
	if r.err != nil {
		t.Fatalf("Dial: %v", r.err)
	}
	if r.call.ID() != inc.Call.ID() {
		t.Fatalf("caller's call %s, callee answered %s", r.call.ID(), inc.Call.ID())
	}
	callee.ev.waitState(inc.Call.ID(), Talking)
	return r.call, inc.Call
}

// nextIncoming waits for an IncomingCall this test has not taken yet.
// (match runs under the recorder's lock: taken has its own.)
func (tp *testPhone) nextIncoming() IncomingCall {
	tp.ev.t.Helper()
	e := tp.ev.wait("a new IncomingCall", func(e Event) bool {
		ic, ok := e.(IncomingCall)
		if !ok {
			return false
		}
		tp.takenMu.Lock()
		defer tp.takenMu.Unlock()
		if tp.taken[ic.Call] {
			return false
		}
		tp.taken[ic.Call] = true
		return true
	})
	return e.(IncomingCall)
}

func testLogger(t testing.TB, name string) *slog.Logger {
	if os.Getenv("AGENTBAR_SIP_DEBUG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("phone", name)
}

// mediaDirection is what the RTP session was last told to do.
func (c *Call) mediaDirection() media.Direction {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.params.Direction
}
