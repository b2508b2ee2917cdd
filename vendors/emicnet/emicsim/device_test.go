package emicsim

import (
	"testing"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// TestDeviceModes: callintype 5 (SIP phone) and 4 (callback phone) drive
// the control plane only; the simulated phones ring in the center and
// speak deviceHz, measured in the center's rooms. The SIP phone answers
// when answerPBXCall asks and by itself on the monitor's auto-answer leg;
// the callback phone's person picks up by themselves.
func TestDeviceModes(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	sup := s.signIn("8000", clientOpts{pwd: superPW, callintype: wire.CallInSIPPhone, number: "8800"})
	sup.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy})
	sup.status()
	a := s.signIn("8001", clientOpts{callintype: wire.CallInSIPPhone, number: "8801"})
	if ag, _ := s.cc.Agent("8001"); ag.Device.Kind != callcenter.DeviceSIPPhone || ag.Device.Number != "8801" {
		t.Fatalf("8001's device %+v", ag.Device)
	}

	id := s.customerCall("13912345678", serviceLine)
	ring := a.callEvent(wire.NewPBXCall)
	a.ok(wire.CmdAnswerPBXCall, wire.CcData{C: ring.C})
	if d := a.callEvent(wire.AnsweredPBXCall); d.C != ring.C {
		t.Fatalf("answeredPBXCall %+v", d)
	}
	cc := string(sup.rep().CcNumber)
	s.requireDeviceInRoom(id, "8001")
	settle(time.Second)
	expectTones(t, "the customer (the SIP phone speaks)", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{deviceHz}, nil)
	a.ok(wire.CmdSendDTMF, wire.DTMFData{C: ring.C, DTMF: "7"})
	s.waitCenter("DTMF 7", func(ev callcenter.Event) bool {
		e, ok := ev.(callcenter.DTMFReceived)
		return ok && e.Call == id && e.Digits == "7"
	})

	// The supervisor's SIP phone answers the monitor by itself.
	if r := sup.monitor(wire.CmdStartCallMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("startCallMonitor: %d", r)
	}
	if d := sup.callEvent(wire.AnsweredPBXCall); string(d.C) != cc {
		t.Fatalf("monitor answeredPBXCall %+v", d)
	}
	settle(time.Second)
	expectTones(t, "the supervisor's SIP phone (center truth)", s.heard(id, "8000"), 8000, []float64{customerHz, deviceHz}, nil)
	if r := sup.monitor(wire.CmdStopCallMonitor, cc); r != wire.MonitorSucceeded {
		t.Fatalf("stopCallMonitor: %d", r)
	}
	sup.callEvent(wire.EndPBXCall)
	a.ok(wire.CmdTerminate, wire.CcData{C: ring.C})
	a.callEvent(wire.EndPBXCall)
	sup.rep()

	// A callback phone places an outside call.
	b := s.signIn("8002", clientOpts{callintype: wire.CallInCallback, number: "13700000001"})
	r := b.ok(wire.CmdCall, wire.CallData{Number: quietNumber})
	var cr wire.CallResult
	if err := wire.DecodeData(r.Data, &cr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []wire.FlexString{wire.StatusRinging, wire.StatusAnswered} {
		if d := b.callEvent(wire.CalloutResponse); d.A != want || d.C != cr.C {
			t.Fatalf("calloutResponse %+v, want %s", d, want)
		}
	}
	b.callEvent(wire.AnsweredPBXCall)
	s.requireDeviceInRoom(s.callOf(string(cr.C)), "8002")
	settle(time.Second)
	expectTones(t, "the callee (the callback phone speaks)", s.heard(s.callOf(string(cr.C)), callcenter.SimulatedCustomer), 8000, []float64{deviceHz}, nil)
	b.ok(wire.CmdTerminate, wire.CcData{C: cr.C})
	b.callEvent(wire.EndPBXCall)
	if start, end := sup.rep(), sup.rep(); start.Caller != "8002" || start.Ended() || !end.Ended() {
		t.Fatalf("the supervisor's notices of 8002's call: %+v %+v", start, end)
	}

	// Signing out gives the seat its front device back.
	b.close()
	s.waitCenter("8002 offline", func(ev callcenter.Event) bool {
		e, ok := ev.(callcenter.AgentStateChanged)
		return ok && e.Agent == "8002" && e.To.Kind == callcenter.Offline
	})
	if ag, _ := s.cc.Agent("8002"); ag.Device.Kind != callcenter.DeviceFront {
		t.Errorf("8002's device after signing out: %+v", ag.Device)
	}
	a.quiet()
	sup.quiet()
}

