package phone

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/google/uuid"

	"agentbar/core/media"
)

// Dial calls target: a number or user name (sent to the account's domain)
// or a SIP URI. It blocks until the call is answered (the Call is then
// Talking) or fails (a *CallError for a final SIP status, ErrCanceled,
// ErrNoCommonCodec...). The call is announced at once with
// CallStateChanged{State: Dialing}, so it can be hung up from elsewhere;
// cancelling ctx before the answer sends CANCEL too.
func (p *Phone) Dial(ctx context.Context, target string) (*Call, error) {
	return p.dial(ctx, target, nil)
}

func (p *Phone) dial(ctx context.Context, target string, extra []sip.Header) (*Call, error) {
	if err := p.usable(); err != nil {
		return nil, err
	}
	uri, err := parseTarget(target, p.cfg.aor)
	if err != nil {
		return nil, err
	}
	c := newCall(p, Outbound)
	c.id = uuid.NewString()
	c.remote = uri.String()
	if err := c.openMedia(); err != nil {
		return nil, err
	}
	var offer []byte
	if c.rtc != nil {
		// Gathers candidates (bounded): not under the lock.
		offer, err = c.rtcOffer(ctx, c.rtc, media.SendRecv)
	} else {
		c.mu.Lock()
		offer, err = c.offerLocked(media.SendRecv)
		c.mu.Unlock()
	}
	if err != nil {
		c.closeUnannounced()
		return nil, err
	}

	dialCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.dialDone = make(chan struct{})
	defer close(c.dialDone)
	c.mu.Lock()
	c.dialCancel = cancel
	c.state = Dialing
	c.mu.Unlock()
	if !p.addLiveCall(c) {
		c.closeUnannounced()
		return nil, ErrClosed
	}
	c.mu.Lock()
	p.emit(CallStateChanged{Call: c, State: Dialing})
	c.mu.Unlock()

	fromTag := sip.GenerateTagN(16)
	cseq := uint32(1)
	sessionExpires := p.cfg.SessionExpires
	var session *sipgo.DialogClientSession
	for attempt := 0; ; attempt++ {
		req := p.buildInvite(c.id, fromTag, uri, cseq, offer, sessionExpires, extra)
		session, err = p.dialogUA().WriteInvite(dialCtx, req)
		if err != nil {
			reason := dialFailure(dialCtx, err)
			c.end(reason)
			return nil, reason
		}
		c.mu.Lock()
		c.uac = session
		c.mu.Unlock()
		err = session.WaitAnswer(dialCtx, sipgo.AnswerOptions{
			Username:   p.cfg.authUser,
			Password:   p.cfg.Password,
			OnResponse: func(res *sip.Response) error { c.onDialResponse(res, fromTag); return nil },
		})
		// RFC 4028 §7.4: 422 names the smallest interval the far end takes.
		var failed *sipgo.ErrDialogResponse
		if attempt == 0 && errors.As(err, &failed) && failed.Res.StatusCode == 422 {
			if minSE, ok := parseMinSE(failed.Res); ok {
				sessionExpires = max(minSE, sessionExpires)
				cseq = req.CSeq().SeqNo + 1
				continue
			}
		}
		break
	}

	if err != nil {
		reason := dialFailure(dialCtx, err)
		// A 2xx can cross our CANCEL: confirm it and hang up at once.
		if res := session.InviteResponse; res != nil && res.IsSuccess() {
			if ackErr := session.Ack(context.Background()); ackErr == nil {
				c.mu.Lock()
				c.dlg = session
				c.mu.Unlock()
				c.bye(context.Background(), reason)
				return nil, reason
			}
		}
		c.end(reason)
		return nil, reason
	}

	if err := session.Ack(context.Background()); err != nil {
		p.log.Warn("ACK failed", "call", c.id, "error", err)
	}
	res := session.InviteResponse
	c.mu.Lock()
	c.dlg = session
	c.dialCancel = nil
	c.firstHeaders = snapshotHeaders(res)
	if c.state == Ended { // BYE or Close while we were confirming
		reason := c.endReason
		c.mu.Unlock()
		return nil, reason
	}
	if dialCtx.Err() != nil { // Hangup or Close crossed the 200
		reason := dialFailure(dialCtx, dialCtx.Err())
		c.mu.Unlock()
		c.bye(context.Background(), reason)
		return nil, reason
	}
	if err := c.takeAnswerLocked(res, media.SendRecv); err != nil {
		c.mu.Unlock()
		c.bye(context.Background(), err)
		return nil, err
	}
	c.setStateLocked(c.holdStateLocked())
	c.startSessionTimerLocked(res.GetHeader("Session-Expires"), true)
	c.mu.Unlock()
	return c, nil
}

