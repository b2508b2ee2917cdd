package callcenter

import "time"

// answerLegRecord marks party's open leg answered (once) and, for an agent,
// tells the front-ends that its part in the call began. Caller holds cc.mu.
func (cc *Center) answerLegRecord(c *call, party string, now time.Time) {
	l := c.leg(party)
	if l == nil || !l.Answered.IsZero() {
		return
	}
	l.Answered = now
	if cc.agents[party] != nil {
		cc.emit(AgentCallStarted{Agent: party, Role: l.Role, Call: c.info(), At: now})
	}
}

// closeAgentLeg ends an agent's open leg: its device elsewhere, if it rang,
// hangs up, and the end of an answered leg is told. Caller holds cc.mu.
func (cc *Center) closeAgentLeg(c *call, agentID, reason string, now time.Time) {
	l := c.leg(agentID)
	if l == nil {
		return
	}
	l.Ended, l.EndReason = now, reason
	c.stopTimer(deviceTimer(agentID))
	a := cc.agents[agentID]
	if a == nil {
		return
	}
	if c.devices[agentID] {
		delete(c.devices, agentID)
		cc.emit(DeviceLeg{Call: c.info(), Agent: agentID, Role: l.Role, Device: a.device, Phase: LegPhaseDown, Reason: reason})
	}
	if !l.Answered.IsZero() {
		cc.emit(AgentCallEnded{Agent: agentID, Role: l.Role, Call: c.info(), Started: l.Answered, At: now, Reason: reason})
	}
}
