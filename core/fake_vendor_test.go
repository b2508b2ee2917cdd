package core

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeVendor is an in-memory adapter for engine unit tests: it records
// requests and lets the test report updates as its "platform".
type fakeVendor struct {
	mu       sync.Mutex
	sink     Sink
	requests []string
	failOn   map[string]error
	block    map[string]chan struct{} // op → released when closed
	logouts  int
	loginErr error
	lastDial DialRequest
}

func newFake() *fakeVendor {
	return &fakeVendor{failOn: map[string]error{}, block: map[string]chan struct{}{}}
}

func (f *fakeVendor) record(ctx context.Context, op string) error {
	f.mu.Lock()
	f.requests = append(f.requests, op)
	err := f.failOn[op]
	blk := f.block[op]
	f.mu.Unlock()
	if blk != nil {
		select {
		case <-blk:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func (f *fakeVendor) report(u Update) {
	f.mu.Lock()
	s := f.sink
	f.mu.Unlock()
	s.Report(u)
}

func (f *fakeVendor) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func (f *fakeVendor) Login(ctx context.Context, sink Sink) error {
	f.mu.Lock()
	f.sink = sink
	err := f.loginErr
	f.mu.Unlock()
	if err != nil {
		return err
	}
	sink.Report(AgentStateUpdate{State: BusyState()})
	return f.record(ctx, "login")
}
func (f *fakeVendor) Logout(ctx context.Context) error {
	f.mu.Lock()
	f.logouts++
	f.mu.Unlock()
	return nil
}
func (f *fakeVendor) SetAgentState(ctx context.Context, s AgentState) error {
	if err := f.record(ctx, "state:"+s.String()); err != nil {
		return err
	}
	f.sink.Report(AgentStateUpdate{State: s})
	return nil
}
func (f *fakeVendor) Dial(ctx context.Context, r DialRequest) error {
	f.mu.Lock()
	f.lastDial = r
	f.mu.Unlock()
	if err := f.record(ctx, "dial:"+r.Number); err != nil {
		return err
	}
	f.sink.Report(CallUpdate{PlatformCallID: "p-" + string(r.Tag), Tag: r.Tag, Direction: Outbound, State: CallDialing})
	return nil
}
func (f *fakeVendor) Answer(ctx context.Context, id string) error { return f.record(ctx, "answer:"+id) }
func (f *fakeVendor) Hangup(ctx context.Context, id string) error { return f.record(ctx, "hangup:"+id) }

// fullVendor adds every optional capability.
type fullVendor struct{ *fakeVendor }

func (f fullVendor) NumTypes() []string                          { return []string{"encrypt"} }
func (f fullVendor) Reject(ctx context.Context, id string) error { return f.record(ctx, "reject:"+id) }
func (f fullVendor) Hold(ctx context.Context, id string) error   { return f.record(ctx, "hold:"+id) }
func (f fullVendor) Resume(ctx context.Context, id string) error { return f.record(ctx, "resume:"+id) }
func (f fullVendor) Mute(ctx context.Context, id string, on bool) error {
	if on {
		return f.record(ctx, "mute:"+id)
	}
	return f.record(ctx, "unmute:"+id)
}
func (f fullVendor) SendDTMF(ctx context.Context, id, d string) error {
	return f.record(ctx, "dtmf:"+d)
}
func (f fullVendor) TransferKinds() []TargetKind {
	return []TargetKind{TargetAgent, TargetNumber, TargetQueue, TargetIVR}
}
func (f fullVendor) Transfer(ctx context.Context, id string, t Target) error {
	return f.record(ctx, "transfer:"+string(t.Kind)+":"+t.ID)
}
func (f fullVendor) Consult(ctx context.Context, id string, t Target) error {
	return f.record(ctx, "consult:"+t.ID)
}
func (f fullVendor) ConsultTransfer(ctx context.Context, id string) error {
	return f.record(ctx, "consult_transfer")
}
func (f fullVendor) ConsultCancel(ctx context.Context, id string) error {
	return f.record(ctx, "consult_cancel")
}
func (f fullVendor) Conference(ctx context.Context, id string, t Target) error {
	return f.record(ctx, "conference:"+t.ID)
}
func (f fullVendor) ConsultConference(ctx context.Context, id string) error {
	return f.record(ctx, "consult_conference")
}
func (f fullVendor) ConferenceRetrieve(ctx context.Context, id string) error {
	return f.record(ctx, "conference_retrieve")
}
func (f fullVendor) ConferenceTransfer(ctx context.Context, id string) error {
	return f.record(ctx, "conference_transfer")
}
func (f fullVendor) SetCallData(ctx context.Context, id string, d map[string]string) error {
	return f.record(ctx, "calldata")
}
func (f fullVendor) BreakReasons(ctx context.Context) ([]BreakReason, error) {
	return []BreakReason{{Code: "101", Label: "午饭"}, {Code: "102", Label: "培训"}}, nil
}

var (
	_ Vendor            = (*fakeVendor)(nil)
	_ Holder            = fullVendor{}
	_ Transferrer       = fullVendor{}
	_ Consulter         = fullVendor{}
	_ Conferencer       = fullVendor{}
	_ BreakReasonLister = fullVendor{}
)

// harness is an engine signed in to a fake platform, with a subscriber.
type harness struct {
	t      *testing.T
	e      *Engine
	fake   *fakeVendor
	sub    *Subscription
	ctx    context.Context
	ids    int
	record *recordingJournal
}

type recordingJournal struct {
	mu   sync.Mutex
	recs []CallRecord
}

func (j *recordingJournal) Record(r CallRecord) {
	j.mu.Lock()
	j.recs = append(j.recs, r)
	j.mu.Unlock()
}

func (j *recordingJournal) states(id CallID) []CallState {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []CallState
	for _, r := range j.recs {
		if r.Call.ID == id {
			out = append(out, r.Call.State)
		}
	}
	return out
}

// watchVendor is a supervisor platform with only some monitor modes.
type watchVendor struct{ *fakeVendor }

func (f watchVendor) GroupAgents(ctx context.Context) ([]AgentInfo, error) {
	return nil, f.record(ctx, "group")
}
func (f watchVendor) Monitor(ctx context.Context, agentID string, m MonitorMode) error {
	return f.record(ctx, "monitor:"+agentID+":"+string(m))
}
func (f watchVendor) MonitorModes() []MonitorMode {
	return []MonitorMode{MonitorListen, MonitorBarge, MonitorEnd, MonitorHangup}
}

// newHarness registers "fake" (minimal) and "full" platforms in a private
// registry and signs in to the one named.
func newHarness(t *testing.T, platform string, opts ...func(*Options)) *harness {
	t.Helper()
	h := &harness{t: t, fake: newFake(), record: &recordingJournal{}}
	reg := NewRegistry()
	reg.Register(Info{ID: "fake", Name: Text{ZH: "测试", EN: "Fake"}, New: func(Config) (Vendor, error) { return h.fake, nil }})
	reg.Register(Info{ID: "full", Name: Text{ZH: "全功能", EN: "Full"}, New: func(Config) (Vendor, error) { return fullVendor{h.fake}, nil }})
	reg.Register(Info{ID: "watch", Name: Text{ZH: "班长", EN: "Watch"}, New: func(Config) (Vendor, error) { return watchVendor{h.fake}, nil }})
	o := Options{
		Registry: reg, Journal: h.record, CommandTimeout: 2 * time.Second,
		NewCallID: func() CallID { h.ids++; return CallID(fmt.Sprintf("c%d", h.ids)) },
	}
	for _, f := range opts {
		f(&o)
	}
	h.e = New(o)
	h.sub = h.e.Subscribe("test", 1024)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	h.ctx = ctx
	t.Cleanup(func() {
		cancel()
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		if err := h.e.Close(cctx); err != nil && !errors.Is(err, ErrNotLoggedIn) {
			t.Errorf("Close: %v", err)
		}
	})
	if platform != "" {
		if err := h.e.Login(h.ctx, LoginRequest{Account: "acct", Platform: platform}); err != nil {
			t.Fatalf("login: %v", err)
		}
		h.waitFor(func(ev Event) bool { _, ok := ev.(LoggedIn); return ok })
		if platform == "full" { // its break reasons load after login
			h.waitFor(func(ev Event) bool { _, ok := ev.(BreakReasonsChanged); return ok })
		}
	}
	return h
}

// waitFor reads events until one matches, failing after a deadline.
func (h *harness) waitFor(match func(Event) bool) Event {
	h.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-h.sub.C:
			if !ok {
				h.t.Fatal("subscription closed while waiting")
			}
			if match(ev) {
				return ev
			}
		case <-timeout:
			h.t.Fatal("timed out waiting for an event")
		}
	}
}

// waitCall waits until the call reaches state.
func (h *harness) waitCall(id CallID, state CallState) Call {
	h.t.Helper()
	ev := h.waitFor(func(ev Event) bool {
		switch ev := ev.(type) {
		case CallChanged:
			return ev.Call.ID == id && ev.Call.State == state
		case CallAdded:
			return ev.Call.ID == id && ev.Call.State == state
		}
		return false
	})
	switch ev := ev.(type) {
	case CallChanged:
		return ev.Call
	case CallAdded:
		return ev.Call
	}
	return Call{}
}

// inbound makes the fake platform ring the agent and returns the call id.
func (h *harness) inbound(pid, number string) CallID {
	h.t.Helper()
	h.fake.report(CallUpdate{PlatformCallID: pid, Direction: Inbound, RemoteNumber: number, State: CallRinging, Queue: "售后"})
	ev := h.waitFor(func(ev Event) bool { _, ok := ev.(CallAdded); return ok }).(CallAdded)
	return ev.Call.ID
}

// talking brings a call to Talking through the platform.
func (h *harness) talking(pid string, id CallID) {
	h.t.Helper()
	h.fake.report(CallUpdate{PlatformCallID: pid, State: CallTalking})
	h.waitCall(id, CallTalking)
}
