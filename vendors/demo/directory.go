package demo

import (
	"context"
	"fmt"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// BreakReasons lists the center's break reasons (101 午饭 ...).
func (a *Adapter) BreakReasons(ctx context.Context) ([]core.BreakReason, error) {
	_, cc, _, err := a.parts()
	if err != nil {
		return nil, err
	}
	var out []core.BreakReason
	for _, b := range cc.BreakReasons() {
		out = append(out, core.BreakReason{Code: b.Code, Label: b.Label})
	}
	return out, nil
}

// Targets feeds the transfer pickers: colleagues with their states, queues.
func (a *Adapter) Targets(ctx context.Context, kind core.TargetKind) ([]core.Target, error) {
	_, cc, _, err := a.parts()
	if err != nil {
		return nil, err
	}
	var out []core.Target
	switch kind {
	case core.TargetAgent:
		agents, err := cc.GroupAgents(a.set.Me)
		if err != nil {
			return nil, centerError(err)
		}
		for _, info := range agents {
			if info.ID != a.set.Me {
				out = append(out, core.Target{Kind: kind, ID: info.ID, Label: info.Name, State: info.State.Kind.String()})
			}
		}
	case core.TargetQueue:
		for _, q := range cc.Queues() {
			out = append(out, core.Target{Kind: kind, ID: q.Name, Label: q.Name})
		}
	default:
		return nil, fmt.Errorf("%w: %s targets", core.ErrNotSupported, kind)
	}
	return out, nil
}

// TransferKinds: colleagues and queues.
func (a *Adapter) TransferKinds() []core.TargetKind {
	return []core.TargetKind{core.TargetAgent, core.TargetQueue}
}

// Transfer is a blind transfer by SIP REFER; a queue is reached by its
// number.
func (a *Adapter) Transfer(ctx context.Context, id string, to core.Target) error {
	inner, cc, _, err := a.parts()
	if err != nil {
		return err
	}
	if to.Kind == core.TargetQueue {
		found := false
		for _, q := range cc.Queues() {
			if q.Name == to.ID || q.Number == to.ID {
				to, found = core.Target{Kind: core.TargetNumber, ID: q.Number, Label: q.Name}, true
			}
		}
		if !found {
			return centerError(fmt.Errorf("%w: %q", callcenter.ErrUnknownQueue, to.ID))
		}
	}
	return inner.(core.Transferrer).Transfer(ctx, id, to)
}

// CallerIDs lists the numbers outbound calls may show, and the pool.
func (a *Adapter) CallerIDs(ctx context.Context) ([]core.CallerID, error) {
	_, cc, _, err := a.parts()
	if err != nil {
		return nil, err
	}
	var out []core.CallerID
	for _, c := range cc.CallerIDs() {
		out = append(out, core.CallerID{ID: c.ID, Number: c.Number, Label: c.Label})
	}
	out = append(out, core.CallerID{ID: "pool:outbound", Number: "025-6666-000x", Label: "号码池（轮流使用）"})
	return out, nil
}

// SetCallerID chooses the number outbound calls show.
func (a *Adapter) SetCallerID(ctx context.Context, id string) error {
	_, cc, _, err := a.parts()
	if err != nil {
		return err
	}
	return centerError(cc.SetCallerID(a.set.Me, id))
}
