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
	t := cc.resolveDial(number)
	cc.openDial(c, a, t)
	if t.kind == dialOutside {
		c.display = cc.callerIDFor(a)
		c.phase = PhaseDialing
		c.openLeg(a.ID, RoleAgent, now)
		c.openLeg(SimulatedCustomer, RoleCustomer, now)
		cc.takeAgent(a, c, Talking)
		cc.emit(CallCreated{Call: c.info()})
	} else {
		c.openLeg(a.ID, RoleCustomer, now)
		cc.takeAgent(a, c, Talking)
		cc.emit(CallCreated{Call: c.info()})
		cc.answerLegRecord(c, a.ID, now)
	}
	cc.connect(c, a, t)
	return c.info(), nil
}

// dialKind is what a dialled number reaches.
type dialKind int

const (
	dialOutside dialKind = iota // a simulated customer answers
	dialAgent                   // another agent rings
	dialQueue                   // the caller waits in a queue
	dialIVR                     // an IVR flow answers
)

// dialTarget is a dialled number read.
type dialTarget struct {
	kind  dialKind
	agent *agent
	queue *QueueConfig
	ivr   string
}

// resolveDial reads a dialled number: an agent's number, a queue's number,
// a trunk (its route), else an outside number. Caller holds cc.mu.
func (cc *Center) resolveDial(number string) dialTarget {
	if callee, ok := cc.agents[number]; ok {
		return dialTarget{kind: dialAgent, agent: callee}
	}
	if qname, ok := cc.qNumbers[number]; ok {
		return dialTarget{kind: dialQueue, queue: cc.queues[qname]}
	}
	if tr, ok := cc.trunks[number]; ok {
		kind, name, _ := parseRoute(tr.Route)
		if kind == routeQueue {
			return dialTarget{kind: dialQueue, queue: cc.queues[name]}
		}
		return dialTarget{kind: dialIVR, ivr: name}
	}
	return dialTarget{kind: dialOutside}
}

// openDial fills in who is who in a dialled call and registers it: the
// dialling agent is the serving agent of an outbound call, the "customer"
// of an internal one. Caller holds cc.mu.
func (cc *Center) openDial(c *call, a *agent, t dialTarget) {
	if t.kind == dialOutside {
		c.dir, c.agent = Outbound, a.ID
		c.customer = cc.outboundCustomer(c.to)
		c.location = cc.locate(c.to)
	} else {
		c.dir, c.custAgent, c.display = Internal, a.ID, a.ID
	}
	cc.calls[c.id] = c
}

// connect reaches a dialled call's callee once the dialling agent is on
// the call: rings the agent, queues the caller, starts the IVR or lets the
// simulated customer ring. Caller holds cc.mu.
func (cc *Center) connect(c *call, from *agent, t dialTarget) {
	switch t.kind {
	case dialAgent:
		to := t.agent
		if to.state.Kind != Ready || to.call != "" || to.Tenant != from.Tenant {
			status := 486
			if to.state.Kind == Offline {
				status = 480
			}
			cc.endCall(c, ResultBusy, RoleSystem, "agent "+to.ID+" is "+to.state.String(), status, cc.clock.Now())
			return
		}
		cc.offer(c, to, cc.cfg.InternalRingTimeout)
	case dialQueue:
		cc.enqueue(c, t.queue)
	case dialIVR:
		// An IVR answers at once: the caller hears its prompts.
		c.calleeUp = true
		cc.emit(CallAnswered{Call: c.info()})
		cc.startIVR(c, cc.ivrs[t.ivr], "")
	case dialOutside:
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
			cc.schedule(c.timer(tAnswer), cc.answerDelay(cust), func() { cc.calleeAnswers(c) })
		}
		cc.announceMix(c)
	}
}

// answerDelay is how long a simulated callee rings before answering.
// Caller holds cc.mu.
func (cc *Center) answerDelay(cust Customer) time.Duration {
	after := cust.AnswerAfter.D()
	if after == 0 {
		after = cc.cfg.OutboundAnswerAfter
	}
	return after + cc.faults.SlowAnswer()
}

// calleeAnswers: the simulated customer picked up an outbound call.
func (cc *Center) calleeAnswers(c *call) {
	if c.phase != PhaseDialing {
		return
	}
	now := cc.clock.Now()
	c.phase, c.answered, c.agentUp, c.calleeUp, c.served = PhaseTalking, now, true, true, c.agent
	cc.answerLegRecord(c, SimulatedCustomer, now)
	cc.answerLegRecord(c, c.agent, now)
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
// CANCEL of a dialled call, and the platform's hang-up of a placed call
// whose agent or callee still rings.
func (cc *Center) DialHangup(id CallID, agentID string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, _, role, err := cc.lookupLeg(id, agentID)
	if err != nil {
		return err
	}
	now := cc.clock.Now()
	switch {
	case role == RoleAgent && (c.phase == PhaseDialing || c.phase == PhaseCallback):
		cc.endCall(c, ResultCancelled, RoleAgent, "caller gave up", 487, now)
	case role == RoleCustomer && !c.calleeUp:
		cc.endCall(c, ResultCancelled, RoleCustomer, "caller gave up", 487, now)
	default:
		return fmt.Errorf("%w: call %s is %s", ErrWrongState, id, c.phase)
	}
	return nil
}
