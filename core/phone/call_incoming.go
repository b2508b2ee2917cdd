package phone

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/core/media"
)

// onInvite takes a new call (a re-INVITE goes to onReinvite). The handler
// returns only once the INVITE has its final response: sipgo terminates the
// transaction when it returns.
func (p *Phone) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if to := req.To(); to != nil && to.Params.Has("tag") {
		p.onReinvite(req, tx)
		return
	}
	if err := p.usable(); err != nil {
		p.respond(tx, req, 480, reasonPhrase(480), nil)
		return
	}
	if req.Contact() == nil || req.From() == nil || req.CallID() == nil {
		p.respond(tx, req, 400, "Missing Contact, From or Call-ID", nil)
		return
	}
	var offer *remoteMedia
	if len(req.Body()) > 0 {
		if !hasContentType(req, "application/sdp") {
			p.respond(tx, req, 415, reasonPhrase(415), nil, sip.NewHeader("Accept", "application/sdp"))
			return
		}
		var err error
		if offer, err = p.inspectOffer(req.Body()); err != nil {
			p.rejectOffer(tx, req, err)
			return
		}
	}
	if !p.sessionIntervalAcceptable(tx, req) {
		return
	}
	p.mu.Lock()
	dnd := p.dnd
	p.mu.Unlock()
	if dnd {
		p.respond(tx, req, p.cfg.BusyCode, reasonPhrase(p.cfg.BusyCode), nil)
		p.log.Info("incoming call refused: do not disturb", "from", req.From().Address.String())
		p.emit(CallRefused{CallID: string(*req.CallID()), From: addressOnly(req.From().Address),
			Display: req.From().DisplayName, Code: p.cfg.BusyCode})
		return
	}

	headers := snapshotHeaders(req) // before sipgo adds our To tag to it
	dlg, err := p.dialogUA().ReadInvite(req, tx)
	if err != nil {
		p.respond(tx, req, 400, reasonPhrase(400), nil)
		return
	}
	c := newCall(p, Inbound)
	c.firstHeaders = headers
	c.id = string(*req.CallID())
	c.remote = addressOnly(req.From().Address)
	c.display = req.From().DisplayName
	c.uas, c.dlg, c.offer = dlg, dlg, offer
	c.offerSDP = req.Body()
	c.inviteDone = make(chan struct{})
	localTag, _ := dlg.InviteRequest.To().Params.Get("tag")
	remoteTag, _ := req.From().Params.Get("tag")
	c.key = dialogKey(c.id, localTag, remoteTag)
	if !p.addLiveCall(c) {
		p.respond(tx, req, 480, reasonPhrase(480), nil)
		return
	}
	p.setDialogKey(c, c.key)
	tx.OnCancel(func(r *sip.Request) {
		reason := cancelReason(r)
		c.mu.Lock()
		c.cancelReason = reason
		c.mu.Unlock()
	})
	if err := dlg.Respond(180, "Ringing", nil, p.commonHeaders()...); err != nil {
		c.end(ErrCallerCanceled)
		c.finishInvite()
		return
	}

	autoAfter := p.autoAnswerDelay(req)
	c.mu.Lock()
	if c.state != Ended {
		c.state = Ringing
		p.emit(IncomingCall{Call: c, From: c.remote, Display: c.display, AutoAnswerAfter: autoAfter})
		p.emit(CallStateChanged{Call: c, State: Ringing})
	}
	c.mu.Unlock()
	if autoAfter >= 0 {
		p.goTracked(func() { c.autoAnswer(autoAfter) })
	}

	select {
	case <-c.inviteDone:
	case <-dlg.Context().Done():
		// CANCEL, or the transaction died before any answer.
		c.mu.Lock()
		taken := c.answering
		reason := c.cancelReason
		c.mu.Unlock()
		if taken {
			<-c.inviteDone
			return
		}
		if reason == nil {
			reason = ErrCallerCanceled
		}
		c.end(reason)
		c.finishInvite()
	}
}

// rejectOffer answers an unusable offer: 488 when we understood it but
// share nothing, 400 when it could not be read.
func (p *Phone) rejectOffer(tx sip.ServerTransaction, req *sip.Request, err error) {
	if errors.Is(err, ErrNoCommonCodec) {
		p.respond(tx, req, 488, reasonPhrase(488), nil,
			sip.NewHeader("Warning", `305 agentbar "Incompatible media format"`))
		return
	}
	p.respond(tx, req, 400, "Bad SDP", nil)
	p.log.Info("rejected malformed SDP", "request", req.StartLine(), "error", err)
}

func hasContentType(req *sip.Request, want string) bool {
	ct := req.ContentType()
	if ct == nil {
		return false
	}
	v, _, _ := strings.Cut(ct.Value(), ";")
	return strings.EqualFold(strings.TrimSpace(v), want)
}

