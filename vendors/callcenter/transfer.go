package callcenter

import (
	"fmt"
	"strings"
)

// TargetKind is what a transfer goes to.
type TargetKind string

// Transfer targets.
const (
	TargetAgent TargetKind = "agent"
	TargetQueue TargetKind = "queue"
	TargetIVR   TargetKind = "ivr" // ID is "FLOW" or "FLOW/NODE"
	// TargetOutside is an outside number (ID): a simulated customer answers
	// it as Dial's outbound callees do (Config.Outbound, busy, no answer).
	TargetOutside TargetKind = "outside"
)

// Target is a transfer destination.
type Target struct {
	Kind TargetKind `json:"kind"`
	ID   string     `json:"id"`
}

// ResolveTarget reads a dialled number as a transfer target: an agent's
// number, a queue's number or name, or an IVR flow "ivr:NAME[/NODE]".
func (cc *Center) ResolveTarget(number string) (Target, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	switch {
	case cc.agents[number] != nil:
		return Target{Kind: TargetAgent, ID: number}, true
	case cc.qNumbers[number] != "":
		return Target{Kind: TargetQueue, ID: cc.qNumbers[number]}, true
	case cc.queues[number] != nil:
		return Target{Kind: TargetQueue, ID: number}, true
	case strings.HasPrefix(number, "ivr:"):
		return Target{Kind: TargetIVR, ID: strings.TrimPrefix(number, "ivr:")}, true
	}
	return Target{}, false
}

// ResolveNumber reads a number as a transfer or consult target the way
// Dial reads it: what ResolveTarget knows (an agent's number, a queue's
// number or name, "ivr:FLOW[/NODE]"), a trunk (its queue or IVR flow), else
// an outside number (TargetOutside). ResolveTarget itself still knows no
// outside numbers.
func (cc *Center) ResolveNumber(number string) (Target, error) {
	number = strings.TrimSpace(number)
	if t, ok := cc.ResolveTarget(number); ok {
		return t, nil
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if tr, ok := cc.trunks[number]; ok {
		kind, name, _ := parseRoute(tr.Route)
		if kind == routeQueue {
			return Target{Kind: TargetQueue, ID: name}, nil
		}
		return Target{Kind: TargetIVR, ID: name}, nil
	}
	if outsideNumber(number) {
		return Target{Kind: TargetOutside, ID: number}, nil
	}
	return Target{}, fmt.Errorf("%w: %.70q", ErrInvalidNumber, number)
}

// talkingAgentCall finds the call an agent serves and is talking in.
// Caller holds cc.mu.
func (cc *Center) talkingAgentCall(id CallID, agentID string) (*call, *agent, error) {
	c, a, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return nil, nil, err
	}
	if role != RoleAgent || c.phase != PhaseTalking || !c.agentUp {
		return nil, nil, fmt.Errorf("%w: agent %s is not talking in call %s", ErrWrongState, agentID, id)
	}
	return c, a, nil
}

// freeAgent checks that an agent can be rung now. Caller holds cc.mu.
func (cc *Center) freeAgent(id, tenant string) (*agent, error) {
	b, ok := cc.agents[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	if b.Tenant != tenant {
		return nil, fmt.Errorf("%w: %s is in another tenant", ErrUnknownAgent, id)
	}
	if b.state.Kind != Ready || b.call != "" {
		return nil, fmt.Errorf("%w: %s is %s", ErrAgentBusy, id, b.state)
	}
	return b, nil
}

// Transfer hands the call blind to an agent, a queue, an IVR node or an
// outside number; the transferring agent's leg is released. An outside
// callee that is busy or does not answer sends the call back to its queue,
// or ends it (CallEnded Status 486 or 480) when it has none.
func (cc *Center) Transfer(id CallID, agentID string, to Target) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, a, err := cc.talkingAgentCall(id, agentID)
	if err != nil {
		return err
	}
	var (
		b        *agent
		q        *QueueConfig
		flow     *IVRConfig
		flowNode string
	)
	switch to.Kind {
	case TargetAgent:
		if b, err = cc.freeAgent(to.ID, c.tenant); err != nil {
			return err
		}
	case TargetQueue:
		if q = cc.queues[to.ID]; q == nil {
			return fmt.Errorf("%w: %q", ErrUnknownQueue, to.ID)
		}
	case TargetIVR:
		name, node, _ := strings.Cut(to.ID, "/")
		if flow = cc.ivrs[name]; flow == nil {
			return fmt.Errorf("%w: no IVR %q", ErrWrongState, name)
		}
		if _, ok := flow.node(node); node != "" && !ok {
			return fmt.Errorf("%w: IVR %s has no node %q", ErrWrongState, name, node)
		}
		flowNode = node
	case TargetOutside:
		if !outsideNumber(to.ID) {
			return fmt.Errorf("%w: %.70q", ErrInvalidNumber, to.ID)
		}
	default:
		return fmt.Errorf("%w: cannot transfer to %q", ErrWrongState, to.Kind)
	}
	cc.releaseHelpers(c, "transferred")
	cc.dropAgent(c, a, "transferred")
	switch {
	case to.Kind == TargetOutside:
		cc.ringOutside(c, to.ID, true)
	case b != nil:
		cc.offer(c, b, cc.cfg.InternalRingTimeout)
	case q != nil:
		cc.enqueue(c, q)
	default:
		cc.startIVR(c, flow, flowNode)
	}
	return nil
}

