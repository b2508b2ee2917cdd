package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoginLogoutEvents(t *testing.T) {
	h := newHarness(t, "")
	if err := h.e.Login(h.ctx, LoginRequest{Account: "acct", Platform: "full"}); err != nil {
		t.Fatal(err)
	}
	var types []string
	h.waitFor(func(ev Event) bool {
		types = append(types, ev.String())
		_, ok := ev.(LoggedIn)
		return ok
	})
	want := []string{"#1 connection connecting", "#2 agent offline → busy", "#3 logged in acct (full)"}
	if !slices.Equal(types, want) {
		t.Fatalf("events %q, want %q", types, want)
	}
	h.waitFor(func(ev Event) bool { _, ok := ev.(ConnectionChanged); return ok })
	st, err := h.e.Status(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.LoggedIn || st.Connection != ConnConnected || st.Agent.Name() != "busy" || st.Platform != "full" {
		t.Fatalf("status %+v", st)
	}
	if !st.Capabilities.Has(ActHold) || !slices.Contains(st.Capabilities.AgentStates, "break") {
		t.Errorf("capabilities %+v", st.Capabilities)
	}
	if err := h.e.Login(h.ctx, LoginRequest{Platform: "full"}); !errors.Is(err, ErrAlreadyLoggedIn) {
		t.Errorf("second login: %v", err)
	}
	if err := h.e.Logout(h.ctx); err != nil {
		t.Fatal(err)
	}
	h.waitFor(func(ev Event) bool { _, ok := ev.(LoggedOut); return ok })
	st, _ = h.e.Status(h.ctx)
	if st.LoggedIn || st.Agent.Name() != "offline" || st.Connection != ConnOffline {
		t.Errorf("after logout %+v", st)
	}
	if h.fake.logouts != 1 {
		t.Errorf("adapter Logout called %d times", h.fake.logouts)
	}
}

func TestLoginFailure(t *testing.T) {
	h := newHarness(t, "")
	h.fake.loginErr = errors.New("wrong password")
	err := h.e.Login(h.ctx, LoginRequest{Account: "acct", Platform: "fake"})
	if err == nil || !errors.Is(err, h.fake.loginErr) {
		t.Fatalf("login error %v", err)
	}
	ev := h.waitFor(func(ev Event) bool {
		c, ok := ev.(ConnectionChanged)
		return ok && c.State == ConnOffline
	}).(ConnectionChanged)
	if ev.Err == nil {
		t.Error("offline without a reason")
	}
	st, _ := h.e.Status(h.ctx)
	if st.LoggedIn || st.Connection != ConnOffline {
		t.Errorf("status %+v", st)
	}
	if err := h.e.Login(h.ctx, LoginRequest{Platform: "nope"}); !errors.Is(err, ErrUnknownPlatform) {
		t.Errorf("unknown platform: %v", err)
	}
	// A fixed password can sign in afterwards.
	h.fake.loginErr = nil
	if err := h.e.Login(h.ctx, LoginRequest{Platform: "fake"}); err != nil {
		t.Errorf("retry: %v", err)
	}
}

func TestOutboundCallLifecycle(t *testing.T) {
	h := newHarness(t, "full")
	id, err := h.e.Dial(h.ctx, DialOptions{Target: " 13912345678 "})
	if err != nil {
		t.Fatal(err)
	}
	c := h.waitCall(id, CallDialing)
	if c.RemoteNumber != "13912345678" || c.Direction != Outbound {
		t.Fatalf("call %+v", c)
	}
	pid := "p-" + string(id)
	h.fake.report(CallUpdate{PlatformCallID: pid, State: CallRemoteRinging})
	h.waitCall(id, CallRemoteRinging)
	h.talking(pid, id)
	if err := h.e.Hold(h.ctx, ""); err != nil {
		t.Fatal(err)
	}
	h.fake.report(CallUpdate{PlatformCallID: pid, State: CallHeld})
	held := h.waitCall(id, CallHeld)
	if !held.Allowed.Has(ActResume) || held.Allowed.Has(ActHold) {
		t.Errorf("held allows %v", held.Allowed)
	}
	if err := h.e.Resume(h.ctx, id); err != nil {
		t.Fatal(err)
	}
	h.fake.report(CallUpdate{PlatformCallID: pid, State: CallTalking})
	h.waitCall(id, CallTalking)
	if err := h.e.Mute(h.ctx, id, true); err != nil {
		t.Fatal(err)
	}
	muted := h.waitFor(func(ev Event) bool { c, ok := ev.(CallChanged); return ok && c.Call.Muted }).(CallChanged)
	if muted.Call.Allowed.Has(ActMute) || !muted.Call.Allowed.Has(ActUnmute) {
		t.Errorf("muted allows %v", muted.Call.Allowed)
	}
	if err := h.e.SendDTMF(h.ctx, id, "12#"); err != nil {
		t.Fatal(err)
	}
	if err := h.e.Hangup(h.ctx, id); err != nil {
		t.Fatal(err)
	}
	h.fake.report(CallUpdate{PlatformCallID: pid, State: CallEnded, EndReason: EndRemoteHangup})
	end := h.waitCall(id, CallEnded)
	if end.EndReason != EndLocalHangup {
		t.Errorf("end reason %s, want local_hangup (the agent hung up)", end.EndReason)
	}
	if end.Answered.IsZero() || end.Ended.IsZero() {
		t.Errorf("timestamps %+v", end)
	}
	wantOps := []string{"login", "dial:13912345678", "hold:" + pid, "resume:" + pid, "mute:" + pid, "dtmf:12#", "hangup:" + pid}
	if got := h.fake.ops(); !slices.Equal(got, wantOps) {
		t.Errorf("platform requests %q, want %q", got, wantOps)
	}
	wantStates := []CallState{CallDialing, CallDialing, CallRemoteRinging, CallTalking, CallHeld, CallTalking, CallTalking, CallEnded}
	if got := h.record.states(id); !slices.Equal(got, wantStates) {
		t.Errorf("journal %v, want %v", got, wantStates)
	}
	st, _ := h.e.Status(h.ctx)
	if len(st.Calls) != 0 {
		t.Errorf("ended call still listed: %+v", st.Calls)
	}
}

func TestInboundEndReasons(t *testing.T) {
	h := newHarness(t, "full")
	// Missed: the caller gives up while it rings.
	id := h.inbound("in1", "13912345678")
	h.fake.report(CallUpdate{PlatformCallID: "in1", State: CallEnded})
	if c := h.waitCall(id, CallEnded); c.EndReason != EndMissed {
		t.Errorf("missed: %s", c.EndReason)
	}
	// Rejected by the agent.
	id = h.inbound("in2", "02112345678")
	if err := h.e.Reject(h.ctx, ""); err != nil {
		t.Fatal(err)
	}
	h.fake.report(CallUpdate{PlatformCallID: "in2", State: CallEnded})
	if c := h.waitCall(id, CallEnded); c.EndReason != EndRejected {
		t.Errorf("rejected: %s", c.EndReason)
	}
	// Answered, then the customer hangs up.
	id = h.inbound("in3", "95555")
	if err := h.e.Answer(h.ctx, ""); err != nil {
		t.Fatal(err)
	}
	h.talking("in3", id)
	h.fake.report(CallUpdate{PlatformCallID: "in3", State: CallEnded})
	if c := h.waitCall(id, CallEnded); c.EndReason != EndRemoteHangup || c.Queue != "售后" {
		t.Errorf("remote hangup: %+v", c)
	}
	if !slices.Contains(h.fake.ops(), "reject:in2") || !slices.Contains(h.fake.ops(), "answer:in3") {
		t.Errorf("ops %q", h.fake.ops())
	}
}

func TestCallWaiting(t *testing.T) {
	h := newHarness(t, "full")
	first := h.inbound("a", "13800000001")
	if err := h.e.Answer(h.ctx, first); err != nil {
		t.Fatal(err)
	}
	h.talking("a", first)
	second := h.inbound("b", "13800000002")
	st, _ := h.e.Status(h.ctx)
	if len(st.Calls) != 2 {
		t.Fatalf("%d calls, want 2", len(st.Calls))
	}
	// "" answers the ringing one, not the one in conversation.
	if err := h.e.Answer(h.ctx, ""); err != nil {
		t.Fatal(err)
	}
	if ops := h.fake.ops(); ops[len(ops)-1] != "answer:b" {
		t.Errorf("answered %q", ops[len(ops)-1])
	}
	h.fake.report(CallUpdate{PlatformCallID: "a", State: CallHeld})
	h.talking("b", second)
	// Hangup with no id ends the call in conversation, not the held one.
	if err := h.e.Hangup(h.ctx, ""); err != nil {
		t.Fatal(err)
	}
	if ops := h.fake.ops(); ops[len(ops)-1] != "hangup:b" {
		t.Errorf("hung up %q", ops[len(ops)-1])
	}
}

func TestLocateAndNormalizeHooks(t *testing.T) {
	h := newHarness(t, "fake", func(o *Options) {
		o.Normalize = func(s string) (string, error) {
			if s == "bad" {
				return "", fmt.Errorf("%w: not a number", ErrInvalidArgument)
			}
			return "0" + s, nil
		}
		o.Locate = func(n string) (string, string) { return "江苏省常州市", "中国移动" }
	})
	if _, err := h.e.Dial(h.ctx, DialOptions{Target: "bad"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("bad number: %v", err)
	}
	id, err := h.e.Dial(h.ctx, DialOptions{Target: "2112345678"})
	if err != nil {
		t.Fatal(err)
	}
	c := h.waitCall(id, CallDialing)
	if c.RemoteNumber != "02112345678" || c.Location != "江苏省常州市" || c.Carrier != "中国移动" {
		t.Errorf("call %+v", c)
	}
	// SIP URIs are not numbers and pass through.
	if _, err := h.e.Dial(h.ctx, DialOptions{Target: "sip:1001@pbx"}); err != nil {
		t.Errorf("uri: %v", err)
	}
	if ops := h.fake.ops(); ops[len(ops)-1] != "dial:sip:1001@pbx" {
		t.Errorf("ops %q", ops)
	}
}

// TestRejectedCommands: every command that the state or the platform does
// not allow is refused with the right typed error, without a platform request.
func TestRejectedCommands(t *testing.T) {
	type setup struct {
		platform string
		call     CallState // 0: no call
	}
	tests := []struct {
		name string
		setup
		cmd  func(h *harness, id CallID) error
		want error
	}{
		{"dial logged out", setup{"", 0}, func(h *harness, _ CallID) error { _, err := h.e.Dial(h.ctx, DialOptions{Target: "1"}); return err }, ErrNotLoggedIn},
		{"state logged out", setup{"", 0}, func(h *harness, _ CallID) error { return h.e.SetAgentState(h.ctx, ReadyState()) }, ErrNotLoggedIn},
		{"logout logged out", setup{"", 0}, func(h *harness, _ CallID) error { return h.e.Logout(h.ctx) }, ErrNotLoggedIn},
		{"hold no call", setup{"full", 0}, func(h *harness, _ CallID) error { return h.e.Hold(h.ctx, "") }, ErrNoSuchCall},
		{"hangup unknown id", setup{"full", CallTalking}, func(h *harness, _ CallID) error { return h.e.Hangup(h.ctx, "nope") }, ErrNoSuchCall},
		{"answer talking", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.Answer(h.ctx, id) }, ErrNotAllowedNow},
		{"resume talking", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.Resume(h.ctx, id) }, ErrNotAllowedNow},
		{"hold ringing", setup{"full", CallRinging}, func(h *harness, id CallID) error { return h.e.Hold(h.ctx, id) }, ErrNotAllowedNow},
		{"hold held", setup{"full", CallHeld}, func(h *harness, id CallID) error { return h.e.Hold(h.ctx, id) }, ErrNotAllowedNow},
		{"dtmf ringing", setup{"full", CallRinging}, func(h *harness, id CallID) error { return h.e.SendDTMF(h.ctx, id, "1") }, ErrNotAllowedNow},
		{"unmute not muted", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.Mute(h.ctx, id, false) }, ErrNotAllowedNow},
		{"consult transfer talking", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.ConsultTransfer(h.ctx, id) }, ErrNotAllowedNow},
		{"conference retrieve talking", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.ConferenceRetrieve(h.ctx, id) }, ErrNotAllowedNow},
		{"transfer ringing", setup{"full", CallRinging}, func(h *harness, id CallID) error {
			return h.e.Transfer(h.ctx, id, Target{Kind: TargetAgent, ID: "8002"})
		}, ErrNotAllowedNow},
		{"hold unsupported", setup{"fake", CallTalking}, func(h *harness, id CallID) error { return h.e.Hold(h.ctx, id) }, ErrNotSupported},
		{"mute unsupported", setup{"fake", CallTalking}, func(h *harness, id CallID) error { return h.e.Mute(h.ctx, id, true) }, ErrNotSupported},
		{"transfer unsupported", setup{"fake", CallTalking}, func(h *harness, id CallID) error {
			return h.e.Transfer(h.ctx, id, Target{Kind: TargetQueue, ID: "q"})
		}, ErrNotSupported},
		{"break unsupported", setup{"fake", 0}, func(h *harness, _ CallID) error { return h.e.SetAgentState(h.ctx, BreakState("1", "")) }, ErrNotSupported},
		{"supervisor unsupported", setup{"full", 0}, func(h *harness, _ CallID) error { return h.e.Monitor(h.ctx, "8001", MonitorListen) }, ErrNotSupported},
		{"caller ids unsupported", setup{"full", 0}, func(h *harness, _ CallID) error { _, err := h.e.CallerIDs(h.ctx); return err }, ErrNotSupported},
		{"unknown break", setup{"full", 0}, func(h *harness, _ CallID) error { return h.e.SetAgentState(h.ctx, BreakState("999", "")) }, ErrInvalidArgument},
		{"choose wrapup", setup{"full", 0}, func(h *harness, _ CallID) error { return h.e.SetAgentState(h.ctx, WrapUpState(time.Time{})) }, ErrInvalidArgument},
		{"bad dtmf", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.SendDTMF(h.ctx, id, "1x") }, ErrInvalidArgument},
		{"empty transfer", setup{"full", CallTalking}, func(h *harness, id CallID) error { return h.e.Transfer(h.ctx, id, Target{Kind: TargetAgent}) }, ErrInvalidArgument},
		{"bad monitor mode", setup{"full", 0}, func(h *harness, _ CallID) error { return h.e.Monitor(h.ctx, "8001", "spy") }, ErrInvalidArgument},
		{"empty number", setup{"full", 0}, func(h *harness, _ CallID) error { _, err := h.e.Dial(h.ctx, DialOptions{Target: "  "}); return err }, ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.platform)
			var id CallID
			if tt.call != 0 {
				id = h.inbound("p1", "13912345678")
				switch tt.call {
				case CallTalking:
					h.talking("p1", id)
				case CallHeld:
					h.talking("p1", id)
					h.fake.report(CallUpdate{PlatformCallID: "p1", State: CallHeld})
					h.waitCall(id, CallHeld)
				}
			}
			before := len(h.fake.ops())
			err := tt.cmd(h, id)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if Sentence(err, "zh") == "" || Sentence(err, "en") == "" {
				t.Errorf("no sentence for %v", err)
			}
			if after := h.fake.ops(); len(after) != before {
				t.Errorf("a refused command reached the platform: %q", after[before:])
			}
		})
	}
}

