package emicnet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// SetAgentState sends changeStaus: 1 空闲 (ready) or 2 忙碌 (busy). The new
// state takes effect when statusChanged arrives. The platform has no break
// reasons and sets no wrap-up; signing out is Logout.
func (a *Adapter) SetAgentState(ctx context.Context, s core.AgentState) error {
	status, ok := seatOfAgentState(s)
	if !ok {
		return fmt.Errorf("%w: Emicnet seats are ready or busy (sign out to go offline), not %s", core.ErrInvalidArgument, s.Name())
	}
	return a.do(ctx, wire.CmdChangeStaus, wire.StatusData{Status: status})
}

// Dial sends call(number [, callNumType]) and returns once the result
// names the call (its ccNumber and whether the line is outside, 2, or
// internal, 3). The platform then rings the agent's own device (voip: an
// INVITE answered at once) and dials the number; the call's progress
// comes with callinResponse / calloutResponse.
//
// An encrypted number (req.NumType) is decrypted here with the account's
// key, as the SDK does: the platform gets the digits and the number as
// passed ("n", which the events echo); the agent only ever sees the
// encrypted string. A failed decryption places no call.
func (a *Adapter) Dial(ctx context.Context, req core.DialRequest) error {
	number, err := a.dialNumber(req)
	if err != nil {
		return err
	}
	a.dialMu.Lock()
	defer a.dialMu.Unlock()
	pd := &pendingDial{tag: req.Tag, shown: req.Number}
	a.mu.Lock()
	a.pending = pd
	a.mu.Unlock()
	res, err := a.command(ctx, wire.CmdCall, wire.CallData{Number: wire.FlexString(number), N: wire.FlexString(req.Number)})
	var cr wire.CallResult
	if err == nil {
		if err = wire.DecodeData(res.Data, &cr); err != nil {
			err = fmt.Errorf("%w: call: %w", ErrBadResult, err)
		} else if !wire.ValidCcNumber(string(cr.C)) {
			err = ErrDialNotAnnounced
		}
	}
	var fs followups
	a.mu.Lock()
	a.pending = nil
	if err != nil {
		if ctx.Err() != nil {
			// The engine gave up (the agent hung up while dialling): the
			// call may still come; hang it up when it is named.
			pd.abandoned = true
			a.abandoned = pd
			if pd.cc != "" {
				a.claimEarlyLocked(wire.CallinResponse, wire.CallEventData{C: wire.FlexString(pd.cc)}, &fs)
			}
		}
		a.mu.Unlock()
		a.runAside(fs)
		return err
	}
	c := string(cr.C)
	early := pd.early
	if pd.cc != "" && pd.cc != c {
		a.log.Warn("emicnet: events of another call dropped", "named", c, "early", pd.cc)
		early = nil
	}
	r := a.newRecLocked(c, directionOfCallType(cr.CallType), true, &fs)
	a.setStateLocked(r, core.CallDialing, core.CallUpdate{Tag: req.Tag, Direction: r.dir, RemoteNumber: req.Number})
	for _, e := range early {
		a.callEventLocked(e.typ, e.d, &fs)
	}
	a.mu.Unlock()
	a.runAside(fs)
	if ctx.Err() != nil {
		// Named just as the engine gave up: the agent hung up.
		a.goAside(func(ctx context.Context) { _ = a.do(ctx, wire.CmdTerminate, cc(c)) })
	}
	return nil
}

// NumTypes is the encrypted-number scheme agreed for this account (§8),
// none when the account has no key.
func (a *Adapter) NumTypes() []string {
	if a.acct.encryptKey == "" {
		return nil
	}
	return []string{wire.EncryptType}
}

// dialNumber is the number to dial: as given, or decrypted (§8).
func (a *Adapter) dialNumber(req core.DialRequest) (string, error) {
	if req.NumType == "" {
		return req.Number, nil
	}
	if req.NumType != wire.EncryptType {
		return "", &NumberError{NumType: req.NumType, Err: ErrUnknownNumType}
	}
	if a.acct.encryptKey == "" {
		return "", &NumberError{NumType: req.NumType, Err: ErrNoEncryptKey}
	}
	plain, err := wire.Decrypt([]byte(a.acct.encryptKey), req.Number)
	if err != nil {
		// The seed: call() returns the decrypted string "便于调试查找问题";
		// it goes to the log, the agent reads a sentence.
		a.log.Warn("emicnet: encrypted number not dialled", "err", err)
		return "", &NumberError{NumType: req.NumType, Err: err}
	}
	return plain, nil
}

// Answer takes a ringing call: voip answers the platform's INVITE (waiting
// up to LegWait for it); the callback and SIP phones send answerPBXCall
// (the phone elsewhere goes off hook).
func (a *Adapter) Answer(ctx context.Context, id string) error {
	r, err := a.rec(id)
	if err != nil {
		return err
	}
	if !a.voip() {
		return a.do(ctx, wire.CmdAnswerPBXCall, cc(id))
	}
	a.mu.Lock()
	r.answered = true
	ready := r.legReady
	a.mu.Unlock()
	if !waitDone(ctx, ready, a.opts.LegWait) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ErrNoAudioLeg
	}
	a.mu.Lock()
	leg := r.leg
	a.mu.Unlock()
	if leg == nil { // the leg ended meanwhile
		return ErrNoAudioLeg
	}
	if err := leg.Answer(ctx); err != nil && !errors.Is(err, phone.ErrWrongState) {
		return err
	}
	return nil
}

// Reject refuses a ringing call with terminate; the platform offers it to
// another free agent (cancelPBXCall). With the control connection down (or
// silent), a ringing leg is refused directly.
func (a *Adapter) Reject(ctx context.Context, id string) error {
	err := a.do(ctx, wire.CmdTerminate, cc(id))
	if err == nil || !unreachable(err) {
		return err
	}
	if leg := a.legOf(id); leg != nil && leg.State() == phone.Ringing {
		return leg.Reject(ctx, 486)
	}
	return err
}

