package media

import (
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/pion/rtcp"
)

// RTCP: a compound report (SR or RR, plus SDES CNAME) every
// 0.5-1.5 × Config.RTCPInterval, and the peer's reports turned into RTT,
// remote loss and remote jitter.

// reportLoop sends reports until the session closes.
func (s *Session) reportLoop() {
	defer s.wg.Done()
	timer := time.NewTimer(s.nextReportIn())
	defer timer.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-timer.C:
			s.sendReport(nil)
			timer.Reset(s.nextReportIn())
		}
	}
}

// nextReportIn randomises the interval as RFC 3550 6.2 asks, so peers that
// started together do not report in lockstep.
func (s *Session) nextReportIn() time.Duration {
	base := s.cfg.RTCPInterval
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}

// ntpTime is t as a 64-bit NTP timestamp (seconds since 1900, 32.32 fixed).
func ntpTime(t time.Time) uint64 {
	const ntpEpochOffset = 2208988800 // 1900 → 1970
	secs := uint64(t.Unix()) + ntpEpochOffset
	frac := uint64(t.Nanosecond()) << 32 / uint64(time.Second)
	return secs<<32 | frac
}

func ntpMiddle(ntp uint64) uint32 { return uint32(ntp >> 16) }

// sendReport sends a compound SR/RR + SDES, with extra packets appended.
func (s *Session) sendReport(extra []rtcp.Packet) {
	now := time.Now()
	var block []rtcp.ReceptionReport
	s.recvMu.Lock()
	if s.recv.Active() {
		rr := rtcp.ReceptionReport{
			SSRC:               s.recv.SSRC(),
			FractionLost:       s.recv.Fraction(),
			TotalLost:          s.recv.CumulativeLost(),
			LastSequenceNumber: s.recv.ExtendedMax(),
			Jitter:             s.recv.JitterUnits(),
		}
		if !s.lastSRAt.IsZero() {
			rr.LastSenderReport = s.lastSRMiddle
			rr.Delay = uint32(now.Sub(s.lastSRAt).Seconds() * 65536)
		}
		block = append(block, rr)
	}
	s.recvMu.Unlock()

	c := &s.counters
	var report rtcp.Packet
	if c.sentSinceReport.Swap(false) {
		report = &rtcp.SenderReport{
			SSRC:        s.ssrc,
			NTPTime:     ntpTime(now),
			RTPTime:     c.lastRTPTime.Load(),
			PacketCount: uint32(c.packetsSent.Load()),
			OctetCount:  uint32(c.bytesSent.Load()),
			Reports:     block,
		}
	} else {
		report = &rtcp.ReceiverReport{SSRC: s.ssrc, Reports: block}
	}
	packets := append([]rtcp.Packet{report, rtcp.NewCNAMESourceDescription(s.ssrc, s.cname)}, extra...)
	raw, err := rtcp.Marshal(packets)
	if err != nil {
		s.logger.Warn("media: building RTCP", "err", err)
		return
	}
	p := s.params.Load()
	if p == nil {
		return
	}
	conn := s.rtcpConn
	if p.RTCPMux {
		conn = s.rtpConn
	}
	dst := s.rtcpLatch.destination()
	if !sendable(dst) {
		return
	}
	if _, err := conn.WriteToUDPAddrPort(raw, dst); err != nil {
		s.logger.Debug("media: sending RTCP", "to", dst, "err", err)
		return
	}
	c.rtcpSent.Add(1)
}

// sendBye says goodbye (RFC 3550 6.6). Caller holds mu.
func (s *Session) sendBye() {
	s.sendReport([]rtcp.Packet{&rtcp.Goodbye{Sources: []uint32{s.ssrc}}})
}

// handleRTCP takes one RTCP datagram.
func (s *Session) handleRTCP(b []byte, from netip.AddrPort, arrival time.Time) {
	c := &s.counters
	if len(b) > maxPacket {
		c.oversized.Add(1)
		return
	}
	if s.params.Load() == nil {
		return
	}
	packets, err := rtcp.Unmarshal(b)
	if err != nil {
		c.malformed.Add(1)
		return
	}
	if ok, _ := s.rtcpLatch.accept(from, arrival); !ok {
		c.foreign.Add(1)
		return
	}
	c.rtcpReceived.Add(1)
	for _, pkt := range packets {
		switch r := pkt.(type) {
		case *rtcp.SenderReport:
			s.recvMu.Lock()
			s.lastSRMiddle, s.lastSRAt = ntpMiddle(r.NTPTime), arrival
			s.recvMu.Unlock()
			s.takeReports(r.Reports, arrival)
		case *rtcp.ReceiverReport:
			s.takeReports(r.Reports, arrival)
		}
	}
}

// takeReports reads the peer's report blocks about our stream.
func (s *Session) takeReports(reports []rtcp.ReceptionReport, arrival time.Time) {
	c := &s.counters
	p := s.params.Load()
	for _, r := range reports {
		if r.SSRC != s.ssrc {
			continue
		}
		c.remoteFractionLost.Store(uint32(r.FractionLost))
		if rate := p.Codec.ClockRate(); rate > 0 {
			c.remoteJitterNanos.Store(int64(float64(r.Jitter) / float64(rate) * float64(time.Second)))
		}
		if r.LastSenderReport == 0 {
			continue
		}
		// RTT = arrival - LSR - DLSR, in 1/65536 s (RFC 3550 6.4.1).
		rtt := int64(ntpMiddle(ntpTime(arrival))) - int64(r.LastSenderReport) - int64(r.Delay)
		switch {
		case rtt < 0 && rtt > -655:
			rtt = 0 // under 10 ms of rounding: a loopback peer
		case rtt < 0:
			rtt += 1 << 32 // the middle 32 bits wrapped
		}
		if d := time.Duration(rtt * int64(time.Second) >> 16); d < time.Minute {
			c.rttNanos.Store(int64(d))
		}
	}
}
