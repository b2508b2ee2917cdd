package udesk_test

import (
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// pair is agent 8001 talking to a customer, with colleague 8002 signed in.
type pair struct {
	r      *rig
	a, b   *agentSide
	call   core.Call // 8001's call
	center callcenter.CallID
}

func newPair(t *testing.T, mode string) *pair {
	t.Helper()
	r := newRig(t, rigOptions{voip: mode == wire.ModeVoip})
	p := &pair{r: r}
	p.a = r.agent(callcenter.DemoAgent, mode, agentHz)
	p.b = r.agent("8002", mode, supervisorHz)
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	r.waitAgent("8002", callcenter.Ready)
	p.center = r.customer("13912345678", customerHz) // after-sales: 8001 has the skill, 8002 not
	ringing := p.a.waitCall(core.CallRinging)
	if err := p.a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	p.call = waitAllowed(t, p.a, "", core.CallTalking, core.ActConsult)
	return p
}

func callOf(ev core.Event) (core.Call, bool) {
	switch ev := ev.(type) {
	case core.CallAdded:
		return ev.Call, true
	case core.CallChanged:
		return ev.Call, true
	}
	return core.Call{}, false
}

// waitAllowed waits until a call (any when id is "") is in state with act allowed.
func waitAllowed(t *testing.T, a *agentSide, id core.CallID, state core.CallState, act core.Action) core.Call {
	t.Helper()
	ev := a.waitEvent(state.String()+" allowing "+act.String(), func(ev core.Event) bool {
		c, ok := callOf(ev)
		return ok && (id == "" || c.ID == id) && c.State == state && c.Allowed.Has(act)
	})
	c, _ := callOf(ev)
	return c
}

// answerRinging answers b's next ringing call and waits for it to talk.
func answerRinging(t *testing.T, b *agentSide, state core.CallState) core.Call {
	t.Helper()
	ringing := b.waitCall(core.CallRinging)
	if err := b.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	return b.waitCallID(ringing.ID, state)
}

func TestTransferToAgent(t *testing.T) {
	p := newPair(t, wire.ModeCellphone)
	if err := p.a.e.Transfer(ctx(t), p.call.ID, core.Target{Kind: core.TargetAgent, ID: "8002"}); err != nil {
		t.Fatal(err)
	}
	if ended := p.a.waitCallID(p.call.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Fatalf("8001's call ended %s, want transferred", ended.EndReason)
	}
	c := answerRinging(t, p.b, core.CallTalking)
	if c.RemoteNumber != "13912345678" {
		t.Fatalf("8002 talks to %q", c.RemoteNumber)
	}
	if ci, _ := p.r.cc.CallOf("8002"); ci.ID != p.center {
		t.Fatalf("8002 is in %s, want the customer's %s", ci.ID, p.center)
	}
}

func TestTransferToQueueNumberAndIVR(t *testing.T) {
	cases := []struct {
		name   string
		target core.Target
		check  func(t *testing.T, p *pair)
	}{
		{"queue", core.Target{Kind: core.TargetQueue, ID: "售前咨询"}, func(t *testing.T, p *pair) {
			answerRinging(t, p.b, core.CallTalking) // 8002 has the sales skill
		}},
		{"number of a queue", core.Target{Kind: core.TargetNumber, ID: "9001"}, func(t *testing.T, p *pair) {
			answerRinging(t, p.b, core.CallTalking)
		}},
		{"ivr node", core.Target{Kind: core.TargetIVR, ID: "main/menu"}, func(t *testing.T, p *pair) {
			ci, ok := p.r.cc.Call(p.center)
			if !ok || ci.Phase != callcenter.PhaseIVR || ci.Node != "menu" {
				t.Fatalf("center call %+v, want in IVR node menu", ci)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPair(t, wire.ModeCellphone)
			if err := p.a.e.Transfer(ctx(t), p.call.ID, c.target); err != nil {
				t.Fatal(err)
			}
			if ended := p.a.waitCallID(p.call.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
				t.Fatalf("ended %s, want transferred", ended.EndReason)
			}
			c.check(t, p)
		})
	}
}

// talkingVoip is agent 8001 on its IP phone, talking to a customer (with
// the SIP front: the call's room carries the audio).
func talkingVoip(t *testing.T) (*rig, *agentSide, core.Call, callcenter.CallID) {
	t.Helper()
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeVoip, agentHz)
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	talking := waitAllowed(t, a, ringing.ID, core.CallTalking, core.ActConsult)
	waitHears(t, "agent", customerHz, func() []int16 { return a.ear.last(500 * time.Millisecond) })
	return r, a, talking, call
}

// TestTransferToOutsideNumber: TransferAsync with AgentPhone (转外线): the
// agent leaves, the outside number rings and then talks with the customer.
func TestTransferToOutsideNumber(t *testing.T) {
	r, a, talking, call := talkingVoip(t)
	if err := a.e.Transfer(ctx(t), talking.ID, core.Target{Kind: core.TargetNumber, ID: outsideNumber}); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCallID(talking.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Fatalf("8001's call ended %s, want transferred", ended.EndReason)
	}
	outside := callcenter.OutsideParty(outsideNumber)
	r.waitMix(call, callcenter.SimulatedCustomer, outside)
	r.waitMix(call, outside, callcenter.SimulatedCustomer)
	if ci, _ := r.cc.Call(call); ci.Outside != outsideNumber || !ci.OutsideUp || ci.Agent != "" {
		t.Fatalf("the center's call %+v, want the outside number serving the customer", ci)
	}
	t.Run("audio", func(t *testing.T) {
		r.requireInRoom(t, call, outside)
		waitTones(t, "customer", r.centerHeard(call, callcenter.SimulatedCustomer), map[float64]bool{outsideHz: true, agentHz: false})
		waitTones(t, "outside party", r.centerHeard(call, outside), map[float64]bool{customerHz: true, agentHz: false})
	})
}

// TestConsultOutsideNumber: ConsultationAsync with AgentPhone (咨询外线):
// the customer waits while the agent talks with the outside number; then
// each way on: end the consult, a three-way call and retrieve, transfer.
func TestConsultOutsideNumber(t *testing.T) {
	r, a, talking, call := talkingVoip(t)
	outside := callcenter.OutsideParty(outsideNumber)
	to := core.Target{Kind: core.TargetNumber, ID: outsideNumber}
	consult := func() {
		t.Helper()
		if err := a.e.Consult(ctx(t), talking.ID, to); err != nil {
			t.Fatal(err)
		}
		waitAllowed(t, a, talking.ID, core.CallConsulting, core.ActConsultTransfer)
		r.waitMix(call, callcenter.DemoAgent, outside)
	}

	// 咨询取回: back with the customer.
	consult()
	t.Run("audio while consulting", func(t *testing.T) {
		r.requireInRoom(t, call, outside)
		// The customer waits on hold music while the agent and the
		// outside number talk.
		waitTones(t, "agent", func() []int16 { return a.ear.last(500 * time.Millisecond) }, map[float64]bool{outsideHz: true, customerHz: false})
		waitTones(t, "outside party", r.centerHeard(call, outside), map[float64]bool{agentHz: true, customerHz: false})
		waitTones(t, "customer", r.centerHeard(call, callcenter.SimulatedCustomer), map[float64]bool{agentHz: false, outsideHz: false})
	})
	if err := a.e.ConsultCancel(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(talking.ID, core.CallTalking)
	r.waitMix(call, callcenter.DemoAgent, callcenter.SimulatedCustomer)

	// 咨询后三方, then 三方取回.
	consult()
	if err := a.e.ConsultConference(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	waitAllowed(t, a, talking.ID, core.CallConference, core.ActConferenceRetrieve)
	r.waitMix(call, callcenter.SimulatedCustomer, callcenter.DemoAgent, outside)
	r.waitMix(call, callcenter.DemoAgent, callcenter.SimulatedCustomer, outside)
	if err := a.e.ConferenceRetrieve(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(talking.ID, core.CallTalking)

	// 咨询后转接: the outside number takes the customer.
	consult()
	if err := a.e.ConsultTransfer(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCallID(talking.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Fatalf("ended %s, want transferred", ended.EndReason)
	}
	r.waitMix(call, callcenter.SimulatedCustomer, outside)
	t.Run("audio", func(t *testing.T) {
		r.requireInRoom(t, call, outside)
		waitTones(t, "customer", r.centerHeard(call, callcenter.SimulatedCustomer), map[float64]bool{outsideHz: true, agentHz: false})
	})
}

// TestThreeWayWithOutsideNumber: ThreewayAsync with AgentPhone (三方外线):
// the three talk once the outside number answers; the agent hears both.
func TestThreeWayWithOutsideNumber(t *testing.T) {
	r, a, talking, call := talkingVoip(t)
	outside := callcenter.OutsideParty(outsideNumber)
	if err := a.e.Conference(ctx(t), talking.ID, core.Target{Kind: core.TargetNumber, ID: outsideNumber}); err != nil {
		t.Fatal(err)
	}
	waitAllowed(t, a, talking.ID, core.CallConference, core.ActConferenceTransfer)
	r.waitMix(call, callcenter.DemoAgent, callcenter.SimulatedCustomer, outside)
	t.Run("audio", func(t *testing.T) {
		r.requireInRoom(t, call, outside)
		waitTones(t, "agent", func() []int16 { return a.ear.last(500 * time.Millisecond) }, map[float64]bool{outsideHz: true, customerHz: true})
		waitTones(t, "customer", r.centerHeard(call, callcenter.SimulatedCustomer), map[float64]bool{outsideHz: true, agentHz: true})
		waitTones(t, "outside party", r.centerHeard(call, outside), map[float64]bool{customerHz: true, agentHz: true})
	})
}

func TestConsultThenTransfer(t *testing.T) {
	p := newPair(t, wire.ModeCellphone)
	if err := p.a.e.Consult(ctx(t), p.call.ID, core.Target{Kind: core.TargetAgent, ID: "8002"}); err != nil {
		t.Fatal(err)
	}
	p.a.waitCallID(p.call.ID, core.CallConsulting)
	bc := answerRinging(t, p.b, core.CallTalking)
	if bc.Direction != core.Inbound || bc.RemoteNumber != callcenter.DemoAgent {
		t.Errorf("the consult leg is %s from %q, want inbound from 8001", bc.Direction, bc.RemoteNumber)
	}
	waitAllowed(t, p.a, p.call.ID, core.CallConsulting, core.ActConsultTransfer)
	if err := p.a.e.ConsultTransfer(ctx(t), p.call.ID); err != nil {
		t.Fatal(err)
	}
	if ended := p.a.waitCallID(p.call.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Fatalf("ended %s", ended.EndReason)
	}
	if ci, _ := p.r.cc.CallOf("8002"); ci.ID != p.center || ci.Agent != "8002" {
		t.Fatalf("8002 does not serve the customer: %+v", ci)
	}
	waitAllowed(t, p.b, bc.ID, core.CallTalking, core.ActHold) // 8002 now serves: it may hold
}

func TestConsultCancel(t *testing.T) {
	p := newPair(t, wire.ModeCellphone)
	if err := p.a.e.Consult(ctx(t), p.call.ID, core.Target{Kind: core.TargetAgent, ID: "8002"}); err != nil {
		t.Fatal(err)
	}
	bc := answerRinging(t, p.b, core.CallTalking)
	waitAllowed(t, p.a, p.call.ID, core.CallConsulting, core.ActConsultCancel)
	if err := p.a.e.ConsultCancel(ctx(t), p.call.ID); err != nil {
		t.Fatal(err)
	}
	p.a.waitCallID(p.call.ID, core.CallTalking)
	p.b.waitCallID(bc.ID, core.CallEnded)
}

func TestConsultThenThreeWayThenRetrieve(t *testing.T) {
	p := newPair(t, wire.ModeCellphone)
	if err := p.a.e.Consult(ctx(t), p.call.ID, core.Target{Kind: core.TargetAgent, ID: "8002"}); err != nil {
		t.Fatal(err)
	}
	bc := answerRinging(t, p.b, core.CallTalking)
	waitAllowed(t, p.a, p.call.ID, core.CallConsulting, core.ActConsultConference)
	if err := p.a.e.ConsultConference(ctx(t), p.call.ID); err != nil {
		t.Fatal(err)
	}
	waitAllowed(t, p.a, p.call.ID, core.CallConference, core.ActConferenceRetrieve)
	p.b.waitCallID(bc.ID, core.CallConference)
	if ci, _ := p.r.cc.Call(p.center); !ci.Conference {
		t.Fatal("the center has no three-way call")
	}
	if err := p.a.e.ConferenceRetrieve(ctx(t), p.call.ID); err != nil {
		t.Fatal(err)
	}
	p.a.waitCallID(p.call.ID, core.CallTalking)
	p.b.waitCallID(bc.ID, core.CallEnded)
}

func TestThreeWayThenTransfer(t *testing.T) {
	p := newPair(t, wire.ModeCellphone)
	if err := p.a.e.Conference(ctx(t), p.call.ID, core.Target{Kind: core.TargetAgent, ID: "8002"}); err != nil {
		t.Fatal(err)
	}
	bc := answerRinging(t, p.b, core.CallConference)
	waitAllowed(t, p.a, p.call.ID, core.CallConference, core.ActConferenceTransfer)
	if err := p.a.e.ConferenceTransfer(ctx(t), p.call.ID); err != nil {
		t.Fatal(err)
	}
	if ended := p.a.waitCallID(p.call.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Fatalf("ended %s", ended.EndReason)
	}
	p.b.waitCallID(bc.ID, core.CallTalking)
}