// Hangup sends terminate. With the control connection down (or silent),
// the call's audio leg is hung up and the call ended here, so the agent is
// never stuck.
func (a *Adapter) Hangup(ctx context.Context, id string) error {
	err := a.do(ctx, wire.CmdTerminate, cc(id))
	if err == nil || !unreachable(err) {
		return err
	}
	leg := a.legOf(id)
	if leg == nil {
		return err
	}
	_ = leg.Hangup(ctx)
	var fs followups
	a.mu.Lock()
	if r, ok := a.calls[id]; ok {
		a.endRecLocked(r, core.EndLocalHangup, "", &fs)
	}
	a.mu.Unlock()
	a.runAside(fs)
	return nil
}

// unreachable reports a command that did not reach the platform or got no
// answer, as opposed to one it refused.
func unreachable(err error) bool {
	return errors.Is(err, core.ErrNotConnected) || errors.Is(err, core.ErrTimeout)
}

// legOf is a call's audio leg, nil when it has none.
func (a *Adapter) legOf(id string) *phone.Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r, ok := a.calls[id]; ok {
		return r.leg
	}
	return nil
}

// Hold sends hold (the customer hears music); the seed has no event for
// it, so the call is held once the platform accepted.
func (a *Adapter) Hold(ctx context.Context, id string) error {
	return a.holdCmd(ctx, id, wire.CmdHold, core.CallTalking, core.CallHeld)
}

// Resume sends unhold.
func (a *Adapter) Resume(ctx context.Context, id string) error {
	return a.holdCmd(ctx, id, wire.CmdUnhold, core.CallHeld, core.CallTalking)
}

func (a *Adapter) holdCmd(ctx context.Context, id, cmd string, from, to core.CallState) error {
	if _, err := a.rec(id); err != nil {
		return err
	}
	if err := a.do(ctx, cmd, cc(id)); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if r, ok := a.calls[id]; ok && r.state == from {
		a.setStateLocked(r, to, core.CallUpdate{})
	}
	return nil
}

// Mute silences the agent's microphone (voip: the softphone's own; the
// platform has no mute). With a phone elsewhere, mute is on that phone.
func (a *Adapter) Mute(ctx context.Context, id string, on bool) error {
	if _, err := a.rec(id); err != nil {
		return err
	}
	if !a.voip() {
		act := core.ActMute
		if !on {
			act = core.ActUnmute
		}
		return &ModeError{Action: act, Callintype: a.acct.callintype}
	}
	a.portMu.Lock()
	a.muted = on
	for p := range a.livePorts {
		p.SetMuted(on)
	}
	a.portMu.Unlock()
	return nil
}

// SendDTMF sends the digits one request per digit, in order, as the
// platform requires: voip as SIP INFO on the audio leg, the callback and
// SIP phones as sendDTMF commands. Only 0-9, * and # exist.
func (a *Adapter) SendDTMF(ctx context.Context, id, digits string) error {
	for _, d := range digits {
		if !wire.ValidDTMF(string(d)) {
			return &DTMFError{Digit: d}
		}
	}
	if _, err := a.rec(id); err != nil {
		return err
	}
	for _, d := range digits {
		var err error
		if a.voip() {
			leg := a.legOf(id)
			if leg == nil {
				return ErrNoAudioLeg
			}
			err = leg.SendDTMF(ctx, string(d))
		} else {
			err = a.do(ctx, wire.CmdSendDTMF, wire.DTMFData{C: wire.FlexString(id), DTMF: wire.FlexString(string(d))})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// TransferKinds: transferPBXCall hands the call to a member of a skill
// group (gid + extension).
func (a *Adapter) TransferKinds() []core.TargetKind { return []core.TargetKind{core.TargetAgent} }

// Transfer sends transferPBXCall(gid, number, ccNumber). Success
// (transferCallSuccess) ends the agent's part with endPBXCall; failure
// (transferCallFaild) keeps the call and says why.
func (a *Adapter) Transfer(ctx context.Context, id string, to core.Target) error {
	if to.Kind != core.TargetAgent {
		return fmt.Errorf("%w: Emicnet transfers to a group member only", core.ErrNotSupported)
	}
	a.mu.Lock()
	r, ok := a.calls[id]
	own := a.gid
	if ok {
		r.transferring = true
	}
	a.mu.Unlock()
	if !ok {
		return core.ErrNoSuchCall
	}
	gid, number := transferTarget(to, own)
	if number == "" || strings.ContainsAny(number, " /") {
		return fmt.Errorf("%w: transfer target %q", core.ErrInvalidArgument, to.ID)
	}
	res, err := a.command(ctx, wire.CmdTransferPBXCall, wire.TransferData{Gid: wire.FlexString(gid), Number: wire.FlexString(number), C: wire.FlexString(id)})
	var tr wire.TransferResult
	if err == nil {
		if err = wire.DecodeData(res.Data, &tr); err != nil {
			err = fmt.Errorf("%w: transferPBXCall: %w", ErrBadResult, err)
		} else if !tr.Succeeded() {
			var detail wire.TransferDetail
			_ = wire.DecodeData(tr.Data, &detail)
			err = &TransferError{Gid: gid, Number: number, Type: tr.Type, Detail: detail}
		}
	}
	if err != nil {
		a.mu.Lock()
		r.transferring = false
		a.mu.Unlock()
		return err
	}
	return nil
}

// waitDone waits for ch to close, at most d; false on timeout or ctx.
func waitDone(ctx context.Context, ch <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}
