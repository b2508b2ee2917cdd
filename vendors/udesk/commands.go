package udesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// Dial sends MakeCallAsync (Options carry the call data, e.g. BizId) and
// returns once an event names the call. A chosen caller id is set first.
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
	dialCtx, stopDial := context.WithCancel(a.life)
	forget := func(cancelled bool) {
		if cancelled {
			stopDial() // a softphone INVITE still out is CANCELled
		}
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
	a.mu.Lock()
	v := a.media
	a.mu.Unlock()
	failed := make(chan error, 1)
	if v != nil {
		// voip: the IP phone dials (WorkFlow out_direct); its INVITE is the
		// call's audio leg. The platform names the call with Originated.
		target := req.Number
		if !strings.HasPrefix(strings.ToLower(target), "sip:") {
			target = "sip:" + target + "@" + v.server
		}
		a.goAside(func(context.Context) {
			// dialCtx, not ctx: the call outlives this request. Once Dial
			// returns (answered or failed) dialCtx has no more effect.
			defer stopDial()
			if _, err := v.ph.Dial(dialCtx, target); err != nil {
				failed <- err
			}
		})
	} else {
		stopDial()
		if err := a.do(ctx, wire.MethodMakeCall, wire.MakeCallParams{Number: req.Number, Options: req.UserData}); err != nil {
			// cellphone: the platform calls the agent's mobile, then the
			// number (out_callback); Options carry the call data (BizId ...).
			forget(false)
			return err
		}
	}
	t := time.NewTimer(a.opts.RequestTimeout)
	defer t.Stop()
	select {
	case <-pd.announced:
		return nil
	case err := <-failed:
		forget(false)
		return err
	case <-t.C:
		forget(true)
		return &TimeoutError{Method: wire.MethodMakeCall, After: time.Since(started)}
	case <-ctx.Done():
		forget(true)
		return ctx.Err()
	}
}

// Answer: in voip mode the agent answers the platform's INVITE on the
// softphone (waiting briefly for it to arrive); otherwise AnswerAsync asks
// the platform to answer the agent's terminal.
func (a *Adapter) Answer(ctx context.Context, id string) error {
	r, err := a.rec(id)
	if err != nil {
		return err
	}
	a.mu.Lock()
	r.answered = true
	voip := a.media != nil
	a.mu.Unlock()
	if !voip {
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

// Mute silences the agent: in voip mode the softphone's microphone (the
// platform's MuteAsync is the web phone's only); otherwise MuteAsync /
// UnmuteAsync, which the platform may refuse with its own message.
func (a *Adapter) Mute(ctx context.Context, id string, on bool) error {
	if _, err := a.rec(id); err != nil {
		return err
	}
	a.mu.Lock()
	voip := a.media != nil
	a.mu.Unlock()
	if voip {
		a.portMu.Lock()
		a.muted = on
		for p := range a.livePorts {
			p.SetMuted(on)
		}
		a.portMu.Unlock()
		return nil
	}
	method := wire.MethodMute
	if !on {
		method = wire.MethodUnmute
	}
	return a.do(ctx, method, wire.CallParams{CallId: id})
}

func (a *Adapter) isMuted() bool {
	a.portMu.Lock()
	defer a.portMu.Unlock()
	return a.muted
}

// SendDTMF sends digits on the call's SIP leg (voip mode).
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
