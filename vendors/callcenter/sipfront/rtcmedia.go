package sipfront

import (
	"context"
	"sync"
	"time"

	"agentbar/core/media"
	"agentbar/core/webrtc"
	"agentbar/vendors/callcenter/room"
)

// rtcMedia is a WebRTC leg: the center is one more peer (core/webrtc:
// full ICE on the center's address, DTLS-SRTP, Opus, PCMU or PCMA, RFC
// 4733), the offerer for the center's offers and the answerer for the
// agents' INVITEs. Hold never reaches pion (see core/webrtc): the
// direction the endpoint asks for is mirrored in our SDP and enforced by
// the session.
type rtcMedia struct {
	sess *webrtc.Session

	mu     sync.Mutex
	theirs media.Direction // the endpoint's direction, as its last SDP says
}

var _ legMedia = (*rtcMedia)(nil)

func newRTCMedia(f *Front, agent string) (*rtcMedia, error) {
	s, err := webrtc.NewSession(webrtc.Config{LocalIP: f.host, PortMin: f.opts.RTPPortMin, PortMax: f.opts.RTPPortMax,
		Codecs: f.opts.WebRTCCodecs, Logger: f.log.With("agent", agent)})
	if err != nil {
		return nil, err
	}
	return &rtcMedia{sess: s}, nil
}

func (m *rtcMedia) kind() string { return "webrtc" }

func (m *rtcMedia) offer(ctx context.Context) ([]byte, error) {
	return m.sess.Offer(ctx, media.SendRecv)
}

func (m *rtcMedia) accept(answer []byte) error {
	r, err := m.sess.AcceptAnswer(answer)
	if err != nil {
		return err
	}
	m.setTheirs(r.Direction)
	return nil
}

func (m *rtcMedia) answer(ctx context.Context, offer []byte) ([]byte, error) {
	if len(offer) == 0 {
		// An offerless re-INVITE: offer the agreed SDP again.
		return m.sess.Offer(ctx, m.direction())
	}
	r, err := webrtc.InspectSDP(offer)
	if err != nil {
		return nil, err
	}
	body, _, err := m.sess.Answer(ctx, offer, r.Direction.Reverse())
	if err != nil {
		return nil, err
	}
	m.setTheirs(r.Direction)
	return body, nil
}

// setTheirs records the endpoint's direction and applies ours, its mirror.
func (m *rtcMedia) setTheirs(d media.Direction) {
	m.mu.Lock()
	m.theirs = d
	m.mu.Unlock()
	m.sess.SetDirection(d.Reverse())
}

func (m *rtcMedia) direction() media.Direction {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.theirs.Reverse()
}

func (m *rtcMedia) start(port *room.LegPort) error {
	return m.sess.Start(newRatePort(port))
}

func (m *rtcMedia) held() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return !m.theirs.Receives()
}

func (m *rtcMedia) dtmf() <-chan rune { return m.sess.DTMF() }

func (m *rtcMedia) sendDTMF(d rune, dur time.Duration) error { return m.sess.SendDTMF(d, dur) }

func (m *rtcMedia) codec() string { return m.sess.Codec() }

func (m *rtcMedia) failed() <-chan struct{} { return m.sess.Failed() }

// err is why the media failed.
func (m *rtcMedia) err() error { return m.sess.Err() }

// close ends the peer connection (DTLS close_notify); the leg closes the
// port after.
func (m *rtcMedia) close() { _ = m.sess.Close() }
