package webrtc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	pion "github.com/pion/webrtc/v4"

	"agentbar/audio"
	"agentbar/core/media"
	"agentbar/core/rtpcore"
)

// Session is the WebRTC media of one call. See the package comment.
type Session struct {
	cfg    Config
	log    *slog.Logger
	pc     *pion.PeerConnection
	track  *audioTrack
	sender *pion.RTPSender

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	opMu sync.Mutex // one offer/answer step at a time

	mu           sync.Mutex // guards what follows
	closed       bool
	started      bool
	negotiated   bool
	port         audio.Port
	codec        audio.Codec // ours: encodes, and decodes the same codec coming back
	codecName    string
	baseSDP      []byte // pion's local description with every candidate
	localSDP     []byte // what we sent last
	remoteSDP    []byte // the peer's last SDP
	role         string // our DTLS role once agreed: "active" or "passive"
	origin       sdpOrigin
	recvPT       map[uint8]string // payload type → codec name of what the peer sends us
	connectTimer *time.Timer

	direction atomic.Int32 // media.Direction: OURS, as negotiated
	jb        atomic.Pointer[audio.JitterBuffer]
	iceUp     atomic.Bool // ICE reached connected at least once

	firstPacket chan struct{}
	firstOnce   sync.Once
	connected   chan struct{}
	connectOnce sync.Once
	failed      chan struct{}
	failOnce    sync.Once
	failErr     error // set once, before failed is closed

	dtmfIn     chan rune
	dtmfReq    chan dtmfRequest
	senderDone chan struct{}

	recvMu sync.Mutex // guards recv
	recv   rtpcore.Inbound

	counters counters
}

// counters are the session's atomics; Stats reads them.
type counters struct {
	packetsSent, bytesSent, packetsReceived, bytesReceived atomic.Uint64
	malformed, unknownPayload, ssrcChanges                 atomic.Uint64
	dtmfSent, dtmfReceived, rtcpReceived                   atomic.Uint64
	remoteFractionLost                                     atomic.Uint32
	remoteJitterNanos                                      atomic.Int64
}

// ICE timeouts once connected: consent lost for 5 s is "disconnected", 10 s
// more is "failed" and the call ends (ErrMediaLost). Before the first
// connection Config.ConnectTimeout rules.
const (
	iceDisconnectedTimeout = 5 * time.Second
	iceFailedTimeout       = 10 * time.Second
	iceKeepalive           = 2 * time.Second
)

