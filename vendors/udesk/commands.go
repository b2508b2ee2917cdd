package udesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/udesk/wire"
)

// SetAgentState: idle, busy, onBreak (with a sub-state) or offline. The new
// state takes effect when AgentStateChanged arrives.
func (a *Adapter) SetAgentState(ctx context.Context, s core.AgentState) error {
	p, ok := agentStateToWire(s)
	if !ok {
		return fmt.Errorf("%w: the platform sets wrap-up itself", core.ErrInvalidArgument)
	}
	return a.do(ctx, wire.MethodSetAgentState, p)
}

// Dial sends MakeCallAsync with the call data as Options (BizId ...) and
// returns once an event names the call. A chosen caller id is set first.
// Every mode dials this way (WorkFlow out_callback): the platform rings the
// agent's own terminal first (the softphone answers that leg by itself, the
// mobile is picked up), then the number.
func (a *Adapter) Dial(ctx context.Context, req core.DialRequest) error {
	if req.CallerID != "" {
		if err := a.SetCallerID(ctx, req.CallerID); err != nil {
			return err
		}
	}
	a.dialMu.Lock()
	defer a.dialMu.Unlock()
	pd := &pendingDial{tag: req.Tag, number: req.Number, announced: make(chan struct{})}
	a.mu.Lock()
	a.pending = pd
	a.mu.Unlock()
	forget := func(cancelled bool) {
		a.mu.Lock()
		defer a.mu.Unlock()
		switch {
		case a.pending != pd:
		case cancelled:
			pd.cancelled = true // hang the call up when an event names it
		default:
			a.pending = nil
		}
	}
	started := time.Now()
	if err := a.do(ctx, wire.MethodMakeCall, wire.MakeCallParams{Number: req.Number, Options: req.UserData}); err != nil {
		forget(false)
		return err
	}
	t := time.NewTimer(a.opts.RequestTimeout)
	defer t.Stop()
	select {
	case <-pd.announced:
		return nil
	case <-t.C:
		forget(true)
		return &TimeoutError{Method: wire.MethodMakeCall, After: time.Since(started)}
	case <-ctx.Done():
		forget(true)
		return ctx.Err()
	}
}

// Answer: with a softphone (voip, webrtc) the agent answers the platform's
// INVITE, waiting briefly for it to arrive, as the SDK's web phone answers
// its own session; in cellphone mode AnswerAsync asks the platform to take
// the mobile off hook.
func (a *Adapter) Answer(ctx context.Context, id string) error {
	r, err := a.rec(id)
	if err != nil {
		return err
	}
	a.mu.Lock()
	r.answered = true
	here := a.media != nil
	a.mu.Unlock()
	if !here {
		return a.do(ctx, wire.MethodAnswer, nil)
	}
	t := time.NewTimer(a.opts.LegWait)
	defer t.Stop()
	select {
	case <-r.legReady:
	case <-t.C:
		return ErrNoAudioLeg
	case <-ctx.Done():
		return ctx.Err()
	}
	a.mu.Lock()
	leg := r.leg
	a.mu.Unlock()
	if leg == nil { // the leg ended (or the softphone stopped) meanwhile
		return ErrNoAudioLeg
	}
	if err := leg.Answer(ctx); err != nil && !errors.Is(err, phone.ErrWrongState) {
		return err
	}
	return nil
}

// Hangup sends HangupAsync; the platform releases the SIP leg. With the
// socket down, the SIP leg is hung up directly so the agent is never stuck.
func (a *Adapter) Hangup(ctx context.Context, id string) error {
	err := a.do(ctx, wire.MethodHangup, wire.CallParams{CallId: id})
	if err == nil || !errors.Is(err, core.ErrNotConnected) {
		return err
	}
	a.mu.Lock()
	var leg *phone.Call
	if r, ok := a.calls[id]; ok {
		leg = r.leg
	}
	a.mu.Unlock()
	if leg == nil {
		return err
	}
	return leg.Hangup(ctx)
}

// Hold sends HoldAsync.
func (a *Adapter) Hold(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodHold, wire.CallParams{CallId: id})
}

