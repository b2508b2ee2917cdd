package callcenter

import (
	"strings"
	"time"
)

// startIVR runs a flow from node ("" = its start). Caller holds cc.mu.
func (cc *Center) startIVR(c *call, f *IVRConfig, node string) {
	c.ivr = f.Name
	if node == "" {
		node = f.Start
	}
	cc.runNode(c, f, node)
}

func (f *IVRConfig) node(id string) (IVRNode, bool) {
	for _, n := range f.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return IVRNode{}, false
}

// runNode plays one IVR node. Caller holds cc.mu.
func (cc *Center) runNode(c *call, f *IVRConfig, id string) {
	n, ok := f.node(id)
	if !ok {
		cc.endCall(c, ResultIVR, RoleSystem, "IVR "+f.Name+" has no node "+id, 0, cc.clock.Now())
		return
	}
	c.node = n.ID
	c.ivrPath = append(c.ivrPath, f.Name+"/"+n.ID)
	if n.Kind == NodeQueue {
		c.promptText = ""
		cc.enqueue(c, cc.queues[n.Queue])
		return
	}
	if n.Kind == NodeSurvey {
		c.phase = PhaseSurvey
	} else {
		c.phase = PhaseIVR
	}
	c.promptText = n.Prompt
	cc.announceMix(c)
	cc.schedule(c.timer(tIVR), n.promptFor(), func() { cc.afterPrompt(c, f, n) })
}

// afterPrompt moves on once a node's prompt has played.
func (cc *Center) afterPrompt(c *call, f *IVRConfig, n IVRNode) {
	switch n.Kind {
	case NodePrompt:
		if n.Next == "" {
			cc.endCall(c, ResultIVR, RoleSystem, "end of IVR", 0, cc.clock.Now())
			return
		}
		cc.runNode(c, f, n.Next)
	case NodeMenu:
		digit := cc.nextDigit(c)
		next, ok := n.Options[digit]
		if !ok {
			next = n.Default
		}
		if next == "" {
			cc.endCall(c, ResultIVR, RoleSystem, "no choice at menu "+n.ID, 0, cc.clock.Now())
			return
		}
		cc.runNode(c, f, next)
	case NodeSurvey:
		score := c.customer.Score
		if !c.simulated() {
			score = cc.nextDigit(c)
		}
		if score != "" && strings.Contains("12345", score) {
			c.score = score
		}
		cc.endCall(c, cc.resultAfterSurvey(c), RoleSystem, "survey done", 0, cc.clock.Now())
	case NodeHangUp:
		cc.endCall(c, ResultIVR, RoleSystem, "IVR hang-up node", 0, cc.clock.Now())
	}
}

func (cc *Center) resultAfterSurvey(c *call) Result {
	if !c.answered.IsZero() {
		return ResultAnswered
	}
	return ResultIVR
}

// nextDigit is the caller's choice at a menu: the simulated customer's
// next scripted digit, or a digit an endpoint caller sent.
func (cc *Center) nextDigit(c *call) string {
	if !c.simulated() {
		if c.pending == "" {
			return ""
		}
		d := c.pending[:1]
		c.pending = c.pending[1:]
		return d
	}
	if c.digitPos >= len(c.customer.Digits) {
		return ""
	}
	d := c.customer.Digits[c.digitPos : c.digitPos+1]
	c.digitPos++
	c.dtmf += d
	return d
}

// surveyNode finds the satisfaction node for a call's tenant: a flow's own
// survey node, else the built-in one.
func (cc *Center) surveyNode(c *call) (*IVRConfig, string) {
	for _, f := range cc.ivrs {
		if f.Tenant != c.tenant {
			continue
		}
		for _, n := range f.Nodes {
			if n.Kind == NodeSurvey {
				return f, n.ID
			}
		}
	}
	return &IVRConfig{Name: "builtin", Tenant: c.tenant, Start: SurveyNodeID, Nodes: []IVRNode{{
		ID: SurveyNodeID, Kind: NodeSurvey, Prompt: "请对本次服务进行评价，满意请按1，一般请按2，不满意请按3。",
		PromptFor: 4 * time.Second,
	}}}, SurveyNodeID
}

