package media

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"agentbar/audio"
	"agentbar/core/rtpcore"
)

// Session is the RTP/RTCP media of one call. See the package comment.
type Session struct {
	cfg      Config
	logger   *slog.Logger
	rtpConn  *net.UDPConn
	rtcpConn *net.UDPConn
	ssrc     uint32
	cname    string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex // guards started, closed, port and Start/Update/Close
	started bool
	closed  bool
	port    audio.Port

	params atomic.Pointer[Params]
	jb     atomic.Pointer[audio.JitterBuffer]

	rtpLatch, rtcpLatch latch

	firstPacket chan struct{}
	firstOnce   sync.Once
	dtmfIn      chan rune
	dtmfReq     chan dtmfRequest
	senderDone  chan struct{} // closed when sendLoop ends (port closed)

	recvMu       sync.Mutex // guards recv and lastSR*
	recv         rtpcore.Inbound
	lastSRMiddle uint32    // middle 32 bits of the last SR's NTP time
	lastSRAt     time.Time // when it arrived

	counters counters
}

// counters are the session's atomics; Stats reads them.
type counters struct {
	packetsSent, bytesSent, packetsReceived, bytesReceived atomic.Uint64
	foreign, malformed, unknownPayload, oversized          atomic.Uint64
	ssrcChanges, dtmfSent, dtmfReceived                    atomic.Uint64
	rtcpSent, rtcpReceived                                 atomic.Uint64
	sentSinceReport                                        atomic.Bool
	lastRTPTime                                            atomic.Uint32 // RTP timestamp of the last frame, for SR
	rttNanos, remoteJitterNanos                            atomic.Int64
	remoteFractionLost                                     atomic.Uint32 // 8-bit fixed point
}

// Buffer sizes. Packets above maxPacket are rejected; the read buffer is
// larger so that an oversized datagram is seen as such and not silently cut.
const (
	maxPacket  = 1500
	readBuffer = 2048
	dtmfQueue  = 32
)

// NewSession binds an even RTP port and RTP+1 for RTCP.
func NewSession(cfg Config) (*Session, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RTCPInterval <= 0 {
		cfg.RTCPInterval = 5 * time.Second
	}
	if cfg.RelatchAfter <= 0 {
		cfg.RelatchAfter = 2 * time.Second
	}
	rtpConn, rtcpConn, err := bindPair(cfg.LocalIP, cfg.PortMin, cfg.PortMax)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{
		cfg:         cfg,
		rtpConn:     rtpConn,
		rtcpConn:    rtcpConn,
		ssrc:        rand.Uint32(),
		ctx:         ctx,
		cancel:      cancel,
		firstPacket: make(chan struct{}),
		dtmfIn:      make(chan rune, dtmfQueue),
		dtmfReq:     make(chan dtmfRequest),
		senderDone:  make(chan struct{}),
	}
	s.cname = fmt.Sprintf("agentbar-%08x@%s", s.ssrc, rtpConn.LocalAddr())
	s.logger = cfg.Logger.With("rtp", rtpConn.LocalAddr().String())
	s.rtpLatch.relatchAfter = cfg.RelatchAfter
	s.rtcpLatch.relatchAfter = cfg.RelatchAfter
	return s, nil
}

// LocalAddr is the RTP address (RTCP is its port + 1).
func (s *Session) LocalAddr() *net.UDPAddr {
	a := *s.rtpConn.LocalAddr().(*net.UDPAddr)
	if s.cfg.LocalIP != nil && !s.cfg.LocalIP.IsUnspecified() {
		a.IP = s.cfg.LocalIP
	}
	return &a
}

// SSRC is our synchronisation source identifier.
func (s *Session) SSRC() uint32 { return s.ssrc }

// Start begins sending and receiving per p.Direction, exchanging audio with
// port. The session does not own the port: closing it is the caller's job,
// after Close.
func (s *Session) Start(p Params, port audio.Port) error {
	if err := p.validate(); err != nil {
		return err
	}
	if port == nil {
		return fmt.Errorf("%w: no audio port", ErrBadParams)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.started:
		return ErrAlreadyStarted
	}
	if err := bindPort(port, p.Codec); err != nil {
		return err
	}
	s.port = port
	s.jb.Store(audio.NewJitterBuffer(p.Codec, s.cfg.JitterBuffer))
	s.applyParams(nil, &p)
	s.started = true
	s.wg.Add(3)
	go s.receiveLoop(s.rtpConn, true)
	go s.sendLoop()
	go s.reportLoop()
	s.wg.Add(1)
	go s.receiveLoop(s.rtcpConn, false)
	return nil
}

// bindPort makes the port exchange frames at the codec's rate.
func bindPort(port audio.Port, codec audio.Codec) error {
	if b, ok := port.(audio.RateBinder); ok {
		if err := b.Bind(codec.SampleRate()); err != nil {
			return fmt.Errorf("media: binding port to %s: %w", codec.Name(), err)
		}
	}
	if got, want := port.SampleRate(), codec.SampleRate(); got != want {
		return fmt.Errorf("%w: port runs at %d Hz, %s needs %d Hz", ErrBadParams, got, codec.Name(), want)
	}
	return nil
}