// buildInvite writes our INVITE; a retry (422) repeats it with CSeq+1.
func (p *Phone) buildInvite(callID, fromTag string, to sip.Uri, cseq uint32, offer []byte, sessionExpires time.Duration, extra []sip.Header) *sip.Request {
	req := sip.NewRequest(sip.INVITE, *to.Clone())
	req.SetTransport(p.transportName())
	p.toServer(req)
	from := &sip.FromHeader{DisplayName: p.cfg.DisplayName, Address: sip.Uri{Scheme: p.cfg.aor.Scheme, User: p.cfg.aor.User, Host: p.cfg.aor.Host, Port: p.cfg.aor.Port}}
	from.Params = sip.NewParams()
	from.Params.Add("tag", fromTag)
	toHeader := &sip.ToHeader{Address: sip.Uri{Scheme: to.Scheme, User: to.User, Host: to.Host, Port: to.Port}}
	id := sip.CallIDHeader(callID)
	req.AppendHeader(from)
	req.AppendHeader(toHeader)
	req.AppendHeader(&id)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: cseq, MethodName: sip.INVITE})
	if route := p.outboundRoute(); route != nil {
		req.AppendHeader(route)
	}
	for _, h := range p.commonHeaders() {
		req.AppendHeader(h)
	}
	if sessionExpires > 0 {
		req.AppendHeader(sip.NewHeader("Session-Expires", strconv.Itoa(int(sessionExpires/time.Second))))
		req.AppendHeader(sip.NewHeader("Min-SE", strconv.Itoa(int(minSessionExpires/time.Second))))
	}
	for _, h := range extra {
		req.AppendHeader(h)
	}
	req.AppendHeader(sdpContentType())
	req.SetBody(offer)
	return req
}

// outboundRoute is the preloaded Route to Config.Proxy (loose routing).
func (p *Phone) outboundRoute() sip.Header {
	if p.cfg.proxy == nil {
		return nil
	}
	u := p.cfg.proxy.Clone()
	if u.UriParams == nil {
		u.UriParams = sip.NewParams()
	}
	if !u.UriParams.Has("lr") {
		u.UriParams.Add("lr", "")
	}
	return sip.NewHeader("Route", "<"+u.String()+">")
}

// onDialResponse follows our INVITE's provisional responses and registers
// the dialog on the 2xx, before anything in it (a BYE) can arrive.
func (c *Call) onDialResponse(res *sip.Response, fromTag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == Ended {
		return
	}
	switch {
	case res.IsSuccess():
		if to := res.To(); to != nil {
			if tag, ok := to.Params.Get("tag"); ok {
				c.key = dialogKey(c.id, fromTag, tag)
				c.phone.setDialogKey(c, c.key)
			}
		}
	case res.StatusCode > 100 && res.StatusCode < 200 && len(res.Body()) > 0:
		c.startEarlyMediaLocked(res.Body())
	case res.StatusCode >= 180 && res.StatusCode < 183:
		if c.state == Dialing {
			c.setStateLocked(RemoteRinging)
		}
	}
}

// startEarlyMediaLocked plays what a 183 (or 180) with SDP brings: ringback,
// announcements. We only listen: the agent's voice stays private until the
// answer.
func (c *Call) startEarlyMediaLocked(body []byte) {
	if c.rtc != nil {
		if err := c.rtcTakeAnswerLocked(body, media.RecvOnly); err != nil {
			c.phone.log.Warn("early media failed", "call", c.id, "error", err)
			return
		}
		c.setStateLocked(EarlyMedia)
		return
	}
	remote, err := parseSDP(body)
	if err != nil {
		c.phone.log.Info("ignoring early media SDP", "call", c.id, "error", err)
		return
	}
	codec, ok := chooseFromAnswer(remote, c.phone.cfg.codecs)
	if !ok {
		return
	}
	if err := c.applyMediaLocked(remote, codec, agree(media.RecvOnly, remote.dir)); err != nil {
		c.phone.log.Warn("early media failed", "call", c.id, "error", err)
		return
	}
	c.setStateLocked(EarlyMedia)
}

// dialFailure turns WaitAnswer's error into the reason the call ended.
func dialFailure(dialCtx context.Context, err error) error {
	var failed *sipgo.ErrDialogResponse
	cause := context.Cause(dialCtx)
	switch {
	case cause != nil && (errors.Is(cause, ErrCanceled) || errors.Is(cause, ErrClosed)):
		return cause
	case cause != nil:
		return fmt.Errorf("%w: %w", ErrCanceled, cause)
	case errors.As(err, &failed):
		return &CallError{Code: failed.Res.StatusCode, Reason: failed.Res.Reason, Method: "INVITE"}
	case errors.Is(err, sip.ErrTransactionTimeout):
		return &CallError{Code: 408, Reason: "Request Timeout (no response)", Method: "INVITE"}
	}
	return fmt.Errorf("%w: %w", ErrNoResponse, err)
}

// closeUnannounced releases a call that never made it to the events.
func (c *Call) closeUnannounced() {
	c.mu.Lock()
	sess, rtc := c.sess, c.rtc
	c.state = Ended
	close(c.ended)
	c.mu.Unlock()
	if sess != nil {
		sess.Close()
	}
	if rtc != nil {
		rtc.Close()
	}
}
