package phone

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/audio"
)

// Transports this user agent speaks.
const (
	TransportUDP = "udp"
	TransportTCP = "tcp"
	TransportTLS = "tls"
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

	Transport  string         // udp (default), tcp or tls
	Proxy      string         // outbound proxy URI (sip:host:port), optional: every request is routed through it
	TLSRootCAs *x509.CertPool // nil = the system pool. The server certificate is always verified.

	LocalIP    net.IP // address for Via, Contact and SDP; nil = the address of the route to the server
	ListenPort int    // SIP port; 0 = pick a free one

	RTPPortMin, RTPPortMax int // RTP port range; 0 = any

	Codecs   []string // order of preference; nil = PCMU, PCMA
	DTMFMode string   // DTMFRFC4733 (default) or DTMFInfo

	AutoAnswer        bool // answer every incoming call at once (intercom, test rigs)
	HonourAnswerAfter bool // auto-answer when the INVITE asks for it (Call-Info answer-after=N, Alert-Info alert-autoanswer)
	BusyCode          int  // 486 (default) or 603: the answer when Do Not Disturb is on and for Reject(0)

	// SessionExpires is the session-timer interval (RFC 4028) we ask for on
	// outgoing calls; 0 = do not ask (the peer's request is still honoured).
	SessionExpires time.Duration

	UserAgent string // User-Agent header; "" = "agentbar"
	Logger    *slog.Logger

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
	switch strings.ToLower(c.Transport) {
	case "", TransportUDP:
		s.Transport = TransportUDP
	case TransportTCP, TransportTLS:
		s.Transport = strings.ToLower(c.Transport)
	case "ws", "wss":
		// The seam for SIP over WebSocket: sipgo dials it, but the Contact
		// must be rewritten and keep-alives must be CRLF (notes/go-stack.md).
		return nil, fmt.Errorf("%w: transport %q is not supported yet", ErrInvalidConfig, c.Transport)
	default:
		return nil, fmt.Errorf("%w: unknown transport %q", ErrInvalidConfig, c.Transport)
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
