package emicnet_test

import (
	"errors"
	"fmt"
	"testing"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet"
	"agentbar/vendors/emicnet/wire"
)

// wallShows waits until the supervisor's wall shows agent with the call
// state and monitor given.
func (s *seat) wallShows(agent, callState, monitor string) {
	s.t.Helper()
	s.waitEvent(fmt.Sprintf("wall: %s %q %q", agent, callState, monitor), func(ev core.Event) bool {
		w, ok := ev.(core.AgentsChanged)
		if !ok {
			return false
		}
		for _, ag := range w.Agents {
			if ag.ID == agent {
				return ag.CallState == callState && ag.Monitor == monitor
			}
		}
		return false
	})
}

// TestSupervisorMonitoringWithAudio walks the monitor state machine of
// the contract with audio measured at every party: listen (the supervisor
// hears both, nobody hears the supervisor), join (all three), exit back to
// listening, stop; then barge from nothing and end the whole call; then
// terminateCall on a call not monitored. checkMonitorState follows, here
// and on the platform, and the supervisor's own leg is never a call of its
// own.
func TestSupervisorMonitoringWithAudio(t *testing.T) {
	r := newRig(t, rigOptions{})
	sup := r.seat(t, callcenter.DemoSupervisor, seatOptions{toneHz: supervisorHz})
	// Busy, so that the customers go to the agent; supervisors are told of
	// the calls that start after they signed in.
	mustNil(t, sup.e.SetAgentState(ctx(t), core.BusyState()))
	sup.waitState("busy")
	st, _ := sup.e.Status(ctx(t))
	if !st.Session.IsSupervisor || !st.Capabilities.Supervisor || len(st.Capabilities.MonitorModes) != 4 {
		t.Fatalf("supervisor session %+v caps %+v", st.Session, st.Capabilities)
	}
	a := r.seat(t, callcenter.DemoAgent, seatOptions{})
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall("", core.CallRinging)
	mustNil(t, a.e.Answer(ctx(t), ringing.ID))
	a.waitCall(ringing.ID, core.CallTalking)
	sup.wallShows(callcenter.DemoAgent, "talking", "")
	adapter := sup.adapterNow()

	// Refused here, before anything is sent: §7 and the modes that do not exist.
	var mse *emicnet.MonitorStateError
	if err := sup.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorEnd); !errors.As(err, &mse) {
		t.Fatalf("end while not monitoring: %v", err)
	}
	if err := sup.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorWhisper); !errors.Is(err, core.ErrNotSupported) {
		t.Fatalf("whisper: %v", err)
	}
	var idle *emicnet.IdleAgentError
	if err := sup.e.Monitor(ctx(t), "8002", core.MonitorListen); !errors.As(err, &idle) {
		t.Fatalf("an idle agent: %v", err)
	}

	customer := r.heard(call, callcenter.SimulatedCustomer)
	steps := []struct {
		mode                              core.MonitorMode
		status                            wire.MonitorStatus
		superHears, agentHears, custHears map[float64]bool
	}{
		{core.MonitorListen, wire.MonitorListen,
			map[float64]bool{customerHz: true, agentHz: true},
			map[float64]bool{customerHz: true, supervisorHz: false},
			map[float64]bool{agentHz: true, supervisorHz: false}},
		{core.MonitorBarge, wire.MonitorJoined,
			map[float64]bool{customerHz: true, agentHz: true},
			map[float64]bool{customerHz: true, supervisorHz: true},
			map[float64]bool{agentHz: true, supervisorHz: true}},
		{core.MonitorListen, wire.MonitorListen, // exitJoinMonitor
			map[float64]bool{customerHz: true, agentHz: true},
			map[float64]bool{customerHz: true, supervisorHz: false},
			map[float64]bool{agentHz: true, supervisorHz: false}},
		{core.MonitorEnd, wire.MonitorNone, // stopCallMonitor
			map[float64]bool{customerHz: false, agentHz: false},
			map[float64]bool{customerHz: true, supervisorHz: false},
			map[float64]bool{agentHz: true, supervisorHz: false}},
	}
	for _, step := range steps {
		mustNil(t, sup.e.Monitor(ctx(t), callcenter.DemoAgent, step.mode))
		ms := adapter.CheckMonitorState()
		if ms.Status != step.status || (step.status != wire.MonitorNone) != (ms.CcNumber == ringing.PlatformCallID) {
			t.Fatalf("%s: checkMonitorState %+v", step.mode, ms)
		}
		if pm := r.front.MonitorState(callcenter.DemoSupervisor); pm != ms {
			t.Fatalf("%s: the platform says %+v, the adapter %+v", step.mode, pm, ms)
		}
		want := string(step.mode)
		if step.mode == core.MonitorEnd {
			want = ""
		}
		sup.wallShows(callcenter.DemoAgent, "talking", want)
		waitTones(t, fmt.Sprint(step.mode, ": supervisor"), sup.heard(), step.superHears)
		waitTones(t, fmt.Sprint(step.mode, ": agent"), a.heard(), step.agentHears)
		waitTones(t, fmt.Sprint(step.mode, ": customer"), customer, step.custHears)
	}
	if st, _ := sup.e.Status(ctx(t)); len(st.Calls) != 0 {
		t.Fatalf("the monitor leg shows as the supervisor's call: %+v", st.Calls)
	}

	// Barge from nothing (start, then join), then end the whole call.
	mustNil(t, sup.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorBarge))
	if ms := adapter.CheckMonitorState(); ms.Status != wire.MonitorJoined {
		t.Fatalf("barge from none: %+v", ms)
	}
	waitTones(t, "barge: customer", customer, map[float64]bool{supervisorHz: true})
	mustNil(t, sup.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorHangup))
	if ended := a.waitCall(ringing.ID, core.CallEnded); ended.EndReason != core.EndRemoteHangup {
		t.Errorf("the agent's call ended %s", ended.EndReason)
	}
	if ms := adapter.CheckMonitorState(); ms.Status != wire.MonitorNone {
		t.Fatalf("after endCallMonitor: %+v", ms)
	}
	sup.wallShows(callcenter.DemoAgent, "", "")

	// terminateCall: end a call without monitoring it.
	r.customer("13912345679", customerHz)
	second := a.waitCall("", core.CallRinging)
	mustNil(t, a.e.Answer(ctx(t), second.ID))
	a.waitCall(second.ID, core.CallTalking)
	sup.wallShows(callcenter.DemoAgent, "talking", "")
	mustNil(t, sup.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorHangup))
	a.waitCall(second.ID, core.CallEnded)
	if st, _ := sup.e.Status(ctx(t)); len(st.Calls) != 0 {
		t.Fatalf("the supervisor has calls: %+v", st.Calls)
	}
}