func TestIllegalPlatformTransitionIgnored(t *testing.T) {
	h := newHarness(t, "full")
	id := h.inbound("p", "1")
	h.fake.report(CallUpdate{PlatformCallID: "p", State: CallHeld}) // ringing → held is not legal
	h.fake.report(CallUpdate{PlatformCallID: "p", State: CallTalking})
	ev := h.waitFor(func(ev Event) bool { _, ok := ev.(CallChanged); return ok }).(CallChanged)
	if ev.From != CallRinging || ev.Call.State != CallTalking || ev.Call.ID != id {
		t.Errorf("first change %v", ev)
	}
}

func TestAuthorityNarrowsAllowed(t *testing.T) {
	h := newHarness(t, "full")
	id := h.inbound("p", "1")
	h.talking("p", id)
	auth := Actions(ActHangup, ActHold, ActAnswer, ActConsultTransfer)
	h.fake.report(CallUpdate{PlatformCallID: "p", Authority: &auth})
	ev := h.waitFor(func(ev Event) bool { _, ok := ev.(CallChanged); return ok }).(CallChanged)
	// Answer is dropped (not an inbound ringing action... it is inbound, but
	// the agent state permits it only through authority) — the set is the
	// platform's, narrowed by capabilities and the mute flag.
	want := Actions(ActHangup, ActHold, ActAnswer, ActConsultTransfer)
	if ev.Call.Allowed != want {
		t.Errorf("allowed %v, want %v", ev.Call.Allowed, want)
	}
	if err := h.e.Transfer(h.ctx, id, Target{Kind: TargetAgent, ID: "2"}); !errors.Is(err, ErrNotAllowedNow) {
		t.Errorf("transfer without authority: %v", err)
	}
	// A new state without flags falls back to the state's defaults.
	h.fake.report(CallUpdate{PlatformCallID: "p", State: CallHeld})
	held := h.waitCall(id, CallHeld)
	if held.Allowed != AllowedByState(CallHeld).Without(ActUnmute) {
		t.Errorf("held allows %v", held.Allowed)
	}
}

