package sipfront

import (
	"context"
	"sync"
	"time"

	"agentbar/audio"
	"agentbar/core/media"
	"agentbar/vendors/callcenter/room"
)

// legMedia is the center's end of one leg's audio: plain RTP (rtpMedia,
// core/media) or WebRTC (rtcMedia, core/webrtc). Either way its audio port
// is the leg's party in the call's room. The leg calls these one at a time
// (its SIP transactions are serialised).
type legMedia interface {
	// kind is "rtp" or "webrtc".
	kind() string
	// offer is our first SDP offer: the center invites the endpoint.
	offer(ctx context.Context) ([]byte, error)
	// accept applies the endpoint's answer to our offer.
	accept(answer []byte) error
	// answer answers an offer of the endpoint (its INVITE or a re-INVITE)
	// with the mirrored direction; an empty offer repeats our current SDP.
	answer(ctx context.Context, offer []byte) ([]byte, error)
	// start runs the audio through port once the first exchange is done.
	start(port *room.LegPort) error
	// held tells whether the endpoint's last SDP puts us on hold.
	held() bool
	// dtmf delivers RFC 4733 digits; closed by close.
	dtmf() <-chan rune
	sendDTMF(digit rune, d time.Duration) error
	// codec is the negotiated codec's name ("" before the exchange).
	codec() string
	// failed is closed when the media connection is lost (WebRTC: ICE or
	// DTLS); nil when it cannot be.
	failed() <-chan struct{}
	close()
}

// rtpMedia is a plain RTP leg (G.711, RFC 4733), the center's SDP.
type rtpMedia struct {
	sess   *media.Session
	origin *sdpOrigin

	mu      sync.Mutex
	remote  *remoteSDP
	started bool
}

var _ legMedia = (*rtpMedia)(nil)

// newRTPMedia binds the leg's RTP socket (before the SDP is written).
func newRTPMedia(f *Front, origin *sdpOrigin) (*rtpMedia, error) {
	s, err := media.NewSession(media.Config{LocalIP: f.host, PortMin: f.opts.RTPPortMin,
		PortMax: f.opts.RTPPortMax, Logger: f.log,
		// G.711 only: packets of up to 60 ms, not the 1500 bytes a wide-band
		// codec may need (a call's buffer shrinks from ~200 KB to ~60 KB).
		JitterBuffer: audio.JitterBufferOptions{MaxPayload: 480}})
	if err != nil {
		return nil, err
	}
	return &rtpMedia{sess: s, origin: origin}, nil
}

func (m *rtpMedia) kind() string { return "rtp" }

func (m *rtpMedia) offer(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return buildSDP(m.origin, m.sess.LocalAddr(), media.SendRecv, nil), nil
}

func (m *rtpMedia) accept(answer []byte) error {
	r, err := parseSDP(answer)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remote = r
	return nil
}

func (m *rtpMedia) answer(_ context.Context, offer []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.remote
	if len(offer) > 0 {
		var err error
		if r, err = parseSDP(offer); err != nil {
			return nil, err
		}
		if m.started {
			if err := m.sess.Update(r.params()); err != nil {
				return nil, err
			}
		}
		m.remote = r
	}
	if r == nil {
		return nil, ErrBadSDP
	}
	return buildSDP(m.origin, m.sess.LocalAddr(), r.dir.Reverse(), r), nil
}

func (m *rtpMedia) start(port *room.LegPort) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.remote == nil {
		return ErrBadSDP
	}
	if err := m.sess.Start(m.remote.params(), port); err != nil {
		return err
	}
	m.started = true
	return nil
}

func (m *rtpMedia) held() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.remote != nil && m.remote.held()
}

func (m *rtpMedia) dtmf() <-chan rune { return m.sess.DTMF() }

func (m *rtpMedia) sendDTMF(d rune, dur time.Duration) error { return m.sess.SendDTMF(d, dur) }

func (m *rtpMedia) codec() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.remote == nil {
		return ""
	}
	return m.remote.codec.Name()
}

func (m *rtpMedia) failed() <-chan struct{} { return nil }

func (m *rtpMedia) close() { _ = m.sess.Close() }
