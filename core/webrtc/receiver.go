package webrtc

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	pion "github.com/pion/webrtc/v4"
)

// receive reads the peer's RTP (decrypted by pion) until the session
// closes: audio into the jitter buffer, telephone-events to DTMF.
func (s *Session) receive(track *pion.TrackRemote) {
	s.log.Debug("remote audio track", "ssrc", track.SSRC(), "codec", track.Codec().MimeType)
	buf := make([]byte, maxPayload+64)
	var pkt rtp.Packet
	for {
		n, _, err := track.Read(buf)
		if err != nil {
			if errors.Is(err, io.EOF) || s.ctx.Err() != nil {
				return
			}
			if n == 0 {
				// A read error on a live session: pion says the stream is
				// gone (a renegotiation replaced it).
				s.log.Debug("webrtc: reading remote audio", "error", err)
				return
			}
			// pion did not know the payload type: ours to count.
		}
		s.handleRTP(buf[:n], time.Now(), &pkt)
	}
}

// handleRTP takes one decrypted RTP packet.
func (s *Session) handleRTP(b []byte, arrival time.Time, pkt *rtp.Packet) {
	c := &s.counters
	if err := pkt.Unmarshal(b); err != nil || pkt.Version != 2 {
		c.malformed.Add(1)
		return
	}
	s.mu.Lock()
	name, known := s.recvPT[pkt.PayloadType]
	ours := s.codecName
	s.mu.Unlock()
	isDTMF := known && strings.HasPrefix(name, "telephone-event")
	if !known || (!isDTMF && name != ours) {
		// A codec we did not settle on: we cannot play it at this rate.
		c.unknownPayload.Add(1)
		return
	}
	s.firstOnce.Do(func() { close(s.firstPacket) })
	c.packetsReceived.Add(1)
	c.bytesReceived.Add(uint64(len(pkt.Payload)))

	jb := s.jb.Load()
	clock := 8000
	if ours == "opus" {
		clock = 48000
	}
	s.recvMu.Lock()
	newSource, digit := s.recv.Packet(pkt, clock, isDTMF, arrival)
	s.recvMu.Unlock()
	if newSource {
		c.ssrcChanges.Add(1)
		if jb != nil {
			jb.Reset()
		}
	}

	switch {
	case isDTMF:
		if digit != 0 {
			c.dtmfReceived.Add(1)
			select {
			case s.dtmfIn <- digit:
			default:
				s.log.Warn("webrtc: DTMF digit dropped, nobody reading", "digit", string(digit))
			}
		}
	case jb != nil && s.Direction().Receives() && len(pkt.Payload) > 0:
		jb.Push(pkt.SequenceNumber, pkt.Timestamp, pkt.Payload, arrival)
	}
}

// readRTCP drains the RTCP that comes back for our stream (the report
// interceptor needs the reads) and keeps the peer's view of it.
func (s *Session) readRTCP() {
	for {
		packets, _, err := s.sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range packets {
			s.counters.rtcpReceived.Add(1)
			var reports []rtcp.ReceptionReport
			switch r := p.(type) {
			case *rtcp.ReceiverReport:
				reports = r.Reports
			case *rtcp.SenderReport:
				reports = r.Reports
			}
			for _, rr := range reports {
				s.counters.remoteFractionLost.Store(uint32(rr.FractionLost))
				s.counters.remoteJitterNanos.Store(int64(time.Duration(rr.Jitter) * time.Second / time.Duration(s.clockRate())))
			}
		}
	}
}
