package sipfront

import (
	"context"
	"errors"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// An inbound customer call rings agentbar, is answered, and audio flows
// both ways; then each side hangs up.
func TestInboundCallWithAudio(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	id, err := c.cc.CustomerCall(customer("13912345678", customerHz), "02512345678") // straight to 售后服务
	if err != nil {
		t.Fatal(err)
	}
	ring := a.waitCall(core.CallRinging)
	if ring.RemoteNumber != "13912345678" || ring.Direction != core.Inbound {
		t.Fatalf("agent sees %+v", ring)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	c.waitAgent("8001", callcenter.Talking)
	settle(1500 * time.Millisecond)
	expectTones(t, "agent (its headset)", a.ear.last(time.Second), []float64{customerHz}, []float64{agentHz})
	expectTones(t, "customer (center's truth)", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz}, []float64{customerHz})

	// The agent hangs up: the CDR says so.
	if err := a.e.Hangup(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	ended := c.waitEvent("call end", func(ev callcenter.Event) bool { e, ok := ev.(callcenter.CallEnded); return ok && e.Call.ID == id }).(callcenter.CallEnded)
	if ended.CDR.Result != callcenter.ResultAnswered || ended.CDR.HangupBy != callcenter.RoleAgent || ended.CDR.Agent != "8001" {
		t.Fatalf("CDR %+v", ended.CDR)
	}
	c.waitAgent("8001", callcenter.Ready)

	// The customer hangs up the next call.
	id, err = c.cc.CustomerCall(callcenter.Customer{Number: "13800000002", Voice: callcenter.Voice{ToneHz: 500},
		Script: []callcenter.Step{{Kind: callcenter.StepSay, For: callcenter.Duration(1500 * time.Millisecond)}, {Kind: callcenter.StepHangUp}}}, "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	ring = a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	end := a.waitCall(core.CallEnded)
	if end.EndReason != core.EndRemoteHangup {
		t.Fatalf("agent's call ended %s", end.EndReason)
	}
	if r := c.cc.CDRs(); r[len(r)-1].HangupBy != callcenter.RoleCustomer {
		t.Fatalf("CDR %+v", r[len(r)-1])
	}
}

func TestWrongPasswordFailsLogin(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	_, err := c.signIn("8001", "wrong", agentHz, nil)
	if err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
	zh, en := core.Sentence(err, "zh"), core.Sentence(err, "en")
	if zh == "" || en == "" || zh == en {
		t.Fatalf("sentences %q / %q", zh, en)
	}
	var se core.Sentencer
	if !errors.As(err, &se) {
		t.Fatalf("error %v has no sentence", err)
	}
	t.Logf("the agent reads: %s / %s", zh, en)
	if a, _ := c.cc.Agent("8001"); a.State.Kind != callcenter.Offline {
		t.Fatalf("agent %s after a failed login", a.State)
	}
}

// Agentbar dials any number: a simulated customer answers after a ring and
// the two hear each other; busy numbers are busy.
func TestOutboundCallAnsweredBySimulatedCustomer(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id, err := a.e.Dial(ctx, core.DialOptions{Target: "13912345678"})
	if err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallRemoteRinging)
	talking := a.waitCall(core.CallTalking)
	if talking.ID != id {
		t.Fatalf("talking call %s, dialled %s", talking.ID, id)
	}
	ci, ok := c.cc.CallOf("8001")
	if !ok || ci.Direction != callcenter.Outbound || ci.Display != callcenter.DemoTrunk || ci.Location != "江苏省常州市" {
		t.Fatalf("center's call %+v", ci)
	}
	hz := ci.Customer.Voice.ToneHz
	// The callee says hello for 3 s, then listens.
	settle(1500 * time.Millisecond)
	expectTones(t, "agent", a.ear.last(time.Second), []float64{hz}, []float64{agentHz})
	expectTones(t, "callee (center's truth)", c.heard(ci.ID, callcenter.SimulatedCustomer), []float64{agentHz}, nil)

	// DTMF from agentbar reaches the center (RFC 4733).
	if err := a.e.SendDTMF(ctx, id, "12#"); err != nil {
		t.Fatal(err)
	}
	for _, want := range "12#" {
		c.waitEvent("digit "+string(want), func(ev callcenter.Event) bool {
			d, ok := ev.(callcenter.DTMFReceived)
			return ok && d.From == "8001" && d.Digits == string(want)
		})
	}
	if err := a.e.Hangup(ctx, id); err != nil {
		t.Fatal(err)
	}
	ended := c.waitEvent("end", func(ev callcenter.Event) bool { _, ok := ev.(callcenter.CallEnded); return ok }).(callcenter.CallEnded)
	if ended.CDR.Result != callcenter.ResultAnswered || ended.CDR.Direction != callcenter.Outbound {
		t.Fatalf("CDR %+v", ended.CDR)
	}

	// A busy number: the agent reads why.
	busy, err := a.e.Dial(ctx, core.DialOptions{Target: "13900000486"})
	if err != nil {
		t.Fatal(err)
	}
	end := a.waitCallID(busy, core.CallEnded)
	if end.EndReason != core.EndBusy || end.EndDetail == "" {
		t.Fatalf("busy number ended %s (%q)", end.EndReason, end.EndDetail)
	}
}

// Busy in agentbar is do-not-disturb: the phone answers 486, the center
// puts the call back in the queue, marks the agent busy and rings another.
func TestBusyAgentIsSkipped(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	b := c.agent("8003", "agent-pw", 1200, nil) // 售后服务 too
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.e.SetAgentState(ctx, core.BusyState()); err != nil {
		t.Fatal(err)
	}
	id, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	// 8001 signed in first: longest idle, offered first, answers 486.
	ring := b.waitCall(core.CallRinging)
	c.waitAgent("8001", callcenter.Busy)
	if err := b.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	b.waitCall(core.CallTalking)
	ci, _ := c.cc.Call(id)
	if ci.Agent != "8003" || ci.Offers != 2 {
		t.Fatalf("call %+v, want 8003 after 8001 refused", ci)
	}
}