func TestAgentStatesAndBreaks(t *testing.T) {
	h := newHarness(t, "full")
	if err := h.e.SetAgentState(h.ctx, ReadyState()); err != nil {
		t.Fatal(err)
	}
	h.waitFor(func(ev Event) bool { a, ok := ev.(AgentStateChanged); return ok && a.To.Name() == "ready" })
	if err := h.e.SetAgentState(h.ctx, BreakState("101", "")); err != nil {
		t.Fatal(err)
	}
	ev := h.waitFor(func(ev Event) bool { a, ok := ev.(AgentStateChanged); return ok && a.To.Name() == "break" }).(AgentStateChanged)
	if ev.To.BreakLabel != "午饭" || ev.From.Name() != "ready" {
		t.Errorf("break event %v", ev)
	}
	// Wrap-up comes from the platform.
	until := time.Now().Add(30 * time.Second)
	h.fake.report(AgentStateUpdate{State: WrapUpState(until)})
	ev = h.waitFor(func(ev Event) bool { _, ok := ev.(AgentStateChanged); return ok }).(AgentStateChanged)
	if !ev.To.WrapUpUntil.Equal(until) {
		t.Errorf("wrap-up %v", ev.To)
	}
}

func TestKickedOffEndsSessionWithoutRelogin(t *testing.T) {
	h := newHarness(t, "full")
	id := h.inbound("p", "13912345678")
	h.talking("p", id)
	kick := errors.New("logged in elsewhere")
	h.fake.report(KickedUpdate{Err: kick, CanRelogin: true})
	end := h.waitCall(id, CallEnded)
	if end.EndReason != EndInterrupted {
		t.Errorf("call ended %s", end.EndReason)
	}
	out := h.waitFor(func(ev Event) bool { _, ok := ev.(LoggedOut); return ok }).(LoggedOut)
	if !out.Kicked || !out.CanRelogin || !errors.Is(out.Err, kick) {
		t.Errorf("logged out %+v", out)
	}
	st, _ := h.e.Status(h.ctx)
	if st.LoggedIn || st.Connection != ConnOffline {
		t.Errorf("status %+v", st)
	}
	// Updates from the old session are ignored.
	h.fake.report(CallUpdate{PlatformCallID: "late", State: CallRinging})
	st, _ = h.e.Status(h.ctx)
	if len(st.Calls) != 0 {
		t.Errorf("stale update created a call")
	}
	if slices.Contains(h.fake.ops()[1:], "login") {
		t.Error("the engine signed in again by itself")
	}
}

