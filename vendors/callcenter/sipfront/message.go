package sipfront

import (
	"context"
	"fmt"

	"github.com/emiago/sipgo/sip"
)

// onMessage answers MESSAGE. An out-of-dialog one from a registered agent
// goes to Options.OnMessage: over WS/WSS the agent is whoever registered
// over that socket, over UDP and TCP the request is digest-challenged.
// Without the hook (and inside dialogs) every MESSAGE gets 200.
func (f *Front) onMessage(req *sip.Request, tx sip.ServerTransaction) {
	hook := f.opts.OnMessage
	if to := req.To(); hook == nil || to == nil || to.Params.Has("tag") {
		f.respond(tx, req, 200, "OK")
		return
	}
	from := req.From()
	if from == nil || from.Address.User == "" {
		f.respond(tx, req, 400, "Missing From user")
		return
	}
	agent := from.Address.User
	b, registered := f.binding(agent)
	if !(registered && isWebSocket(b.transport) && b.transport == transportOf(req) && b.source == req.Source()) {
		// Not the agent's registered socket: prove who it is.
		if !f.authenticate(tx, req, agent) {
			return
		}
		if _, registered = f.binding(agent); !registered {
			f.respond(tx, req, 403, "Not Registered")
			return
		}
	}
	code, contentType, body := hook(agent, req)
	if code == 0 {
		code = 200
	}
	res := sip.NewResponseFromRequest(req, code, reasonPhrase(code), nil)
	res.AppendHeader(sip.NewHeader("Server", userAgent))
	if contentType != "" {
		res.AppendHeader(sip.NewHeader("Content-Type", contentType))
	}
	res.SetBody(body)
	if err := tx.Respond(res); err != nil {
		f.log.Debug("sipfront: MESSAGE answer", "agent", agent, "err", err)
	}
}

// transportOf is a received request's transport, lower case ("udp" when
// it does not say).
func transportOf(req *sip.Request) string {
	return transportName(req.Transport())
}

// SendMessage sends the agent an out-of-dialog MESSAGE through its binding
// (over its WebSocket when it registered over one) and waits for the
// answer: ErrNotRegistered without a binding, a *StatusError (ErrRefused)
// for a final answer other than 2xx.
func (f *Front) SendMessage(ctx context.Context, agentID, contentType string, body []byte) error {
	b, ok := f.binding(agentID)
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotRegistered, agentID)
	}
	return f.sendMessage(ctx, b, contentType, body)
}

// sendMessage sends a MESSAGE to a binding, with extra headers.
func (f *Front) sendMessage(ctx context.Context, b *binding, contentType string, body []byte, extra ...sip.Header) error {
	st := f.stack()
	if st == nil {
		return ErrClosed
	}
	req := sip.NewRequest(sip.MESSAGE, *b.contact.Clone())
	b.route(req)
	from := &sip.FromHeader{DisplayName: "呼叫中心", Address: sip.Uri{Scheme: "sip", User: "callcenter", Host: st.host.String(), Port: st.port}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(12))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: b.agent, Host: st.host.String(), Port: st.port}})
	for _, h := range extra {
		req.AppendHeader(h)
	}
	if contentType != "" {
		req.AppendHeader(sip.NewHeader("Content-Type", contentType))
	}
	req.SetBody(body)
	res, err := st.client(b.transport).Do(ctx, req)
	if err != nil {
		return fmt.Errorf("sipfront: MESSAGE to %s: %w", b.agent, err)
	}
	if !res.IsSuccess() {
		return &StatusError{Method: "MESSAGE", Code: res.StatusCode, Reason: res.Reason}
	}
	return nil
}
