package sipfront

import (
	"context"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// Supervisor modes verified by audio: the customer speaks customerHz, the
// agent agentHz, the supervisor supervisorHz; each party's ear is measured
// (the agent's and the supervisor's virtual headsets, the customer through
// the center's truth).
func TestSupervisorMixingByAudio(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	agent := c.agent("8001", "agent-pw", agentHz, nil)
	sup := c.agent("8000", "super-pw", supervisorHz, map[string]string{"answer_after": "true"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The supervisor is not taking customers.
	if err := c.cc.SetAgentState("8000", callcenter.StateBusy); err != nil {
		t.Fatal(err)
	}
	id, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	ring := agent.waitCall(core.CallRinging)
	if err := agent.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	agent.waitCall(core.CallTalking)
	c.waitAgent("8001", callcenter.Talking)

	if err := c.cc.Monitor("8000", "8001", callcenter.MonitorListen); err != nil {
		t.Fatal(err)
	}
	// The supervisor's agentbar answers by itself (Call-Info answer-after=0).
	supCall := sup.waitCall(core.CallTalking)
	c.waitAgent("8000", callcenter.Talking)

	type ears struct{ customer, agent, supervisor []int16 }
	// The last 0.7 s of 2 s after a change: the endpoints' jitter buffers
	// may hold a few hundred ms under -race on two cores.
	listen := func() ears {
		settle(2 * time.Second)
		const window = 700 * time.Millisecond
		customer, err := c.front.Heard(id, callcenter.SimulatedCustomer, window)
		if err != nil {
			t.Fatal(err)
		}
		return ears{customer: customer, agent: agent.ear.last(window), supervisor: sup.ear.last(window)}
	}
	C, A, S := customerHz, agentHz, supervisorHz
	steps := []struct {
		mode                         callcenter.MonitorMode
		customer, agent, supervisor  []float64 // heard
		customerNo, agentNo, superNo []float64 // not heard
	}{
		// Listen: the supervisor hears both; nobody hears the supervisor.
		{callcenter.MonitorListen, []float64{A}, []float64{C}, []float64{C, A}, []float64{S}, []float64{S}, nil},
		// Whisper: only the agent hears the supervisor.
		{callcenter.MonitorWhisper, []float64{A}, []float64{C, S}, []float64{C, A}, []float64{S}, nil, nil},
		// Barge: all three hear each other.
		{callcenter.MonitorBarge, []float64{A, S}, []float64{C, S}, []float64{C, A}, nil, nil, nil},
	}
	for _, step := range steps {
		if step.mode != callcenter.MonitorListen {
			if err := c.cc.Monitor("8000", "8001", step.mode); err != nil {
				t.Fatal(err)
			}
		}
		e := listen()
		t.Run(string(step.mode), func(t *testing.T) {
			expectTones(t, "customer", e.customer, step.customer, step.customerNo)
			expectTones(t, "agent", e.agent, step.agent, step.agentNo)
			expectTones(t, "supervisor", e.supervisor, step.supervisor, step.superNo)
		})
	}

	// Take-over: the agent's leg ends; customer and supervisor talk.
	if err := c.cc.Monitor("8000", "8001", callcenter.MonitorTakeOver); err != nil {
		t.Fatal(err)
	}
	end := agent.waitCallID(ring.ID, core.CallEnded)
	if end.EndReason != core.EndRemoteHangup {
		t.Errorf("agent's leg ended %s", end.EndReason)
	}
	e := listen()
	t.Run("takeover", func(t *testing.T) {
		expectTones(t, "customer", e.customer, []float64{S}, []float64{A})
		expectTones(t, "supervisor", e.supervisor, []float64{C}, []float64{A})
		if ci, _ := c.cc.Call(id); ci.Agent != "8000" {
			t.Errorf("call now served by %q", ci.Agent)
		}
	})
	if err := sup.e.Hangup(ctx, supCall.ID); err != nil {
		t.Fatal(err)
	}
	ended := c.waitEvent("end", func(ev callcenter.Event) bool { e, ok := ev.(callcenter.CallEnded); return ok && e.Call.ID == id }).(callcenter.CallEnded)
	if ended.CDR.Agent != "8000" || len(ended.CDR.Legs) != 3 {
		t.Errorf("CDR %+v", ended.CDR)
	}
}