// Resume sends RecoveryAsync.
func (a *Adapter) Resume(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodRecovery, wire.CallParams{CallId: id})
}

// Mute silences the agent. voip: the IP phone's own microphone (the
// platform's MuteAsync is the web phone's only). webrtc: MuteAsync /
// UnmuteAsync (the platform's record and permission), then the web phone's
// microphone, which is here. cellphone: MuteAsync, which the platform
// refuses with its own message ("只有在网页电话模式下才有此功能").
func (a *Adapter) Mute(ctx context.Context, id string, on bool) error {
	if _, err := a.rec(id); err != nil {
		return err
	}
	local := a.softphoneMode()
	if local != wire.ModeVoip {
		method := wire.MethodMute
		if !on {
			method = wire.MethodUnmute
		}
		if err := a.do(ctx, method, wire.CallParams{CallId: id}); err != nil {
			return err
		}
	}
	if local != "" {
		a.muteMicrophone(on)
	}
	return nil
}

// SendDTMF sends digits on the call's SIP leg (voip and webrtc modes:
// RFC 4733, or SIP INFO when the platform did not negotiate events).
func (a *Adapter) SendDTMF(ctx context.Context, id, digits string) error {
	r, err := a.rec(id)
	if err != nil {
		return err
	}
	a.mu.Lock()
	leg, mode := r.leg, a.curModeLocked()
	a.mu.Unlock()
	if leg == nil {
		return &ModeError{Action: core.ActDTMF, Mode: mode}
	}
	return leg.SendDTMF(ctx, digits)
}

// TransferKinds: TransferAsync to an agent or an outside number,
// TransferQueueAsync, TransferIvrAsync.
func (a *Adapter) TransferKinds() []core.TargetKind {
	return []core.TargetKind{core.TargetAgent, core.TargetNumber, core.TargetQueue, core.TargetIVR}
}

// Transfer hands the call on blind; Transferred ends the agent's part.
func (a *Adapter) Transfer(ctx context.Context, id string, to core.Target) error {
	method, params := transferRequest(id, to)
	return a.do(ctx, method, params)
}

// Consult sends ConsultationAsync to an agent (AgentId) or an outside line
// (AgentPhone, 咨询外线).
func (a *Adapter) Consult(ctx context.Context, id string, to core.Target) error {
	if err := a.do(ctx, wire.MethodConsultation, partyParams(id, to)); err != nil {
		return err
	}
	a.mu.Lock()
	a.consulted[id] = to
	a.mu.Unlock()
	return nil
}

// ConsultTransfer sends ConsultationToTransferAsync naming the consulted agent.
func (a *Adapter) ConsultTransfer(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodConsultationToTransfer, partyParams(id, a.consultee(id)))
}

// ConsultCancel sends EndConsultationAsync (咨询取回).
func (a *Adapter) ConsultCancel(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodEndConsultation, wire.CallParams{CallId: id})
}

// Conference sends ThreewayAsync to an agent or an outside line (三方外线).
func (a *Adapter) Conference(ctx context.Context, id string, to core.Target) error {
	if to.Kind == "" {
		to.Kind = core.TargetAgent
	}
	return a.do(ctx, wire.MethodThreeway, partyParams(id, to))
}

// ConsultConference sends ConsultationToThreeWayAsync (咨询后三方).
func (a *Adapter) ConsultConference(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodConsultationToThreeWay, wire.CallParams{CallId: id})
}

// ConferenceRetrieve sends RetrieveAfterThreeWayAsync (三方取回).
func (a *Adapter) ConferenceRetrieve(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodRetrieveAfterThreeWay, wire.CallParams{CallId: id})
}

// ConferenceTransfer sends TransferAfterThreeWayAsync (三方后转接).
func (a *Adapter) ConferenceTransfer(ctx context.Context, id string) error {
	return a.do(ctx, wire.MethodTransferAfterThreeWay, wire.CallParams{CallId: id})
}

// consultee is the party a call consulted, for ConsultationToTransferAsync.
func (a *Adapter) consultee(id string) core.Target {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.consulted[id]
}
