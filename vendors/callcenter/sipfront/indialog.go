package sipfront

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// legFor finds the leg of an in-dialog request, by Call-ID.
func (f *Front) legFor(req *sip.Request) *leg {
	if id := req.CallID(); id != nil {
		return f.legBySIP(string(*id))
	}
	return nil
}

// onAck confirms the 2xx of an agent's INVITE.
func (f *Front) onAck(req *sip.Request, tx sip.ServerTransaction) {
	l := f.legFor(req)
	if l == nil || l.uas == nil {
		return
	}
	if err := l.uas.ReadAck(req, tx); err != nil {
		// A re-INVITE's, or a challenged INVITE's arriving late.
		f.log.Debug("sipfront: ACK outside the INVITE's answer", "sip_call", l.sipCallID)
	}
}

func (f *Front) onBye(req *sip.Request, tx sip.ServerTransaction) {
	l := f.legFor(req)
	if l == nil {
		f.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	var err error
	switch {
	case l.uac != nil:
		err = l.uac.ReadBye(req, tx)
	case l.uas != nil:
		err = l.uas.ReadBye(req, tx)
	default:
		f.respond(tx, req, 200, "OK")
	}
	if err != nil {
		f.respond(tx, req, 200, "OK")
	}
	l.remoteHangup()
}

// onReinvite: hold (sendonly, inactive, c=0.0.0.0), resume, or a new
// address.
func (f *Front) onReinvite(req *sip.Request, tx sip.ServerTransaction) {
	l := f.legFor(req)
	if l == nil {
		f.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	l.mu.Lock()
	m, up := l.media, l.state == legUp
	l.mu.Unlock()
	if !up || m == nil {
		f.respond(tx, req, 491, "Request Pending")
		return
	}
	ctx, cancel := context.WithTimeout(f.life, answerTimeout)
	defer cancel()
	body, err := m.answer(ctx, req.Body())
	if err != nil {
		f.log.Warn("sipfront: re-INVITE", "call", l.call, "err", err)
		f.respond(tx, req, 488, "Not Acceptable Here")
		return
	}
	if err := f.cc.LegHold(l.call, l.agent, m.held()); err != nil {
		f.log.Debug("sipfront: hold of a non-serving leg", "call", l.call, "agent", l.agent, "err", err)
	}
	st := f.stack()
	if st == nil {
		f.respond(tx, req, 503, "Service Unavailable")
		return
	}
	res := sip.NewSDPResponseFromRequest(req, body)
	contact := st.contact(l.transport)
	res.AppendHeader(&contact)
	if err := tx.Respond(res); err != nil {
		f.log.Debug("sipfront: re-INVITE answer", "err", err)
	}
}

// onInfo takes SIP INFO digits (application/dtmf-relay "Signal=5").
func (f *Front) onInfo(req *sip.Request, tx sip.ServerTransaction) {
	l := f.legFor(req)
	if l == nil {
		f.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	f.respond(tx, req, 200, "OK")
	if d := dtmfRelay(req.Body()); d != "" {
		if err := f.cc.DTMF(l.callID(), l.agent, d); err != nil {
			f.log.Debug("sipfront: INFO digit", "err", err)
		}
	}
}

// dtmfRelay reads the digit of an application/dtmf-relay body.
func dtmfRelay(body []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "signal") {
			v = strings.ToUpper(strings.TrimSpace(v))
			if len(v) == 1 && strings.Contains("0123456789*#ABCD", v) {
				return v
			}
		}
	}
	return ""
}

// onRefer is a blind transfer: 202, then the center re-routes the call and
// a NOTIFY reports the result; the agent then hangs up its leg.
func (f *Front) onRefer(req *sip.Request, tx sip.ServerTransaction) {
	l := f.legFor(req)
	if l == nil {
		f.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	referTo := req.GetHeader("Refer-To")
	if referTo == nil {
		f.respond(tx, req, 400, "Missing Refer-To")
		return
	}
	var to sip.Uri
	v := strings.Trim(strings.TrimSpace(referTo.Value()), "<>")
	if i := strings.IndexByte(v, '>'); i >= 0 {
		v = v[:i]
	}
	if err := sip.ParseUri(v, &to); err != nil || to.User == "" {
		f.respond(tx, req, 400, "Bad Refer-To")
		return
	}
	// An agent, a queue, ivr:FLOW, a trunk, or an outside number.
	target, err := f.cc.ResolveNumber(to.User)
	if err != nil {
		f.respond(tx, req, 404, "Not Found")
		return
	}
	l.mu.Lock()
	l.referred = true
	l.mu.Unlock()
	f.respond(tx, req, 202, "Accepted")
	f.goTracked(func() {
		f.notifyRefer(l, 100, "Trying", false)
		if err := f.cc.Transfer(l.call, l.agent, target); err != nil {
			l.mu.Lock()
			l.referred = false
			l.mu.Unlock()
			f.log.Info("sipfront: transfer refused", "call", l.call, "to", target, "err", err)
			f.notifyRefer(l, 503, "Service Unavailable", true)
			return
		}
		f.notifyRefer(l, 200, "OK", true)
	})
}

// notifyRefer sends the REFER's progress in the dialog.
func (f *Front) notifyRefer(l *leg, code int, reason string, final bool) {
	l.mu.Lock()
	remote := l.remoteTarget()
	l.mu.Unlock()
	if remote == nil {
		return
	}
	req := sip.NewRequest(sip.NOTIFY, *remote)
	req.AppendHeader(sip.NewHeader("Event", "refer"))
	state := "active;expires=60"
	if final {
		state = "terminated;reason=noresource"
	}
	req.AppendHeader(sip.NewHeader("Subscription-State", state))
	req.AppendHeader(sip.NewHeader("Content-Type", "message/sipfrag;version=2.0"))
	req.SetBody([]byte(fmt.Sprintf("SIP/2.0 %d %s\r\n", code, reason)))
	ctx, cancel := context.WithTimeout(f.life, 5*time.Second)
	defer cancel()
	var err error
	switch {
	case l.uac != nil:
		_, err = l.uac.Do(ctx, req)
	case l.uas != nil:
		_, err = l.uas.Do(ctx, req)
	}
	if err != nil {
		f.log.Debug("sipfront: NOTIFY", "call", l.call, "err", err)
	}
}

// remoteTarget is where in-dialog requests to the endpoint go: its
// Contact. Caller holds l.mu.
func (l *leg) remoteTarget() *sip.Uri {
	switch {
	case l.uac != nil && l.uac.InviteResponse != nil:
		if c := l.uac.InviteResponse.Contact(); c != nil {
			return c.Address.Clone()
		}
	case l.uas != nil:
		if c := l.uas.InviteRequest.Contact(); c != nil {
			return c.Address.Clone()
		}
	}
	return nil
}
