package sipfront

import (
	"context"
	"errors"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/google/uuid"

	"agentbar/vendors/callcenter"
)

// ring sends the center's offer to the agent's registered endpoint and
// reports the outcome to the center.
func (f *Front) ring(ev callcenter.LegOffer) {
	b, ok := f.binding(ev.Agent)
	st := f.stack()
	if !ok || st == nil {
		f.legFailed(ev, callcenter.FailUnreachable, ErrNotRegistered)
		return
	}
	l := newLeg(f, ev.Call.ID, ev.Agent, uuid.NewString(), b.transport, b.source)
	// An agent registered over a WebSocket is a browser-style endpoint:
	// it gets a WebRTC offer.
	if err := l.openMedia(isWebSocket(b.transport)); err != nil {
		f.legFailed(ev, callcenter.FailUnreachable, err)
		return
	}
	ringing, cancel := context.WithCancelCause(f.life)
	defer cancel(nil)
	ctx, stop := context.WithTimeout(ringing, ringTimeoutCap)
	defer stop()
	l.mu.Lock()
	l.ringCancel = cancel
	l.mu.Unlock()
	if !f.addLeg(l) {
		l.end()
		return
	}
	offerCtx, offerDone := context.WithTimeout(ctx, answerTimeout)
	body, err := l.getMedia().offer(offerCtx)
	offerDone()
	if err != nil {
		l.end()
		f.legFailed(ev, callcenter.FailUnreachable, err)
		return
	}
	req := f.buildOffer(st, b, ev, l, body)
	uac, err := st.dialogUA(b.transport).WriteInvite(ctx, req)
	if err != nil {
		l.end()
		f.legFailed(ev, callcenter.FailUnreachable, err)
		return
	}
	l.mu.Lock()
	l.uac = uac
	l.mu.Unlock()
	err = uac.WaitAnswer(ctx, sipgo.AnswerOptions{})
	if err != nil {
		l.mu.Lock()
		gone := l.socketGone
		l.mu.Unlock()
		// Read before end, which cancels the ring context.
		withdrawn := ctx.Err() != nil && f.life.Err() == nil && !errors.Is(ctx.Err(), context.DeadlineExceeded)
		l.end()
		switch {
		case gone:
			f.legFailed(ev, callcenter.FailUnreachable, ErrSocketLost)
		case withdrawn:
			// The center took the offer back: it knows.
		default:
			f.legFailed(ev, failureOf(err), err)
		}
		return
	}
	if err := uac.Ack(context.Background()); err != nil {
		f.log.Debug("sipfront: ACK", "call", ev.Call.ID, "err", err)
	}
	err = l.getMedia().accept(uac.InviteResponse.Body())
	if err == nil {
		err = l.startMedia()
	}
	if err != nil || !l.setUp() {
		f.log.Warn("sipfront: answered leg unusable", "call", ev.Call.ID, "agent", ev.Agent, "err", err)
		l.mu.Lock()
		l.state = legUp
		l.mu.Unlock()
		l.hangup("media failed")
		_ = f.cc.LegFailed(ev.Call.ID, ev.Agent, callcenter.FailRejected)
		return
	}
	if err := f.cc.LegAnswered(ev.Call.ID, ev.Agent); err != nil {
		// The center moved on while the endpoint answered (ring timeout,
		// the customer gave up): hang up again.
		f.log.Info("sipfront: answered too late", "call", ev.Call.ID, "agent", ev.Agent, "err", err)
		l.hangup("answered too late")
	}
}

// buildOffer writes the INVITE to an agent's contact.
func (f *Front) buildOffer(st *stack, b *binding, ev callcenter.LegOffer, l *leg, body []byte) *sip.Request {
	req := sip.NewRequest(sip.INVITE, *b.contact.Clone())
	b.route(req)
	fromUser := ev.From
	if fromUser == "" {
		fromUser = "anonymous"
	}
	from := &sip.FromHeader{DisplayName: ev.FromName, Address: sip.Uri{Scheme: "sip", User: fromUser, Host: st.host.String(), Port: st.port}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(16))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: ev.Agent, Host: st.host.String(), Port: st.port}})
	callID := sip.CallIDHeader(l.sipCallID)
	req.AppendHeader(&callID)
	contact := st.contact(b.transport)
	req.AppendHeader(&contact)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.AppendHeader(sip.NewHeader("Allow", allowed))
	req.AppendHeader(sip.NewHeader("User-Agent", userAgent))
	req.AppendHeader(sip.NewHeader("X-Callcenter-Call", string(ev.Call.ID)))
	req.AppendHeader(sip.NewHeader("X-Callcenter-Role", string(ev.Role)))
	if ev.Call.Queue != "" {
		req.AppendHeader(sip.NewHeader("X-Callcenter-Queue", ev.Call.Queue))
	}
	if ev.AutoAnswer {
		req.AppendHeader(sip.NewHeader("Call-Info", "<sip:"+st.host.String()+">;answer-after=0"))
	}
	if f.opts.OfferHeaders != nil {
		for _, h := range f.opts.OfferHeaders(ev) {
			if h != nil {
				req.AppendHeader(h)
			}
		}
	}
	req.SetBody(body)
	return req
}

// failureOf maps an INVITE's failure to what the center understands.
func failureOf(err error) callcenter.Failure {
	var de *sipgo.ErrDialogResponse
	if errors.As(err, &de) {
		switch de.Res.StatusCode {
		case 486, 600:
			return callcenter.FailBusy
		case 408, 480, 487:
			return callcenter.FailNoAnswer
		case 404, 410, 503:
			return callcenter.FailUnreachable
		}
		return callcenter.FailRejected
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return callcenter.FailNoAnswer
	}
	return callcenter.FailUnreachable
}

func (f *Front) legFailed(ev callcenter.LegOffer, why callcenter.Failure, err error) {
	f.log.Info("sipfront: leg failed", "call", ev.Call.ID, "agent", ev.Agent, "why", why, "err", err)
	if err := f.cc.LegFailed(ev.Call.ID, ev.Agent, why); err != nil {
		f.log.Debug("sipfront: leg failure after the center moved on", "err", err)
	}
}
