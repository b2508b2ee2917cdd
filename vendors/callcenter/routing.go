package callcenter

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// CustomerCall makes a simulated customer call a trunk number now ("" =
// the first trunk). It returns the new call's id.
func (cc *Center) CustomerCall(cust Customer, trunk string) (CallID, error) {
	if err := cust.validate(); err != nil {
		return "", err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.customerCallLocked(cust, trunk)
}

func (cc *Center) customerCallLocked(cust Customer, trunk string) (CallID, error) {
	if cc.closed {
		return "", ErrClosed
	}
	if trunk == "" {
		if len(cc.trunkOrd) == 0 {
			return "", fmt.Errorf("%w: the center has no trunk", ErrInvalidConfig)
		}
		trunk = cc.trunkOrd[0]
	}
	tr, ok := cc.trunks[trunk]
	if !ok {
		return "", fmt.Errorf("%w: no trunk %q", ErrInvalidConfig, trunk)
	}
	now := cc.clock.Now()
	c := &call{id: cc.newCallID(), tenant: tr.Tenant, dir: Inbound, from: cust.Number, to: tr.Number,
		display: cust.Number, customer: cust, arrived: now, location: cc.locate(cust.Number)}
	cc.calls[c.id] = c
	c.openLeg(SimulatedCustomer, RoleCustomer, now).Answered = now
	cc.emit(CallCreated{Call: c.info()})
	kind, name, _ := parseRoute(tr.Route)
	if kind == routeIVR {
		cc.startIVR(c, cc.ivrs[name], "")
	} else {
		cc.enqueue(c, cc.queues[name])
	}
	return c.id, nil
}

// enqueue puts a call in a queue and tries to route it. Caller holds cc.mu.
func (cc *Center) enqueue(c *call, q *QueueConfig) {
	now := cc.clock.Now()
	c.phase, c.queue = PhaseQueued, q.Name
	if c.queuedAt.IsZero() {
		c.queuedAt = now
	}
	if c.simulated() && c.customer.Patience > 0 && c.timer(tPatience).t == nil {
		waited := now.Sub(c.queuedAt)
		cc.schedule(c.timer(tPatience), max(c.customer.Patience.D()-waited, 0), func() {
			cc.abandon(c)
		})
	}
	c.stopTimer(tOverflow)
	if q.MaxWait > 0 {
		cc.schedule(c.timer(tOverflow), q.MaxWait, func() { cc.overflow(c) })
	}
	cc.announceMix(c)
	cc.dispatch()
}

// dispatch offers waiting calls to ready agents: oldest waiting call first,
// each to the longest-idle ready agent with its queue's skill. Caller holds
// cc.mu.
func (cc *Center) dispatch() {
	if cc.closed {
		return
	}
	var waiting []*call
	for _, c := range cc.calls {
		if c.phase == PhaseQueued {
			waiting = append(waiting, c)
		}
	}
	slices.SortFunc(waiting, func(a, b *call) int {
		if d := a.queuedAt.Compare(b.queuedAt); d != 0 {
			return d
		}
		return cmp.Compare(a.id, b.id)
	})
	for _, c := range waiting {
		q := cc.queues[c.queue]
		a := cc.longestIdle(c.tenant, q.Skill)
		if a == nil || a.ID == c.custAgent {
			continue
		}
		cc.offer(c, a, q.RingTimeout)
	}
}

// offer rings an agent for a queued (or transferred) call. Caller holds cc.mu.
func (cc *Center) offer(c *call, a *agent, ringFor time.Duration) {
	now := cc.clock.Now()
	c.phase, c.agent, c.agentUp = PhaseOffering, a.ID, false
	c.offers++
	if c.offered.IsZero() {
		c.offered = now
	}
	c.openLeg(a.ID, RoleAgent, now)
	cc.takeAgent(a, c, Ringing)
	cc.schedule(c.timer(tRing), ringFor, func() {
		cc.withdrawOffer(c, "no answer", StateBusy)
	})
	cc.announceMix(c)
	cc.ringEndpoint(c, a, RoleAgent, c.from, c.customer.Name, false)
}

// withdrawOffer takes a ringing call back from its agent (no answer, busy,
// unreachable) and puts it back in its queue at its old place. The agent
// gets the given state: an agent who does not answer is set busy, so the
// call is not offered to an empty desk again (redirect on no answer).
// Caller holds cc.mu.
func (cc *Center) withdrawOffer(c *call, reason string, agentState AgentState) {
	if c.phase != PhaseOffering {
		return
	}
	c.stopTimer(tRing)
	id := c.agent
	cc.closeAgentLeg(c, id, reason, cc.clock.Now())
	cc.emit(LegCancel{Call: c.id, Agent: id, Reason: reason})
	c.agent, c.agentUp = "", false
	if a := cc.agents[id]; a != nil {
		if agentState.Kind == Ready || a.resume.Kind == Offline {
			cc.afterCall(a, nil)
		} else {
			a.call, a.resume = "", AgentState{}
			a.autoBusy = agentState.Kind == Busy
			cc.setState(a, agentState)
		}
	}
	q := cc.queues[c.queue]
	if q == nil {
		// A direct offer (transfer to an agent) without a queue behind it.
		cc.endCall(c, ResultNoAnswer, RoleSystem, reason, 480, cc.clock.Now())
		return
	}
	c.phase = PhaseQueued
	cc.announceMix(c)
	cc.dispatch()
}

// abandon: the customer's patience ran out before an agent answered.
func (cc *Center) abandon(c *call) {
	switch c.phase {
	case PhaseQueued, PhaseOffering, PhaseIVR:
	default:
		return
	}
	if c.phase == PhaseOffering {
		c.stopTimer(tRing)
		if a := cc.agents[c.agent]; a != nil {
			cc.closeAgentLeg(c, a.ID, "caller gave up", cc.clock.Now())
			cc.emit(LegCancel{Call: c.id, Agent: a.ID, Reason: "caller gave up"})
			cc.afterCall(a, nil)
		}
		c.agent = ""
	}
	cc.endCall(c, ResultAbandoned, RoleCustomer, "patience", 0, cc.clock.Now())
}

// overflow: the call waited its queue's MaxWait.
func (cc *Center) overflow(c *call) {
	if c.phase != PhaseQueued {
		return // ringing an agent: let the offer finish
	}
	q := cc.queues[c.queue]
	if q.Overflow == "" {
		cc.endCall(c, ResultOverflow, RoleSystem, "queue "+q.Name+" full", 0, cc.clock.Now())
		return
	}
	cc.log.Info("callcenter: overflow", "call", c.id, "from", q.Name, "to", q.Overflow)
	cc.enqueue(c, cc.queues[q.Overflow])
}
