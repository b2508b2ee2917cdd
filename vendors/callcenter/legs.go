package callcenter

import "fmt"

// Failure is why an endpoint's leg could not be set up.
type Failure string

// Leg failures front-ends report.
const (
	FailBusy        Failure = "busy"        // 486/600, do-not-disturb
	FailRejected    Failure = "rejected"    // 603 and other refusals
	FailNoAnswer    Failure = "no_answer"   // 408/480, or the endpoint never answered
	FailUnreachable Failure = "unreachable" // no registration, transport error
)

// lookupLeg finds a live call and the agent's role in it. Caller holds cc.mu.
func (cc *Center) lookupLeg(id CallID, agentID string) (*call, *agent, Role, error) {
	if cc.closed {
		return nil, nil, "", ErrClosed
	}
	c, ok := cc.calls[id]
	if !ok {
		return nil, nil, "", fmt.Errorf("%w: %s", ErrUnknownCall, id)
	}
	a, ok := cc.agents[agentID]
	if !ok {
		return nil, nil, "", fmt.Errorf("%w: %s", ErrUnknownAgent, agentID)
	}
	role := c.roleOf(agentID)
	if role == "" {
		return nil, nil, "", fmt.Errorf("%w: agent %s has no leg in call %s", ErrWrongState, agentID, id)
	}
	return c, a, role, nil
}

// LegAnswered: the agent's endpoint answered its leg of the call.
func (cc *Center) LegAnswered(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, a, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	return cc.answerLeg(c, a, role)
}

// answerLeg: an agent's leg of the call answered (its endpoint, or its
// device elsewhere going off hook). Caller holds cc.mu.
func (cc *Center) answerLeg(c *call, a *agent, role Role) error {
	placer := c.placed && c.phase == PhaseCallback && (role == RoleAgent || role == RoleCustomer)
	switch {
	case placer:
	case role == RoleAgent && c.phase != PhaseOffering:
		return fmt.Errorf("%w: call %s is %s", ErrWrongState, c.id, c.phase)
	case role == RoleCustomer:
		return fmt.Errorf("%w: the %s leg is answered already", ErrWrongState, role)
	}
	now := cc.clock.Now()
	c.stopTimer(deviceTimer(a.ID))
	if c.devices[a.ID] && !c.legUp(a.ID) {
		// Before the mix that hears it: media front-ends join the phone first.
		cc.emit(DeviceLeg{Call: c.info(), Agent: a.ID, Role: role, Device: a.device, Phase: LegPhaseUp})
	}
	cc.answerLegRecord(c, a.ID, now)
	switch {
	case placer:
		cc.placerAnswered(c, a)
	case role == RoleAgent:
		c.stopTimer(tRing)
		c.stopTimer(tPatience)
		c.stopTimer(tOverflow)
		c.phase, c.agentUp, c.served = PhaseTalking, true, a.ID
		if c.answered.IsZero() {
			c.answered = now
		}
		cc.setState(a, AgentState{Kind: Talking})
		if c.custAgent != "" && !c.calleeUp {
			c.calleeUp = true
			cc.emit(CallAnswered{Call: c.info()})
		}
		cc.announceMix(c)
		cc.startScript(c)
	case role == RoleConsultee:
		c.stopTimer(tConsult)
		c.consultUp = true
		cc.setState(a, AgentState{Kind: Talking})
		cc.announceMix(c)
	case role == RoleSupervisor:
		c.stopTimer(tMonitor)
		c.monitor.up = true
		cc.setState(a, AgentState{Kind: Talking})
		if c.monitor.mode == MonitorTakeOver {
			cc.takeOver(c)
			return nil
		}
		cc.announceMix(c)
	}
	return nil
}

// LegFailed: the agent's endpoint could not be reached or refused its leg.
func (cc *Center) LegFailed(id CallID, agentID string, why Failure) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, a, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	now := cc.clock.Now()
	if c.placed && c.phase == PhaseCallback && (role == RoleAgent || role == RoleCustomer) {
		cc.placerFailed(c, why)
		return nil
	}
	switch role {
	case RoleAgent:
		if c.phase != PhaseOffering {
			return fmt.Errorf("%w: call %s is %s", ErrWrongState, id, c.phase)
		}
		if c.queue == "" {
			status := 480
			result := ResultNoAnswer
			if why == FailBusy || why == FailRejected {
				status, result = 486, ResultBusy
			}
			cc.closeAgentLeg(c, agentID, string(why), now)
			c.stopTimer(tRing)
			c.agent = ""
			cc.afterCall(a, nil)
			cc.endCall(c, result, RoleAgent, string(why), status, now)
			return nil
		}
		to := StateBusy
		if why == FailUnreachable {
			to = StateOffline
		}
		cc.withdrawOffer(c, string(why), to)
	case RoleConsultee:
		c.stopTimer(tConsult)
		cc.closeAgentLeg(c, agentID, string(why), now)
		c.consultee, c.consultUp, c.conf = "", false, false
		cc.afterCall(a, nil)
		cc.announceMix(c)
	case RoleSupervisor:
		c.stopTimer(tMonitor)
		cc.closeAgentLeg(c, agentID, string(why), now)
		c.monitor = nil
		cc.afterCall(a, nil)
		cc.announceMix(c)
	case RoleCustomer:
		cc.endCall(c, ResultFailed, RoleCustomer, string(why), 0, now)
	}
	return nil
}

