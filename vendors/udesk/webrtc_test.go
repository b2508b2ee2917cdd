package udesk_test

import (
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/udesk/wire"
)

// TestWebRTCMode: the web phone (网页电话). The adapter reads
// GetWebPhoneInfoAsync, registers over WSS (certificate verified) with
// WebRTC media; an inbound call is answered on the web phone with audio
// both ways; mute goes through MuteAsync and silences the microphone; DTMF
// goes on the WebRTC leg; Dial is MakeCallAsync whose BizId reaches the
// platform, the platform's callback leg answering itself.
func TestWebRTCMode(t *testing.T) {
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeWebRTC, agentHz)
	if st, _ := a.e.Status(ctx(t)); !st.MediaOK {
		a.waitEvent("web phone registered", func(ev core.Event) bool { m, ok := ev.(core.MediaChanged); return ok && m.Registered })
	}
	if b := r.binding(callcenter.DemoAgent); b.Transport != "wss" {
		t.Fatalf("the web phone registered over %q, want wss", b.Transport)
	}
	if r.front.Mode(callcenter.DemoAgent) != wire.ModeWebRTC {
		t.Fatalf("the platform has mode %q", r.front.Mode(callcenter.DemoAgent))
	}
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)

	// Inbound, with audio both ways, mute and DTMF.
	{
		call := r.customer("13912345678", customerHz)
		ringing := a.waitCall(core.CallRinging)
		if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
			t.Fatal(err)
		}
		talking := waitAllowed(t, a, ringing.ID, core.CallTalking, core.ActMute)
		if !talking.Allowed.Has(core.ActDTMF) {
			t.Errorf("DTMF not offered on the web phone: %v", talking.Allowed)
		}
		if l := r.leg(callcenter.DemoAgent); l.Media != "webrtc" || l.Transport != "wss" {
			t.Fatalf("the agent's leg %+v, want WebRTC over WSS", l)
		}
		waitHears(t, "agent", customerHz, func() []int16 { return a.ear.last(500 * time.Millisecond) })
		waitHears(t, "customer", agentHz, r.centerHeard(call, callcenter.SimulatedCustomer))

		if err := a.e.Mute(ctx(t), talking.ID, true); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "the customer stops hearing the muted agent", func() bool {
			return !hears(r.centerHeard(call, callcenter.SimulatedCustomer)(), agentHz)
		})
		if err := a.e.Mute(ctx(t), talking.ID, false); err != nil {
			t.Fatal(err)
		}
		waitHears(t, "customer after unmute", agentHz, r.centerHeard(call, callcenter.SimulatedCustomer))

		digits := r.cc.Subscribe()
		defer digits.Close()
		if err := a.e.SendDTMF(ctx(t), talking.ID, "12#"); err != nil {
			t.Fatal(err)
		}
		waitDigits(t, digits, callcenter.DemoAgent, "12#")
		if err := a.e.Hangup(ctx(t), talking.ID); err != nil {
			t.Fatal(err)
		}
		a.waitCallID(talking.ID, core.CallEnded)
	}

	// Outbound: MakeCallAsync with BizId.
	{
		r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
		started := time.Now()
		id, err := a.e.Dial(ctx(t), core.DialOptions{Target: outsideNumber, UserData: map[string]string{"BizId": "order-42"}})
		if err != nil {
			t.Fatal(err)
		}
		c := a.waitCallID(id, core.CallTalking)
		// The callback leg (WebRTC set-up) and the callee's 300 ms ring.
		t.Logf("MakeCallAsync to talking: %v", time.Since(started).Round(time.Millisecond))
		if c.Direction != core.Outbound || c.RemoteNumber != outsideNumber {
			t.Fatalf("call %+v", c)
		}
		ci, ok := r.cc.CallOf(callcenter.DemoAgent)
		if !ok || string(ci.ID) != c.PlatformCallID || !ci.Placed || ci.UserData["BizId"] != "order-42" {
			t.Fatalf("the platform's call %+v, want the engine's %s placed with BizId order-42", ci, c.PlatformCallID)
		}
		if l := r.leg(callcenter.DemoAgent); l.Media != "webrtc" || l.Inbound {
			t.Fatalf("the agent's leg %+v, want the platform's WebRTC callback", l)
		}
		waitHears(t, "agent", outsideHz, func() []int16 { return a.ear.last(500 * time.Millisecond) })
		waitHears(t, "callee", agentHz, r.centerHeard(ci.ID, callcenter.SimulatedCustomer))
		if err := a.e.Hangup(ctx(t), id); err != nil {
			t.Fatal(err)
		}
		if ended := a.waitCallID(id, core.CallEnded); ended.EndReason != core.EndLocalHangup {
			t.Fatalf("end reason %s", ended.EndReason)
		}
		var cdr callcenter.CDR
		for _, x := range r.cc.CDRs() {
			if x.CallID == ci.ID {
				cdr = x
			}
		}
		if !cdr.Placed || cdr.UserData["BizId"] != "order-42" {
			t.Fatalf("CDR %+v, want a placed call with BizId order-42", cdr)
		}
	}
}

// waitDigits waits for the center to receive digits from a party.
func waitDigits(t *testing.T, sub *callcenter.Subscription, from, want string) {
	t.Helper()
	got := ""
	timeout := time.After(5 * time.Second)
	for got != want {
		select {
		case ev := <-sub.C:
			if d, ok := ev.(callcenter.DTMFReceived); ok && d.From == from {
				got += d.Digits
			}
		case <-timeout:
			t.Fatalf("the center received digits %q from %s, want %q", got, from, want)
		}
	}
}

// leg is the SIP front's live leg of an agent.
func (r *rig) leg(agent string) sipfront.LegInfo {
	r.t.Helper()
	for _, l := range r.sip.Legs() {
		if l.Agent == agent {
			return l
		}
	}
	r.t.Fatalf("no leg of %s among %+v", agent, r.sip.Legs())
	return sipfront.LegInfo{}
}
