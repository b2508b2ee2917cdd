package udesk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// GroupAgents reads GetOtherAgentsAsync for the supervisor wall and tells
// the engine.
func (a *Adapter) GroupAgents(ctx context.Context) ([]core.AgentInfo, error) {
	agents, err := a.otherAgents(ctx, "")
	if err != nil {
		return nil, err
	}
	infos := agentInfos(agents, a.agentID)
	a.publishWall(agents, infos)
	return infos, nil
}

// publishWall reports the wall when it changed.
func (a *Adapter) publishWall(agents []wire.OtherAgent, infos []core.AgentInfo) {
	sig, _ := json.Marshal(infos)
	a.mu.Lock()
	a.wall = agents
	changed := string(sig) != a.wallSig
	a.wallSig = string(sig)
	a.mu.Unlock()
	if changed {
		a.report(core.AgentsUpdate{Agents: infos, Full: true})
	}
}

// pollWall refreshes the wall every WallPoll: the SDK has no event for
// other agents' states.
func (a *Adapter) pollWall() {
	defer a.wg.Done()
	t := time.NewTicker(a.opts.WallPoll)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(a.life, a.opts.RequestTimeout)
		if _, err := a.GroupAgents(ctx); err != nil && a.life.Err() == nil {
			a.log.Debug("udesk: agent wall", "err", err)
		}
		cancel()
		select {
		case <-a.life.Done():
			return
		case <-t.C:
		}
	}
}

// Monitor acts on an agent's call: listen (EavesdropAsync), whisper
// (WhisperAsync), barge-in (ForcePickupAsync, with the supervisor's own
// terminal number as AgentPhone), take-over (SubstituteAsync). end hangs up
// the supervisor's own monitoring leg. hangup has no method in the SDK.
func (a *Adapter) Monitor(ctx context.Context, agentID string, mode core.MonitorMode) error {
	switch mode {
	case core.MonitorEnd:
		id := a.monitorCall()
		if id == "" {
			return &core.NotAllowedError{Action: core.ActHangup, State: "none"}
		}
		return a.do(ctx, wire.MethodHangup, wire.CallParams{CallId: id})
	case core.MonitorHangup:
		return fmt.Errorf("%w: the Udesk SDK cannot end another agent's call", core.ErrNotSupported)
	}
	method, ok := monitorMethods[mode]
	if !ok {
		return fmt.Errorf("%w: monitor mode %q", core.ErrInvalidArgument, mode)
	}
	callID, err := a.callOfAgent(ctx, agentID)
	if err != nil {
		return err
	}
	p := wire.AgentParams{CallId: callID, AgentId: agentID}
	if mode == core.MonitorBarge {
		p.AgentPhone = a.device()
	}
	return a.do(ctx, method, p)
}

// callOfAgent finds the agent's current call from a fresh agent list.
func (a *Adapter) callOfAgent(ctx context.Context, agentID string) (string, error) {
	agents, err := a.otherAgents(ctx, "")
	if err != nil {
		return "", err
	}
	for _, ag := range agents {
		if string(ag.AgentId) == agentID {
			if ag.CallID == "" {
				return "", &IdleAgentError{Agent: agentID}
			}
			return ag.CallID, nil
		}
	}
	return "", fmt.Errorf("%w: no agent %q in the group", core.ErrInvalidArgument, agentID)
}

// monitorCall is the supervisor's own monitoring leg, if any.
func (a *Adapter) monitorCall() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, r := range a.calls {
		if isMonitorLeg(r.callType) {
			return id
		}
	}
	return ""
}

// IdleAgentError: the agent to monitor is not in a call.
type IdleAgentError struct{ Agent string }

func (e *IdleAgentError) Error() string { return "udesk: agent " + e.Agent + " has no call to monitor" }

// Unwrap makes errors.Is(err, core.ErrNotAllowedNow) true.
func (e *IdleAgentError) Unwrap() error { return core.ErrNotAllowedNow }

// Sentence implements core.Sentencer.
func (e *IdleAgentError) Sentence(lang string) string {
	return pick(lang, "坐席 "+e.Agent+" 当前没有通话，无法监控。", "Agent "+e.Agent+" is not in a call; there is nothing to monitor.")
}
