package callcenter

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// PlaceOptions are the extras of a platform-placed call.
type PlaceOptions struct {
	// CallerID is what an outside callee sees: a caller-ID entry's id,
	// "pool:NAME", or one of the center's own numbers (a caller ID's, a
	// pool's or a trunk's); "" is the agent's choice (SetCallerID).
	CallerID string
	// UserData is the call's data (Udesk's MakeCallAsync Options, such as
	// BizId); it travels in CallInfo and the CDR.
	UserData map[string]string
	// RingTimeout bounds the ringing of the agent's own device
	// (Config.InternalRingTimeout when zero).
	RingTimeout time.Duration
}

// Limits on call data from the platforms.
const (
	maxUserDataKeys = 32
	maxUserDataLen  = 1024 // bytes per key or value
)

func (o PlaceOptions) validate() error {
	if len(o.UserData) > maxUserDataKeys {
		return fmt.Errorf("%w: %d keys (at most %d)", ErrInvalidCallData, len(o.UserData), maxUserDataKeys)
	}
	for k, v := range o.UserData {
		if k == "" || len(k) > maxUserDataLen || len(v) > maxUserDataLen {
			return fmt.Errorf("%w: key %.40q", ErrInvalidCallData, k)
		}
	}
	if o.RingTimeout < 0 || o.RingTimeout > time.Hour {
		return fmt.Errorf("%w: ring timeout %v", ErrInvalidCallData, o.RingTimeout)
	}
	return nil
}

// PlaceCall is a call the platform places for an agent (Udesk's
// MakeCallAsync, Emicnet's call command): it rings the agent's own device
// first (a LegOffer with AutoAnswer, or the agent's device elsewhere) and,
// once the agent's leg is up, reaches number exactly as Dial does: another
// agent (internal), a queue's number or a trunk (queued or in the IVR), or
// an outside number answered by a simulated customer, while the agent
// hears the ringback. Failures after that are Dial's (CallEnded's Status:
// 486 busy, 480 no answer ...). Before it: the agent's device not
// answering ends the call as ResultAgentNoAnswer (480), the agent refusing
// it as ResultCancelled (487), an unreachable device as ResultFailed.
func (cc *Center) PlaceCall(agentID, number string, opts PlaceOptions) (CallInfo, error) {
	number = strings.TrimSpace(number)
	if err := opts.validate(); err != nil {
		return CallInfo{}, err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		return CallInfo{}, ErrClosed
	}
	a, ok := cc.agents[agentID]
	if !ok {
		return CallInfo{}, fmt.Errorf("%w: %s", ErrUnknownAgent, agentID)
	}
	if a.state.Kind == Offline {
		return CallInfo{}, fmt.Errorf("%w: %s", ErrAgentOffline, agentID)
	}
	if a.call != "" {
		return CallInfo{}, fmt.Errorf("%w: %s is in call %s", ErrAgentBusy, agentID, a.call)
	}
	if number == "" || len(number) > 64 {
		return CallInfo{}, fmt.Errorf("%w: empty or overlong number %.70q", ErrInvalidNumber, number)
	}
	t := cc.resolveDial(number)
	display := ""
	if t.kind == dialOutside {
		if !outsideNumber(number) {
			return CallInfo{}, fmt.Errorf("%w: %q", ErrInvalidNumber, number)
		}
		var err error
		if display, err = cc.placedCallerID(a, opts.CallerID); err != nil {
			return CallInfo{}, err
		}
	}
	now := cc.clock.Now()
	c := &call{id: cc.newCallID(), tenant: a.Tenant, from: agentID, to: number, arrived: now,
		placed: true, phase: PhaseCallback}
	if len(opts.UserData) > 0 {
		c.userData = maps.Clone(opts.UserData)
	}
	cc.openDial(c, a, t)
	role := RoleCustomer
	if t.kind == dialOutside {
		c.display, role = display, RoleAgent
	}
	c.openLeg(a.ID, role, now)
	cc.takeAgent(a, c, Ringing)
	cc.emit(CallCreated{Call: c.info()})
	ringFor := opts.RingTimeout
	if ringFor == 0 {
		ringFor = cc.cfg.InternalRingTimeout
	}
	cc.schedule(c.timer(tCallback), ringFor, func() { cc.placerFailed(c, FailNoAnswer) })
	cc.announceMix(c)
	cc.ringEndpoint(c, a, role, number, "", true)
	return c.info(), nil
}

// placedCallerID is the number an outside callee of a placed call sees.
// Caller holds cc.mu.
func (cc *Center) placedCallerID(a *agent, id string) (string, error) {
	switch {
	case id == "":
		return cc.callerIDFor(a), nil
	case cc.knownCallerID(id):
		return cc.callerIDOf(a, id), nil
	}
	for _, c := range cc.cfg.CallerIDs {
		if c.Number == id {
			return id, nil
		}
	}
	for _, pool := range cc.cfg.Pools {
		if slices.Contains(pool, id) {
			return id, nil
		}
	}
	if tr, ok := cc.trunks[id]; ok && tr.Tenant == a.Tenant {
		return id, nil
	}
	return "", fmt.Errorf("%w: unknown caller id %q", ErrInvalidConfig, id)
}

// placerAnswered: the agent's own leg of a placed call is up; now the
// number is dialled. Caller holds cc.mu.
func (cc *Center) placerAnswered(c *call, a *agent) {
	c.stopTimer(tCallback)
	c.placerUp = true
	cc.setState(a, AgentState{Kind: Talking})
	t := cc.resolveDial(c.to)
	if t.kind == dialOutside {
		// The agent is on the line and hears the ringback.
		c.phase, c.agentUp = PhaseDialing, true
		c.openLeg(SimulatedCustomer, RoleCustomer, cc.clock.Now())
	}
	cc.connect(c, a, t)
}

// placerFailed: the agent's own device did not take a placed call.
// Caller holds cc.mu.
func (cc *Center) placerFailed(c *call, why Failure) {
	if !c.placed || c.phase != PhaseCallback {
		return
	}
	result, status, by, reason := ResultAgentNoAnswer, 480, RoleSystem, "agent did not answer"
	switch why {
	case FailBusy, FailRejected:
		result, status, by, reason = ResultCancelled, 487, RoleAgent, "agent refused: "+string(why)
	case FailUnreachable:
		result, reason = ResultFailed, "agent unreachable"
	}
	cc.endCall(c, result, by, reason, status, cc.clock.Now())
}
