package callcenter

import (
	"strings"
	"time"
)

// outsideParty is an outside number a call rang for a transfer, a consult
// or a three-way call: a simulated callee. Guarded by Center.mu.
type outsideParty struct {
	number   string
	party    string // OutsideParty(number)
	customer Customer
	// transfer: the call was handed to it (blind or consult transfer): it
	// serves the customer, no agent is left.
	transfer bool
	up       bool
	step     int
}

// outsideNumber reports whether n can be an outside callee: digits with an
// optional leading +, as customers' numbers are.
func outsideNumber(n string) bool {
	return n != "" && len(n) <= 32 && strings.Trim(strings.TrimPrefix(n, "+"), "0123456789") == ""
}

// ringOutside rings an outside number for a consult (transfer false; the
// call's conf says three-way) or a transfer (the agent has left: the
// customer hears the ringback). It rings, then answers, is busy or never
// answers as Dial's outbound callees do. Caller holds cc.mu.
func (cc *Center) ringOutside(c *call, number string, transfer bool) {
	o := &outsideParty{number: number, party: OutsideParty(number), customer: cc.outboundCustomer(number), transfer: transfer}
	c.outside = o
	if transfer {
		c.phase = PhaseDialing
	}
	c.openLeg(o.party, RoleOutside, cc.clock.Now())
	cc.emit(OutsideLeg{Call: c.info(), Party: o.party, Number: number, Customer: o.customer, Phase: LegPhaseRinging})
	cust := o.customer
	switch {
	case cust.Busy:
		cc.schedule(c.timer(tOutside), 500*time.Millisecond, func() { cc.outsideFailed(c, o, "busy", 486) })
	case cust.AnswerAfter < 0:
		cc.schedule(c.timer(tOutside), cc.cfg.InternalRingTimeout, func() { cc.outsideFailed(c, o, "no answer", 480) })
	default:
		cc.schedule(c.timer(tOutside), cc.answerDelay(cust), func() { cc.outsideAnswers(c, o) })
	}
	cc.announceMix(c)
}

// outsideAnswers: the outside callee picked up. Caller holds cc.mu.
func (cc *Center) outsideAnswers(c *call, o *outsideParty) {
	if c.outside != o || o.up {
		return
	}
	now := cc.clock.Now()
	o.up = true
	cc.answerLegRecord(c, o.party, now)
	if o.transfer {
		c.phase = PhaseTalking
		if c.answered.IsZero() {
			c.answered = now
		}
	}
	cc.emit(OutsideLeg{Call: c.info(), Party: o.party, Number: o.number, Customer: o.customer, Phase: LegPhaseUp})
	cc.announceMix(c)
	o.step = 0
	cc.runOutsideStep(c, o)
}

// outsideFailed: the outside callee was busy or did not answer. A consult
// goes back to agent and customer; a transfer goes back to the call's
// queue, or ends. Caller holds cc.mu.
func (cc *Center) outsideFailed(c *call, o *outsideParty, reason string, status int) {
	if c.outside != o || o.up {
		return
	}
	cc.releaseOutside(c, reason, status)
	if !o.transfer {
		cc.announceMix(c)
		return
	}
	if q := cc.queues[c.queue]; q != nil {
		cc.enqueue(c, q)
		return
	}
	result := ResultNoAnswer
	if status == 486 {
		result = ResultBusy
	}
	cc.endCall(c, result, RoleOutside, reason, status, cc.clock.Now())
}

// releaseOutside takes the outside callee out of the call (status: why it
// never answered, when it did not). Caller holds cc.mu.
func (cc *Center) releaseOutside(c *call, reason string, status int) {
	o := c.outside
	if o == nil {
		return
	}
	c.stopTimer(tOutside)
	c.stopTimer(tOutsideScript)
	c.closeLeg(o.party, reason, cc.clock.Now())
	c.outside = nil
	if !o.transfer {
		c.conf = false
	}
	if o.up {
		status = 0
	} else if status == 0 {
		status = 487
	}
	cc.emit(OutsideLeg{Call: c.info(), Party: o.party, Number: o.number, Customer: o.customer,
		Phase: LegPhaseDown, Reason: reason, Status: status})
}

// handOverOutside makes the answered outside consultee the customer's
// party: the agent leaves (consult transfer, or hanging up during the
// consult). Caller holds cc.mu.
func (cc *Center) handOverOutside(c *call, reason string) {
	a := cc.agents[c.agent]
	c.outside.transfer = true
	cc.releaseHelpers(c, reason)
	cc.closeAgentLeg(c, a.ID, reason, cc.clock.Now())
	cc.emit(LegRelease{Call: c.id, Agent: a.ID, Reason: reason})
	cc.afterCall(a, cc.queues[c.queue])
	c.agent, c.agentUp, c.conf, c.held = "", false, false, false
	cc.announceMix(c)
}

// runOutsideStep plays the outside callee's script, as runStep does the
// customer's. Caller holds cc.mu.
func (cc *Center) runOutsideStep(c *call, o *outsideParty) {
	if c.outside != o || !o.up || o.step >= len(o.customer.Script) {
		return
	}
	i := o.step
	s := o.customer.Script[i]
	o.step++
	voice := o.customer.Voice
	if s.Text != "" {
		voice.Text = s.Text
	}
	cc.emit(OutsideStep{Call: c.id, Party: o.party, Index: i, Step: s, Voice: voice})
	switch s.Kind {
	case StepHangUp:
		cc.outsideHangup(c, o)
	case StepPress:
		cc.emit(DTMFReceived{Call: c.id, From: o.party, Digits: s.Digits})
		cc.schedule(c.timer(tOutsideScript), time.Duration(len(s.Digits))*200*time.Millisecond, func() { cc.runOutsideStep(c, o) })
	default:
		cc.schedule(c.timer(tOutsideScript), s.For.D(), func() { cc.runOutsideStep(c, o) })
	}
}

// outsideHangup: the outside callee hung up. Caller holds cc.mu.
func (cc *Center) outsideHangup(c *call, o *outsideParty) {
	if o.transfer {
		cc.endCall(c, ResultAnswered, RoleOutside, "outside party hung up", 0, cc.clock.Now())
		return
	}
	cc.releaseOutside(c, "outside party hung up", 0)
	cc.announceMix(c)
}
