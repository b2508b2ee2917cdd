package udesk_test

import (
	"errors"
	"testing"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk"
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

// TestTransferToOutsideNumber: the simulated center has no outside lines;
// the platform's refusal is visible and reaches the agent as is.
func TestTransferToOutsideNumber(t *testing.T) {
	p := newPair(t, wire.ModeCellphone)
	err := p.a.e.Transfer(ctx(t), p.call.ID, core.Target{Kind: core.TargetNumber, ID: "13700000000"})
	var pe *udesk.PlatformError
	if !errors.As(err, &pe) || pe.Code != wire.CodeUnavailable || !pe.Visible {
		t.Fatalf("err %v, want a visible 2005", err)
	}
	if s := core.Sentence(err, "en"); s != pe.Message {
		t.Fatalf("sentence %q, want the platform's message %q", s, pe.Message)
	}
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
