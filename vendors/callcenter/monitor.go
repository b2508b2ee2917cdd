package callcenter

import (
	"fmt"
	"slices"
)

// Monitor lets a supervisor listen to, whisper to, barge into or take over
// an agent's call, change between those, stop (MonitorEnd) or end the call
// (MonitorHangup). The supervisor's endpoint is rung with AutoAnswer (its
// device elsewhere, when it has one); the mode applies once it answers
// (take-over then drops the agent's leg).
func (cc *Center) Monitor(supervisorID, agentID string, mode MonitorMode) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	s, err := cc.supervisor(supervisorID)
	if err != nil {
		return err
	}
	a, ok := cc.agents[agentID]
	if !ok || a.Tenant != s.Tenant {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, agentID)
	}
	c := cc.calls[a.call]
	if c == nil || c.agent != agentID || c.phase != PhaseTalking || !c.agentUp {
		return fmt.Errorf("%w: agent %s is not talking", ErrWrongState, agentID)
	}
	return cc.monitorCall(s, c, a, mode)
}

// MonitorCall is Monitor by call (Emicnet monitors a ccNumber): the call's
// serving agent must be talking. MonitorHangup without monitoring first
// ends the call (Emicnet's terminateCall).
func (cc *Center) MonitorCall(supervisorID string, id CallID, mode MonitorMode) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	s, err := cc.supervisor(supervisorID)
	if err != nil {
		return err
	}
	c := cc.calls[id]
	if c == nil || c.tenant != s.Tenant {
		return fmt.Errorf("%w: %s", ErrUnknownCall, id)
	}
	a := cc.agents[c.agent]
	if a == nil || c.phase != PhaseTalking || !c.agentUp {
		return fmt.Errorf("%w: call %s has no talking agent", ErrWrongState, id)
	}
	return cc.monitorCall(s, c, a, mode)
}

// supervisor finds a supervisor for a monitor command. Caller holds cc.mu.
func (cc *Center) supervisor(id string) (*agent, error) {
	if cc.closed {
		return nil, ErrClosed
	}
	s, ok := cc.agents[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	if !s.Supervisor {
		return nil, fmt.Errorf("%w: %s", ErrNotSupervisor, id)
	}
	return s, nil
}

// monitorCall carries out a monitor command on agent a's talking call.
// Caller holds cc.mu.
func (cc *Center) monitorCall(s *agent, c *call, a *agent, mode MonitorMode) error {
	switch mode {
	case MonitorListen, MonitorWhisper, MonitorBarge, MonitorTakeOver, MonitorEnd, MonitorHangup:
	default:
		return fmt.Errorf("%w: unknown monitor mode %q", ErrWrongState, mode)
	}
	if c.monitor != nil && c.monitor.supervisor != s.ID {
		return fmt.Errorf("%w: %s already monitors this call", ErrWrongState, c.monitor.supervisor)
	}
	switch mode {
	case MonitorHangup:
		cc.endCall(c, ResultAnswered, RoleSupervisor, "ended by supervisor "+s.ID, 0, cc.clock.Now())
		return nil
	case MonitorEnd:
		if c.monitor == nil {
			return fmt.Errorf("%w: %s is not monitoring", ErrWrongState, s.ID)
		}
		m := c.monitor
		c.stopTimer(tMonitor)
		cc.closeAgentLeg(c, s.ID, "monitor ended", cc.clock.Now())
		c.monitor = nil
		cc.releaseLeg(c.id, s.ID, m.up, "monitor ended")
		cc.afterCall(s, nil)
		cc.announceMix(c)
		return nil
	}
	if c.monitor != nil {
		c.monitor.mode = mode
		if mode == MonitorTakeOver && c.monitor.up {
			cc.takeOver(c)
			return nil
		}
		cc.announceMix(c)
		return nil
	}
	if s.call != "" {
		return fmt.Errorf("%w: supervisor %s is in call %s", ErrAgentBusy, s.ID, s.call)
	}
	if s.state.Kind == Offline {
		return fmt.Errorf("%w: %s", ErrAgentOffline, s.ID)
	}
	c.monitor = &monitor{supervisor: s.ID, mode: mode}
	c.openLeg(s.ID, RoleSupervisor, cc.clock.Now())
	cc.takeAgent(s, c, Ringing)
	cc.schedule(c.timer(tMonitor), cc.cfg.InternalRingTimeout, func() {
		if c.monitor == nil || c.monitor.up {
			return
		}
		cc.closeAgentLeg(c, s.ID, "no answer", cc.clock.Now())
		c.monitor = nil
		cc.emit(LegCancel{Call: c.id, Agent: s.ID, Reason: "no answer"})
		cc.afterCall(s, nil)
		cc.announceMix(c)
	})
	cc.ringEndpoint(c, s, RoleSupervisor, c.from, "监听 "+a.ID, true)
	return nil
}

// takeOver drops the agent's leg; the supervisor serves the customer.
// Caller holds cc.mu.
func (cc *Center) takeOver(c *call) {
	a := cc.agents[c.agent]
	s := c.monitor.supervisor
	cc.closeAgentLeg(c, a.ID, "taken over by "+s, cc.clock.Now())
	cc.emit(LegRelease{Call: c.id, Agent: a.ID, Reason: "taken over by " + s})
	cc.afterCall(a, cc.queues[c.queue])
	c.agent, c.agentUp, c.served, c.monitor, c.held = s, true, s, nil, false
	cc.announceMix(c)
}

// GroupAgents lists the agents a supervisor watches: its tenant's agents.
func (cc *Center) GroupAgents(supervisorID string) ([]AgentInfo, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	s, ok := cc.agents[supervisorID]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownAgent, supervisorID)
	}
	var out []AgentInfo
	for _, a := range cc.agents {
		if a.Tenant == s.Tenant {
			out = append(out, a.info())
		}
	}
	slices.SortFunc(out, func(x, y AgentInfo) int {
		if x.ID < y.ID {
			return -1
		}
		if x.ID > y.ID {
			return 1
		}
		return 0
	})
	return out, nil
}