// addressOnly is a From/To URI without its parameters.
func addressOnly(u sip.Uri) string {
	bare := sip.Uri{Scheme: u.Scheme, User: u.User, Host: u.Host, Port: u.Port}
	return bare.String()
}

// cancelReason reads RFC 3326 "Reason: SIP;cause=200;text=Call completed
// elsewhere" from a CANCEL.
func cancelReason(r *sip.Request) error {
	h := r.GetHeader("Reason")
	if h == nil {
		return ErrCallerCanceled
	}
	v := strings.ToLower(h.Value())
	if strings.Contains(v, "cause=200") || strings.Contains(v, "completed elsewhere") {
		return ErrAnsweredElsewhere
	}
	return ErrCallerCanceled
}

// autoAnswerDelay is when an incoming call answers itself, -1 for never.
func (p *Phone) autoAnswerDelay(req *sip.Request) time.Duration {
	if p.cfg.AutoAnswer {
		return 0
	}
	if !p.cfg.HonourAnswerAfter {
		return -1
	}
	for _, h := range req.GetHeaders("Call-Info") {
		for _, param := range strings.Split(h.Value(), ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
			if strings.EqualFold(k, "answer-after") {
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 && n < 3600 {
					return time.Duration(n) * time.Second
				}
			}
		}
	}
	for _, h := range req.GetHeaders("Alert-Info") {
		v := strings.ToLower(h.Value())
		if strings.Contains(v, "alert-autoanswer") || strings.Contains(v, "auto-answer") || strings.Contains(v, "info=intercom") {
			return 0
		}
	}
	if h := req.GetHeader("Answer-Mode"); h != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Value())), "auto") {
		return 0 // RFC 5373
	}
	return -1
}

func (c *Call) autoAnswer(after time.Duration) {
	t := time.NewTimer(after)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.ended:
		return
	case <-c.inviteDone:
		return
	}
	ctx, cancel := context.WithTimeout(c.phone.life, answerTimeout)
	defer cancel()
	if err := c.Answer(ctx); err != nil && !errors.Is(err, ErrWrongState) && !errors.Is(err, ErrCallEnded) {
		c.phone.log.Warn("auto-answer failed", "call", c.id, "error", err)
	}
}

// answerTimeout bounds the wait for the caller's ACK (sipgo gives up at 64*T1 = 32 s).
const answerTimeout = 40 * time.Second

// finishInvite marks the INVITE transaction as answered for good.
func (c *Call) finishInvite() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.inviteDone:
	default:
		close(c.inviteDone)
	}
}

// takeRinging claims a ringing incoming call for Answer or Reject.
func (c *Call) takeRinging() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.direction != Inbound:
		return ErrWrongState
	case c.state == Ended:
		return ErrCallEnded
	case c.state != Ringing || c.answering:
		return ErrWrongState
	}
	c.answering = true
	return nil
}

// Answer picks up a ringing incoming call: 200 with our SDP answer. Any
// call we are talking in is put on hold first (call waiting). It returns
// once the caller confirmed (ACK) or ctx ended; the answer goes on in the
// background then, and its outcome arrives as CallStateChanged.
func (c *Call) Answer(ctx context.Context) error {
	if err := c.takeRinging(); err != nil {
		return err
	}
	result := make(chan error, 1)
	if !c.phone.goTracked(func() { result <- c.answer() }) {
		return ErrClosed
	}
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Call) answer() error {
	defer c.finishInvite()
	p := c.phone
	p.holdOthers(c)
	if err := c.openMedia(); err != nil {
		c.respondFinal(500)
		c.end(err)
		return err
	}
	var body []byte
	var err error
	if c.rtc != nil {
		// Gathering (bounded) happens here, not under the lock.
		body, err = c.rtcFirstAnswer()
	}
	c.mu.Lock()
	if c.state == Ended {
		reason := c.endReason
		c.mu.Unlock()
		return reason
	}
	if c.rtc != nil {
		if err == nil && len(c.offerSDP) > 0 {
			err = c.rtcAppliedFirstAnswerLocked()
		}
	} else if offer := c.offer; offer != nil {
		codec, _ := chooseForAnswer(offer, p.cfg.codecs, "")
		dir := agree(media.SendRecv, offer.dir)
		body, err = c.origin.next(c.localMediaLocked([]codecSpec{codec}, offer.dtmfPT, dir, offer))
		if err == nil {
			err = c.applyMediaLocked(offer, codec, dir)
		}
		c.remoteHold = holdsUs(offer.dir)
	} else {
		body, err = c.offerLocked(media.SendRecv)
	}
	if err != nil {
		c.mu.Unlock()
		c.respondFinal(500)
		c.end(err)
		return err
	}
	acks := make(chan *sip.Request, 1)
	c.ackWaiter = acks
	timerHeaders := c.acceptSessionTimerLocked(c.uas.InviteRequest)
	c.mu.Unlock()

	res := sip.NewSDPResponseFromRequest(c.uas.InviteRequest, body)
	for _, h := range append(p.commonHeaders(), timerHeaders...) {
		res.AppendHeader(h)
	}
	err = c.uas.WriteResponse(res) // returns once the ACK is in
	c.mu.Lock()
	c.ackWaiter = nil
	reason := c.cancelReason
	c.mu.Unlock()
	if err != nil {
		if c.uas.LoadState() >= sip.DialogStateEstablished {
			c.bye(context.Background(), ErrNoACK)
			return ErrNoACK
		}
		if reason == nil {
			reason = ErrCallerCanceled
		}
		c.end(reason)
		return reason
	}

	var ack *sip.Request
	select {
	case ack = <-acks:
	default:
	}
	c.mu.Lock()
	if c.state == Ended {
		reason := c.endReason
		c.mu.Unlock()
		return reason
	}
	if len(c.offerSDP) == 0 {
		// Offerless INVITE: the caller's answer came with the ACK.
		if err := c.takeAnswerLocked(ack, media.SendRecv); err != nil {
			c.mu.Unlock()
			c.bye(context.Background(), err)
			return err
		}
	}
	c.setStateLocked(c.holdStateLocked())
	c.mu.Unlock()
	return nil
}

