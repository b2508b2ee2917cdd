package udesk_test

import (
	"errors"
	"testing"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// TestInboundCellphone: control plane only. A customer calls, the agent's
// (simulated) mobile rings, the agent answers with AnswerAsync, holds,
// resumes and hangs up; CallAuthority decides the buttons.
func TestInboundCellphone(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if ringing.RemoteNumber != "13912345678" || ringing.Direction != core.Inbound {
		t.Fatalf("ringing call %+v", ringing)
	}
	if ringing.Location == "" || ringing.Queue != "售后服务" {
		t.Errorf("location %q queue %q", ringing.Location, ringing.Queue)
	}
	// Advanced status brings the platform's authority: answer and hang up.
	c := a.waitEvent("authority while ringing", func(ev core.Event) bool {
		ch, ok := ev.(core.CallChanged)
		return ok && ch.Call.Allowed.Has(core.ActAnswer)
	}).(core.CallChanged).Call
	if c.Allowed.Has(core.ActHold) {
		t.Fatalf("hold allowed while ringing: %v", c.Allowed)
	}
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	talking := a.waitCall(core.CallTalking)
	r.waitAgent(callcenter.DemoAgent, callcenter.Talking)
	talking = a.waitEvent("talking authority", func(ev core.Event) bool {
		ch, ok := ev.(core.CallChanged)
		return ok && ch.Call.State == core.CallTalking && ch.Call.Allowed.Has(core.ActHold)
	}).(core.CallChanged).Call
	for _, act := range []core.Action{core.ActHangup, core.ActTransferAgent, core.ActTransferQueue, core.ActConsult, core.ActConference} {
		if !talking.Allowed.Has(act) {
			t.Errorf("%s not allowed while talking: %v", act, talking.Allowed)
		}
	}
	if talking.Allowed.Has(core.ActMute) || talking.Allowed.Has(core.ActDTMF) {
		t.Errorf("mute/dtmf offered in cellphone mode: %v", talking.Allowed)
	}
	if err := a.e.Hold(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	held := a.waitCall(core.CallHeld)
	if ci, _ := r.cc.CallOf(callcenter.DemoAgent); !ci.Held {
		t.Fatal("the center does not hold the call")
	}
	_ = held
	a.waitEvent("resume allowed", func(ev core.Event) bool {
		ch, ok := ev.(core.CallChanged)
		return ok && ch.Call.Allowed.Has(core.ActResume)
	})
	if err := a.e.Resume(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	if err := a.e.Hangup(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	ended := a.waitCall(core.CallEnded)
	if ended.EndReason != core.EndLocalHangup {
		t.Fatalf("end reason %s", ended.EndReason)
	}
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
}

// TestOutboundCellphone: MakeCallAsync with Options (BizId): the platform
// calls back the agent's mobile, then the customer; the engine's dial tag
// links the call; the customer hangs up... here the agent does.
func TestOutboundCellphone(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13800138000", UserData: map[string]string{"BizId": "order-42"}})
	if err != nil {
		t.Fatal(err)
	}
	c := a.waitCallID(id, core.CallTalking)
	if c.PlatformCallID == "" || c.Direction != core.Outbound || c.RemoteNumber != "13800138000" {
		t.Fatalf("call %+v", c)
	}
	st, err := a.e.Status(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Calls) != 1 {
		t.Fatalf("%d calls, want the dialled one only", len(st.Calls))
	}
	if err := a.e.Hangup(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCallID(id, core.CallEnded); ended.EndReason != core.EndLocalHangup {
		t.Fatalf("end reason %s", ended.EndReason)
	}
}

// TestOutboundBusy: the callee is busy; the call ends with a reason.
func TestOutboundBusy(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13900000486"})
	if err != nil {
		t.Fatal(err)
	}
	ended := a.waitCallID(id, core.CallEnded)
	if ended.EndReason == core.EndLocalHangup || ended.EndReason == "" {
		t.Fatalf("end reason %q", ended.EndReason)
	}
}

// TestRejectRequeues: the agent rejects a ringing call (HangupAsync while
// ringing); the call ends rejected for the agent and the center takes it
// back.
func TestRejectRequeues(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	waitAllowed(t, a, ringing.ID, core.CallRinging, core.ActReject)
	if err := a.e.Reject(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCallID(ringing.ID, core.CallEnded); ended.EndReason != core.EndRejected {
		t.Fatalf("end reason %s", ended.EndReason)
	}
	if ci, ok := r.cc.Call(call); !ok || ci.Agent == callcenter.DemoAgent {
		t.Fatalf("the center still offers it to 8001: %+v", ci)
	}
}

// TestKickedByTheCenter: the center's kick knob closes the socket with
// 4001; the engine is signed out with the sentence.
func TestKickedByTheCenter(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	if err := r.cc.Faults().Set(callcenter.Kick{Agent: callcenter.DemoAgent, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	ev := a.waitEvent("signed out", func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
	if !ev.Kicked || !ev.CanRelogin {
		t.Fatalf("%+v", ev)
	}
}

// TestDTMFNeedsTheSoftphone: in cellphone mode the keypad is the mobile's.
func TestDTMFNeedsTheSoftphone(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	if err := a.e.SendDTMF(ctx(t), ringing.ID, "1"); err == nil {
		t.Fatal("DTMF in cellphone mode")
	}
	// So is the microphone: mute is not offered (MuteAsync is the web
	// phone's, per the document).
	if err := a.e.Mute(ctx(t), ringing.ID, true); !errors.Is(err, core.ErrNotAllowedNow) {
		t.Fatalf("mute: %v", err)
	}
}

// TestCellphoneAnswersOnTheMobile: in cellphone mode the center rings the
// agent's simulated mobile (a device elsewhere), not a SIP registration:
// with the SIP front running the agent is not reported unreachable, the
// call rings, AnswerAsync takes the mobile off hook, and the customer and
// the mobile hear each other.
func TestCellphoneAnswersOnTheMobile(t *testing.T) {
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	if info, _ := r.cc.Agent(callcenter.DemoAgent); info.Device.Kind != callcenter.DeviceCallback || info.Device.Voice.ToneHz != mobileHz {
		t.Fatalf("8001 rings %+v, want its mobile", info.Device)
	}
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(ringing.ID, core.CallTalking)
	ci, _ := r.cc.Call(call)
	if ci.Agent != callcenter.DemoAgent || ci.Offers != 1 {
		t.Fatalf("the center's call %+v, want 8001 serving at the first offer", ci)
	}
	r.waitMix(call, callcenter.SimulatedCustomer, callcenter.DemoAgent)
	r.waitMix(call, callcenter.DemoAgent, callcenter.SimulatedCustomer)
	t.Run("audio", func(t *testing.T) {
		r.requireInRoom(t, call, callcenter.DemoAgent)
		waitTones(t, "customer", r.centerHeard(call, callcenter.SimulatedCustomer), map[float64]bool{mobileHz: true, agentHz: false})
		waitTones(t, "the mobile", r.centerHeard(call, callcenter.DemoAgent), map[float64]bool{customerHz: true})
	})
	if err := a.e.Hangup(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(ringing.ID, core.CallEnded)
}
