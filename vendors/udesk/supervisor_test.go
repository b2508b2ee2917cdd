package udesk_test

import (
	"fmt"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// tones says which test tones a stretch of audio carries.
func tones(pcm []int16) map[float64]bool {
	out := map[float64]bool{}
	for _, hz := range []float64{customerHz, agentHz, supervisorHz, mobileHz, outsideHz} {
		out[hz] = len(pcm) >= 1600 && audio.Goertzel(pcm, 8000, hz) > 0.03
	}
	return out
}

// waitTones waits until what() carries exactly the tones in want (true:
// present, false: absent).
func waitTones(t *testing.T, who string, what func() []int16, want map[float64]bool) {
	t.Helper()
	var got map[float64]bool
	ok := sample(8*time.Second, func() bool {
		got = tones(what())
		for hz, on := range want {
			if got[hz] != on {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("%s hears %v, want %v", who, got, want)
	}
}

// TestSupervisorWithAudio: the wall from GetOtherAgentsAsync, then listen
// (EavesdropAsync), whisper (WhisperAsync), barge-in (ForcePickupAsync) and
// take-over (SubstituteAsync), each checked by what every party hears.
func TestSupervisorWithAudio(t *testing.T) {
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeVoip, agentHz)
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	s := r.agent(callcenter.DemoSupervisor, wire.ModeVoip, supervisorHz)
	st, _ := s.e.Status(ctx(t))
	if !st.Session.IsSupervisor || !st.Capabilities.Supervisor {
		t.Fatalf("supervisor session %+v caps %+v", st.Session, st.Capabilities)
	}
	// The wall: polled, pushed as AgentsChanged; 8001 is on a call.
	s.waitEvent("wall with 8001 talking", func(ev core.Event) bool {
		w, ok := ev.(core.AgentsChanged)
		if !ok {
			return false
		}
		for _, ag := range w.Agents {
			if ag.ID == callcenter.DemoAgent && ag.CallState == core.CallTalking.String() {
				return true
			}
		}
		return false
	})
	r.waitAgent(callcenter.DemoSupervisor, callcenter.Ready)

	customer := r.centerHeard(call, callcenter.SimulatedCustomer)
	agent := func() []int16 { return a.ear.last(500 * time.Millisecond) }
	super := func() []int16 { return s.ear.last(500 * time.Millisecond) }

	steps := []struct {
		mode                   core.MonitorMode
		superHears, agentHears map[float64]bool
		customerHears          map[float64]bool
	}{
		{core.MonitorListen, map[float64]bool{customerHz: true, agentHz: true}, map[float64]bool{customerHz: true, supervisorHz: false}, map[float64]bool{agentHz: true, supervisorHz: false}},
		{core.MonitorWhisper, map[float64]bool{customerHz: true, agentHz: true}, map[float64]bool{customerHz: true, supervisorHz: true}, map[float64]bool{agentHz: true, supervisorHz: false}},
		{core.MonitorBarge, map[float64]bool{customerHz: true, agentHz: true}, map[float64]bool{customerHz: true, supervisorHz: true}, map[float64]bool{agentHz: true, supervisorHz: true}},
	}
	for i, step := range steps {
		if err := s.e.Monitor(ctx(t), callcenter.DemoAgent, step.mode); err != nil {
			t.Fatalf("%s: %v", step.mode, err)
		}
		if i == 0 {
			mc := s.waitCall(core.CallTalking) // the monitor leg answered itself
			if mc.Direction != core.Inbound {
				t.Errorf("monitor leg %+v", mc)
			}
		}
		waitTones(t, fmt.Sprint(step.mode, ": supervisor"), super, step.superHears)
		waitTones(t, fmt.Sprint(step.mode, ": agent"), agent, step.agentHears)
		waitTones(t, fmt.Sprint(step.mode, ": customer"), customer, step.customerHears)
	}
	// Take-over: the agent's leg goes, customer and supervisor talk.
	if err := s.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorTakeOver); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCall(core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Errorf("the agent's call ended %s", ended.EndReason)
	}
	waitTones(t, "take-over: customer", customer, map[float64]bool{supervisorHz: true, agentHz: false})
	waitTones(t, "take-over: supervisor", super, map[float64]bool{customerHz: true, agentHz: false})
	if ci, _ := r.cc.Call(call); ci.Agent != callcenter.DemoSupervisor {
		t.Fatalf("the center's call is served by %q", ci.Agent)
	}
}

// TestMonitorRefusals: an agent without the role, an idle agent, and the
// one monitor mode the SDK lacks.
func TestMonitorRefusals(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent("8002", wire.ModeCellphone, agentHz)
	s := r.agent(callcenter.DemoSupervisor, wire.ModeCellphone, supervisorHz)
	if err := s.e.Monitor(ctx(t), "8002", core.MonitorListen); err == nil || core.Sentence(err, "zh") == "" {
		t.Fatalf("monitoring an idle agent: %v", err)
	}
	if err := s.e.Monitor(ctx(t), "8002", core.MonitorHangup); err == nil {
		t.Fatal("hangup has no SDK method, yet it worked")
	}
	_ = a
}
