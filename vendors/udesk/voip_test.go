package udesk_test

import (
	"math"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// hears reports whether pcm carries a tone at hz well above silence.
func hears(pcm []int16, hz float64) bool {
	if len(pcm) < 1600 {
		return false
	}
	return audio.RMSdBFS(pcm) > -40 && math.Abs(audio.DominantFrequency(pcm, 8000)-hz) < 30
}

// waitHears waits until what() carries hz. Audio is measured, so it is
// sampled every 100 ms (there is no event for "the tone arrived").
func waitHears(t *testing.T, who string, hz float64, what func() []int16) {
	t.Helper()
	var pcm []int16
	if !sample(8*time.Second, func() bool { pcm = what(); return hears(pcm, hz) }) {
		t.Fatalf("%s does not hear %v Hz (level %.1f dBFS, dominant %.0f Hz)", who, hz, audio.RMSdBFS(pcm), audio.DominantFrequency(pcm, 8000))
	}
}

// waitUntil samples an audio condition until it holds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !sample(8*time.Second, cond) {
		t.Fatalf("timed out: %s", what)
	}
}

func sample(limit time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if cond() {
			return true
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return cond()
		}
	}
}

// centerHeard is what a party heard in a call, per the center's room.
func (r *rig) centerHeard(call callcenter.CallID, party string) func() []int16 {
	return func() []int16 {
		pcm, _ := r.sip.Heard(call, party, 500*time.Millisecond)
		return pcm
	}
}

// TestInboundVoipWithAudio: the agent's softphone registers with the
// account GetAgentTerminalInfoAsync gives; a customer's call rings it; the
// agent answers the INVITE; the customer's tone reaches the agent's ear and
// the agent's tone reaches the customer.
func TestInboundVoipWithAudio(t *testing.T) {
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeVoip, agentHz)
	st, _ := a.e.Status(ctx(t))
	if !st.MediaOK {
		a.waitEvent("registration", func(ev core.Event) bool { m, ok := ev.(core.MediaChanged); return ok && m.Registered })
	}
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	talking := a.waitCall(core.CallTalking)
	waitHears(t, "agent", customerHz, func() []int16 { return a.ear.last(500 * time.Millisecond) })
	waitHears(t, "customer", agentHz, r.centerHeard(call, callcenter.SimulatedCustomer))
	if !talking.Allowed.Has(core.ActMute) {
		a.waitEvent("mute allowed", func(ev core.Event) bool {
			ch, ok := ev.(core.CallChanged)
			return ok && ch.Call.Allowed.Has(core.ActMute) && ch.Call.Allowed.Has(core.ActDTMF)
		})
	}
	// Mute is the softphone's own: the customer stops hearing the agent.
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
	got := ""
	timeout := time.After(5 * time.Second)
	for got != "12#" {
		select {
		case ev := <-digits.C:
			if d, ok := ev.(callcenter.DTMFReceived); ok && d.From == callcenter.DemoAgent {
				got += d.Digits
			}
		case <-timeout:
			t.Fatalf("the center received digits %q, want 12#", got)
		}
	}
	if err := a.e.Hangup(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallEnded)
}

// TestOutboundVoipWithAudio: Dial is MakeCallAsync with the call data
// (WorkFlow out_callback): the platform rings the IP phone first with
// auto-answer (the softphone answers by itself), then the number;
// Originated names the call, linked to the engine's dial; the BizId reaches
// the platform's call; the callee's tone reaches the agent and back.
func TestOutboundVoipWithAudio(t *testing.T) {
	r := newRig(t, rigOptions{voip: true, tweak: func(c *callcenter.Config) {
		// A callee who speaks (a tone) for as long as the test listens.
		c.Outbound = append(c.Outbound, callcenter.Customer{Number: "13800138000", Voice: callcenter.Voice{ToneHz: 450},
			Script: []callcenter.Step{{Kind: callcenter.StepSay, For: callcenter.Duration(time.Minute)}}})
	}})
	a := r.agent(callcenter.DemoAgent, wire.ModeVoip, agentHz)
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13800138000", UserData: map[string]string{"BizId": "order-7"}})
	if err != nil {
		t.Fatal(err)
	}
	c := a.waitCallID(id, core.CallTalking)
	if c.PlatformCallID == "" || c.Direction != core.Outbound || c.RemoteNumber != "13800138000" {
		t.Fatalf("call %+v", c)
	}
	ci, ok := r.cc.CallOf(callcenter.DemoAgent)
	if !ok || string(ci.ID) != c.PlatformCallID {
		t.Fatalf("center call %+v, engine call %s", ci, c.PlatformCallID)
	}
	if !ci.Placed || ci.UserData["BizId"] != "order-7" {
		t.Fatalf("the platform's call is placed %v with data %v, want a callback with BizId order-7", ci.Placed, ci.UserData)
	}
	if st, err := a.e.Status(ctx(t)); err != nil || len(st.Calls) != 1 {
		t.Fatalf("the callback leg is not the dialled call: %+v %v", st.Calls, err)
	}
	waitHears(t, "agent", ci.Customer.Voice.ToneHz, func() []int16 { return a.ear.last(500 * time.Millisecond) })
	waitHears(t, "callee", agentHz, r.centerHeard(ci.ID, callcenter.SimulatedCustomer))
	if err := a.e.Hangup(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCallID(id, core.CallEnded); ended.EndReason != core.EndLocalHangup {
		t.Fatalf("end reason %s", ended.EndReason)
	}
}
