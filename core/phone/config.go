package phone

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/audio"
	"agentbar/core/webrtc"
)

// Transports this user agent speaks.
const (
	TransportUDP = "udp"
	TransportTCP = "tcp"
	TransportTLS = "tls"
	TransportWS  = "ws"  // SIP over WebSocket (RFC 7118), as JsSIP speaks it
	TransportWSS = "wss" // SIP over secure WebSocket
)

// Media modes of an account: how its calls carry audio.
const (
	MediaRTP    = "rtp"    // plain RTP/AVP over UDP (core/media)
	MediaWebRTC = "webrtc" // ICE + DTLS-SRTP + Opus, as browsers do (core/webrtc)
)

// DTMF modes of an account.
const (
	DTMFRFC4733 = "rfc4733" // telephone-event RTP packets (falls back to INFO when the peer did not negotiate them)
	DTMFInfo    = "info"    // SIP INFO, application/dtmf-relay
)

// Config is one SIP account and how its calls get audio.
type Config struct {
	URI         string // address of record, e.g. sip:1001@pbx.example.com
	DisplayName string
	AuthUser    string // digest user name; empty = the URI's user
	Password    string
	Realm       string // when set, only challenges from this realm are answered

	Register bool          // keep a registration alive with the registrar of URI (or Proxy)
	Expiry   time.Duration // registration expiry asked for; 0 = 600 s. Refreshed at 75 % of what is granted.

	Transport  string         // udp (default), tcp, tls, ws or wss
	Proxy      string         // outbound proxy URI (sip:host:port), optional: every request is routed through it
	TLSRootCAs *x509.CertPool // nil = the system pool. The server certificate is always verified (TLS and WSS).

	// WebSocketURL is the server's SIP WebSocket for ws and wss, e.g.
	// wss://sip.example.com:7443/ws. With Transport "" its scheme picks the
	// transport; without it the URL is ws(s)://<proxy or domain>[:port]/.
	WebSocketURL string
	// KeepAlive is the period of the CRLF keep-alive on a WebSocket (RFC
	// 5626 §4.4.1; WebSocket pings with a payload break some stacks); 0 =
	// 25 s. A server that answers them (CRLF) and then stops is taken as
	// gone and the socket is opened again.
	KeepAlive time.Duration

	// Media is how calls carry audio: MediaRTP (default) or MediaWebRTC.
	Media string
	// ICEServers are the STUN and TURN servers of WebRTC calls.
	ICEServers []webrtc.ICEServer

	LocalIP    net.IP // address for Via, Contact and SDP; nil = the address of the route to the server
	ListenPort int    // SIP port; 0 = pick a free one

	RTPPortMin, RTPPortMax int // RTP port range; 0 = any

	Codecs   []string // order of preference; nil = PCMU, PCMA (rtp), opus, PCMU, PCMA (webrtc)
	DTMFMode string   // DTMFRFC4733 (default) or DTMFInfo

	AutoAnswer        bool // answer every incoming call at once (intercom, test rigs)
	HonourAnswerAfter bool // auto-answer when the INVITE asks for it (Call-Info answer-after=N, Alert-Info alert-autoanswer)
	BusyCode          int  // 486 (default) or 603: the answer when Do Not Disturb is on and for Reject(0)

	// SessionExpires is the session-timer interval (RFC 4028) we ask for on
	// outgoing calls; 0 = do not ask (the peer's request is still honoured).
	SessionExpires time.Duration

	UserAgent string // User-Agent header; "" = "agentbar"
	Logger    *slog.Logger

	// RegisterHeaders are extra header fields on every REGISTER: the first,
	// its digest retry, refreshes, re-registrations after a new socket or a
	// network change, and the unregister (Expires: 0) too. Names are
	// tokens (e.g. "X-Emic-Gid"), values single lines; the headers this
	// user agent writes itself (Via, From, To, Contact, Expires,
	// Authorization...) cannot be replaced. They go out sorted by name.
	RegisterHeaders map[string]string

	// OnMessage takes the MESSAGE requests (RFC 3428) that reach this
	// phone, over any transport (over WebSocket: on the phone's own
	// socket), one at a time and in the order they were read; its result
	// is the status answered (200, 400, 415...; anything outside 200-699
	// is answered 500). nil = MESSAGE is refused with 405, as before.
	// Keep it quick: while it runs, the next MESSAGE waits and the sender's
	// transaction runs on (32 s at most). Queue the work; do not call
	// Close from it. Bodies above MaxMessageBody are answered 413 without
	// calling it, a MESSAGE inside a dialog we do not have 481, and more
	// than 256 waiting 503 (a flood).
	OnMessage func(m Message) int

	// NewPort gives a call its audio once its codec is known. nil = calls run
	// without audio devices (silence is sent, what arrives is dropped).
	NewPort func(codecRate int) (audio.Port, error)
}