// takeAnswerLocked applies the answer that came back for our offer (in a
// 2xx or an ACK). want is the direction we offered. c.mu is held.
func (c *Call) takeAnswerLocked(msg interface{ Body() []byte }, want media.Direction) error {
	if msg == nil || len(msg.Body()) == 0 {
		return fmt.Errorf("%w: no SDP answer", ErrMalformedSDP)
	}
	if c.rtc != nil {
		return c.rtcTakeAnswerLocked(msg.Body(), want)
	}
	answer, err := parseSDP(msg.Body())
	if err != nil {
		return err
	}
	codec, ok := chooseFromAnswer(answer, c.phone.cfg.codecs)
	if !ok {
		return ErrNoCommonCodec
	}
	if err := c.applyMediaLocked(answer, codec, agree(want, answer.dir)); err != nil {
		return err
	}
	c.remoteHold = holdsUs(answer.dir)
	return nil
}

// respondFinal sends a final failure response to the ringing INVITE.
func (c *Call) respondFinal(code int) {
	if err := c.uas.Respond(code, reasonPhrase(code), nil, sip.NewHeader("User-Agent", c.phone.cfg.UserAgent)); err != nil {
		c.phone.log.Debug("final response not sent", "call", c.id, "code", code, "error", err)
	}
}

// Reject refuses a ringing incoming call with code (4xx-6xx; 0 =
// Config.BusyCode, 486 unless set to 603).
func (c *Call) Reject(ctx context.Context, code int) error {
	if code == 0 {
		code = c.phone.cfg.BusyCode
	}
	if code < 400 || code > 699 {
		return fmt.Errorf("%w: reject code %d is not a 4xx-6xx status", ErrWrongState, code)
	}
	if err := c.takeRinging(); err != nil {
		return err
	}
	done := make(chan struct{})
	if !c.phone.goTracked(func() { defer close(done); c.rejectTaken(code, nil) }) {
		return ErrClosed
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reject is Reject for the phone's own use (Close): code and the reason
// the call ends with.
func (c *Call) reject(ctx context.Context, code int, reason error) {
	if c.takeRinging() != nil {
		return
	}
	done := make(chan struct{})
	go func() { defer close(done); c.rejectTaken(code, reason) }()
	select {
	case <-done:
	case <-ctx.Done():
		c.end(reason)
	}
}

func (c *Call) rejectTaken(code int, reason error) {
	defer c.finishInvite()
	c.respondFinal(code) // waits for the ACK of the rejection
	c.end(reason)
}

// holdOthers puts the calls we are talking in on hold before c is answered.
func (p *Phone) holdOthers(c *Call) {
	for _, o := range p.otherCalls(c) {
		if s := o.State(); s != Talking && s != RemoteHeld {
			continue
		}
		ctx, cancel := context.WithTimeout(p.life, holdTimeout)
		if err := o.Hold(ctx); err != nil {
			p.log.Warn("could not hold the other call before answering", "call", o.id, "error", err)
		}
		cancel()
	}
}

// holdTimeout bounds a hold done on the agent's behalf.
const holdTimeout = 10 * time.Second