// Update applies a re-INVITE: new direction, remote address or codec, on the
// same sockets.
func (s *Session) Update(p Params) error {
	if err := p.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case !s.started:
		return ErrNotStarted
	}
	old := s.params.Load()
	if old.Codec.Name() != p.Codec.Name() || old.Codec.SampleRate() != p.Codec.SampleRate() {
		if err := bindPort(s.port, p.Codec); err != nil {
			return err
		}
		s.jb.Store(audio.NewJitterBuffer(p.Codec, s.cfg.JitterBuffer))
	}
	s.applyParams(old, &p)
	return nil
}

// applyParams publishes p and reroutes playback and latching. Caller holds
// mu.
func (s *Session) applyParams(old, p *Params) {
	if old == nil || !sameAddr(old.Remote, p.Remote) {
		s.rtpLatch.reset(addrPort(p.Remote))
	}
	if old == nil || !sameAddr(old.rtcpAddr(), p.rtcpAddr()) {
		s.rtcpLatch.reset(addrPort(p.rtcpAddr()))
	}
	if p.Direction.Receives() {
		s.port.SetPlayback(s.jb.Load())
	} else {
		s.port.SetPlayback(nil)
	}
	s.params.Store(p)
	s.logger.Debug("media params", "remote", p.Remote, "codec", p.Codec.Name(), "pt", p.PayloadType,
		"dtmf", p.DTMFPayloadType, "direction", p.Direction, "mux", p.RTCPMux)
}

func addrPort(a *net.UDPAddr) netip.AddrPort {
	ap := a.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

func sameAddr(a, b *net.UDPAddr) bool { return addrPort(a) == addrPort(b) }

// FirstPacket is closed when the first RTP packet from the peer arrives.
func (s *Session) FirstPacket() <-chan struct{} { return s.firstPacket }

// DTMF delivers digits received as RFC 4733 events. It is closed by Close.
func (s *Session) DTMF() <-chan rune { return s.dtmfIn }

// SendDTMF sends one digit as RFC 4733 events lasting dur (at least 40 ms)
// and returns when its end packets are out.
func (s *Session) SendDTMF(digit rune, dur time.Duration) error {
	code, ok := rtpcore.DTMFCode(digit)
	if !ok {
		return fmt.Errorf("%w: %q", ErrBadDigit, digit)
	}
	s.mu.Lock()
	started, closed := s.started, s.closed
	s.mu.Unlock()
	switch {
	case closed:
		return ErrClosed
	case !started:
		return ErrNotStarted
	}
	p := s.params.Load()
	if p.DTMFPayloadType == 0 {
		return ErrNoDTMF
	}
	if !p.Direction.Sends() {
		return ErrNotSending
	}
	req := dtmfRequest{digit: rtpcore.NewOutgoingDigit(code, dur), done: make(chan error, 1)}
	select {
	case s.dtmfReq <- req:
	case <-s.senderDone:
		return fmt.Errorf("%w: the audio port is closed", ErrNotSending)
	case <-s.ctx.Done():
		return ErrClosed
	}
	// The sender always answers a request it took, even when it stops.
	return <-req.done
}

// Stats returns the current media quality figures.
func (s *Session) Stats() Quality {
	c := &s.counters
	q := Quality{
		RTT:               time.Duration(c.rttNanos.Load()),
		PacketsSent:       c.packetsSent.Load(),
		BytesSent:         c.bytesSent.Load(),
		PacketsReceived:   c.packetsReceived.Load(),
		BytesReceived:     c.bytesReceived.Load(),
		RemoteLossPercent: float64(c.remoteFractionLost.Load()) * 100 / 256,
		RemoteJitter:      time.Duration(c.remoteJitterNanos.Load()),
		Foreign:           c.foreign.Load(),
		Malformed:         c.malformed.Load(),
		UnknownPayload:    c.unknownPayload.Load(),
		Oversized:         c.oversized.Load(),
		SSRCChanges:       c.ssrcChanges.Load(),
		DTMFSent:          c.dtmfSent.Load(),
		DTMFReceived:      c.dtmfReceived.Load(),
		RTCPSent:          c.rtcpSent.Load(),
		RTCPReceived:      c.rtcpReceived.Load(),
	}
	s.recvMu.Lock()
	q.Jitter = s.recv.Jitter()
	q.LossPercent = s.recv.LossPercent()
	if s.recv.Active() {
		q.PacketsLost = s.recv.Lost()
	}
	s.recvMu.Unlock()
	codec := "PCMU"
	if p := s.params.Load(); p != nil {
		codec = p.Codec.Name()
	}
	if jb := s.jb.Load(); jb != nil {
		st := jb.Stats()
		q.JitterBufferDelay, q.Late, q.Concealed = st.Delay, st.Late, st.Concealed
	}
	// Mouth-to-ear one way: half the RTT, the jitter buffer, one packet of
	// packetisation and a few ms of device buffering at each end.
	oneWay := q.RTT/2 + q.JitterBufferDelay + audio.FrameDuration + 10*time.Millisecond
	q.MOS = EstimateMOS(codec, oneWay, q.LossPercent)
	return q
}

// Close stops the session: a goodbye RTCP packet goes out, the sockets
// close and every goroutine ends before Close returns. The port is left
// open but no longer plays this session's audio.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	started := s.started
	if started {
		s.port.SetPlayback(nil)
		s.sendBye()
	}
	s.mu.Unlock()
	s.cancel()
	err := errors.Join(s.rtpConn.Close(), s.rtcpConn.Close())
	s.wg.Wait()
	close(s.dtmfIn)
	return err
}
