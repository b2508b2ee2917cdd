package emicnet

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"agentbar/core"
	"agentbar/vendors/emicnet/wire"
)

// GroupAgents reads the supervisor's groups with searchEpMembers (every
// page) and joins them with the calls repCallStatus announced; the wall is
// reported to the engine when it changed.
func (a *Adapter) GroupAgents(ctx context.Context) ([]core.AgentInfo, error) {
	a.mu.Lock()
	groups := slices.Clone(a.user.InGroups)
	a.mu.Unlock()
	if len(groups) == 0 {
		var err error
		if groups, err = a.groups(ctx); err != nil {
			return nil, err
		}
	}
	members := map[string]wire.Member{}
	for _, g := range groups {
		ms, err := a.groupMembers(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if string(m.Number) != a.acct.un {
				members[string(m.Number)] = m
			}
		}
	}
	a.mu.Lock()
	a.members = members
	infos := a.publishWallLocked()
	a.mu.Unlock()
	return infos, nil
}

// publishWallLocked reports the wall when it changed and returns it.
// Caller holds a.mu.
func (a *Adapter) publishWallLocked() []core.AgentInfo {
	infos := make([]core.AgentInfo, 0, len(a.members))
	for num, m := range a.members {
		var call *wire.RepCallStatusData
		if c, ok := a.repCalls[num]; ok {
			call = &c
		}
		infos = append(infos, memberInfo(m, call, a.monitor))
	}
	// A member with a call but not (yet) in a page: still shown.
	for caller, c := range a.repCalls {
		if _, ok := a.members[caller]; !ok && caller != a.acct.un {
			infos = append(infos, memberInfo(wire.Member{Number: wire.FlexString(caller), Displayname: caller, KefuStatus: wire.KefuBusy}, &c, a.monitor))
		}
	}
	slices.SortFunc(infos, func(x, y core.AgentInfo) int { return strings.Compare(x.ID, y.ID) })
	sig, _ := json.Marshal(infos)
	if string(sig) != a.wallSig {
		a.wallSig = string(sig)
		a.report(core.AgentsUpdate{Agents: slices.Clone(infos), Full: true})
	}
	return infos
}

// pollWall refreshes the wall every WallPoll: the platform has no event
// for members' states, only repCallStatus for their calls.
func (a *Adapter) pollWall() {
	defer a.wg.Done()
	t := time.NewTicker(a.opts.WallPoll)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(a.life, a.opts.RequestTimeout)
		if _, err := a.GroupAgents(ctx); err != nil && a.life.Err() == nil {
			a.log.Debug("emicnet: group wall", "err", err)
		}
		cancel()
		select {
		case <-a.life.Done():
			return
		case <-t.C:
		}
	}
}

// onRepCall is repCallStatus: a member's call started (endTime "") or
// ended. The wall shows it; monitoring of a call that ended is over.
func (a *Adapter) onRepCall(d wire.RepCallStatusData) {
	caller, c := string(d.Caller), string(d.CcNumber)
	if caller == "" {
		a.log.Warn("emicnet: repCallStatus without caller", "ccNumber", c)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if d.Ended() {
		if cur, ok := a.repCalls[caller]; ok && string(cur.CcNumber) == c {
			delete(a.repCalls, caller)
		}
		a.monitorEndedLocked(c)
	} else {
		a.repCalls[caller] = d
	}
	a.publishWallLocked()
}

// monitorCcLocked reports whether c is the call this supervisor monitors
// or is starting to. Caller holds a.mu.
func (a *Adapter) monitorCcLocked(c string) bool {
	return c != "" && (a.monStart == c || a.monitor.Status != wire.MonitorNone && a.monitor.CcNumber == c)
}

// monitorEndedLocked: the monitored call c is over, so is monitoring.
// Caller holds a.mu.
func (a *Adapter) monitorEndedLocked(c string) {
	if a.monitor.Status != wire.MonitorNone && a.monitor.CcNumber == c {
		a.monitor = wire.MonitorState{}
		a.publishWallLocked()
	}
}

// MonitorModes are the platform's: listen, barge in (three-way), stop, end
// the call. There is no whisper and no take-over.
func (a *Adapter) MonitorModes() []core.MonitorMode {
	return []core.MonitorMode{core.MonitorListen, core.MonitorBarge, core.MonitorEnd, core.MonitorHangup}
}

// Monitor acts on a member's call, named by the member's extension: the
// call is the ccNumber repCallStatus gave. listen (startCallMonitor, or
// exitJoinMonitor from a three-way call), barge (joinFromMonitor, after
// startCallMonitor when not listening yet), end (stopCallMonitor, after
// exitJoinMonitor when joined), hangup (endCallMonitor while monitoring,
// terminateCall otherwise). The state machine of §7 is checked here before
// anything is sent (checkMonitorState); the platform checks it again.
//
// The supervisor's own monitoring leg (its INVITE, answeredPBXCall and
// endPBXCall for that ccNumber) is not shown as a call of the supervisor:
// the wall's Monitor field says what the supervisor is doing.
func (a *Adapter) Monitor(ctx context.Context, agentID string, mode core.MonitorMode) error {
	switch mode {
	case core.MonitorListen, core.MonitorBarge, core.MonitorEnd, core.MonitorHangup:
	default:
		return &MonitorModeError{Mode: mode}
	}
	a.monMu.Lock()
	defer a.monMu.Unlock()
	a.mu.Lock()
	call, ok := a.repCalls[agentID]
	cur := a.monitor
	a.mu.Unlock()
	c := string(call.CcNumber)
	if !ok {
		if mode != core.MonitorEnd || cur.Status == wire.MonitorNone {
			return &IdleAgentError{Agent: agentID}
		}
		c = cur.CcNumber // stop monitoring a call that was not announced to us
	}
	plan, err := monitorPlan(cur, c, mode)
	if err != nil {
		return err
	}
	for _, cmd := range plan {
		if err := a.monitorStep(ctx, cmd, c); err != nil {
			return err
		}
	}
	return nil
}

// monitorStep sends one monitor command and moves the state on success.
func (a *Adapter) monitorStep(ctx context.Context, cmd, c string) error {
	if cmd == wire.CmdStartCallMonitor {
		a.mu.Lock()
		a.monStart = c // its INVITE and answeredPBXCall may come before the result
		a.mu.Unlock()
	}
	res, err := a.command(ctx, cmd, cc(c))
	if err == nil {
		err = wire.Monitor(cmd, res)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if cmd == wire.CmdStartCallMonitor {
		a.monStart = ""
	}
	if err != nil {
		a.log.Info("emicnet: monitor command failed", "cmd", cmd, "c", c, "err", err)
		return err
	}
	a.monitor = monitorAfter(cmd, c)
	a.publishWallLocked()
	return nil
}