// LegHangup: the agent hung up its leg of the call.
func (cc *Center) LegHangup(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, a, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	now := cc.clock.Now()
	switch role {
	case RoleCustomer:
		cc.customerHangup(c)
	case RoleAgent:
		if !c.agentUp {
			return fmt.Errorf("%w: the agent's leg is not answered", ErrWrongState)
		}
		if c.phase == PhaseDialing {
			// A placed call: the agent gives up while the callee rings.
			cc.endCall(c, ResultCancelled, RoleAgent, "caller gave up", 487, now)
			return nil
		}
		if c.consultee != "" && c.consultUp {
			// Hanging up during a consult hands the customer over.
			cc.handOver(c, "agent hung up during consult")
			return nil
		}
		if o := c.outside; o != nil && o.up {
			cc.handOverOutside(c, "agent hung up during consult")
			return nil
		}
		q := cc.queues[c.queue]
		if q != nil && q.Survey && c.simulated() {
			cc.closeAgentLeg(c, agentID, "agent hung up", now)
			c.agent, c.agentUp = "", false
			cc.releaseHelpers(c, "agent hung up")
			cc.afterCall(a, q)
			f, node := cc.surveyNode(c)
			cc.runNode(c, f, node)
			return nil
		}
		cc.endCall(c, ResultAnswered, RoleAgent, "agent hung up", 0, now)
	case RoleConsultee:
		c.stopTimer(tConsult)
		cc.closeAgentLeg(c, agentID, "consultee hung up", now)
		c.consultee, c.consultUp, c.conf = "", false, false
		cc.afterCall(a, nil)
		cc.announceMix(c)
	case RoleSupervisor:
		c.stopTimer(tMonitor)
		cc.closeAgentLeg(c, agentID, "supervisor hung up", now)
		c.monitor = nil
		cc.afterCall(a, nil)
		cc.announceMix(c)
	}
	return nil
}

// releaseHelpers drops the consultee (an agent or an outside callee) and
// the supervisor of a call whose agent left. Caller holds cc.mu.
func (cc *Center) releaseHelpers(c *call, reason string) {
	now := cc.clock.Now()
	if c.consultee != "" {
		up := c.consultUp
		id := c.consultee
		c.stopTimer(tConsult)
		cc.closeAgentLeg(c, id, reason, now)
		c.consultee, c.consultUp, c.conf = "", false, false
		cc.releaseLeg(c.id, id, up, reason)
		if a := cc.agents[id]; a != nil {
			cc.afterCall(a, nil)
		}
	}
	if o := c.outside; o != nil && !o.transfer {
		cc.releaseOutside(c, reason, 487)
	}
	if c.monitor != nil {
		m := c.monitor
		c.stopTimer(tMonitor)
		cc.closeAgentLeg(c, m.supervisor, reason, now)
		c.monitor = nil
		cc.releaseLeg(c.id, m.supervisor, m.up, reason)
		if a := cc.agents[m.supervisor]; a != nil {
			cc.afterCall(a, nil)
		}
	}
}

// releaseLeg tells the front-ends to end a leg: BYE when up, CANCEL when
// still ringing. Caller holds cc.mu.
func (cc *Center) releaseLeg(id CallID, agentID string, up bool, reason string) {
	if up {
		cc.emit(LegRelease{Call: id, Agent: agentID, Reason: reason})
	} else {
		cc.emit(LegCancel{Call: id, Agent: agentID, Reason: reason})
	}
}

// LegHold: the agent put the customer on hold (true) or took them back.
func (cc *Center) LegHold(id CallID, agentID string, on bool) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	if role != RoleAgent || c.phase != PhaseTalking {
		return fmt.Errorf("%w: only the talking agent holds", ErrWrongState)
	}
	c.held = on
	cc.announceMix(c)
	return nil
}

// DTMF: digits arrived from the agent's endpoint in the call. Digits from
// an endpoint caller drive the IVR menus.
func (cc *Center) DTMF(id CallID, agentID, digits string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	if role == RoleCustomer {
		c.pending += digits
		c.dtmf += digits
	}
	cc.emit(DTMFReceived{Call: c.id, From: agentID, Digits: digits})
	return nil
}

// RecordingStarted notes the file a front-end records a party's leg to, for
// the CDR. party is an agent id or SimulatedCustomer.
func (cc *Center) RecordingStarted(id CallID, party, path string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, ok := cc.calls[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownCall, id)
	}
	l := c.leg(party)
	if l == nil {
		return fmt.Errorf("%w: no open leg of %s in %s", ErrWrongState, party, id)
	}
	l.Recording = path
	return nil
}
