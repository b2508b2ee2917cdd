package webrtc

import (
	"time"

	pion "github.com/pion/webrtc/v4"

	"agentbar/audio"
	"agentbar/core/media"
)

// clockRate is the RTP clock of the negotiated codec.
func (s *Session) clockRate() int {
	if s.Codec() == "opus" {
		return audio.OpusClockRate
	}
	return 8000
}

// Stats returns the call's media figures in the same shape as a plain RTP
// call's. RTT is ICE's (STUN consent checks on the selected pair), the
// peer's view of our stream comes from its RTCP receiver reports.
func (s *Session) Stats() media.Quality {
	c := &s.counters
	q := media.Quality{
		PacketsSent:       c.packetsSent.Load(),
		BytesSent:         c.bytesSent.Load(),
		PacketsReceived:   c.packetsReceived.Load(),
		BytesReceived:     c.bytesReceived.Load(),
		RemoteLossPercent: float64(c.remoteFractionLost.Load()) * 100 / 256,
		RemoteJitter:      time.Duration(c.remoteJitterNanos.Load()),
		Malformed:         c.malformed.Load(),
		UnknownPayload:    c.unknownPayload.Load(),
		SSRCChanges:       c.ssrcChanges.Load(),
		DTMFSent:          c.dtmfSent.Load(),
		DTMFReceived:      c.dtmfReceived.Load(),
		RTCPReceived:      c.rtcpReceived.Load(),
		RTT:               s.selectedPairRTT(),
	}
	s.recvMu.Lock()
	q.Jitter = s.recv.Jitter()
	q.LossPercent = s.recv.LossPercent()
	if s.recv.Active() {
		// Duplicates make RTCP's figure negative; this path always said 0.
		q.PacketsLost = max(s.recv.Lost(), 0)
	}
	s.recvMu.Unlock()
	if jb := s.jb.Load(); jb != nil {
		st := jb.Stats()
		q.JitterBufferDelay, q.Late, q.Concealed = st.Delay, st.Late, st.Concealed
	}
	codec := s.Codec()
	if codec == "" {
		codec = "opus"
	}
	oneWay := q.RTT/2 + q.JitterBufferDelay + audio.FrameDuration + 10*time.Millisecond
	q.MOS = media.EstimateMOS(codec, oneWay, q.LossPercent)
	return q
}

// selectedPairRTT is the round trip of the nominated ICE pair, 0 before
// one is measured.
//
// Only asked once ICE and DTLS are up and the session has not failed: when
// the DTLS handshake fails, pion closes the peer connection from its own
// goroutine, and GetStats during that close is a data race inside pion
// (seen under -race with a fingerprint mismatch).
func (s *Session) selectedPairRTT() time.Duration {
	if s.usable() != nil {
		return 0
	}
	select {
	case <-s.failed:
		return 0
	default:
	}
	select {
	case <-s.connected:
	default:
		return 0
	}
	var best time.Duration
	for _, st := range s.pc.GetStats() {
		pair, ok := st.(pion.ICECandidatePairStats)
		if !ok || !pair.Nominated || pair.CurrentRoundTripTime <= 0 {
			continue
		}
		best = time.Duration(pair.CurrentRoundTripTime * float64(time.Second))
	}
	return best
}
