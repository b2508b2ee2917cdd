package sipfront

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// The WebSocket of an agent in a WebRTC call is dropped by the server. The
// binding goes at once; agentbar connects again and registers, and the call
// carries on with its audio, its BYE coming over the new socket. Dropped
// again while its registrations are refused, the agent does not come back
// within the grace and the center ends its call.
func TestWebSocketDroppedMidCall(t *testing.T) {
	var refuse atomic.Bool
	registered := make(chan string, 16)
	unregistered := make(chan string, 16)
	const grace = 1500 * time.Millisecond
	c := newWSCenter(t, centerConfig(), Options{WSGrace: grace,
		OnRegister: func(agent string, _ *sip.Request) error {
			if refuse.Load() {
				return errors.New("refused by the test")
			}
			notify(registered)(agent)
			return nil
		},
		OnUnregister: notify(unregistered),
	})
	regs := c.registrations() // after each 200
	a := c.agent("8001", "agent-pw", agentHz, c.webRTCFields("ws", nil))
	waitFor(t, "registration", registered, "8001", 5*time.Second)
	waitRegistration(t, regs, "8001", 5*time.Second)

	t.Run("the agent comes back", func(t *testing.T) {
		c, a := c.in(t), a.in(t)
		// The customer talks for 10 s, then hangs up: the center's BYE.
		id, err := c.cc.CustomerCall(callcenter.Customer{Number: "13800000001", Voice: callcenter.Voice{ToneHz: customerHz},
			Script: []callcenter.Step{{Kind: callcenter.StepSay, For: callcenter.Duration(10 * time.Second)}, {Kind: callcenter.StepHangUp}}},
			"02512345678")
		if err != nil {
			t.Fatal(err)
		}
		ring := a.waitCall(core.CallRinging)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.e.Answer(ctx, ring.ID); err != nil {
			t.Fatal(err)
		}
		a.waitCallID(ring.ID, core.CallTalking)
		c.waitLegUp("8001", id)
		before := c.binding("8001").Source
		setFault(t, c, callcenter.Drop{Agent: "8001"})
		waitFor(t, "unregistration after the drop", unregistered, "8001", 5*time.Second)
		waitRegistration(t, regs, "8001", 10*time.Second)
		if after := c.binding("8001").Source; after == before {
			t.Fatalf("registered again from the same socket %s", after)
		}
		// Past the grace: the call is still there, with its audio.
		settle(grace + 500*time.Millisecond)
		if l := c.leg("8001"); !l.Up || l.Call != id {
			t.Fatalf("leg after the drop %+v", l)
		}
		expectTones(t, "agent after the drop", a.ear.last(time.Second), []float64{customerHz}, nil)
		expectTones(t, "customer after the drop", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz}, nil)
		// The customer hangs up: the center's BYE reaches the agent over the
		// new socket.
		if end := a.waitCallID(ring.ID, core.CallEnded); end.EndReason != core.EndRemoteHangup {
			t.Errorf("agent's call ended %s", end.EndReason)
		}
	})

	t.Run("the agent does not come back", func(t *testing.T) {
		c, a := c.in(t), a.in(t)
		c.waitAgent("8001", callcenter.Ready)
		id, _ := answered(t, c, a, "02512345678")
		c.waitLegUp("8001", id)
		refuse.Store(true)
		dropped := time.Now()
		setFault(t, c, callcenter.Drop{Agent: "8001"})
		waitFor(t, "unregistration after the drop", unregistered, "8001", 5*time.Second)
		ended := c.waitEvent("end of the abandoned call", func(ev callcenter.Event) bool {
			e, ok := ev.(callcenter.CallEnded)
			return ok && e.Call.ID == id
		}).(callcenter.CallEnded)
		if took := time.Since(dropped); took < grace {
			t.Errorf("call ended %v after the drop, before the grace of %v", took, grace)
		}
		if ended.CDR.HangupBy != callcenter.RoleAgent {
			t.Errorf("CDR %+v", ended.CDR)
		}
		if c.front.Registered("8001") {
			t.Error("refused agent registered")
		}
	})
}
