package main

import (
	"context"
	"testing"
	"time"

	"agentbar/core"
)

// quietVendor is a platform that signs in and reports what the test says.
type quietVendor struct{ sink core.Sink }

func (v *quietVendor) Login(_ context.Context, sink core.Sink) error {
	v.sink = sink
	sink.Report(core.AgentStateUpdate{State: core.ReadyState()})
	return nil
}
func (v *quietVendor) Logout(context.Context) error                         { return nil }
func (v *quietVendor) SetAgentState(context.Context, core.AgentState) error { return nil }
func (v *quietVendor) Dial(context.Context, core.DialRequest) error         { return nil }
func (v *quietVendor) Answer(context.Context, string) error                 { return nil }
func (v *quietVendor) Hangup(context.Context, string) error                 { return nil }

// The heap is trimmed once things are quiet, never while a call is up,
// and again after the call.
func TestHeapTrimmedWhenQuiet(t *testing.T) {
	const quiet = 100 * time.Millisecond
	v := &quietVendor{}
	reg := core.NewRegistry()
	reg.Register(core.Info{ID: "quiet", Name: core.Text{ZH: "静", EN: "quiet"},
		New: func(core.Config) (core.Vendor, error) { return v, nil }})
	e := core.New(core.Options{Registry: reg})
	ctx, cancel := context.WithCancel(context.Background())
	trims := make(chan time.Time, 8)
	done := make(chan struct{})
	go func() {
		defer close(done)
		trimHeapWhenQuiet(ctx, e, quiet, func() { trims <- time.Now() })
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		closeCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		_ = e.Close(closeCtx)
	})
	login, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := e.Login(login, core.LoginRequest{Account: "a", Platform: "quiet"}); err != nil {
		t.Fatal(err)
	}
	signedIn := time.Now()

	expectTrim := func(after time.Time, what string) {
		t.Helper()
		select {
		case at := <-trims:
			if at.Sub(after) < quiet {
				t.Errorf("%s: trimmed %v after the last event; want %v of quiet first", what, at.Sub(after), quiet)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no trim", what)
		}
	}
	noTrim := func(what string) {
		t.Helper()
		select {
		case <-trims:
			t.Fatalf("%s: trimmed", what)
		case <-time.After(4 * quiet):
		}
	}
	expectTrim(signedIn, "after sign-in")
	noTrim("nothing happened since")

	v.sink.Report(core.CallUpdate{PlatformCallID: "c1", Direction: core.Inbound, RemoteNumber: "13800138000", State: core.CallRinging})
	noTrim("a call rings")
	v.sink.Report(core.CallUpdate{PlatformCallID: "c1", State: core.CallEnded})
	expectTrim(time.Now(), "after the call")
}
