package udesk

import (
	"context"
	"fmt"
	"strings"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// BreakReasons reads GetAgentStatesAsync: the plain break and the tenant's
// break sub-states (午饭 101 ...). It also refreshes the labels the agent
// state shows and tells the engine.
func (a *Adapter) BreakReasons(ctx context.Context) ([]core.BreakReason, error) {
	var opts []wire.AgentStateOption
	if err := a.query(ctx, wire.MethodGetAgentStates, nil, &opts); err != nil {
		return nil, err
	}
	reasons := breakReasonsFromWire(opts)
	a.mu.Lock()
	for _, r := range reasons {
		a.labels[r.Code] = r.Label
	}
	a.mu.Unlock()
	a.report(core.BreakReasonsUpdate{Reasons: reasons})
	return reasons, nil
}

// Targets feeds the transfer and consult pickers: agents
// (GetOtherAgentsAsync), queues (GetQueuesAgentsAsync) and IVR nodes
// (GetIvrNodesAsync: with an empty id it lists the IVRs, then each IVR's
// nodes). Numbers are typed, not listed.
func (a *Adapter) Targets(ctx context.Context, kind core.TargetKind) ([]core.Target, error) {
	switch kind {
	case core.TargetAgent:
		agents, err := a.otherAgents(ctx, "")
		if err != nil {
			return nil, err
		}
		return agentTargets(agents, a.agentID), nil
	case core.TargetQueue:
		var qs []wire.Queue
		if err := a.query(ctx, wire.MethodGetQueuesAgents, nil, &qs); err != nil {
			return nil, err
		}
		return queueTargets(qs), nil
	case core.TargetIVR:
		ivrs, err := a.ivrNodes(ctx, "")
		if err != nil {
			return nil, err
		}
		var out []core.Target
		for _, ivr := range ivrs {
			nodes, err := a.ivrNodes(ctx, string(ivr.Id))
			if err != nil {
				return nil, err
			}
			out = append(out, ivrTargets(ivr, nodes)...)
		}
		return out, nil
	case core.TargetNumber:
		return nil, nil
	}
	return nil, fmt.Errorf("%w: target kind %q", core.ErrInvalidArgument, kind)
}

// otherAgents reads GetOtherAgentsAsync, optionally only agents in state.
func (a *Adapter) otherAgents(ctx context.Context, state string) ([]wire.OtherAgent, error) {
	var agents []wire.OtherAgent
	if err := a.query(ctx, wire.MethodGetOtherAgents, wire.OtherAgentsParams{State: state}, &agents); err != nil {
		return nil, err
	}
	return agents, nil
}

// ivrNodes reads GetIvrNodesAsync(id): the IVR's nodes, or with an empty id
// the IVRs themselves.
func (a *Adapter) ivrNodes(ctx context.Context, id string) ([]wire.IvrNode, error) {
	var nodes []wire.IvrNode
	err := a.query(ctx, wire.MethodGetIvrNodes, wire.IvrNodesParams{Id: id}, &nodes)
	return nodes, err
}

// CallerIDs lists the tenant's trunk numbers (GetSpNumbersAsync), marking
// the agent's current one (GetCurrentSpNumberAsync), and the number pools
// (GetNumberPoolAndSpNumAsync type 2); a chosen pool wins over the number.
func (a *Adapter) CallerIDs(ctx context.Context) ([]core.CallerID, error) {
	var numbers []string
	if err := a.query(ctx, wire.MethodGetSpNumbers, wire.OwnerParams{OwnerType: wire.OwnerApp}, &numbers); err != nil {
		return nil, err
	}
	current, err := a.spNumber(ctx, wire.OwnerAgent)
	if err != nil {
		return nil, err
	}
	pools, err := a.pools(ctx, wire.PoolTypeNumberPool)
	if err != nil {
		return nil, err
	}
	return callerIDs(numbers, current, pools), nil
}

// spNumber reads GetCurrentSpNumberAsync for the agent or the tenant.
func (a *Adapter) spNumber(ctx context.Context, owner string) (string, error) {
	var current string
	err := a.query(ctx, wire.MethodGetCurrentSpNumber, wire.OwnerParams{OwnerType: owner}, &current)
	return current, err
}

// pools reads GetNumberPoolAndSpNumAsync: trunk numbers (type 1) or number
// pools (type 2), with the chosen one.
func (a *Adapter) pools(ctx context.Context, kind int) (wire.PoolList, error) {
	var list wire.PoolList
	err := a.query(ctx, wire.MethodGetNumberPoolAndSpNum, wire.PoolParams{Type: wire.FlexInt(kind)}, &list)
	return list, err
}

// SetCallerID chooses a trunk number ("sp:NUMBER", SetSpNumberAsync for
// the agent) or a number pool ("pool:ID", SetSpNumberPoolNumAsync type 2).
// A bare number is a trunk number.
func (a *Adapter) SetCallerID(ctx context.Context, id string) error {
	switch {
	case strings.HasPrefix(id, callerIDPool):
		return a.choosePool(ctx, wire.PoolTypeNumberPool, strings.TrimPrefix(id, callerIDPool))
	case strings.TrimPrefix(id, callerIDTrunk) == "":
		return fmt.Errorf("%w: empty caller id", core.ErrInvalidArgument)
	}
	// The agent's own trunk number; choosing it leaves any pool.
	return a.setSpNumber(ctx, wire.OwnerAgent, strings.TrimPrefix(id, callerIDTrunk))
}

// setSpNumber sends SetSpNumberAsync for the agent or the tenant.
func (a *Adapter) setSpNumber(ctx context.Context, owner, number string) error {
	return a.query(ctx, wire.MethodSetSpNumber, wire.SpNumberParams{OwnerType: owner, DisplayNumber: number}, nil)
}

// choosePool sends SetSpNumberPoolNumAsync: a trunk number (type 1) or a
// number pool (type 2) by id.
func (a *Adapter) choosePool(ctx context.Context, kind int, id string) error {
	return a.query(ctx, wire.MethodSetSpNumberPoolNum, wire.PoolParams{Type: wire.FlexInt(kind), Id: id}, nil)
}

// DeviceModes lists GetPhoneModesAsync, marking the current mode.
func (a *Adapter) DeviceModes(ctx context.Context) ([]core.DeviceMode, error) {
	var ms []wire.PhoneMode
	if err := a.query(ctx, wire.MethodGetPhoneModes, nil, &ms); err != nil {
		return nil, err
	}
	return deviceModes(ms, a.currentMode()), nil
}

// SetDeviceMode sends SetPhoneModeAsync; PhoneModeChanged then starts the
// mode's softphone (voip: the IP phone, webrtc: the web phone) or stops it
// (cellphone).
func (a *Adapter) SetDeviceMode(ctx context.Context, mode string) error {
	switch mode {
	case wire.ModeVoip, wire.ModeCellphone, wire.ModeWebRTC:
	default:
		return fmt.Errorf("%w: phone mode %q (voip, cellphone, webrtc)", core.ErrInvalidArgument, mode)
	}
	return a.do(ctx, wire.MethodSetPhoneMode, wire.PhoneModeParams{PhoneMode: mode})
}
