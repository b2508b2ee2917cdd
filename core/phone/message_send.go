package phone

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/google/uuid"
)

// SendMessage sends a MESSAGE (RFC 3428) outside any dialog and returns the
// final response. target is a SIP URI or a number / user name, which goes
// to the account's domain as with Dial ("pbx" → sip:pbx@domain). The
// request takes the registration's way: the outbound proxy when there is
// one, the listening socket over UDP, and over WebSocket the registered
// socket itself (none open while registering is on: ErrNoConnection, the
// registration loop is already opening a new one). 401/407 challenges are
// answered with the account's credentials, twice at most, as for REGISTER.
//
// A response that is not 2xx is not an error: MessageResult.Code says what
// the server made of it. Errors: ErrNotStarted, ErrClosed,
// ErrInvalidTarget, ErrMessageTooLarge, ErrNoConnection, ErrNoResponse
// (nothing came back before ctx's deadline, which then also matches
// context.DeadlineExceeded, or within sipgo's 32 s), or ctx.Err() when ctx
// is cancelled. An empty contentType with a body is text/plain.
func (p *Phone) SendMessage(ctx context.Context, target string, contentType string, body []byte) (MessageResult, error) {
	if err := p.usable(); err != nil {
		return MessageResult{}, err
	}
	uri, err := parseTarget(target, p.cfg.aor)
	if err != nil {
		return MessageResult{}, err
	}
	if len(body) > MaxMessageBody {
		return MessageResult{}, fmt.Errorf("%w: %d bytes, at most %d", ErrMessageTooLarge, len(body), MaxMessageBody)
	}
	if strings.ContainsAny(contentType, "\r\n") {
		return MessageResult{}, fmt.Errorf("phone: MESSAGE content type %q is not one line", contentType)
	}
	if contentType == "" && len(body) > 0 {
		contentType = "text/plain;charset=UTF-8"
	}
	if err := p.registeredSocketOpen(); err != nil {
		return MessageResult{}, err
	}

	req := p.buildMessage(uri, contentType, body)
	client := p.sipClient()
	res, err := client.Do(ctx, req)
	if err != nil {
		return MessageResult{}, messageFailure(ctx, err)
	}
	for tries := 0; (res.StatusCode == 401 || res.StatusCode == 407) && tries < 2; tries++ {
		if p.cfg.Password == "" || !p.realmAccepted(res) {
			break
		}
		res, err = client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: p.cfg.authUser, Password: p.cfg.Password})
		if err != nil {
			return MessageResult{}, messageFailure(ctx, err)
		}
	}
	headers := snapshotHeaders(res)
	result := MessageResult{Code: res.StatusCode, Reason: res.Reason, Body: res.Body(), Header: headers.get}
	if ct := res.ContentType(); ct != nil {
		result.ContentType = ct.Value()
	}
	return result, nil
}

// registeredSocketOpen tells, over WebSocket with registration on, whether
// the socket the account is registered over is there: a request must not
// open another one, which the server would not know as ours.
func (p *Phone) registeredSocketOpen() error {
	if !p.cfg.overWebSocket() || !p.cfg.Register {
		return nil
	}
	peer, _, _ := p.ws.state()
	if peer == "" || !p.socketOpen(peer) {
		return fmt.Errorf("%w: the WebSocket to %s is not open", ErrNoConnection, p.cfg.wsServer)
	}
	return nil
}

// buildMessage writes an out-of-dialog MESSAGE: a Call-ID of its own, no
// Contact (RFC 3428 §4: it starts no dialog).
func (p *Phone) buildMessage(to sip.Uri, contentType string, body []byte) *sip.Request {
	aor := p.cfg.aor
	req := sip.NewRequest(sip.MESSAGE, *to.Clone())
	req.SetTransport(p.transportName())
	p.toServer(req)
	from := &sip.FromHeader{DisplayName: p.cfg.DisplayName, Address: sip.Uri{Scheme: aor.Scheme, User: aor.User, Host: aor.Host, Port: aor.Port}}
	from.Params = sip.NewParams()
	from.Params.Add("tag", sip.GenerateTagN(16))
	toHeader := &sip.ToHeader{Address: sip.Uri{Scheme: to.Scheme, User: to.User, Host: to.Host, Port: to.Port}}
	id := sip.CallIDHeader(uuid.NewString())
	req.AppendHeader(from)
	req.AppendHeader(toHeader)
	req.AppendHeader(&id)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: sip.MESSAGE})
	if route := p.outboundRoute(); route != nil {
		req.AppendHeader(route)
	}
	req.AppendHeader(sip.NewHeader("User-Agent", p.cfg.UserAgent))
	if contentType != "" {
		req.AppendHeader(sip.NewHeader("Content-Type", contentType))
	}
	req.SetBody(body)
	return req
}

// messageFailure says why SendMessage got no response.
func messageFailure(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fmt.Errorf("%w: MESSAGE: %w", ErrNoResponse, ctxErr)
		}
		return fmt.Errorf("phone: MESSAGE: %w", ctxErr)
	}
	switch {
	case errors.Is(err, sip.ErrTransactionTimeout):
		return fmt.Errorf("%w: MESSAGE: %w", ErrNoResponse, err)
	case errors.Is(err, sip.ErrUDPMTUCongestion):
		return fmt.Errorf("%w: %w", ErrMessageTooLarge, err)
	}
	return fmt.Errorf("%w: MESSAGE: %w", ErrNoConnection, err)
}
