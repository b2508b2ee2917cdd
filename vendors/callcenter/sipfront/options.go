package sipfront

import (
	"crypto/tls"
	"log/slog"
	"net"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
	"agentbar/vendors/callcenter/voice"
)

// Options configure a Front. Every field is optional.
type Options struct {
	// Addr is the host:port to listen on, UDP and TCP; "127.0.0.1:0" picks a
	// free port (the same number for both).
	Addr string
	// WSAddr and WSSAddr, when set, add SIP over WebSocket (RFC 7118)
	// listeners, plain and TLS ("127.0.0.1:0" picks a free port). Any
	// request path is accepted; WSURL and WSSURL name "/ws".
	WSAddr, WSSAddr string
	// TLS is the server side of WSS (its certificate); required with
	// WSSAddr.
	TLS *tls.Config
	// WSGrace is how long an answered call outlives the WebSocket its agent
	// registered over: the binding goes with the socket at once, the call's
	// media keeps flowing, and an agent that registers again within the
	// grace (over a new socket) keeps the call; after it the leg is hung up.
	// 0 = 30 s; negative = no grace.
	WSGrace time.Duration
	// WebRTCCodecs are the center's codecs on WebRTC legs, in order of
	// preference, among "opus", "PCMU", "PCMA"; nil = all three, Opus first.
	WebRTCCodecs []string
	// Realm of the digest challenges ("agentbar-callcenter").
	Realm string
	// MaxExpiry caps the registration expiry granted (300 s).
	MaxExpiry time.Duration
	// RecordDir, when set, receives a stereo WAV per leg (left what the
	// party said, right what it heard); the CDR's legs name the files.
	RecordDir string
	// Mixer clocks the call rooms; the front makes its own when nil.
	Mixer *room.Mixer
	// Voices speaks prompts and customers; tones only when nil.
	Voices *voice.Library
	// RTPPortMin and RTPPortMax bound the center's RTP ports, WebRTC's ICE
	// ports included (0: any).
	RTPPortMin, RTPPortMax int
	Logger                 *slog.Logger

	// Hooks for a platform's front-end built on this one (they run on the
	// SIP stack's goroutines and must not block for long).

	// OnRegister is called for each REGISTER that binds or refreshes a
	// contact, once its digest is right and before the 200; a non-nil error
	// refuses it with 403 and the error's text as the reason phrase. It sees
	// the whole request (X- headers...). Removals (Expires: 0) and queries
	// do not call it.
	OnRegister func(agentID string, req *sip.Request) error
	// OnUnregister is called when an agent's binding is removed: Expires 0,
	// expiry, its WebSocket closed, a kick, a restart of the stack. It runs
	// before the front signs the agent out (unless its device is
	// elsewhere), so it may still point the device back at the front.
	OnUnregister func(agentID string)
	// OnMessage answers an out-of-dialog MESSAGE from a registered agent:
	// over WS/WSS it must come over the agent's registered socket, over UDP
	// and TCP it is digest-challenged. A code of 0 is 200. nil: every
	// MESSAGE is answered 200 with no body.
	OnMessage func(agentID string, req *sip.Request) (code int, contentType string, body []byte)
	// OfferHeaders adds headers to the INVITE of an offer.
	OfferHeaders func(ev callcenter.LegOffer) []sip.Header
	// KickMessage gives the body of the MESSAGE a kicked agent gets instead
	// of the plain-text sentence; reason is the kick's. An empty content
	// type keeps the plain text.
	KickMessage func(agentID, reason string) (contentType string, body []byte)
}

const (
	defaultRealm     = "agentbar-callcenter"
	defaultMaxExpiry = 300 * time.Second
	defaultWSGrace   = 30 * time.Second
	minExpiry        = 2 * time.Second
	userAgent        = "agentbar-callcenter"
	ringTimeoutCap   = 5 * time.Minute // a leg never rings longer than this, whatever the center says
	wsPath           = "/ws"           // the path WSURL and WSSURL name (any is accepted)
)

func (o *Options) defaults() {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Realm == "" {
		o.Realm = defaultRealm
	}
	if o.MaxExpiry <= 0 {
		o.MaxExpiry = defaultMaxExpiry
	}
	if o.WSGrace == 0 {
		o.WSGrace = defaultWSGrace
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// hostIP is the address in Via, Contact and SDP: the listening address, or
// loopback when listening on all addresses.
func hostIP(addr *net.UDPAddr) net.IP {
	if addr.IP == nil || addr.IP.IsUnspecified() {
		return net.IPv4(127, 0, 0, 1)
	}
	return addr.IP
}
