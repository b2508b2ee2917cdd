package udesk_test

import (
	"testing"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// TestSignInStatesAndBreak: a cellphone agent signs in over the real
// socket, sees its session, break reasons and wrap-up, goes busy, takes a
// custom break (午饭 101) and comes back.
func TestSignInStatesAndBreak(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	st, err := a.e.Status(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if st.Connection != core.ConnConnected || st.Session.AgentID != callcenter.DemoAgent {
		t.Fatalf("status %+v", st)
	}
	if st.Agent.Name() != "ready" {
		t.Fatalf("agent state %s, want ready", st.Agent)
	}
	found := false
	for _, b := range st.BreakReasons {
		if b.Code == "101" && b.Label == "午饭" {
			found = true
		}
	}
	if !found {
		t.Fatalf("break reasons %+v lack 101 午饭", st.BreakReasons)
	}
	if err := a.e.SetAgentState(ctx(t), core.BusyState()); err != nil {
		t.Fatal(err)
	}
	a.waitState("busy", "")
	r.waitAgent(callcenter.DemoAgent, callcenter.Busy)
	if err := a.e.SetAgentState(ctx(t), core.BreakState("101", "")); err != nil {
		t.Fatal(err)
	}
	got := a.waitState("break", "101")
	if got.BreakLabel != "午饭" {
		t.Fatalf("break label %q", got.BreakLabel)
	}
	r.waitAgent(callcenter.DemoAgent, callcenter.Break)
	if err := a.e.SetAgentState(ctx(t), core.ReadyState()); err != nil {
		t.Fatal(err)
	}
	a.waitState("ready", "")
}