// NewSession builds the peer connection: our codecs only, one audio
// transceiver, full ICE with the account's STUN/TURN servers, DTLS-SRTP.
// Nothing is gathered or sent before Offer or Answer.
func NewSession(cfg Config) (*Session, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	api, err := newAPI(cfg)
	if err != nil {
		return nil, err
	}
	var servers []pion.ICEServer
	for _, s := range cfg.ICEServers {
		servers = append(servers, pion.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
	}
	pc, err := api.NewPeerConnection(pion.Configuration{
		ICEServers:    servers,
		BundlePolicy:  pion.BundlePolicyMaxBundle,
		RTCPMuxPolicy: pion.RTCPMuxPolicyRequire,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	stream := "agentbar-" + uuid.NewString()[:8]
	track := newAudioTrack("audio", stream)
	tr, err := pc.AddTransceiverFromTrack(track, pion.RTPTransceiverInit{Direction: pion.RTPTransceiverDirectionSendrecv})
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("webrtc: audio transceiver: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{
		cfg:         cfg,
		log:         cfg.Logger.With("webrtc", stream),
		pc:          pc,
		track:       track,
		sender:      tr.Sender(),
		ctx:         ctx,
		cancel:      cancel,
		firstPacket: make(chan struct{}),
		connected:   make(chan struct{}),
		failed:      make(chan struct{}),
		dtmfIn:      make(chan rune, dtmfQueue),
		dtmfReq:     make(chan dtmfRequest),
		senderDone:  make(chan struct{}),
	}
	s.direction.Store(int32(media.SendRecv))
	pc.OnTrack(func(remote *pion.TrackRemote, _ *pion.RTPReceiver) {
		s.goTracked(func() { s.receive(remote) })
	})
	pc.OnICEConnectionStateChange(func(st pion.ICEConnectionState) {
		s.log.Debug("ICE state", "state", st)
		if st == pion.ICEConnectionStateConnected || st == pion.ICEConnectionStateCompleted {
			s.iceUp.Store(true)
		}
	})
	pc.OnConnectionStateChange(s.onConnectionState)
	s.goTracked(s.readRTCP)
	return s, nil
}

// newAPI is pion with our codecs, RTCP reports, and the network settings.
func newAPI(cfg Config) (*pion.API, error) {
	m, err := newMediaEngine(cfg.Codecs)
	if err != nil {
		return nil, err
	}
	registry := &interceptor.Registry{}
	if err := pion.ConfigureRTCPReports(registry); err != nil {
		return nil, fmt.Errorf("webrtc: RTCP reports: %w", err)
	}
	var se pion.SettingEngine
	se.LoggerFactory = newPionLoggerFactory(cfg.Logger)
	se.SetNetworkTypes([]pion.NetworkType{pion.NetworkTypeUDP4})
	se.SetICETimeouts(iceDisconnectedTimeout, iceFailedTimeout, iceKeepalive)
	if ip := cfg.LocalIP.To4(); ip != nil && !ip.IsUnspecified() {
		se.SetIPFilter(func(candidate net.IP) bool { return candidate.Equal(ip) })
		if ip.IsLoopback() {
			se.SetIncludeLoopbackCandidate(true)
			se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
		}
	}
	if cfg.PortMin > 0 || cfg.PortMax > 0 {
		if err := se.SetEphemeralUDPPortRange(uint16(cfg.PortMin), uint16(cfg.PortMax)); err != nil {
			return nil, fmt.Errorf("%w: port range: %w", ErrInvalidConfig, err)
		}
	}
	return pion.NewAPI(pion.WithMediaEngine(m), pion.WithInterceptorRegistry(registry), pion.WithSettingEngine(se)), nil
}

// goTracked runs f as a goroutine Close waits for, unless Close has begun.
func (s *Session) goTracked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// Offer creates our offer with every candidate gathered and the direction
// dir written in it; the peer's answer goes to AcceptAnswer. Only the first
// offer goes through pion: a re-offer (hold, resume, session refresh) is
// the agreed SDP with a new direction, so a peer that refuses it (488, 491)
// leaves nothing to undo.
func (s *Session) Offer(ctx context.Context, dir media.Direction) ([]byte, error) {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	if s.isSettled() {
		return s.reuseLocal(dir, "actpass")
	}
	offer, err := s.pc.CreateOffer(nil)
	if err != nil {
		return nil, fmt.Errorf("webrtc: create offer: %w", err)
	}
	return s.setLocal(ctx, offer, dir)
}

// AcceptAnswer applies the peer's answer to our last Offer. The Remote it
// returns says what the peer wants (Direction) and which codecs it has.
func (s *Session) AcceptAnswer(answer []byte) (Remote, error) {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if err := s.usable(); err != nil {
		return Remote{}, err
	}
	remote, err := InspectSDP(answer)
	if err != nil {
		return Remote{}, err
	}
	if s.isSettled() {
		if transportKey(answer) != s.remoteTransport() {
			// ICE restarts are offered, not answered: keep what works.
			s.log.Warn("the answer to our re-offer changes ICE or DTLS parameters; keeping the current ones")
		}
		return remote, nil
	}
	body, err := forPion(answer)
	if err != nil {
		return Remote{}, err
	}
	if err := s.pc.SetRemoteDescription(pion.SessionDescription{Type: pion.SDPTypeAnswer, SDP: string(body)}); err != nil {
		return Remote{}, fmt.Errorf("%w: %w", ErrMalformedSDP, err)
	}
	// The answerer picked the DTLS role; ours is the other one.
	role := "passive"
	if setupRole(answer) == "passive" {
		role = "active"
	}
	if err := s.settle(answer, answer, role); err != nil {
		return Remote{}, err
	}
	return remote, nil
}

// Answer applies the peer's offer and returns our answer, every candidate
// gathered, with direction dir. The Remote says what the offer asked for.
// A re-offer with the ICE and DTLS parameters we already use (hold, resume,
// refresh) is answered from the agreed SDP without touching pion; one that
// changes them (an ICE restart) is renegotiated.
func (s *Session) Answer(ctx context.Context, offer []byte, dir media.Direction) ([]byte, Remote, error) {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if err := s.usable(); err != nil {
		return nil, Remote{}, err
	}
	remote, err := InspectSDP(offer)
	if err != nil {
		return nil, Remote{}, err
	}
	if s.isSettled() && transportKey(offer) == s.remoteTransport() && mediaCount(offer) == mediaCount(s.LocalSDP()) {
		s.mu.Lock()
		role := s.role
		s.mu.Unlock()
		body, err := s.reuseLocal(dir, role)
		if err != nil {
			return nil, Remote{}, err
		}
		s.mu.Lock()
		s.remoteSDP = offer
		s.mu.Unlock()
		return body, remote, nil
	}
	body, err := forPion(offer)
	if err != nil {
		return nil, Remote{}, err
	}
	if err := s.pc.SetRemoteDescription(pion.SessionDescription{Type: pion.SDPTypeOffer, SDP: string(body)}); err != nil {
		return nil, Remote{}, fmt.Errorf("%w: %w", ErrMalformedSDP, err)
	}
	answer, err := s.pc.CreateAnswer(nil)
	if err != nil {
		return nil, Remote{}, fmt.Errorf("webrtc: create answer: %w", err)
	}
	ours, err := s.setLocal(ctx, answer, dir)
	if err != nil {
		return nil, Remote{}, err
	}
	if err := s.settle(ours, offer, setupRole(ours)); err != nil {
		return nil, Remote{}, err
	}
	return ours, remote, nil
}

// Rollback forgets our last offer, which the peer refused. Re-offers never
// reach pion, so there is nothing else to undo; a refused first offer ends
// the call anyway.
func (s *Session) Rollback() {}

func (s *Session) usable() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return nil
}

func (s *Session) isSettled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.negotiated
}

func (s *Session) remoteTransport() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return transportKey(s.remoteSDP)
}

