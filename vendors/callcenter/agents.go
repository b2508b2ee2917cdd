package callcenter

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// Agent returns a snapshot of an agent.
func (cc *Center) Agent(id string) (AgentInfo, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[id]
	if !ok {
		return AgentInfo{}, false
	}
	return a.info(), true
}

// Agents lists every agent, sorted by id.
func (cc *Center) Agents() []AgentInfo {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var out []AgentInfo
	for _, id := range slices.Sorted(maps.Keys(cc.agents)) {
		out = append(out, cc.agents[id].info())
	}
	return out
}

// Secret returns an agent's password, for front-ends that check digests
// themselves. It applies the sign-in refusals (faults, kick hold-off).
func (cc *Center) Secret(id string) (string, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[id]
	if !ok {
		return "", fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	if err := cc.loginRefusal(a); err != nil {
		return "", err
	}
	return a.Password, nil
}

// Authenticate checks an agent's password (token and HTTP front-ends).
func (cc *Center) Authenticate(id, password string) error {
	secret, err := cc.Secret(id)
	if err != nil {
		return err
	}
	if secret != password {
		return &AgentError{Err: ErrWrongPassword, Status: 401, Detail: "agent " + id,
			ZH: "账号或密码错误。", EN: "Wrong user name or password."}
	}
	return nil
}

// loginRefusal applies RefuseLogin faults and the kick hold-off. Caller
// holds cc.mu.
func (cc *Center) loginRefusal(a *agent) error {
	if status, ok := cc.faults.takeRefusal(a.ID); ok {
		return refusedLogin(status)
	}
	if !a.kickedAt.IsZero() && cc.cfg.KickHoldOff > 0 && cc.clock.Now().Before(a.kickedAt.Add(cc.cfg.KickHoldOff)) {
		return loggedInElsewhere("kick hold-off")
	}
	return nil
}

// SignIn marks the agent's endpoint as signed in (registered): an offline
// agent becomes ready (Config.LoginState). Signing in again changes nothing.
func (cc *Center) SignIn(id string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	to := StateReady
	if cc.cfg.LoginState != nil {
		to = *cc.cfg.LoginState
	}
	if a.call != "" {
		// Back while still in a call (registration lost and regained).
		if a.resume.Kind == Offline {
			a.resume = to
		}
		return nil
	}
	if a.autoBusy && a.state.Kind == Busy {
		a.autoBusy = false
		cc.setState(a, StateReady)
		cc.dispatch()
		return nil
	}
	if a.state.Kind != Offline {
		return nil
	}
	cc.setState(a, to)
	cc.dispatch()
	return nil
}

// SignOut marks the agent offline. A call in progress goes on; the agent is
// offline after it.
func (cc *Center) SignOut(id, reason string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	cc.signOut(a, reason)
	return nil
}

func (cc *Center) signOut(a *agent, reason string) {
	a.wrapTimer.stop()
	if a.call != "" {
		a.resume = StateOffline
		if c := cc.calls[a.call]; c != nil && c.phase == PhaseOffering && c.agent == a.ID {
			// Still only ringing: take the offer back.
			cc.withdrawOffer(c, "agent signed out", StateOffline)
		}
		return
	}
	if a.state.Kind != Offline {
		cc.log.Info("callcenter: agent offline", "agent", a.ID, "why", reason)
		cc.setState(a, StateOffline)
	}
}

// SetAgentState sets ready, busy or a break. During a call the state is
// taken after the call; during wrap-up it ends the wrap-up.
func (cc *Center) SetAgentState(id string, s AgentState) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	switch s.Kind {
	case Ready, Busy:
		s = AgentState{Kind: s.Kind}
	case Break:
		if !slices.ContainsFunc(cc.breaks, func(b BreakReason) bool { return b.Code == s.BreakCode }) {
			return fmt.Errorf("%w: %q", ErrUnknownBreak, s.BreakCode)
		}
		s = StateBreak(s.BreakCode)
	default:
		return fmt.Errorf("%w: an agent cannot choose %s", ErrWrongState, s.Kind)
	}
	if a.state.Kind == Offline {
		return fmt.Errorf("%w: %s", ErrAgentOffline, id)
	}
	a.autoBusy = false
	if a.call != "" {
		a.resume = s
		return nil
	}
	a.wrapTimer.stop()
	cc.setState(a, s)
	cc.dispatch()
	return nil
}

