package udesk

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/udesk/wire"
)

// terminal.go reads the SIP account of the agent's own terminal, which the
// platform hands out per phone mode, into the shared user agent's config:
//
//   - voip (IP话机): GetAgentTerminalInfoAsync({TerminalType: "voip"});
//     SipServer is "host:port", "sip:host:port", either with
//     ";transport=tcp". Plain SIP, RTP media.
//   - webrtc (网页电话): GetWebPhoneInfoAsync(); SipServer is the web
//     phone's SIP WebSocket URL, "wss://host[:port]/path" (ws:// on
//     loopback; a bare "host:port" is taken as wss://host:port/). SIP over
//     that WebSocket, WebRTC media (ICE, DTLS-SRTP, Opus), as the SDK's
//     own web phone (JsSIP) speaks it.
//
// Both are registered as sip:<Number>@<host> with Password, and honour
// the platform's answer-after (callback and supervisor legs answer
// themselves).

// terminalAccount is a terminal's SIP account, ready for core/phone.
type terminalAccount struct {
	cfg phone.Config
	aor string // sip:<Number>@<host>, what the agent is shown
}

// terminalAccount asks the platform for the mode's SIP account.
func (a *Adapter) terminalAccount(ctx context.Context, mode string) (terminalAccount, error) {
	var (
		term   wire.TerminalInfo
		err    error
		method = wire.MethodGetAgentTerminalInfo
	)
	switch mode {
	case wire.ModeVoip:
		err = a.query(ctx, method, wire.TerminalParams{TerminalType: wire.TerminalVoip}, &term)
	case wire.ModeWebRTC:
		method = wire.MethodGetWebPhoneInfo
		err = a.query(ctx, method, nil, &term)
	default:
		return terminalAccount{}, fmt.Errorf("%w: %s mode has no terminal here", core.ErrInvalidArgument, mode)
	}
	if err != nil {
		return terminalAccount{}, err
	}
	if strings.TrimSpace(term.SipServer) == "" || strings.TrimSpace(term.Number) == "" {
		return terminalAccount{}, fmt.Errorf("%w: %s gave none", ErrNoTerminal, method)
	}
	cfg := phone.Config{
		Password: term.Password, Register: true, HonourAnswerAfter: true,
		UserAgent: "agentbar", Logger: a.log,
	}
	var host string
	if mode == wire.ModeVoip {
		hostport, transport, err := sipTarget(term.SipServer)
		if err != nil {
			return terminalAccount{}, err
		}
		host, cfg.Transport = hostport, transport
	} else {
		u, err := webPhoneURL(term.SipServer)
		if err != nil {
			return terminalAccount{}, err
		}
		host = u.Hostname()
		cfg.Transport, cfg.WebSocketURL, cfg.Media = u.Scheme, u.String(), phone.MediaWebRTC
		cfg.ICEServers, cfg.TLSRootCAs = a.iceServers, a.opts.TLSRootCAs
	}
	acct := terminalAccount{cfg: cfg, aor: "sip:" + strings.TrimSpace(term.Number) + "@" + host}
	acct.cfg.URI = acct.aor
	return acct, nil
}

// sipTarget reads a voip SipServer: "host:port", "sip:host:port" or either
// with ";transport=tcp".
func sipTarget(server string) (hostport, transport string, err error) {
	s := strings.TrimSpace(server)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "sip:"), "sips:")
	hostport, params, _ := strings.Cut(s, ";")
	for _, p := range strings.Split(params, ";") {
		if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "transport") {
			transport = strings.ToLower(v)
		}
	}
	if hostport == "" || strings.ContainsAny(hostport, "@/ ") {
		return "", "", fmt.Errorf("%w: SipServer %q", ErrNoTerminal, server)
	}
	return hostport, transport, nil
}

// webPhoneURL reads the web phone's SipServer: its SIP WebSocket URL. A
// bare "host[:port]" is taken as wss://host[:port]/.
func webPhoneURL(server string) (*url.URL, error) {
	s := strings.TrimSpace(server)
	if !strings.Contains(s, "://") {
		s = "wss://" + s + "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("%w: web phone SipServer %q is not a ws(s):// URL", ErrNoTerminal, server)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != phone.TransportWSS && u.Scheme != phone.TransportWS {
		return nil, fmt.Errorf("%w: web phone SipServer %q is not a ws(s):// URL", ErrNoTerminal, server)
	}
	return u, nil
}