// setLocal applies our description, waits for gathering (bounded), and
// returns the SDP to send: pion's, candidates included, with our direction.
func (s *Session) setLocal(ctx context.Context, desc pion.SessionDescription, dir media.Direction) ([]byte, error) {
	gathered := pion.GatheringCompletePromise(s.pc)
	if err := s.pc.SetLocalDescription(desc); err != nil {
		return nil, fmt.Errorf("webrtc: set local description: %w", err)
	}
	t := time.NewTimer(s.cfg.GatherTimeout)
	defer t.Stop()
	select {
	case <-gathered:
	case <-t.C:
		// A STUN or TURN server that does not answer must not hold the
		// call: go with what we have (host candidates at least).
		s.log.Info("ICE gathering incomplete; sending the candidates found so far", "after", s.cfg.GatherTimeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.ctx.Done():
		return nil, ErrClosed
	}
	local := s.pc.LocalDescription()
	if local == nil {
		return nil, fmt.Errorf("webrtc: no local description after SetLocalDescription")
	}
	s.mu.Lock()
	s.baseSDP = []byte(local.SDP)
	s.mu.Unlock()
	return s.reuseLocal(dir, "")
}

// reuseLocal is the agreed local SDP with direction dir and DTLS role role
// ("" keeps pion's), its version bumped when it changed (RFC 3264 §8).
func (s *Session) reuseLocal(dir media.Direction, role string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, err := rewriteSDP(s.baseSDP, dir, role, &s.origin)
	if err != nil {
		return nil, err
	}
	s.localSDP = body
	return body, nil
}

// settle records what an exchange decided: the codec (first of the answer
// we have; fixed for the rest of the call), the payload types the peer sends
// us (ours, from our SDP, plus the peer's as a fallback), and starts the
// connect timer the first time.
func (s *Session) settle(answer, remote []byte, role string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remoteSDP, s.role = remote, role
	if s.codecName == "" {
		name, ok := firstCommonCodec(answer, s.cfg.Codecs)
		if !ok {
			return ErrNoCommonCodec
		}
		s.codecName = name
		s.track.setCodec(name)
	}
	pts := payloadMap(remote)
	for pt, name := range payloadMap(s.localSDP) {
		if pts == nil {
			pts = map[uint8]string{}
		}
		pts[pt] = name
	}
	s.recvPT = pts
	if !s.negotiated {
		s.negotiated = true
		s.connectTimer = time.AfterFunc(s.cfg.ConnectTimeout, s.connectTimedOut)
	}
	return nil
}

// Codec is the negotiated codec ("opus", "PCMU", "PCMA"), "" before the
// first offer/answer exchange.
func (s *Session) Codec() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.codecName
}

// SampleRate is the PCM rate the call's audio port must run at.
func (s *Session) SampleRate() int {
	switch s.Codec() {
	case "opus":
		return 48000
	case "":
		return 0
	}
	return 8000
}

// LocalSDP is the last SDP we produced (offer or answer), as sent.
func (s *Session) LocalSDP() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.localSDP
}

