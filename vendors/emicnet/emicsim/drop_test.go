package emicsim

import (
	"testing"
	"time"

	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// TestSocketDropMidCall: the seat's WebSocket is cut during a call. The
// client registers again over a new socket; the platform tells it its
// status again, the call keeps its audio, and its events reach the new
// socket (endPBXCall when the seat hangs up).
func TestSocketDropMidCall(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	a := s.signIn("8001", clientOpts{})
	id := s.customerCall("13912345678", serviceLine)
	ring := a.callEvent(wire.NewPBXCall)
	call := a.incoming()
	answer(t, call)
	a.callEvent(wire.AnsweredPBXCall)
	before := s.front.SIP().Bindings()

	must(t, s.cc.Faults().Set(callcenter.Drop{Agent: "8001"}))
	deadline := time.After(eventTimeout)
	for registeredAgain := false; !registeredAgain; {
		select {
		case r := <-a.reg:
			registeredAgain = r.State == phone.Registered
		case <-deadline:
			t.Fatal("the client did not register again")
		}
	}
	if st := a.status(); st != wire.SeatIdle {
		t.Fatalf("status after registering again: %d", st)
	}
	after := s.front.SIP().Bindings()
	if len(before) != 1 || len(after) != 1 || before[0].Source == after[0].Source {
		t.Fatalf("bindings before %+v after %+v: not a new socket", before, after)
	}
	settle(1500 * time.Millisecond)
	pcm, rate := a.ear.last(time.Second)
	expectTones(t, "the seat after the drop", pcm, rate, []float64{customerHz}, nil)
	expectTones(t, "the customer after the drop", s.heard(id, callcenter.SimulatedCustomer), 8000, []float64{agentHz}, nil)
	a.ok(wire.CmdTerminate, wire.CcData{C: ring.C})
	if d := a.callEvent(wire.EndPBXCall); d.C != ring.C {
		t.Fatalf("endPBXCall %+v", d)
	}
	a.waitState(call, phone.Ended)
	a.quiet()
}