// settings is a validated Config with its parsed parts.
type settings struct {
	Config
	aor      sip.Uri
	proxy    *sip.Uri
	codecs   []codecSpec
	authUser string
	// wsURL is the parsed WebSocketURL (ws and wss only), wsServer its
	// host:port (the destination of every request).
	wsURL    *url.URL
	wsServer string
	// registerHeaders is RegisterHeaders checked and sorted by name.
	registerHeaders []headerField
}

// minimumExpiry keeps a misconfigured account from hammering its registrar.
const minimumExpiry = 2 * time.Second

func (c Config) validate() (*settings, error) {
	s := &settings{Config: c}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.UserAgent == "" {
		s.UserAgent = "agentbar"
	}
	uri := strings.TrimSpace(c.URI)
	if !strings.HasPrefix(strings.ToLower(uri), "sip:") && !strings.HasPrefix(strings.ToLower(uri), "sips:") {
		uri = "sip:" + uri
	}
	if err := sip.ParseUri(uri, &s.aor); err != nil || s.aor.Host == "" || s.aor.User == "" {
		return nil, fmt.Errorf("%w: account URI %q needs a user and a host", ErrInvalidConfig, c.URI)
	}
	s.authUser = c.AuthUser
	if s.authUser == "" {
		s.authUser = s.aor.User
	}
	if c.Proxy != "" {
		p := strings.TrimSpace(c.Proxy)
		if !strings.Contains(p, ":") || !(strings.HasPrefix(strings.ToLower(p), "sip:") || strings.HasPrefix(strings.ToLower(p), "sips:")) {
			p = "sip:" + p
		}
		var u sip.Uri
		if err := sip.ParseUri(p, &u); err != nil || u.Host == "" {
			return nil, fmt.Errorf("%w: proxy %q is not a SIP URI", ErrInvalidConfig, c.Proxy)
		}
		s.proxy = &u
	}
	transport := strings.ToLower(c.Transport)
	if transport == "" && c.WebSocketURL != "" {
		transport, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(c.WebSocketURL)), ":")
	}
	switch transport {
	case "", TransportUDP:
		s.Transport = TransportUDP
	case TransportTCP, TransportTLS:
		s.Transport = transport
	case TransportWS, TransportWSS:
		s.Transport = transport
		if err := s.parseWebSocketURL(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: unknown transport %q", ErrInvalidConfig, c.Transport)
	}
	if c.WebSocketURL != "" && !s.overWebSocket() {
		return nil, fmt.Errorf("%w: a WebSocket URL with transport %s", ErrInvalidConfig, s.Transport)
	}
	if c.KeepAlive < 0 {
		return nil, fmt.Errorf("%w: keep-alive %v", ErrInvalidConfig, c.KeepAlive)
	}
	if s.KeepAlive == 0 {
		s.KeepAlive = defaultKeepAlive
	}
	switch strings.ToLower(c.Media) {
	case "", MediaRTP:
		s.Media = MediaRTP
		if len(c.ICEServers) > 0 {
			return nil, fmt.Errorf("%w: STUN/TURN servers are for WebRTC media", ErrInvalidConfig)
		}
	case MediaWebRTC:
		s.Media = MediaWebRTC
		if s.Transport == TransportUDP {
			// RFC 3261 §18.1.1: a request above 1300 bytes goes over a
			// congestion-controlled transport, and sipgo refuses it on UDP.
			return nil, fmt.Errorf("%w: WebRTC media needs tcp, tls, ws or wss: its SDP does not fit a UDP datagram", ErrInvalidConfig)
		}
	default:
		return nil, fmt.Errorf("%w: media %q (want rtp or webrtc)", ErrInvalidConfig, c.Media)
	}
	if s.Expiry == 0 {
		s.Expiry = 600 * time.Second
	}
	if s.Expiry < minimumExpiry {
		return nil, fmt.Errorf("%w: registration expiry %v is below %v", ErrInvalidConfig, s.Expiry, minimumExpiry)
	}
	switch s.BusyCode {
	case 0:
		s.BusyCode = 486
	case 486, 603, 600, 480:
	default:
		return nil, fmt.Errorf("%w: busy code %d (want 486 or 603)", ErrInvalidConfig, s.BusyCode)
	}
	switch strings.ToLower(s.DTMFMode) {
	case "", DTMFRFC4733:
		s.DTMFMode = DTMFRFC4733
	case DTMFInfo:
		s.DTMFMode = DTMFInfo
	default:
		return nil, fmt.Errorf("%w: DTMF mode %q (want rfc4733 or info)", ErrInvalidConfig, c.DTMFMode)
	}
	if c.LocalIP != nil && c.LocalIP.To4() == nil {
		return nil, fmt.Errorf("%w: local IP %v: only IPv4 is supported", ErrInvalidConfig, c.LocalIP)
	}
	if c.ListenPort < 0 || c.ListenPort > 65535 {
		return nil, fmt.Errorf("%w: listen port %d", ErrInvalidConfig, c.ListenPort)
	}
	if c.RTPPortMin < 0 || c.RTPPortMax > 65535 || c.RTPPortMin > c.RTPPortMax {
		return nil, fmt.Errorf("%w: RTP port range %d-%d", ErrInvalidConfig, c.RTPPortMin, c.RTPPortMax)
	}
	if s.SessionExpires != 0 && s.SessionExpires < minSessionExpires {
		return nil, fmt.Errorf("%w: session expires %v is below the RFC 4028 minimum %v", ErrInvalidConfig, s.SessionExpires, minSessionExpires)
	}
	var err error
	if s.registerHeaders, err = checkRegisterHeaders(c.RegisterHeaders); err != nil {
		return nil, err
	}
	s.RegisterHeaders = nil // the copy above is what is used: the caller's map may change
	if s.Media == MediaWebRTC {
		// The WebRTC session checks its own codecs (opus, PCMU, PCMA).
		if err := s.rtcConfig(nil).Validate(); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
		return s, nil
	}
	names := c.Codecs
	if len(names) == 0 {
		names = []string{"PCMU", "PCMA"}
	}
	for _, n := range names {
		spec, ok := codecByName(n)
		if !ok {
			return nil, fmt.Errorf("%w: codec %q has no static RTP payload type", ErrInvalidConfig, n)
		}
		if _, err := audio.CodecByName(spec.name); err != nil {
			return nil, fmt.Errorf("%w: codec %q: %w", ErrInvalidConfig, n, err)
		}
		s.codecs = append(s.codecs, spec)
	}
	return s, nil
}

