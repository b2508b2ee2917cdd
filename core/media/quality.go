package media

import (
	"math"
	"time"
)

// Quality is a snapshot of a session's media statistics.
type Quality struct {
	// Jitter is the RFC 3550 interarrival jitter of the stream we receive.
	Jitter time.Duration
	// LossPercent is the cumulative loss of the stream we receive.
	LossPercent float64
	// RTT is the round-trip time from the peer's last report (LSR/DLSR);
	// 0 until one arrives.
	RTT time.Duration
	// MOS is the E-model estimate (1-4.5) for what the agent hears.
	MOS float64

	PacketsSent, PacketsReceived uint64
	BytesSent, BytesReceived     uint64
	// PacketsLost is cumulative (expected - received), as RTCP counts it.
	PacketsLost int64

	// RemoteLossPercent and RemoteJitter are the peer's view of our stream,
	// from its last receiver report.
	RemoteLossPercent float64
	RemoteJitter      time.Duration

	// JitterBufferDelay is the current playout delay; Late and Concealed
	// come from the jitter buffer.
	JitterBufferDelay time.Duration
	Late, Concealed   uint64

	// Rejected packets, by reason.
	Foreign, Malformed, UnknownPayload, Oversized uint64
	// SSRCChanges counts source changes seen on the stream.
	SSRCChanges uint64
	// DTMFSent and DTMFReceived count digits.
	DTMFSent, DTMFReceived uint64
	// RTCPSent and RTCPReceived count compound reports.
	RTCPSent, RTCPReceived uint64
}

// Codec impairment figures for the E-model (ITU-T G.113 Appendix I): Ie is
// the equipment impairment, Bpl the packet-loss robustness with PLC.
type codecImpairment struct{ ie, bpl float64 }

func impairmentFor(codec string) codecImpairment {
	switch codec {
	case "PCMU", "PCMA":
		return codecImpairment{ie: 0, bpl: 25.1}
	case "G722":
		return codecImpairment{ie: 0, bpl: 25.1} // wide-band scale not modelled
	case "opus":
		return codecImpairment{ie: 0, bpl: 20}
	}
	return codecImpairment{ie: 10, bpl: 10}
}

// EstimateMOS is the simplified E-model of ITU-T G.107: the rating R starts
// from 93.2, loses the delay impairment Id for the one-way mouth-to-ear
// delay and the effective equipment impairment Ie-eff for the codec under
// random loss, and maps to a MOS between 1 and 4.5.
func EstimateMOS(codec string, oneWay time.Duration, lossPercent float64) float64 {
	d := float64(oneWay) / float64(time.Millisecond)
	id := 0.024 * d
	if d > 177.3 {
		id += 0.11 * (d - 177.3)
	}
	imp := impairmentFor(codec)
	ppl := math.Max(0, math.Min(100, lossPercent))
	ieEff := imp.ie + (95-imp.ie)*ppl/(ppl+imp.bpl)
	return rToMOS(93.2 - id - ieEff)
}

func rToMOS(r float64) float64 {
	switch {
	case r <= 0:
		return 1
	case r >= 100:
		return 4.5
	}
	return 1 + 0.035*r + r*(r-60)*(100-r)*7e-6
}
