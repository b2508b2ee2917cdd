package emicsim

import (
	"context"
	"testing"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// TestInboundVoIP: a customer calls; newPBXCall, then the INVITE with the
// ccNumber; the seat answers the INVITE and both hear each other (tones
// measured at the seat's headset and in the center's room); hold puts the
// customer on music; one DTMF digit; the seat hangs up: endPBXCall with
// the seconds of talk. The supervisor of the group gets repCallStatus.
func TestInboundVoIP(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	sup := s.signIn("8000", clientOpts{pwd: superPW, hz: supervisorHz})
	sup.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy}) // calls go to 8001
	if st := sup.status(); st != wire.SeatBusy {
		t.Fatal(st)
	}
	a := s.signIn("8001", clientOpts{gid: serviceGid})

	id := s.customerCall("13912345678", serviceLine)
	ring := a.callEvent(wire.NewPBXCall)
	if ring.A != wire.StatusRinging || ring.N != "13912345678" || !wire.ValidCcNumber(string(ring.C)) {
		t.Fatalf("newPBXCall %+v", ring)
	}
	if got := s.callOf(string(ring.C)); got != id {
		t.Fatalf("ccNumber %s is call %s, not %s", ring.C, got, id)
	}
	call := a.incoming()
	if h := call.Header(wire.HeaderCcNumber); h != string(ring.C) {
		t.Fatalf("INVITE %s %q, newPBXCall c %q", wire.HeaderCcNumber, h, ring.C)
	}
	if r := a.cmd(wire.CmdAnswerPBXCall, wire.CcData{C: ring.C}); r.Code != wire.ResultWrongState {
		t.Errorf("answerPBXCall in voip: %+v (the INVITE is what voip answers)", r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	if err := call.Answer(ctx); err != nil {
		t.Fatal(err)
	}
	up := a.callEvent(wire.AnsweredPBXCall)
	if up.A != wire.StatusAnswered || up.C != ring.C || up.N != "13912345678" {
		t.Fatalf("answeredPBXCall %+v", up)
	}
	rep := sup.rep()
	if rep.Caller != "8001" || rep.Callee != "13912345678" || string(rep.CcNumber) != string(ring.C) || rep.CallTime == 0 || rep.Ended() {
		t.Fatalf("repCallStatus at the start %+v", rep)
	}

	settle(1500 * time.Millisecond)
	pcm, rate := a.ear.last(time.Second)
	expectTones(t, "the seat", pcm, rate, []float64{customerHz}, nil)
	expectTones(t, "the customer (center truth)", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{agentHz}, nil)

	a.ok(wire.CmdHold, wire.CcData{C: ring.C})
	settle(time.Second)
	expectTones(t, "the customer on hold", s.heard(id, callcenter.SimulatedCustomer), 8000, nil, []float64{agentHz})
	a.ok(wire.CmdUnhold, wire.CcData{C: ring.C})
	settle(time.Second)
	expectTones(t, "the customer after unhold", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{agentHz}, nil)

	for _, d := range []string{"5", "#"} {
		a.ok(wire.CmdSendDTMF, wire.DTMFData{C: ring.C, DTMF: wire.FlexString(d)})
		s.waitCenter("DTMF "+d, func(ev callcenter.Event) bool {
			e, ok := ev.(callcenter.DTMFReceived)
			return ok && e.Call == id && e.From == "8001" && e.Digits == d
		})
	}

	a.ok(wire.CmdTerminate, wire.CcData{C: ring.C})
	end := a.callEvent(wire.EndPBXCall)
	if end.C != ring.C || end.Talk() < 3 || end.Talk() > 30 {
		t.Fatalf("endPBXCall %+v (talk %ds)", end, end.Talk())
	}
	a.waitState(call, 7) // phone.Ended
	rep = sup.rep()
	if !rep.Ended() || string(rep.CcNumber) != string(ring.C) || rep.EndTime < rep.CallTime {
		t.Fatalf("repCallStatus at the end %+v", rep)
	}
	if r := a.cmd(wire.CmdHold, wire.CcData{C: ring.C}); r.Code != wire.ResultForbidden && r.Code != wire.ResultNoSuchCall {
		t.Errorf("hold after the end: %+v", r)
	}
	a.quiet()
	sup.quiet()
}

// TestInboundRejectAndCancel: the seat refuses a ringing call
// (terminate): cancelPBXCall, and the call goes on to another seat; a
// customer who gives up while it rings: cancelPBXCall.
func TestInboundRejectAndCancel(t *testing.T) {
	cfg := simConfig()
	for i := range cfg.Queues {
		cfg.Queues[i].RingTimeout = 20 * time.Second
	}
	s := newSim(t, cfg, simOptions())
	a := s.signIn("8001", clientOpts{})
	b := s.signIn("8003", clientOpts{hz: colleagueHz})
	b.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy})
	if st := b.status(); st != wire.SeatBusy {
		t.Fatal(st)
	}

	// The customer gives up after 4 s.
	id, err := s.cc.CustomerCall(callcenter.Customer{Number: "13912345678", Patience: callcenter.Duration(4 * time.Second),
		Voice: callcenter.Voice{ToneHz: customerHz}}, serviceLine)
	if err != nil {
		t.Fatal(err)
	}
	ring := a.callEvent(wire.NewPBXCall)
	call := a.incoming()
	a.ok(wire.CmdTerminate, wire.CcData{C: ring.C})
	if c := a.callEvent(wire.CancelPBXCall); c.C != ring.C {
		t.Fatalf("cancelPBXCall %+v", c)
	}
	a.waitState(call, 7)
	if st := a.status(); st != wire.SeatBusy {
		t.Fatalf("after refusing: status %d (the center sets a seat that refused busy)", st)
	}
	// 8003 becomes free: the call is offered there with the same ccNumber.
	b.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatIdle})
	if st := b.status(); st != wire.SeatIdle {
		t.Fatal(st)
	}
	ring2 := b.callEvent(wire.NewPBXCall)
	if ring2.C != ring.C || s.callOf(string(ring2.C)) != id {
		t.Fatalf("the call came back as %s, was %s", ring2.C, ring.C)
	}
	call2 := b.incoming()
	if c := b.callEvent(wire.CancelPBXCall); c.C != ring.C {
		t.Fatalf("cancelPBXCall when the customer gave up: %+v", c)
	}
	b.waitState(call2, 7)
	a.quiet()
	b.quiet()
}
