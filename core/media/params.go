package media

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"agentbar/audio"
)

// Params is what SDP negotiation decided for the stream.
type Params struct {
	// Remote is where RTP goes; RemoteRTCP nil means Remote's port + 1, or
	// Remote itself when RTCPMux.
	Remote, RemoteRTCP *net.UDPAddr
	RTCPMux            bool
	PayloadType        uint8
	Codec              audio.Codec
	// DTMFPayloadType is telephone-event's payload type; 0 = not negotiated.
	DTMFPayloadType uint8
	// Direction is OUR direction as negotiated (what we do).
	Direction Direction
}

func (p Params) validate() error {
	if p.Codec == nil {
		return fmt.Errorf("%w: no codec", ErrBadParams)
	}
	if p.Remote == nil || p.Remote.IP == nil || p.Remote.Port <= 0 {
		return fmt.Errorf("%w: no remote address", ErrBadParams)
	}
	if p.PayloadType > 127 || p.DTMFPayloadType > 127 {
		return fmt.Errorf("%w: payload type above 127", ErrBadParams)
	}
	if p.DTMFPayloadType != 0 && p.DTMFPayloadType == p.PayloadType {
		return fmt.Errorf("%w: audio and telephone-event share payload type %d", ErrBadParams, p.PayloadType)
	}
	if _, err := audio.SamplesPerFrame(p.Codec.SampleRate()); err != nil {
		return fmt.Errorf("%w: %w", ErrBadParams, err)
	}
	return nil
}

// rtcpAddr is where RTCP goes according to SDP.
func (p Params) rtcpAddr() *net.UDPAddr {
	switch {
	case p.RemoteRTCP != nil:
		return p.RemoteRTCP
	case p.RTCPMux:
		return p.Remote
	}
	return &net.UDPAddr{IP: p.Remote.IP, Port: p.Remote.Port + 1, Zone: p.Remote.Zone}
}

// Config is how a Session binds its sockets.
type Config struct {
	// LocalIP to bind; nil or unspecified binds all addresses.
	LocalIP net.IP
	// PortMin and PortMax bound the RTP port (inclusive); both 0 lets the
	// system choose.
	PortMin, PortMax int
	Logger           *slog.Logger

	// RTCPInterval is the mean time between RTCP reports; 0 = 5 s. Each
	// interval is randomised to 0.5-1.5 times this (RFC 3550 6.2).
	RTCPInterval time.Duration
	// RelatchAfter is how long the latched source must be silent before a
	// new source address may take over; 0 = 2 s.
	RelatchAfter time.Duration
	// JitterBuffer tunes the receive jitter buffer.
	JitterBuffer audio.JitterBufferOptions
}
