package callcenter

import (
	"errors"
	"testing"
	"time"
)

// Emicnet's monitoring of a ccNumber, by audio, with the supervisor's
// phone elsewhere: listen, join (barge), back to listen, stop; monitor
// again and end the whole call.
func TestMonitorCallWithADeviceByAudio(t *testing.T) {
	h := newHarness(t, testConfig())
	f := newRoomFollower(t, h.cc, map[string]float64{"1001": agentHz})
	must(t, h.cc.SetAgentDevice("9000", Device{Kind: DeviceCallback, Number: "13912340000", AnswerAfter: time.Second, Voice: Voice{ToneHz: supervisorHz}}))
	id := talking(t, h)
	must(t, h.cc.MonitorCall("9000", id, MonitorListen))
	h.waitEventNot("the supervisor's phone rings", deviceLeg("9000", LegPhaseRinging), offerTo("9000"))
	h.clock.Advance(time.Second)
	h.waitEvent("off hook", deviceLeg("9000", LegPhaseUp))
	steps := []struct {
		mode                        MonitorMode
		customer, agent, supervisor []float64
	}{
		{MonitorListen, []float64{agentHz}, []float64{customerHz}, []float64{customerHz, agentHz}},
		{MonitorBarge, []float64{agentHz, supervisorHz}, []float64{customerHz, supervisorHz}, []float64{customerHz, agentHz}},
		{MonitorListen, []float64{agentHz}, []float64{customerHz}, []float64{customerHz, agentHz}},
	}
	for i, s := range steps {
		if i > 0 {
			must(t, h.cc.MonitorCall("9000", id, s.mode))
		}
		f.hearsExactly(id, SimulatedCustomer, allTones, s.customer...)
		f.hearsExactly(id, "1001", allTones, s.agent...)
		f.hearsExactly(id, "9000", allTones, s.supervisor...)
	}
	if c := h.call(id); c.Supervisor != "9000" || c.Monitor != string(MonitorListen) {
		t.Fatalf("call %+v", c)
	}
	must(t, h.cc.MonitorCall("9000", id, MonitorEnd))
	h.waitEvent("on hook", deviceLeg("9000", LegPhaseDown))
	h.wantState("9000", Ready)
	f.hearsExactly(id, SimulatedCustomer, allTones, agentHz)

	// Monitor again, then end the whole call from the monitor.
	must(t, h.cc.MonitorCall("9000", id, MonitorListen))
	h.clock.Advance(time.Second)
	must(t, h.cc.MonitorCall("9000", id, MonitorHangup))
	ended := h.waitEvent("end", endOf(id)).(CallEnded)
	if ended.CDR.HangupBy != RoleSupervisor || ended.CDR.Result != ResultAnswered || len(ended.CDR.Legs) != 4 {
		t.Fatalf("CDR %+v", ended.CDR)
	}
	h.wantState("9000", Ready)
	h.wantState("1001", Ready)
}

func TestMonitorCallRefusals(t *testing.T) {
	cfg := testConfig()
	cfg.Tenants = append(cfg.Tenants, TenantConfig{ID: "t2"})
	cfg.Agents = append(cfg.Agents, AgentConfig{ID: "9900", Tenant: "t2", Supervisor: true})
	h := newHarness(t, cfg)
	id := talking(t, h)
	queued := h.customer("13800000009", "4003") // nobody has the skill: it waits
	tests := []struct {
		sup  string
		call CallID
		mode MonitorMode
		want error
	}{
		{"1002", id, MonitorListen, ErrNotSupervisor},
		{"nobody", id, MonitorListen, ErrUnknownAgent},
		{"9000", "cc-999999", MonitorListen, ErrUnknownCall},
		{"9900", id, MonitorListen, ErrUnknownCall}, // another tenant's call
		{"9000", queued, MonitorListen, ErrWrongState},
		{"9000", queued, MonitorHangup, ErrWrongState},
		{"9000", id, "shout", ErrWrongState},
		{"9000", id, MonitorEnd, ErrWrongState},
	}
	for _, tt := range tests {
		if err := h.cc.MonitorCall(tt.sup, tt.call, tt.mode); !errors.Is(err, tt.want) {
			t.Errorf("MonitorCall(%s, %s, %s) = %v, want %v", tt.sup, tt.call, tt.mode, err, tt.want)
		}
	}
	// Without monitoring first, hangup ends the call (Emicnet's terminateCall).
	must(t, h.cc.MonitorCall("9000", id, MonitorHangup))
	if _, live := h.cc.Call(id); live {
		t.Fatal("call survived terminateCall")
	}
}

// A group member's calls start and end (Emicnet's repCallStatus): answered
// legs only, with the call's numbers and times.
func TestAgentCallEvents(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1001", "1002")
	t0 := h.clock.Now()
	id := h.customer("13800000001", "4001")
	// 1001 rings and does not answer: no call of its own to report.
	h.clock.Advance(10 * time.Second)
	h.clock.Advance(2 * time.Second)
	must(t, h.cc.LegAnswered(id, "1002"))
	h.clock.Advance(30 * time.Second)
	must(t, h.cc.LegHangup(id, "1002"))

	var started []AgentCallStarted
	var ended []AgentCallEnded
	h.waitEvent("end", func(ev Event) bool {
		switch ev := ev.(type) {
		case AgentCallStarted:
			started = append(started, ev)
		case AgentCallEnded:
			ended = append(ended, ev)
		}
		return endOf(id)(ev)
	})
	if len(started) != 1 || len(ended) != 1 {
		t.Fatalf("started %+v, ended %+v: want one each (1002's)", started, ended)
	}
	s, e := started[0], ended[0]
	if s.Agent != "1002" || s.Role != RoleAgent || s.Call.ID != id || s.Call.From != "13800000001" || s.Call.To != "4001" ||
		!s.At.Equal(t0.Add(12*time.Second)) {
		t.Fatalf("started %+v", s)
	}
	if e.Agent != "1002" || e.Call.ID != id || !e.Started.Equal(s.At) || !e.At.Equal(t0.Add(42*time.Second)) || e.Reason != "agent hung up" {
		t.Fatalf("ended %+v", e)
	}

	// An agent's own outbound call starts when the callee answers.
	ci, err := h.cc.Dial("1001", "13912345678")
	must(t, err)
	h.clock.Advance(2 * time.Second)
	s = h.waitEvent("start", func(ev Event) bool { _, ok := ev.(AgentCallStarted); return ok }).(AgentCallStarted)
	if s.Agent != "1001" || s.Call.ID != ci.ID || s.Call.To != "13912345678" || s.Call.Direction != Outbound {
		t.Fatalf("outbound start %+v", s)
	}
}
