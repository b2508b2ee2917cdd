package demo

import (
	"context"
	"fmt"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// Consult and three-way calls go through the center's Go API (plain SIP
// has no command for them); the consulted colleague's audio reaches the
// agent in the same SIP call, mixed by the center.

func (a *Adapter) centerCall(id string) (*callcenter.Center, callcenter.CallID, core.Sink, error) {
	_, cc, front, err := a.parts()
	if err != nil {
		return nil, "", nil, err
	}
	call, ok := front.CallOfLeg(id)
	if !ok {
		return nil, "", nil, core.ErrNoSuchCall
	}
	a.mu.Lock()
	sink := a.sink
	a.mu.Unlock()
	return cc, call, sink, nil
}

func (a *Adapter) consult(ctx context.Context, id string, to core.Target, conference bool) error {
	cc, call, sink, err := a.centerCall(id)
	if err != nil {
		return err
	}
	if to.Kind != core.TargetAgent && to.Kind != "" {
		return fmt.Errorf("%w: consult a colleague by number", core.ErrNotSupported)
	}
	if err := cc.Consult(call, a.set.Me, to.ID, conference); err != nil {
		return centerError(err)
	}
	state := core.CallConsulting
	if conference {
		state = core.CallConference
	}
	sink.Report(core.CallUpdate{PlatformCallID: id, State: state})
	return nil
}

// Consult rings a colleague while the customer hears hold music.
func (a *Adapter) Consult(ctx context.Context, id string, to core.Target) error {
	return a.consult(ctx, id, to, false)
}

// ConsultTransfer leaves the customer to the consulted colleague.
func (a *Adapter) ConsultTransfer(ctx context.Context, id string) error {
	cc, call, _, err := a.centerCall(id)
	if err != nil {
		return err
	}
	return centerError(cc.ConsultTransfer(call, a.set.Me))
}

// ConsultCancel ends the consult; the agent is back with the customer.
func (a *Adapter) ConsultCancel(ctx context.Context, id string) error {
	cc, call, sink, err := a.centerCall(id)
	if err != nil {
		return err
	}
	if err := cc.ConsultCancel(call, a.set.Me); err != nil {
		return centerError(err)
	}
	sink.Report(core.CallUpdate{PlatformCallID: id, State: core.CallTalking})
	return nil
}

// Conference adds a colleague as a third party at once.
func (a *Adapter) Conference(ctx context.Context, id string, to core.Target) error {
	return a.consult(ctx, id, to, true)
}

// ConsultConference joins the consult into a three-way call.
func (a *Adapter) ConsultConference(ctx context.Context, id string) error {
	cc, call, sink, err := a.centerCall(id)
	if err != nil {
		return err
	}
	if err := cc.ConsultConference(call, a.set.Me); err != nil {
		return centerError(err)
	}
	sink.Report(core.CallUpdate{PlatformCallID: id, State: core.CallConference})
	return nil
}

// ConferenceRetrieve drops the third party; the agent keeps the customer.
func (a *Adapter) ConferenceRetrieve(ctx context.Context, id string) error {
	return a.ConsultCancel(ctx, id)
}

// ConferenceTransfer leaves the three-way call to the other two.
func (a *Adapter) ConferenceTransfer(ctx context.Context, id string) error {
	return a.ConsultTransfer(ctx, id)
}