func TestCommandTimeoutKeepsEngineResponsive(t *testing.T) {
	h := newHarness(t, "full", func(o *Options) { o.CommandTimeout = 200 * time.Millisecond })
	id := h.inbound("p", "1")
	h.talking("p", id)
	block := make(chan struct{})
	defer close(block)
	h.fake.mu.Lock()
	h.fake.block["hold:p"] = block
	h.fake.mu.Unlock()
	done := make(chan error, 1)
	go func() { done <- h.e.Hold(context.Background(), id) }()
	// While the platform stalls, the engine keeps answering.
	if _, err := h.e.Status(h.ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("err %v, want ErrTimeout", err)
		}
		if got := Sentence(err, "en"); got != "The platform did not answer in time. Check the network and try again." {
			t.Errorf("sentence %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Hold did not time out")
	}
}

func TestHangupWhileDialCancels(t *testing.T) {
	h := newHarness(t, "full")
	block := make(chan struct{})
	defer close(block)
	h.fake.mu.Lock()
	h.fake.block["dial:555"] = block
	h.fake.mu.Unlock()
	result := make(chan error, 1)
	var id CallID
	go func() {
		var err error
		id, err = h.e.Dial(context.Background(), DialOptions{Target: "555"})
		result <- err
	}()
	added := h.waitFor(func(ev Event) bool { _, ok := ev.(CallAdded); return ok }).(CallAdded)
	if err := h.e.Hangup(h.ctx, added.Call.ID); err != nil {
		t.Fatal(err)
	}
	end := h.waitCall(added.Call.ID, CallEnded)
	if end.EndReason != EndCancelled {
		t.Errorf("ended %s", end.EndReason)
	}
	if err := <-result; err == nil {
		t.Error("cancelled dial returned no error")
	}
	_ = id
}

