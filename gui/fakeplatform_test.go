package gui

import (
	"context"
	"fmt"
	"sync"

	"agentbar/core"
)

// fakePlatform is a tiny in-memory platform for GUI tests: it records what
// the engine asked for, answers like a well-behaved platform (an accepted
// answer makes the call talk ...), and lets a test fail or hold any request.
// What is under test is the window, not a platform.
type fakePlatform struct {
	mu     sync.Mutex
	sink   core.Sink
	ops    []string
	opsC   chan string              // every recorded request, for waiting
	failOn map[string]error         // op kind ("answer", "dial" ...) → error
	block  map[string]chan struct{} // op kind → released when closed
	breaks []core.BreakReason
	onDial func(callerID string) // sees each dial request's caller id
}

func newFakePlatform() *fakePlatform {
	return &fakePlatform{
		opsC:   make(chan string, 1024),
		failOn: map[string]error{},
		block:  map[string]chan struct{}{},
		breaks: []core.BreakReason{{Code: "101", Label: "午饭"}, {Code: "102", Label: "培训"}},
	}
}

var (
	_ core.Vendor            = (*fakePlatform)(nil)
	_ core.Holder            = (*fakePlatform)(nil)
	_ core.BreakReasonLister = (*fakePlatform)(nil)
)

// registry registers the fake as "fake" in a private registry.
func (f *fakePlatform) registry() *core.Registry {
	reg := core.NewRegistry()
	reg.Register(core.Info{
		ID: "fake", Name: core.Text{ZH: "测试平台", EN: "Test platform"},
		New: func(core.Config) (core.Vendor, error) { return f, nil },
	})
	return reg
}

// record notes a request, then fails or waits as the test arranged.
func (f *fakePlatform) record(ctx context.Context, kind, op string) error {
	f.mu.Lock()
	f.ops = append(f.ops, op)
	err := f.failOn[kind]
	blk := f.block[kind]
	f.mu.Unlock()
	f.opsC <- op
	if blk != nil {
		select {
		case <-blk:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func (f *fakePlatform) failNext(kind string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failOn[kind] = err
}

// hold makes requests of a kind wait until the returned func is called.
func (f *fakePlatform) hold(kind string) (release func()) {
	c := make(chan struct{})
	f.mu.Lock()
	f.block[kind] = c
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.block, kind)
			f.mu.Unlock()
			close(c)
		})
	}
}

// report speaks as the platform.
func (f *fakePlatform) report(u core.Update) {
	f.mu.Lock()
	s := f.sink
	f.mu.Unlock()
	s.Report(u)
}

func (f *fakePlatform) Login(ctx context.Context, sink core.Sink) error {
	f.mu.Lock()
	f.sink = sink
	f.mu.Unlock()
	if err := f.record(ctx, "login", "login"); err != nil {
		return err
	}
	sink.Report(core.AgentStateUpdate{State: core.BusyState()})
	return nil
}

func (f *fakePlatform) Logout(ctx context.Context) error { return f.record(ctx, "logout", "logout") }

func (f *fakePlatform) SetAgentState(ctx context.Context, s core.AgentState) error {
	if err := f.record(ctx, "state", "state:"+s.String()); err != nil {
		return err
	}
	f.report(core.AgentStateUpdate{State: s})
	return nil
}

func (f *fakePlatform) Dial(ctx context.Context, r core.DialRequest) error {
	f.mu.Lock()
	onDial := f.onDial
	f.mu.Unlock()
	if onDial != nil {
		onDial(r.CallerID)
	}
	if err := f.record(ctx, "dial", "dial:"+r.Number); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: "out-" + string(r.Tag), Tag: r.Tag, Direction: core.Outbound,
		RemoteNumber: r.Number, State: core.CallRemoteRinging})
	return nil
}

func (f *fakePlatform) Answer(ctx context.Context, id string) error {
	if err := f.record(ctx, "answer", "answer:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallTalking})
	return nil
}

func (f *fakePlatform) Hangup(ctx context.Context, id string) error {
	if err := f.record(ctx, "hangup", "hangup:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndLocalHangup})
	return nil
}

func (f *fakePlatform) Hold(ctx context.Context, id string) error {
	if err := f.record(ctx, "hold", "hold:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallHeld})
	return nil
}

func (f *fakePlatform) Resume(ctx context.Context, id string) error {
	if err := f.record(ctx, "resume", "resume:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallTalking})
	return nil
}

func (f *fakePlatform) BreakReasons(ctx context.Context) ([]core.BreakReason, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]core.BreakReason(nil), f.breaks...), nil
}

// ring makes a customer call in.
func (f *fakePlatform) ring(pid, number, location string) {
	f.report(core.CallUpdate{PlatformCallID: pid, Direction: core.Inbound, RemoteNumber: number,
		Location: location, Queue: "售后", State: core.CallRinging})
}

// platformError is a refusal carrying the platform's own sentence.
type platformError struct{ zh, en string }

func (e platformError) Error() string { return fmt.Sprintf("platform refused: %s", e.en) }

func (e platformError) Sentence(lang string) string {
	if lang == "en" {
		return e.en
	}
	return e.zh
}
