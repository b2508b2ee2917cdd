package udesksim

import (
	"maps"
	"slices"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// loop follows the center: each event becomes the Udesk events of the
// agents it concerns, in order.
func (f *Front) loop(sub *callcenter.Subscription) {
	defer close(f.loopDone)
	for ev := range sub.C {
		f.apply(ev)
	}
}

func (f *Front) apply(ev callcenter.Event) {
	switch ev := ev.(type) {
	case callcenter.AgentStateChanged:
		f.onAgentState(ev)
	case callcenter.CallCreated:
		f.refresh(ev.Call.ID, &ev.Call, "", "")
	case callcenter.LegOffer:
		// The SIP front rings the agent's IP phone or web phone.
		f.refresh(ev.Call.ID, &ev.Call, "", "")
	case callcenter.DeviceLeg:
		f.onDeviceLeg(ev)
		f.refresh(ev.Call.ID, &ev.Call, "", "")
	case callcenter.OutsideLeg:
		f.refresh(ev.Call.ID, &ev.Call, "", "")
	case callcenter.LegCancel:
		f.refresh(ev.Call, nil, ev.Agent, "")
	case callcenter.LegRelease:
		f.refresh(ev.Call, nil, ev.Agent, ev.Reason)
	case callcenter.CallAnswered:
		f.refresh(ev.Call.ID, &ev.Call, "", "")
	case callcenter.MixChanged:
		f.refresh(ev.Call, nil, "", "")
	case callcenter.CallEnded:
		f.refresh(ev.Call.ID, nil, "", "")
	case callcenter.AgentKicked:
		f.mu.Lock()
		s := f.sessions[ev.Agent]
		f.mu.Unlock()
		if s != nil {
			s.close(wire.CloseElsewhere, "logged in elsewhere")
		}
	case callcenter.FaultInjected:
		f.onFault(ev.Fault)
	}
}

// refresh recomputes every concerned agent's view of a call and sends what
// changed. snap is the event's snapshot when it has one; otherwise the call
// is read now. released names an agent whose leg was released or cancelled,
// with the reason.
func (f *Front) refresh(id callcenter.CallID, snap *callcenter.CallInfo, released, reason string) {
	var ci callcenter.CallInfo
	alive := true
	if snap != nil {
		ci = *snap
	} else {
		ci, alive = f.cc.Call(id)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	agents := map[string]bool{}
	for agent, calls := range f.views {
		if _, ok := calls[string(id)]; ok {
			agents[agent] = true
		}
	}
	if alive {
		for _, a := range []string{ci.Agent, ci.CustomerEP, ci.Consultee, ci.Supervisor} {
			if a != "" {
				agents[a] = true
			}
		}
	}
	for _, agent := range slices.Sorted(maps.Keys(agents)) {
		var (
			v  callView
			ok bool
		)
		if alive && agent != released {
			v, ok = viewOf(ci, agent)
		}
		f.tellLocked(agent, string(id), v, ok, agent == released && isTransferReason(reason))
	}
}

// tellLocked sends one agent the events that take its view of a call from
// what it was to v.
func (f *Front) tellLocked(agent, callID string, v callView, present, transferred bool) {
	calls := f.views[agent]
	old, had := calls[callID]
	if !present {
		if !had {
			return
		}
		delete(calls, callID)
		name := wire.EventConnectionCleared
		if transferred {
			name = wire.EventTransferred
		}
		old.Status = name
		old.Authority = wire.CallAuthority{}
		f.pushLocked(agent, okEvent(name, callEventData(old)))
		f.pushLocked(agent, okEvent(wire.EventAdvancedCallStatusChanged, advancedData(old, name)))
		f.pushLocked(agent, okEvent(wire.EventPhoneStateChanged, phoneStateChangedData("", f.extStateLocked(agent))))
		return
	}
	if had && old == v {
		return
	}
	if calls == nil {
		calls = map[string]callView{}
		f.views[agent] = calls
	}
	calls[callID] = v
	if (!had || old.Status == wire.StatusDelivered || old.Status == wire.StatusOriginated) && answeredStatus(v.Status) && v.Status != wire.StatusEstablished {
		// Answered straight into a three-way call (or hold): the agent's
		// leg was established first.
		step := v
		step.Status = wire.StatusEstablished
		f.pushLocked(agent, okEvent(wire.EventEstablished, callEventData(step)))
		old, had = step, true
	}
	event := ""
	if !had || old.Status != v.Status {
		event = plainEvent(old.Status, v.Status)
		if event != "" {
			f.pushLocked(agent, okEvent(event, callEventData(v)))
		}
		ext := wire.ExtStateBusy
		if v.Status == wire.StatusDelivered {
			ext = wire.ExtStateRinging
		}
		f.pushLocked(agent, okEvent(wire.EventPhoneStateChanged, phoneStateChangedData(callID, ext)))
	}
	f.pushLocked(agent, okEvent(wire.EventAdvancedCallStatusChanged, advancedData(v, firstNonEmpty(event, v.Status))))
}

// onAgentState tells the agent its new Udesk state; states that come from
// calls (ringing, talking) are not agent states on Udesk.
func (f *Front) onAgentState(ev callcenter.AgentStateChanged) {
	st, ok := udeskState(ev.To)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.agentLocked(ev.Agent)
	if a.state == st {
		return
	}
	old := a.state
	a.state, a.since = st, ev.At
	f.pushLocked(ev.Agent, okEvent(wire.EventAgentStateChanged, agentStateChangedData(st, old)))
}

// udeskState maps the center's agent state onto Udesk's.
func udeskState(s callcenter.AgentState) (agentState, bool) {
	switch s.Kind {
	case callcenter.Ready:
		return agentState{State: wire.StateIdle}, true
	case callcenter.Busy:
		return agentState{State: wire.StateBusy}, true
	case callcenter.Break:
		return agentState{State: wire.StateOnBreak, Sub: s.BreakCode}, true
	case callcenter.WrapUp:
		return agentState{State: wire.StateNeaten}, true
	case callcenter.Offline:
		return agentState{State: wire.StateOffline}, true
	}
	return agentState{}, false
}

// udeskStateName is the name of a numeric state (GetOtherAgentsAsync's filter).
func udeskStateName(code int) string {
	switch code {
	case wire.AgentStateCodeIdle:
		return wire.StateIdle
	case wire.AgentStateCodeBusy:
		return wire.StateBusy
	case wire.AgentStateCodeOnBreak:
		return wire.StateOnBreak
	case wire.AgentStateCodeNeaten:
		return wire.StateNeaten
	}
	return wire.StateOffline
}

// numericStatesLocked gives an agent's State and ExtState codes.
func (f *Front) numericStatesLocked(a callcenter.AgentInfo) (state, ext int) {
	st, ok := udeskState(a.State)
	if !ok {
		st = f.agentLocked(a.ID).state // in a call: the state it had
	}
	state = map[string]int{
		wire.StateIdle: wire.AgentStateCodeIdle, wire.StateBusy: wire.AgentStateCodeBusy,
		wire.StateOnBreak: wire.AgentStateCodeOnBreak, wire.StateNeaten: wire.AgentStateCodeNeaten,
	}[st.State]
	switch {
	case a.State.Kind == callcenter.Ringing:
		ext = wire.ExtStateCodeRinging
	case a.State.Kind == callcenter.Talking:
		ext = wire.ExtStateCodeBusy
	case a.State.Kind == callcenter.Offline:
		ext = wire.ExtStateCodeOffline
	default:
		ext = wire.ExtStateCodeIdle
	}
	return state, ext
}

// extStateLocked is the agent's device state: offline when its IP phone or
// web phone is not registered, else from its call.
func (f *Front) extStateLocked(agent string) string {
	info, _ := f.cc.Agent(agent)
	switch info.State.Kind {
	case callcenter.Ringing:
		return wire.ExtStateRinging
	case callcenter.Talking:
		return wire.ExtStateBusy
	}
	if m := f.agentLocked(agent).mode; (m == wire.ModeVoip || m == wire.ModeWebRTC) && (f.opts.Registered == nil || !f.opts.Registered(agent)) {
		return wire.ExtStateOffline
	}
	return wire.ExtStateIdle
}

// snapshotLocked is the agent's GetState.
func (f *Front) snapshotLocked(agent string) stateSnapshot {
	a := f.agentLocked(agent)
	st := stateSnapshot{Agent: a.state, Mode: a.mode, ExtState: f.extStateLocked(agent), Number: agent,
		StartTime: a.since.Format(time.DateTime)}
	if ci, ok := f.cc.CallOf(agent); ok {
		if v, ok := viewOf(ci, agent); ok {
			st.Call = &v
			st.SpNumber = ci.Display
			st.UserData = ci.UserData
		}
	}
	return st
}

// answeredStatus reports the statuses of an answered call.
func answeredStatus(s string) bool {
	switch s {
	case wire.StatusEstablished, wire.StatusHeld, wire.StatusConsultation, wire.StatusConferenced, wire.StatusRetrieved:
		return true
	}
	return false
}