// TestMonitorNotSupervisor: the platform refuses a seat without the role
// (result 1), with the monitor's sentence.
func TestMonitorNotSupervisor(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	// Told it is a supervisor, the adapter offers the wall; the platform knows better.
	b := r.seat(t, "8002", seatOptions{callintype: wire.CallInSIPPhone, number: "6002", fields: map[string]string{"supervisor": "true"}})
	r.customer("13912345678", customerHz)
	ringing := a.waitCall("", core.CallRinging)
	mustNil(t, a.e.Answer(ctx(t), ringing.ID))
	a.waitCall(ringing.ID, core.CallTalking)
	// 8002 gets no repCallStatus: the agent's call is unknown to it.
	var idle *emicnet.IdleAgentError
	if err := b.e.Monitor(ctx(t), callcenter.DemoAgent, core.MonitorListen); !errors.As(err, &idle) {
		t.Fatalf("monitor without the role: %v", err)
	}
}

// TestGroupPaging: searchEpMembers is read page by page (two members a
// page here) for the transfer picker and the supervisor's wall.
func TestGroupPaging(t *testing.T) {
	r := newRig(t, rigOptions{})
	sup := r.seat(t, callcenter.DemoSupervisor, seatOptions{callintype: wire.CallInSIPPhone, number: "6000"})
	targets, err := sup.e.Targets(ctx(t), core.TargetAgent)
	mustNil(t, err)
	got := map[string]bool{}
	for _, tg := range targets {
		got[tg.ID] = true
	}
	for _, want := range []string{groupSales + "/8001", groupSales + "/8002", groupService + "/8001", groupService + "/8003"} {
		if !got[want] {
			t.Errorf("targets %v lack %s", got, want)
		}
	}
	if got[groupSales+"/8000"] || len(targets) != 4 {
		t.Errorf("targets %+v", targets)
	}
	agents, err := sup.e.GroupAgents(ctx(t))
	mustNil(t, err)
	ids := map[string]string{}
	for _, ag := range agents {
		ids[ag.ID] = ag.State.Name()
	}
	if len(ids) != 3 || ids["8001"] != "offline" || ids["8002"] == "" || ids["8003"] == "" {
		t.Fatalf("wall %v", ids)
	}
	r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	sup.waitEvent("8001 ready on the wall", func(ev core.Event) bool {
		w, ok := ev.(core.AgentsChanged)
		if !ok {
			return false
		}
		for _, ag := range w.Agents {
			if ag.ID == callcenter.DemoAgent && ag.State.Name() == "ready" {
				return true
			}
		}
		return false
	})
}
