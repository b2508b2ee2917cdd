package emicsim

import (
	"context"
	"testing"
	"time"

	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// TestSupervisorMonitor: the monitor state machine of §7 with audio. The
// supervisor learns of the call from repCallStatus, listens (hears both,
// nobody hears it), joins (all three hear each other), exits back to
// listening, stops, starts again, joins and ends the whole call; every
// move the diagram does not allow is result 1. terminateCall ends a call
// without monitoring it.
func TestSupervisorMonitor(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	sup := s.signIn("8000", clientOpts{pwd: superPW, hz: supervisorHz, gid: serviceGid})
	sup.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy})
	sup.status()
	a := s.signIn("8001", clientOpts{gid: serviceGid})

	id := s.customerCall("13912345678", serviceLine)
	ring := a.callEvent(wire.NewPBXCall)
	acall := a.incoming()
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	if err := acall.Answer(ctx); err != nil {
		t.Fatal(err)
	}
	a.callEvent(wire.AnsweredPBXCall)
	rep := sup.rep()
	cc := string(rep.CcNumber)
	if cc != string(ring.C) || rep.Caller != "8001" {
		t.Fatalf("repCallStatus %+v", rep)
	}

	// A seat that is not a supervisor: result 1.
	if r := a.monitor(wire.CmdStartCallMonitor, cc); r != wire.MonitorFailed {
		t.Errorf("startCallMonitor by a plain seat: %d", r)
	}
	// Moves the diagram does not allow from "none".
	for _, cmd := range []string{wire.CmdStopCallMonitor, wire.CmdJoinFromMonitor, wire.CmdExitJoinMonitor, wire.CmdEndCallMonitor} {
		if r := sup.monitor(cmd, cc); r != wire.MonitorFailed {
			t.Errorf("%s from none: %d", cmd, r)
		}
	}
	if st := s.front.MonitorState("8000"); st != (wire.MonitorState{}) {
		t.Fatalf("state %+v", st)
	}

	listen := func() *phone.Call {
		t.Helper()
		if r := sup.monitor(wire.CmdStartCallMonitor, cc); r != wire.MonitorSucceeded {
			t.Fatalf("startCallMonitor: %d", r)
		}
		leg := sup.incoming()
		if leg.Header(wire.HeaderCcNumber) != cc || !wire.IsAutoAnswer(leg.Header(wire.HeaderCallInfo)) {
			t.Fatalf("monitor INVITE: %q %q", leg.Header(wire.HeaderCcNumber), leg.Header(wire.HeaderCallInfo))
		}
		sup.waitState(leg, phone.Talking)
		if d := sup.callEvent(wire.AnsweredPBXCall); string(d.C) != cc {
			t.Fatalf("the monitor's answeredPBXCall %+v", d)
		}
		if st := s.front.MonitorState("8000"); st.Status != wire.MonitorListen || st.CcNumber != cc {
			t.Fatalf("state %+v", st)
		}
		return leg
	}
	hears := func(who string, present, absent []float64) {
		t.Helper()
		settle(1500 * time.Millisecond)
		pcm, rate := sup.ear.last(time.Second)
		expectTones(t, who+": the supervisor", pcm, rate, present, nil)
		expectTones(t, who+": the customer", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{agentHz}, absent)
		apcm, arate := a.ear.last(time.Second)
		expectTones(t, who+": the seat", apcm, arate, []float64{customerHz}, absent)
	}

	leg := listen()
	hears("listening", []float64{customerHz, agentHz}, []float64{supervisorHz})
	if r := sup.monitor(wire.CmdTerminateCall, cc); r != wire.MonitorFailed {
		t.Errorf("terminateCall while listening: %d", r)
	}
	if r := sup.monitor(wire.CmdExitJoinMonitor, cc); r != wire.MonitorFailed {
		t.Errorf("exitJoinMonitor while listening: %d", r)
	}
	if r := sup.monitor(wire.CmdJoinFromMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("joinFromMonitor: %d", r)
	}
	if st := s.front.MonitorState("8000"); st.Status != wire.MonitorJoined {
		t.Fatalf("state %+v", st)
	}
	settle(1500 * time.Millisecond)
	expectTones(t, "joined: the customer", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{agentHz, supervisorHz}, nil)
	apcm, arate := a.ear.last(time.Second)
	expectTones(t, "joined: the seat", apcm, arate, []float64{customerHz, supervisorHz}, nil)
	if r := sup.monitor(wire.CmdStopCallMonitor, cc); r != wire.MonitorFailed {
		t.Errorf("stopCallMonitor while joined: %d", r)
	}
	if r := sup.monitor(wire.CmdExitJoinMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("exitJoinMonitor: %d", r)
	}
	hears("back to listening", []float64{customerHz, agentHz}, []float64{supervisorHz})
	if r := sup.monitor(wire.CmdStopCallMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("stopCallMonitor: %d", r)
	}
	if d := sup.callEvent(wire.EndPBXCall); string(d.C) != cc {
		t.Fatalf("the monitor's endPBXCall %+v", d)
	}
	sup.waitState(leg, phone.Ended)
	if ci, ok := s.cc.Call(id); !ok || ci.Phase != callcenter.PhaseTalking {
		t.Fatalf("the call after stopCallMonitor: %+v %v", ci, ok)
	}

	// Again, join, and end the whole call from the three-way.
	leg = listen()
	if r := sup.monitor(wire.CmdJoinFromMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("joinFromMonitor: %d", r)
	}
	if r := sup.monitor(wire.CmdEndCallMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("endCallMonitor: %d", r)
	}
	a.callEvent(wire.EndPBXCall)
	// The supervisor's leg and the seat's end together: either comes first.
	for range 2 {
		switch ev := sup.next(); ev.Event {
		case wire.EventRepCallStatus:
			if rep, err := ev.RepCallStatus(); err != nil || !rep.Ended() || string(rep.CcNumber) != cc {
				t.Fatalf("repCallStatus at the end %+v %v", rep, err)
			}
		case wire.EventCallEvent:
			if d, err := ev.CallEvent(); err != nil || ev.Type != wire.EndPBXCall || string(d.C) != cc {
				t.Fatalf("the monitor's end: %s %+v %v", ev.Type, d, err)
			}
		default:
			t.Fatalf("unexpected %s", ev.Event)
		}
	}
	sup.waitState(leg, phone.Ended)
	a.waitState(acall, phone.Ended)
	if st := s.front.MonitorState("8000"); st != (wire.MonitorState{}) {
		t.Fatalf("state after the end %+v", st)
	}

	// terminateCall: straight from none.
	id = s.customerCall("13912345679", serviceLine)
	ring = a.callEvent(wire.NewPBXCall)
	acall = a.incoming()
	if err := acall.Answer(ctx); err != nil {
		t.Fatal(err)
	}
	a.callEvent(wire.AnsweredPBXCall)
	cc = string(sup.rep().CcNumber)
	if r := sup.monitor(wire.CmdTerminateCall, cc); r != wire.MonitorSucceeded {
		t.Fatalf("terminateCall: %d", r)
	}
	a.callEvent(wire.EndPBXCall)
	a.waitState(acall, phone.Ended)
	sup.rep()
	if _, ok := s.cc.Call(id); ok {
		t.Fatal("the call outlived terminateCall")
	}
	if r := sup.monitor(wire.CmdStartCallMonitor, cc); r != wire.MonitorFailed {
		t.Errorf("startCallMonitor on an ended call: %d", r)
	}
	sup.quiet()
	a.quiet()
}