// defaultKeepAlive is the CRLF keep-alive period on a WebSocket: below the
// 30 s idle timeouts some proxies and NATs have.
const defaultKeepAlive = 25 * time.Second

func (s *settings) overWebSocket() bool {
	return s.Transport == TransportWS || s.Transport == TransportWSS
}

// parseWebSocketURL checks WebSocketURL, or builds it from the proxy or the
// account's domain, and keeps the server's host:port.
func (s *settings) parseWebSocketURL() error {
	raw := strings.TrimSpace(s.WebSocketURL)
	if raw == "" {
		host, port := s.aor.Host, s.aor.Port
		if s.proxy != nil {
			host, port = s.proxy.Host, s.proxy.Port
		}
		hostport := host
		if port != 0 {
			hostport = net.JoinHostPort(host, fmt.Sprint(port))
		}
		raw = s.Transport + "://" + hostport + "/"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: WebSocket URL %q", ErrInvalidConfig, s.WebSocketURL)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != s.Transport {
		return fmt.Errorf("%w: WebSocket URL %q with transport %s", ErrInvalidConfig, raw, s.Transport)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == TransportWSS {
			port = "443"
		}
	}
	s.wsURL = u
	s.wsServer = net.JoinHostPort(u.Hostname(), port)
	return nil
}

// rtcConfig is the WebRTC session configuration of a call.
func (s *settings) rtcConfig(log *slog.Logger) webrtc.Config {
	return webrtc.Config{
		LocalIP:    s.LocalIP,
		PortMin:    s.RTPPortMin,
		PortMax:    s.RTPPortMax,
		ICEServers: s.ICEServers,
		Codecs:     s.Codecs,
		Logger:     log,
	}
}
