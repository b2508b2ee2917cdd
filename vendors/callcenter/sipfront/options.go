package sipfront

import (
	"log/slog"
	"net"
	"time"

	"agentbar/vendors/callcenter/room"
	"agentbar/vendors/callcenter/voice"
)

// Options configure a Front. Every field is optional.
type Options struct {
	// Addr is the host:port to listen on, UDP and TCP; "127.0.0.1:0" picks a
	// free port (the same number for both).
	Addr string
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
	// RTPPortMin and RTPPortMax bound the center's RTP ports (0: any).
	RTPPortMin, RTPPortMax int
	Logger                 *slog.Logger
}

const (
	defaultRealm     = "agentbar-callcenter"
	defaultMaxExpiry = 300 * time.Second
	minExpiry        = 2 * time.Second
	userAgent        = "agentbar-callcenter"
	ringTimeoutCap   = 5 * time.Minute // a leg never rings longer than this, whatever the center says
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