// Start connects the session to the call's audio port once the first
// exchange has settled the codec; port is bound to the codec's rate. The
// session does not own the port: the caller closes it after Close.
func (s *Session) Start(port audio.Port) error {
	if port == nil {
		return fmt.Errorf("%w: no audio port", ErrInvalidConfig)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.started:
		return fmt.Errorf("webrtc: session already started")
	case s.codecName == "":
		return ErrNotNegotiated
	}
	codec, err := newAudioCodec(s.codecName)
	if err != nil {
		return err
	}
	if b, ok := port.(audio.RateBinder); ok {
		if err := b.Bind(codec.SampleRate()); err != nil {
			closeCodec(codec)
			return fmt.Errorf("webrtc: binding the audio port to %s: %w", s.codecName, err)
		}
	}
	if got := port.SampleRate(); got != codec.SampleRate() {
		closeCodec(codec)
		return fmt.Errorf("%w: audio port runs at %d Hz, %s needs %d Hz", ErrInvalidConfig, got, s.codecName, codec.SampleRate())
	}
	s.codec, s.port, s.started = codec, port, true
	s.jb.Store(audio.NewJitterBuffer(codec, s.cfg.JitterBuffer))
	s.applyPlaybackLocked()
	s.wg.Add(1)
	go s.sendLoop(port, codec)
	return nil
}

// SetDirection sets OUR direction as negotiated: whether RTP goes out and
// whether what arrives is played.
func (s *Session) SetDirection(d media.Direction) {
	s.direction.Store(int32(d))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started && !s.closed {
		s.applyPlaybackLocked()
	}
}

// Direction is our current direction.
func (s *Session) Direction() media.Direction { return media.Direction(s.direction.Load()) }

func (s *Session) applyPlaybackLocked() {
	if s.Direction().Receives() {
		s.port.SetPlayback(s.jb.Load())
	} else {
		s.port.SetPlayback(nil)
	}
}

// FirstPacket is closed when the first RTP packet from the peer arrives.
func (s *Session) FirstPacket() <-chan struct{} { return s.firstPacket }

// Connected is closed once ICE and DTLS are up.
func (s *Session) Connected() <-chan struct{} { return s.connected }

// Failed is closed when the media connection cannot be set up or is lost;
// Err then says why (ErrICEFailed, ErrDTLSFailed, ErrMediaLost). The call
// should end: the session does not recover by itself.
func (s *Session) Failed() <-chan struct{} { return s.failed }

// Err is why the session failed, nil while it has not.
func (s *Session) Err() error {
	select {
	case <-s.failed:
		return s.failErr
	default:
		return nil
	}
}

// DTMF delivers digits received as RFC 4733 events; closed by Close.
func (s *Session) DTMF() <-chan rune { return s.dtmfIn }

func (s *Session) onConnectionState(st pion.PeerConnectionState) {
	s.log.Debug("connection state", "state", st)
	switch st {
	case pion.PeerConnectionStateConnected:
		s.connectOnce.Do(func() {
			s.mu.Lock()
			if s.connectTimer != nil {
				s.connectTimer.Stop()
			}
			s.mu.Unlock()
			close(s.connected)
		})
	case pion.PeerConnectionStateFailed:
		s.fail(s.failureReason())
	}
}

func (s *Session) connectTimedOut() {
	select {
	case <-s.connected:
	default:
		s.fail(s.failureReason())
	}
}

// failureReason tells a network problem from a DTLS one.
func (s *Session) failureReason() error {
	select {
	case <-s.connected:
		return ErrMediaLost
	default:
	}
	if s.sender.Transport().State() == pion.DTLSTransportStateFailed || s.iceUp.Load() {
		return ErrDTLSFailed
	}
	return ErrICEFailed
}

func (s *Session) fail(err error) {
	if s.usable() != nil {
		return
	}
	s.failOnce.Do(func() {
		s.failErr = err
		s.log.Info("media connection failed", "error", err)
		close(s.failed)
	})
}

// Close ends the session: the peer connection closes (DTLS close_notify),
// every goroutine ends before Close returns, DTMF is closed. The port is
// left open but no longer plays this session's audio.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	if s.connectTimer != nil {
		s.connectTimer.Stop()
	}
	if s.port != nil {
		s.port.SetPlayback(nil)
	}
	s.mu.Unlock()
	s.cancel()
	err := s.pc.GracefulClose()
	s.wg.Wait()
	close(s.dtmfIn)
	s.mu.Lock()
	if s.codec != nil {
		closeCodec(s.codec)
	}
	s.mu.Unlock()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("webrtc: close: %w", err)
	}
	return nil
}