func TestDialFailureEndsCall(t *testing.T) {
	h := newHarness(t, "full")
	h.fake.failOn["dial:404"] = errors.New("no such number")
	id, err := h.e.Dial(h.ctx, DialOptions{Target: "404"})
	if err == nil {
		t.Fatal("no error")
	}
	c := h.waitCall(id, CallEnded)
	if c.EndReason != EndFailed || c.EndDetail == "" {
		t.Errorf("ended %+v", c)
	}
}

// TestCallThatNeverRang: an inbound call first reported ended (refused on
// do-not-disturb) is one CallAdded already ended, journalled as missed,
// and leaves no call behind.
func TestCallThatNeverRang(t *testing.T) {
	h := newHarness(t, "full")
	h.fake.report(CallUpdate{PlatformCallID: "dnd-1", Direction: Inbound, State: CallEnded,
		RemoteNumber: "13800138000", EndReason: EndMissed, EndDetail: "refused 486: do not disturb"})
	ev := h.waitFor(func(ev Event) bool { _, ok := ev.(CallAdded); return ok }).(CallAdded)
	if ev.Call.State != CallEnded || ev.Call.EndReason != EndMissed || ev.Call.Ended.IsZero() || ev.Call.Allowed != 0 {
		t.Errorf("added %+v", ev.Call)
	}
	st, err := h.e.Status(h.ctx)
	if err != nil || len(st.Calls) != 0 {
		t.Errorf("calls left behind: %+v (%v)", st.Calls, err)
	}
	if got := h.record.states(ev.Call.ID); len(got) != 1 || got[0] != CallEnded {
		t.Errorf("journal has states %v, want one ended record", got)
	}
	// An ended update for an unknown call without a reason is still ignored.
	h.fake.report(CallUpdate{PlatformCallID: "gone", Direction: Inbound, State: CallEnded})
	if st, _ := h.e.Status(h.ctx); len(st.Calls) != 0 {
		t.Errorf("calls %+v", st.Calls)
	}
}

