package demo

import (
	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// pump turns the center's events about this agent (and, for the
// supervisor, about the group) into engine updates.
func (a *Adapter) pump() {
	a.mu.Lock()
	sub, sink, done, cc := a.sub, a.sink, a.pumpDone, a.center
	a.mu.Unlock()
	defer close(done)
	supervisor := a.set.Supervisor()
	for ev := range sub.C {
		switch ev := ev.(type) {
		case callcenter.AgentStateChanged:
			if ev.Agent == a.set.Me {
				if st, ok := engineState(ev.To, cc); ok {
					sink.Report(core.AgentStateUpdate{State: st})
				}
			}
			if supervisor {
				if info, ok := cc.Agent(ev.Agent); ok {
					sink.Report(core.AgentsUpdate{Agents: []core.AgentInfo{wallEntry(info, cc)}})
				}
			}
		case callcenter.AgentKicked:
			if ev.Agent == a.set.Me {
				sink.Report(core.KickedUpdate{Err: ev.Err, CanRelogin: true})
			}
		}
	}
}

// engineState maps the center's agent state to the engine's; ringing,
// talking and offline are not agent states there (calls and the
// connection say those).
func engineState(s callcenter.AgentState, cc *callcenter.Center) (core.AgentState, bool) {
	switch s.Kind {
	case callcenter.Ready:
		return core.ReadyState(), true
	case callcenter.Busy:
		return core.BusyState(), true
	case callcenter.Break:
		label := ""
		for _, b := range cc.BreakReasons() {
			if b.Code == s.BreakCode {
				label = b.Label
			}
		}
		return core.BreakState(s.BreakCode, label), true
	case callcenter.WrapUp:
		return core.WrapUpState(s.Until), true
	}
	return core.AgentState{}, false
}

// wallEntry is one agent on the supervisor's wall.
func wallEntry(info callcenter.AgentInfo, cc *callcenter.Center) core.AgentInfo {
	out := core.AgentInfo{ID: info.ID, Name: info.Name, Number: info.ID, StateSince: info.StateSince.Unix()}
	if st, ok := engineState(info.Presence, cc); ok {
		out.State = st
	}
	switch info.State.Kind {
	case callcenter.Ringing:
		out.CallState = "ringing"
	case callcenter.Talking:
		out.CallState = "talking"
	}
	if info.Call != "" {
		if ci, ok := cc.Call(info.Call); ok {
			out.CallNumber = ci.From
			if ci.Direction == callcenter.Outbound {
				out.CallNumber = ci.To
			}
			if ci.Supervisor != "" {
				out.Monitor = ci.Monitor
			}
		}
	}
	return out
}

// reportWall sends the whole group to the supervisor's wall.
func (a *Adapter) reportWall() {
	a.mu.Lock()
	cc, sink := a.center, a.sink
	a.mu.Unlock()
	agents, err := cc.GroupAgents(a.set.Me)
	if err != nil {
		return
	}
	var wall []core.AgentInfo
	for _, info := range agents {
		if info.ID != a.set.Me {
			wall = append(wall, wallEntry(info, cc))
		}
	}
	sink.Report(core.AgentsUpdate{Agents: wall, Full: true})
}