// startScript runs the simulated customer's script once an agent answers.
// Caller holds cc.mu.
func (cc *Center) startScript(c *call) {
	if !c.simulated() {
		return
	}
	c.step = 0
	cc.runStep(c)
}

func (cc *Center) runStep(c *call) {
	if c.phase != PhaseTalking || c.step >= len(c.customer.Script) {
		return
	}
	i := c.step
	s := c.customer.Script[i]
	c.step++
	voice := c.customer.Voice
	if s.Text != "" {
		voice.Text = s.Text
	}
	cc.emit(CustomerStep{Call: c.id, Index: i, Step: s, Voice: voice})
	switch s.Kind {
	case StepHangUp:
		cc.customerHangup(c)
	case StepPress:
		c.dtmf += s.Digits
		cc.emit(DTMFReceived{Call: c.id, From: SimulatedCustomer, Digits: s.Digits})
		cc.schedule(c.timer(tScript), time.Duration(len(s.Digits))*200*time.Millisecond, func() { cc.runStep(c) })
	default:
		cc.schedule(c.timer(tScript), s.For.D(), func() { cc.runStep(c) })
	}
}

// customerHangup: the customer side hung up. Caller holds cc.mu.
func (cc *Center) customerHangup(c *call) {
	now := cc.clock.Now()
	switch c.phase {
	case PhaseTalking:
		cc.endCall(c, ResultAnswered, RoleCustomer, "customer hung up", 0, now)
	case PhaseDialing, PhaseCallback:
		cc.endCall(c, ResultCancelled, RoleCustomer, "caller gave up", 487, now)
	case PhaseSurvey:
		cc.endCall(c, cc.resultAfterSurvey(c), RoleCustomer, "customer hung up", 0, now)
	default:
		cc.endCall(c, ResultAbandoned, RoleCustomer, "customer hung up", 0, now)
	}
}

// endCall finishes a call: every endpoint leg is cancelled or released,
// agents go back to work, the CDR is written. Caller holds cc.mu.
func (cc *Center) endCall(c *call, result Result, by Role, reason string, status int, now time.Time) {
	if c.phase == PhaseEnded {
		return
	}
	c.stopTimers()
	var q *QueueConfig
	if c.queue != "" && !c.answered.IsZero() {
		q = cc.queues[c.queue]
	}
	for _, id := range c.endpoints() {
		a := cc.agents[id]
		if a == nil || a.call != c.id {
			continue
		}
		role := c.roleOf(id)
		up := c.legUp(id)
		cc.closeAgentLeg(c, id, reason, now)
		if up {
			cc.emit(LegRelease{Call: c.id, Agent: id, Reason: reason})
		} else {
			cc.emit(LegCancel{Call: c.id, Agent: id, Reason: reason})
		}
		if role == RoleAgent {
			cc.afterCall(a, q)
		} else {
			cc.afterCall(a, nil)
		}
	}
	if c.outside != nil {
		cc.releaseOutside(c, reason, status)
	}
	if c.simulated() {
		c.closeLeg(SimulatedCustomer, reason, now)
	}
	c.phase, c.ended, c.result, c.hangupBy, c.status = PhaseEnded, now, result, by, status
	cc.announceMix(c)
	record := c.cdr()
	cc.cdrs = append(cc.cdrs, record)
	if len(cc.cdrs) > cc.cfg.MaxCDRs {
		cc.cdrs = cc.cdrs[len(cc.cdrs)-cc.cfg.MaxCDRs:]
	}
	delete(cc.calls, c.id)
	cc.emit(CallEnded{Call: c.info(), CDR: record, Status: status})
	cc.dispatch()
}

// legUp reports whether an endpoint's leg in the call is answered.
func (c *call) legUp(agentID string) bool {
	switch c.roleOf(agentID) {
	case RoleAgent:
		return c.agentUp
	case RoleCustomer:
		return !c.placed || c.placerUp
	case RoleConsultee:
		return c.consultUp
	case RoleSupervisor:
		return c.monitor.up
	}
	return false
}