// dropAgent releases the serving agent's leg, leaving the customer waiting
// for what comes next. Caller holds cc.mu.
func (cc *Center) dropAgent(c *call, a *agent, reason string) {
	cc.closeAgentLeg(c, a.ID, reason, cc.clock.Now())
	cc.emit(LegRelease{Call: c.id, Agent: a.ID, Reason: reason})
	c.agent, c.agentUp, c.held = "", false, false
	cc.afterCall(a, cc.queues[c.queue])
	c.phase = PhaseQueued // until the caller of dropAgent says otherwise
}

// Consult rings a second agent while the customer waits on hold music.
// With conference the three join as soon as the second agent answers
// (Udesk's three-way call).
func (cc *Center) Consult(id CallID, agentID, target string, conference bool) error {
	return cc.ConsultTo(id, agentID, Target{Kind: TargetAgent, ID: target}, conference)
}

// ConsultTo is Consult to an agent (TargetAgent) or an outside number
// (TargetOutside: a simulated callee rings, as Dial's do; busy or no answer
// ends the consult and the agent is back with the customer). With
// conference it is a three-way call as soon as the target answers.
func (cc *Center) ConsultTo(id CallID, agentID string, to Target, conference bool) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, a, err := cc.talkingAgentCall(id, agentID)
	if err != nil {
		return err
	}
	if c.consultee != "" {
		return fmt.Errorf("%w: already consulting %s", ErrWrongState, c.consultee)
	}
	if c.outside != nil {
		return fmt.Errorf("%w: already consulting %s", ErrWrongState, c.outside.number)
	}
	switch to.Kind {
	case TargetAgent:
	case TargetOutside:
		if !outsideNumber(to.ID) {
			return fmt.Errorf("%w: %.70q", ErrInvalidNumber, to.ID)
		}
		c.conf = conference
		cc.ringOutside(c, to.ID, false)
		return nil
	default:
		return fmt.Errorf("%w: cannot consult %q", ErrWrongState, to.Kind)
	}
	b, err := cc.freeAgent(to.ID, c.tenant)
	if err != nil {
		return err
	}
	c.consultee, c.consultUp, c.conf = b.ID, false, conference
	c.openLeg(b.ID, RoleConsultee, cc.clock.Now())
	cc.takeAgent(b, c, Ringing)
	cc.schedule(c.timer(tConsult), cc.cfg.InternalRingTimeout, func() {
		cc.consultFailed(c, "no answer")
	})
	cc.announceMix(c)
	cc.ringEndpoint(c, b, RoleConsultee, a.ID, a.Name, false)
	return nil
}

func (cc *Center) consultFailed(c *call, reason string) {
	if c.consultee == "" || c.consultUp {
		return
	}
	id := c.consultee
	cc.closeAgentLeg(c, id, reason, cc.clock.Now())
	c.consultee, c.conf = "", false
	cc.emit(LegCancel{Call: c.id, Agent: id, Reason: reason})
	if b := cc.agents[id]; b != nil {
		cc.afterCall(b, nil)
	}
	cc.announceMix(c)
}

// ConsultCancel ends the consult (or the three-way call's third party):
// the agent is back with the customer.
func (cc *Center) ConsultCancel(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, err := cc.talkingAgentCall(id, agentID)
	if err != nil {
		return err
	}
	if c.outside != nil {
		reason := "consult ended"
		if !c.outside.up {
			reason = "consult cancelled"
		}
		cc.releaseOutside(c, reason, 487)
		cc.announceMix(c)
		return nil
	}
	if c.consultee == "" {
		return fmt.Errorf("%w: no consult in call %s", ErrWrongState, id)
	}
	if !c.consultUp {
		cc.consultFailed(c, "consult cancelled")
		return nil
	}
	b := cc.agents[c.consultee]
	cc.closeAgentLeg(c, b.ID, "consult ended", cc.clock.Now())
	cc.emit(LegRelease{Call: c.id, Agent: b.ID, Reason: "consult ended"})
	c.consultee, c.consultUp, c.conf = "", false, false
	cc.afterCall(b, nil)
	cc.announceMix(c)
	return nil
}

// ConsultTransfer completes the consult as a transfer: the consulted agent
// takes the customer, the consulting agent leaves.
func (cc *Center) ConsultTransfer(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, err := cc.talkingAgentCall(id, agentID)
	if err != nil {
		return err
	}
	if o := c.outside; o != nil && o.up {
		cc.handOverOutside(c, "consult transfer")
		return nil
	}
	if c.consultee == "" || !c.consultUp {
		return fmt.Errorf("%w: the consulted agent has not answered", ErrWrongState)
	}
	cc.handOver(c, "consult transfer")
	return nil
}

// handOver makes the consulted agent the serving agent. Caller holds cc.mu.
func (cc *Center) handOver(c *call, reason string) {
	a := cc.agents[c.agent]
	cc.closeAgentLeg(c, a.ID, reason, cc.clock.Now())
	cc.emit(LegRelease{Call: c.id, Agent: a.ID, Reason: reason})
	cc.afterCall(a, cc.queues[c.queue])
	c.agent, c.agentUp, c.served = c.consultee, true, c.consultee
	c.consultee, c.consultUp, c.conf, c.held = "", false, false, false
	cc.announceMix(c)
}

// ConsultConference joins a consult into a three-way call.
func (cc *Center) ConsultConference(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, err := cc.talkingAgentCall(id, agentID)
	if err != nil {
		return err
	}
	if (c.consultee == "" || !c.consultUp) && (c.outside == nil || !c.outside.up) {
		return fmt.Errorf("%w: the consulted party has not answered", ErrWrongState)
	}
	c.conf, c.held = true, false
	cc.announceMix(c)
	return nil
}