// requireDeviceInRoom waits until the SIP front has put the seat's phone
// elsewhere in the call's room (it carries DeviceLeg out), which follows
// answeredPBXCall by a moment.
func (s *sim) requireDeviceInRoom(id callcenter.CallID, party string) {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, err := s.front.SIP().Hearing(id, party); err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the SIP front did not put %s's phone in the room within 2 s", party)
		}
		settle(20 * time.Millisecond)
	}
}

// TestTransfer: transferPBXCall to a free member of the group succeeds (the
// seat's leg ends, the member rings and takes the call with audio); to a
// busy, offline or foreign seat it fails and the call stays.
func TestTransfer(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	a := s.signIn("8001", clientOpts{})
	b := s.signIn("8003", clientOpts{hz: colleagueHz, answer: true})
	b.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy})
	b.status()

	id := s.customerCall("13912345678", serviceLine)
	ring := a.callEvent(wire.NewPBXCall)
	call := a.incoming()
	answer(t, call)
	a.callEvent(wire.AnsweredPBXCall)

	faild := []struct {
		name, gid, number string
		a                 wire.CallFailure
	}{
		{"busy member", serviceGid, "8003", wire.FailBusy},
		{"offline member", serviceGid, "8000", wire.FailUnavailable},
		{"not in the group", serviceGid, "8002", wire.FailNotFound},
		{"no such seat", serviceGid, "x1", wire.FailNotFound},
	}
	for _, f := range faild {
		r := a.ok(wire.CmdTransferPBXCall, wire.TransferData{Gid: wire.FlexString(f.gid), Number: wire.FlexString(f.number), C: ring.C})
		var tr wire.TransferResult
		var d wire.TransferDetail
		if err := wire.DecodeData(r.Data, &tr); err != nil || tr.Succeeded() {
			t.Fatalf("%s: %+v %v", f.name, tr, err)
		}
		if err := wire.DecodeData(tr.Data, &d); err != nil || d.A != wire.FlexString(itoa(int(f.a))) || d.C != ring.C {
			t.Fatalf("%s: detail %+v %v", f.name, d, err)
		}
	}
	if ci, ok := s.cc.Call(id); !ok || ci.Agent != "8001" {
		t.Fatalf("the call after failed transfers: %+v", ci)
	}

	b.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatIdle})
	b.status()
	r := a.ok(wire.CmdTransferPBXCall, wire.TransferData{Gid: serviceGid, Number: "8003", C: ring.C})
	var tr wire.TransferResult
	if err := wire.DecodeData(r.Data, &tr); err != nil || !tr.Succeeded() || tr.Type != wire.TransferCallSuccess {
		t.Fatalf("transfer: %+v %v", tr, err)
	}
	if d := a.callEvent(wire.EndPBXCall); d.C != ring.C {
		t.Fatalf("the transferring seat's endPBXCall %+v", d)
	}
	if d := b.callEvent(wire.NewPBXCall); d.C != ring.C || d.N != "13912345678" {
		t.Fatalf("the member's newPBXCall %+v", d)
	}
	b.incoming() // answered by itself
	b.callEvent(wire.AnsweredPBXCall)
	settle(1500 * time.Millisecond)
	pcm, rate := b.ear.last(time.Second)
	expectTones(t, "the member", pcm, rate, []float64{customerHz}, nil)
	expectTones(t, "the customer after the transfer", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{colleagueHz}, []float64{agentHz})
	b.ok(wire.CmdTerminate, wire.CcData{C: ring.C})
	b.callEvent(wire.EndPBXCall)
	a.quiet()
	b.quiet()
}