// Kick signs the agent out as "logged in elsewhere": the agent goes
// offline, front-ends drop its session and tell it why, and sign-ins are
// refused for Config.KickHoldOff.
func (cc *Center) Kick(id, reason string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, id)
	}
	a.kickedAt = cc.clock.Now()
	cc.signOut(a, "kicked: "+reason)
	cc.emit(AgentKicked{Agent: id, Err: loggedInElsewhere(reason)})
	return nil
}

// SetCallerID chooses the number the agent's outbound calls show: the id
// of a caller-ID entry, "pool:NAME", or "" for the tenant's default.
func (cc *Center) SetCallerID(agentID, id string) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[agentID]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownAgent, agentID)
	}
	if id != "" && !cc.knownCallerID(id) {
		return fmt.Errorf("%w: unknown caller id %q", ErrInvalidConfig, id)
	}
	a.callerID = id
	return nil
}

// setState changes an agent's state and tells the front-ends. Caller holds
// cc.mu.
func (cc *Center) setState(a *agent, to AgentState) {
	from := a.state
	if from == to {
		return
	}
	now := cc.clock.Now()
	a.state, a.stateSince = to, now
	if to.Kind == Ready {
		a.lastIdle = now
	}
	cc.emit(AgentStateChanged{Agent: a.ID, From: from, To: to, At: now})
}

// afterCall puts an agent back to work once its part in a call is over:
// wrap-up after a queue call with wrap-up time, else the state it had
// before (or chose meanwhile). Caller holds cc.mu.
func (cc *Center) afterCall(a *agent, q *QueueConfig) {
	a.call = ""
	next := a.resume
	a.resume = AgentState{}
	if next.Kind == Offline && a.state.Kind == Offline {
		return
	}
	if next.Kind == Offline {
		cc.setState(a, StateOffline)
		return
	}
	if next.Kind == Ready && q != nil && q.WrapUp > 0 {
		until := cc.clock.Now().Add(q.WrapUp)
		cc.setState(a, AgentState{Kind: WrapUp, Until: until})
		cc.schedule(&a.wrapTimer, q.WrapUp, func() {
			if a.state.Kind == WrapUp {
				cc.setState(a, StateReady)
				cc.dispatch()
			}
		})
		return
	}
	if next.Kind == Offline || next.Kind == Ringing || next.Kind == Talking || next.Kind == WrapUp {
		next = StateReady
	}
	cc.setState(a, next)
}

// takeAgent puts an agent on a call (ringing or talking), remembering the
// state to return to. Caller holds cc.mu.
func (cc *Center) takeAgent(a *agent, c *call, kind StateKind) {
	if a.call == "" {
		a.wrapTimer.stop()
		a.resume = a.state
		if a.resume.Kind == WrapUp {
			a.resume = StateReady
		}
	}
	a.call = c.id
	cc.setState(a, AgentState{Kind: kind})
}

// longestIdle picks the ready agent of the tenant with the skill who has
// been idle longest (ties: lowest id). Caller holds cc.mu.
func (cc *Center) longestIdle(tenant, skill string) *agent {
	var best *agent
	for _, a := range cc.agents {
		if a.Tenant != tenant || a.state.Kind != Ready || a.call != "" || !a.hasSkill(skill) {
			continue
		}
		if best == nil || a.lastIdle.Before(best.lastIdle) ||
			a.lastIdle.Equal(best.lastIdle) && cmp.Less(a.ID, best.ID) {
			best = a
		}
	}
	return best
}
