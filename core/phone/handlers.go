package phone

import (
	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// registerHandlers routes every request method we answer.
func (p *Phone) registerHandlers(srv *sipgo.Server) {
	srv.OnInvite(p.onInvite)
	srv.OnAck(p.onAck)
	srv.OnBye(p.onBye)
	srv.OnCancel(p.onCancel)
	srv.OnOptions(p.onOptions)
	srv.OnInfo(p.onInfo)
	srv.OnRefer(p.onRefer)
	srv.OnNotify(p.onNotify)
	srv.OnUpdate(p.onUpdate)
	if p.cfg.OnMessage != nil {
		srv.OnMessage(p.onMessage)
	}
	srv.OnNoRoute(func(req *sip.Request, tx sip.ServerTransaction) {
		p.respond(tx, req, 405, "Method Not Allowed", nil, sip.NewHeader("Allow", p.allowedMethods()))
	})
}

// onAck confirms our 2xx (initial answer or re-INVITE). ACKs of failure
// responses never get here: the transaction layer absorbs them.
func (p *Phone) onAck(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		return
	}
	c.mu.Lock()
	waiter := c.ackWaiter
	uas := c.uas
	c.mu.Unlock()
	if waiter != nil {
		select {
		case waiter <- req:
		default:
		}
	}
	if uas != nil {
		if err := uas.ReadAck(req, tx); err != nil {
			p.log.Debug("ACK not for the current INVITE", "call", c.id, "error", err)
		}
	}
}

func (p *Phone) onBye(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	c.mu.Lock()
	uac, uas := c.uac, c.uas
	reason := ErrRemoteHangup
	if c.transferred {
		reason = ErrTransferred
	}
	c.mu.Unlock()
	var err error
	switch {
	case uas != nil:
		err = uas.ReadBye(req, tx)
	case uac != nil:
		err = uac.ReadBye(req, tx)
	}
	if err != nil {
		p.respond(tx, req, 500, reasonPhrase(500), nil)
	}
	c.end(reason)
}

// onCancel gets only the CANCELs the transaction layer could not match.
func (p *Phone) onCancel(req *sip.Request, tx sip.ServerTransaction) {
	p.respond(tx, req, 481, reasonPhrase(481), nil)
}

// onOptions answers capability queries and keep-alive pings, in or out of
// a dialog.
func (p *Phone) onOptions(req *sip.Request, tx sip.ServerTransaction) {
	contact := p.currentContact()
	p.respond(tx, req, 200, "OK", nil,
		&contact,
		sip.NewHeader("Allow", p.allowedMethods()),
		sip.NewHeader("Accept", "application/sdp, application/dtmf-relay, message/sipfrag"),
		sip.NewHeader("Accept-Language", "zh-CN, en"),
		sip.NewHeader("Supported", "timer"),
		sip.NewHeader("User-Agent", p.cfg.UserAgent),
	)
}
