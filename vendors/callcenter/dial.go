package callcenter

import (
	"fmt"
	"strings"
	"time"
)

// Dial places a call for an agent: to another agent's number (internal), to
// a queue's number or a trunk (internal, queued like a customer), or to any
// other number, which a simulated customer answers. The dialling agent's
// leg is the front-end's to complete when CallAnswered arrives, or to fail
// with CallEnded's Status.
func (cc *Center) Dial(agentID, number string) (CallInfo, error) {
	number = strings.TrimSpace(number)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		return CallInfo{}, ErrClosed
	}
	a, ok := cc.agents[agentID]
	if !ok {
		return CallInfo{}, fmt.Errorf("%w: %s", ErrUnknownAgent, agentID)
	}
	if a.call != "" {
		return CallInfo{}, fmt.Errorf("%w: %s is in call %s", ErrAgentBusy, agentID, a.call)
	}
	if number == "" || len(number) > 64 {
		return CallInfo{}, fmt.Errorf("%w: empty or overlong number", ErrWrongState)
	}
	now := cc.clock.Now()
	c := &call{id: cc.newCallID(), tenant: a.Tenant, from: agentID, to: number, arrived: now}
	if callee, ok := cc.agents[number]; ok {
		return cc.dialAgent(c, a, callee)
	}
	if qname, ok := cc.qNumbers[number]; ok {
		return cc.dialQueue(c, a, cc.queues[qname], "")
	}
	if tr, ok := cc.trunks[number]; ok {
		kind, name, _ := parseRoute(tr.Route)
		if kind == routeQueue {
			return cc.dialQueue(c, a, cc.queues[name], "")
		}
		return cc.dialQueue(c, a, nil, name)
	}
	return cc.dialOut(c, a, number)
}

// dialAgent rings another agent directly.
func (cc *Center) dialAgent(c *call, from, to *agent) (CallInfo, error) {
	c.dir, c.custAgent, c.display = Internal, from.ID, from.ID
	cc.calls[c.id] = c
	c.openLeg(from.ID, RoleCustomer, c.arrived).Answered = c.arrived
	cc.takeAgent(from, c, Talking)
	cc.emit(CallCreated{Call: c.info()})
	if to.state.Kind != Ready || to.call != "" || to.Tenant != from.Tenant {
		status := 486
		if to.state.Kind == Offline {
			status = 480
		}
		cc.endCall(c, ResultBusy, RoleSystem, "agent "+to.ID+" is "+to.state.String(), status, c.arrived)
		return c.info(), nil
	}
	cc.offer(c, to, cc.cfg.InternalRingTimeout)
	return c.info(), nil
}

// dialQueue puts the dialling agent in a queue (or an IVR) as its caller.
func (cc *Center) dialQueue(c *call, from *agent, q *QueueConfig, ivr string) (CallInfo, error) {
	c.dir, c.custAgent, c.display = Internal, from.ID, from.ID
	cc.calls[c.id] = c
	c.openLeg(from.ID, RoleCustomer, c.arrived).Answered = c.arrived
	cc.takeAgent(from, c, Talking)
	cc.emit(CallCreated{Call: c.info()})
	if q != nil {
		cc.enqueue(c, q)
	} else {
		// An IVR answers at once: the caller hears its prompts.
		c.calleeUp = true
		cc.emit(CallAnswered{Call: c.info()})
		cc.startIVR(c, cc.ivrs[ivr], "")
	}
	return c.info(), nil
}

// dialOut calls an outside number: a simulated customer rings and answers.
func (cc *Center) dialOut(c *call, a *agent, number string) (CallInfo, error) {
	c.dir, c.agent, c.display = Outbound, a.ID, cc.callerIDFor(a)
	c.customer = cc.outboundCustomer(number)
	c.location = cc.locate(number)
	c.phase = PhaseDialing
	cc.calls[c.id] = c
	c.openLeg(a.ID, RoleAgent, c.arrived)
	c.openLeg(SimulatedCustomer, RoleCustomer, c.arrived)
	cc.takeAgent(a, c, Talking)
	cc.emit(CallCreated{Call: c.info()})
	cust := c.customer
	switch {
	case cust.Busy:
		cc.schedule(c.timer(tAnswer), 500*time.Millisecond, func() {
			cc.endCall(c, ResultBusy, RoleCustomer, "busy", 486, cc.clock.Now())
		})
	case cust.AnswerAfter < 0:
		cc.schedule(c.timer(tAnswer), cc.cfg.InternalRingTimeout, func() {
			cc.endCall(c, ResultNoAnswer, RoleCustomer, "no answer", 480, cc.clock.Now())
		})
	default:
		after := cust.AnswerAfter.D()
		if after == 0 {
			after = cc.cfg.OutboundAnswerAfter
		}
		after += cc.faults.SlowAnswer()
		cc.schedule(c.timer(tAnswer), after, func() { cc.calleeAnswers(c) })
	}
	cc.announceMix(c)
	return c.info(), nil
}

// calleeAnswers: the simulated customer picked up an outbound call.
func (cc *Center) calleeAnswers(c *call) {
	if c.phase != PhaseDialing {
		return
	}
	now := cc.clock.Now()
	c.phase, c.answered, c.agentUp, c.calleeUp, c.served = PhaseTalking, now, true, true, c.agent
	if l := c.leg(SimulatedCustomer); l != nil {
		l.Answered = now
	}
	if l := c.leg(c.agent); l != nil {
		l.Answered = now
	}
	cc.emit(CallAnswered{Call: c.info()})
	cc.announceMix(c)
	cc.startScript(c)
}

// outboundCustomer is who answers a number: a configured customer, or one
// made up from the seed who talks until the agent hangs up.
func (cc *Center) outboundCustomer(number string) Customer {
	if c, ok := cc.outbound[number]; ok {
		return c
	}
	return Customer{Number: number, Voice: Voice{ToneHz: cc.randomTone()},
		Script: []Step{{Kind: StepSay, For: Duration(3 * time.Second), Text: "喂，您好，请问哪位？"}}}
}

// randomTone picks a customer voice between 300 and 700 Hz, 50 Hz apart.
func (cc *Center) randomTone() float64 { return float64(300 + 50*cc.rng.IntN(9)) }

// DialHangup: the dialling agent gave up before the callee answered (or
// hung up after). Front-ends call LegHangup for answered legs; this is the
// CANCEL of a dialled call.
func (cc *Center) DialHangup(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	now := cc.clock.Now()
	switch {
	case role == RoleAgent && c.phase == PhaseDialing:
		cc.endCall(c, ResultCancelled, RoleAgent, "caller gave up", 487, now)
	case role == RoleCustomer && !c.calleeUp:
		cc.endCall(c, ResultCancelled, RoleCustomer, "caller gave up", 487, now)
	default:
		return fmt.Errorf("%w: call %s is %s", ErrWrongState, id, c.phase)
	}
	return nil
}
