package webrtc

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"agentbar/audio"
)

// ICEServer is one STUN or TURN server, as RTCIceServer has it: URLs such as
// "stun:stun.example.com:3478", "turn:turn.example.com:3478?transport=udp"
// or "turns:...", and for TURN the long-term credentials.
type ICEServer struct {
	URLs       []string
	Username   string
	Credential string
}

// Config is how a Session gathers and what it may send.
type Config struct {
	// LocalIP limits host candidates to this address (loopback included
	// when it is loopback); nil gathers on every non-loopback IPv4 interface.
	LocalIP net.IP
	// PortMin and PortMax bound the local UDP ports ICE uses; 0 = any.
	PortMin, PortMax int
	// ICEServers are the account's STUN and TURN servers.
	ICEServers []ICEServer
	// Codecs in order of preference, among "opus", "PCMU", "PCMA"; nil =
	// opus, PCMU, PCMA.
	Codecs []string

	// GatherTimeout bounds the wait for every candidate before the SDP goes
	// out: SIP has no trickle ICE, so the offer or answer carries them all.
	// 0 = 3 s when ICE servers are set (a STUN or TURN server that does not
	// answer must not hold the call), 1 s otherwise (host candidates only).
	GatherTimeout time.Duration
	// ConnectTimeout is how long ICE and DTLS may take once both SDPs are
	// known before the session fails (ErrICEFailed or ErrDTLSFailed); 0 = 8 s.
	ConnectTimeout time.Duration
	// JitterBuffer tunes the receive jitter buffer.
	JitterBuffer audio.JitterBufferOptions
	Logger       *slog.Logger
}

// Default timeouts.
const (
	defaultGatherWithServers = 3 * time.Second
	defaultGatherHostOnly    = time.Second
	defaultConnectTimeout    = 8 * time.Second
)

// Validate reports what NewSession would refuse in c (ErrInvalidConfig).
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

func (c Config) withDefaults() (Config, error) {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.GatherTimeout <= 0 {
		c.GatherTimeout = defaultGatherHostOnly
		if len(c.ICEServers) > 0 {
			c.GatherTimeout = defaultGatherWithServers
		}
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = defaultConnectTimeout
	}
	if c.LocalIP != nil && c.LocalIP.To4() == nil {
		return c, fmt.Errorf("%w: local IP %v: only IPv4 is supported", ErrInvalidConfig, c.LocalIP)
	}
	if c.PortMin < 0 || c.PortMax > 65535 || c.PortMin > c.PortMax {
		return c, fmt.Errorf("%w: port range %d-%d", ErrInvalidConfig, c.PortMin, c.PortMax)
	}
	if len(c.Codecs) == 0 {
		c.Codecs = []string{"opus", "PCMU", "PCMA"}
	}
	seen := map[string]bool{}
	var codecs []string
	for _, name := range c.Codecs {
		spec, ok := codecByName(name)
		if !ok {
			return c, fmt.Errorf("%w: codec %q (WebRTC calls speak opus, PCMU and PCMA)", ErrInvalidConfig, name)
		}
		if !seen[spec.name] {
			seen[spec.name] = true
			codecs = append(codecs, spec.name)
		}
	}
	c.Codecs = codecs
	for _, s := range c.ICEServers {
		if len(s.URLs) == 0 {
			return c, fmt.Errorf("%w: an ICE server without URL", ErrInvalidConfig)
		}
		for _, u := range s.URLs {
			lower := strings.ToLower(u)
			switch {
			case strings.HasPrefix(lower, "stun:"), strings.HasPrefix(lower, "stuns:"):
			case strings.HasPrefix(lower, "turn:"), strings.HasPrefix(lower, "turns:"):
				if s.Username == "" || s.Credential == "" {
					return c, fmt.Errorf("%w: TURN server %s needs a user name and a credential", ErrInvalidConfig, u)
				}
			default:
				return c, fmt.Errorf("%w: ICE server URL %q is neither stun: nor turn:", ErrInvalidConfig, u)
			}
		}
	}
	return c, nil
}
