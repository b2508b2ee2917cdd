package media

import (
	"net"
	"net/netip"
	"time"

	"github.com/pion/rtp"
)

// receiveLoop reads one socket until it closes. The RTP socket carries RTCP
// too when rtcp-mux is negotiated.
func (s *Session) receiveLoop(conn *net.UDPConn, isRTP bool) {
	defer s.wg.Done()
	buf := make([]byte, readBuffer)
	var pkt rtp.Packet
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			s.logger.Debug("media: read", "err", err)
			continue
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		if isRTP {
			s.handleRTPSocket(buf[:n], from, time.Now(), &pkt)
		} else {
			s.handleRTCP(buf[:n], from, time.Now())
		}
	}
}

// isRTCP tells RTCP from RTP on a muxed socket (RFC 5761 4): RTCP packet
// types 192-223 fall where RTP payload types 64-95 would be.
func isRTCP(b []byte) bool {
	return len(b) >= 2 && b[1] >= 192 && b[1] <= 223
}

// handleRTPSocket handles one datagram from the RTP socket.
func (s *Session) handleRTPSocket(b []byte, from netip.AddrPort, arrival time.Time, pkt *rtp.Packet) {
	c := &s.counters
	if len(b) > maxPacket {
		c.oversized.Add(1)
		return
	}
	p := s.params.Load()
	if p == nil {
		return
	}
	if isRTCP(b) {
		if p.RTCPMux {
			s.handleRTCP(b, from, arrival)
		} else {
			c.malformed.Add(1)
		}
		return
	}
	if err := pkt.Unmarshal(b); err != nil || pkt.Version != 2 {
		c.malformed.Add(1)
		return
	}
	isDTMF := p.DTMFPayloadType != 0 && pkt.PayloadType == p.DTMFPayloadType
	if pkt.PayloadType != p.PayloadType && !isDTMF {
		c.unknownPayload.Add(1)
		return
	}
	ok, moved := s.rtpLatch.accept(from, arrival)
	if !ok {
		c.foreign.Add(1)
		return
	}
	if moved {
		s.logger.Info("media: peer RTP address latched", "from", from, "sdp", p.Remote)
	}
	s.firstOnce.Do(func() { close(s.firstPacket) })
	c.packetsReceived.Add(1)
	c.bytesReceived.Add(uint64(len(pkt.Payload)))

	jb := s.jb.Load()
	s.recvMu.Lock()
	newSource, digit := s.recv.Packet(pkt, p.Codec.ClockRate(), isDTMF, arrival)
	s.recvMu.Unlock()
	if newSource {
		c.ssrcChanges.Add(1)
		jb.Reset()
	}

	switch {
	case isDTMF:
		if digit != 0 {
			c.dtmfReceived.Add(1)
			select {
			case s.dtmfIn <- digit:
			default:
				s.logger.Warn("media: DTMF digit dropped, nobody reading", "digit", string(digit))
			}
		}
	case p.Direction.Receives():
		jb.Push(pkt.SequenceNumber, pkt.Timestamp, pkt.Payload, arrival)
	}
}
