package sipfront

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
)

// onInvite takes an agent's call (or a re-INVITE in one of its dialogs).
// The handler returns once the INVITE has its final answer and, for a 2xx,
// its ACK: sipgo ends the transaction when it returns.
func (f *Front) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if to := req.To(); to != nil && to.Params.Has("tag") {
		f.onReinvite(req, tx)
		return
	}
	from, callID := req.From(), req.CallID()
	if from == nil || callID == nil || req.Contact() == nil || from.Address.User == "" {
		f.respond(tx, req, 400, "Missing From, Call-ID or Contact")
		return
	}
	agent := from.Address.User
	if !f.authenticate(tx, req, agent) {
		return
	}
	webRTC, err := classifyOffer(req.Body())
	if err != nil {
		code, reason := 400, "Bad SDP"
		if errors.Is(err, ErrNoCodec) {
			code, reason = 488, "Not Acceptable Here"
		}
		f.respond(tx, req, code, reason)
		return
	}
	target := strings.TrimSpace(req.Recipient.User)
	if target == "" {
		f.respond(tx, req, 404, "Not Found")
		return
	}
	st := f.stack()
	if st == nil {
		f.respond(tx, req, 503, "Service Unavailable")
		return
	}
	transport := transportOf(req)
	dlg, err := st.dialogUA(transport).ReadInvite(req, tx)
	if err != nil {
		f.respond(tx, req, 400, "Bad Request")
		return
	}
	l := newLeg(f, "", agent, string(*callID), transport, req.Source())
	l.inbound, l.uas, l.offerSDP, l.webRTC = true, dlg, req.Body(), webRTC
	if !f.addLeg(l) {
		_ = dlg.Respond(503, "Service Unavailable", nil)
		return
	}
	ci, err := f.cc.Dial(agent, target)
	if err != nil {
		l.end()
		code, reason := 403, "Forbidden"
		if errors.Is(err, callcenter.ErrAgentBusy) {
			code, reason = 486, "Busy Here"
		}
		_ = dlg.Respond(code, reason, nil)
		return
	}
	f.mu.Lock()
	l.call = ci.ID
	f.mu.Unlock()
	if err := dlg.Respond(180, "Ringing", nil); err != nil {
		f.log.Debug("sipfront: 180", "err", err)
	}
	select {
	case <-l.answer:
		f.answerInbound(l, dlg)
	case status := <-l.fail:
		l.end()
		_ = dlg.Respond(status, reasonPhrase(status), nil)
	case <-dlg.Context().Done():
		// The agent gave up (CANCEL).
		l.end()
		if err := f.cc.DialHangup(ci.ID, agent); err != nil {
			f.log.Debug("sipfront: cancel after the center moved on", "err", err)
		}
	case <-l.lost:
		// The agent's WebSocket closed: nobody is left to answer.
		l.end()
		if err := f.cc.DialHangup(ci.ID, agent); err != nil {
			f.log.Debug("sipfront: socket lost after the center moved on", "err", err)
		}
	case <-f.life.Done():
		l.end()
		_ = dlg.Respond(503, "Service Unavailable", nil)
	}
}

// answerInbound answers the agent's INVITE with our SDP and starts media;
// it returns once the agent's ACK arrived.
func (f *Front) answerInbound(l *leg, dlg interface {
	RespondSDP([]byte) error
}) {
	fail := func(err error) {
		f.log.Warn("sipfront: answering the agent's call", "call", l.call, "agent", l.agent, "err", err)
		l.end()
		_ = f.cc.LegHangup(l.call, l.agent)
	}
	if err := l.openMedia(l.webRTC); err != nil {
		fail(err)
		return
	}
	ctx, cancel := context.WithTimeout(f.life, answerTimeout)
	defer cancel()
	answer, err := l.getMedia().answer(ctx, l.offerSDP)
	if err != nil {
		fail(err)
		return
	}
	if err := l.startMedia(); err != nil {
		fail(err)
		return
	}
	l.setUp()
	if err := dlg.RespondSDP(answer); err != nil {
		fail(err)
	}
}

// answerTimeout bounds making an SDP answer (WebRTC gathers candidates).
const answerTimeout = 5 * time.Second

func reasonPhrase(code int) string {
	switch code {
	case 404:
		return "Not Found"
	case 408:
		return "Request Timeout"
	case 480:
		return "Temporarily Unavailable"
	case 486:
		return "Busy Here"
	case 487:
		return "Request Terminated"
	case 488:
		return "Not Acceptable Here"
	case 503:
		return "Service Unavailable"
	case 603:
		return "Decline"
	}
	return "Call Failed"
}