// TestMonitorModesOfThePlatform: a platform that lists its monitor modes
// shows exactly those in its capabilities, and the others are refused with
// a sentence before anything reaches it.
func TestMonitorModesOfThePlatform(t *testing.T) {
	h := newHarness(t, "watch")
	st, err := h.e.Status(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(st.Capabilities.MonitorModes) != "[listen barge end hangup]" || !st.Capabilities.Supervisor {
		t.Errorf("capabilities %+v", st.Capabilities)
	}
	err = h.e.Monitor(h.ctx, "8001", MonitorWhisper)
	var me *MonitorModeError
	if !errors.As(err, &me) || !errors.Is(err, ErrNotSupported) || !strings.Contains(Sentence(err, "zh"), "密语") {
		t.Errorf("whisper: %v (%s)", err, Sentence(err, "zh"))
	}
	if err := h.e.Monitor(h.ctx, "8001", MonitorBarge); err != nil {
		t.Fatal(err)
	}
	h.fake.mu.Lock()
	got := strings.Join(h.fake.requests, " ")
	h.fake.mu.Unlock()
	if strings.Contains(got, "whisper") || !strings.Contains(got, "monitor:8001:barge") {
		t.Errorf("platform requests %q", got)
	}
	full := newHarness(t, "full")
	if st, _ := full.e.Status(full.ctx); st.Capabilities.MonitorModes != nil || len(st.Capabilities.NumTypes) != 1 {
		t.Errorf("full platform capabilities %+v", st.Capabilities)
	}
}

// TestEncryptedDial: an encrypted number reaches the platform untouched
// (no normalisation, no location), is what the agent sees, and a scheme the
// platform does not know is refused before a call exists.
func TestEncryptedDial(t *testing.T) {
	h := newHarness(t, "full")
	const enc = "opwmRvGhOcGMXRZSp_moOQ"
	id, err := h.e.Dial(h.ctx, DialOptions{Target: enc, NumType: "encrypt"})
	if err != nil {
		t.Fatal(err)
	}
	c := h.waitCall(id, CallDialing)
	if c.RemoteNumber != enc || c.Location != "" {
		t.Errorf("call shows %q at %q", c.RemoteNumber, c.Location)
	}
	h.fake.mu.Lock()
	got := h.fake.lastDial
	h.fake.mu.Unlock()
	if got.Number != enc || got.NumType != "encrypt" {
		t.Errorf("platform got %+v", got)
	}
	for _, o := range []DialOptions{{Target: enc, NumType: "rot13"}, {Target: " ", NumType: "encrypt"}} {
		if _, err := h.e.Dial(h.ctx, o); err == nil || Sentence(err, "zh") == "" {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := h.e.Dial(h.ctx, DialOptions{Target: enc, NumType: "rot13"}); !errors.Is(err, ErrNotSupported) {
		t.Errorf("unknown scheme: %v", err)
	}
}

// TestEventOrderUnderConcurrency: many goroutines issue commands while the
// platform reports; every subscriber sees strictly increasing sequence
// numbers, and each call's states in a legal order. Run with -race.
func TestEventOrderUnderConcurrency(t *testing.T) {
	h := newHarness(t, "full")
	other := h.e.Subscribe("other", 100000)
	const calls = 40
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pid := fmt.Sprintf("x%d", i)
			h.fake.report(CallUpdate{PlatformCallID: pid, Direction: Inbound, RemoteNumber: "1", State: CallRinging})
			h.fake.report(CallUpdate{PlatformCallID: pid, State: CallTalking})
			h.fake.report(CallUpdate{PlatformCallID: pid, State: CallHeld})
			h.fake.report(CallUpdate{PlatformCallID: pid, State: CallTalking})
			h.fake.report(CallUpdate{PlatformCallID: pid, State: CallEnded})
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = h.e.SetAgentState(h.ctx, ReadyState())
			_, _ = h.e.Status(h.ctx)
		}()
	}
	wg.Wait()
	if err := h.e.Logout(h.ctx); err != nil {
		t.Fatal(err)
	}
	var last uint64
	states := map[CallID][]CallState{}
	ended := 0
	for ended < calls {
		select {
		case ev := <-other.C:
			if ev.Meta().Seq <= last {
				t.Fatalf("seq %d after %d", ev.Meta().Seq, last)
			}
			last = ev.Meta().Seq
			switch ev := ev.(type) {
			case CallAdded:
				states[ev.Call.ID] = append(states[ev.Call.ID], ev.Call.State)
			case CallChanged:
				states[ev.Call.ID] = append(states[ev.Call.ID], ev.Call.State)
				if ev.Call.State == CallEnded {
					ended++
				}
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d calls ended", ended)
		}
	}
	want := []CallState{CallRinging, CallTalking, CallHeld, CallTalking, CallEnded}
	for id, got := range states {
		if !slices.Equal(got, want) {
			t.Errorf("call %s went %v", id, got)
		}
	}
}

// TestSlowSubscriberOverflow: a subscriber that stops reading loses events
// (counted), never stalls the engine or other subscribers, and learns how
// many it lost before the next event.
func TestSlowSubscriberOverflow(t *testing.T) {
	h := newHarness(t, "full")
	slow := h.e.Subscribe("slow", 2)
	fast := h.e.Subscribe("fast", 1000)
	// Ten agent state changes while nobody reads "slow".
	for i := range 10 {
		s := ReadyState()
		if i%2 == 1 {
			s = BusyState()
		}
		h.fake.report(AgentStateUpdate{State: s})
	}
	st, err := h.e.Status(h.ctx) // the engine is not stalled
	if err != nil {
		t.Fatal(err)
	}
	first, second := <-slow.C, <-slow.C
	if _, ok := first.(AgentStateChanged); !ok {
		t.Fatalf("first %v", first)
	}
	if second.Meta().Seq != first.Meta().Seq+1 {
		t.Fatalf("slow got %v then %v", first, second)
	}
	h.fake.report(AgentStateUpdate{State: BreakState("101", "")})
	dropped, ok := (<-slow.C).(EventsDropped)
	if !ok || dropped.Count != 8 || dropped.Seq != st.Seq || second.Meta().Seq+8 != st.Seq {
		t.Fatalf("dropped %+v after %v, want 8 up to seq %d", dropped, second, st.Seq)
	}
	next := <-slow.C
	if a, ok := next.(AgentStateChanged); !ok || a.To.Name() != "break" {
		t.Fatalf("after the drop notice: %v", next)
	}
	// The fast subscriber saw all eleven.
	n := 0
	for n < 11 {
		select {
		case ev := <-fast.C:
			if _, ok := ev.(AgentStateChanged); ok {
				n++
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("fast saw %d", n)
		}
	}
	slow.Close()
	for range slow.C { // closed after Close
	}
}

func TestClosedEngine(t *testing.T) {
	e := New(Options{Registry: NewRegistry()})
	sub := e.Subscribe("x", 1)
	if err := e.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-sub.C; ok {
		t.Error("subscription open after Close")
	}
	if _, err := e.Status(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("status after close: %v", err)
	}
	if err := e.Close(context.Background()); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestAdapterPanicBecomesError(t *testing.T) {
	h := newHarness(t, "full")
	id := h.inbound("p", "1")
	h.talking("p", id)
	err := h.e.callVendor(h.ctx, "boom", func(context.Context) error { panic("adapter bug") })
	if err == nil {
		t.Fatal("no error")
	}
	if _, err := h.e.Status(h.ctx); err != nil {
		t.Fatal(err)
	}
}
