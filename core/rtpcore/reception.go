package rtpcore

import (
	"math"
	"time"
)

// Reception keeps RFC 3550 receiver statistics for the stream we receive
// (appendix A.1 sequence tracking, A.3 loss, A.8 jitter). The zero value
// is inactive until Start. Not safe for concurrent use.
type Reception struct {
	clockRate int
	ssrc      uint32
	active    bool

	maxSeq        uint16
	cycles        uint32
	baseSeq       uint32
	badSeq        uint32
	received      uint32
	expectedPrior uint32
	receivedPrior uint32

	lastTS      uint32
	lastArrival time.Time
	jitter      float64 // timestamp units
}

const (
	maxDropout  = 3000
	maxMisorder = 100
	seqMod      = 1 << 16
)

// Start begins tracking a (new) source whose first packet has sequence
// number seq; clockRate is the payload's RTP clock.
func (r *Reception) Start(ssrc uint32, seq uint16, clockRate int) {
	*r = Reception{clockRate: clockRate, ssrc: ssrc, active: true, maxSeq: seq, baseSeq: uint32(seq), badSeq: seqMod + 1}
}

// Active reports whether Start has been called.
func (r *Reception) Active() bool { return r.active }

// SSRC is the source being tracked.
func (r *Reception) SSRC() uint32 { return r.ssrc }

// Update records one packet; false means a sequence jump the statistics do
// not (yet) believe: it is believed when the next packet follows it, and
// tracking then starts over from there.
func (r *Reception) Update(seq uint16, ts uint32, arrival time.Time) bool {
	delta := seq - r.maxSeq
	switch {
	case delta < maxDropout:
		if seq < r.maxSeq {
			r.cycles += seqMod // wrapped
		}
		r.maxSeq = seq
	case delta <= seqMod-maxMisorder:
		// A big jump: believe it when the next packet follows it.
		if uint32(seq) == r.badSeq {
			ssrc, rate := r.ssrc, r.clockRate
			r.Start(ssrc, seq, rate)
		} else {
			r.badSeq = uint32(seq+1) & (seqMod - 1)
			return false
		}
	default:
		// Duplicate or reordered: counted, no change to maxSeq.
	}
	r.received++
	if !r.lastArrival.IsZero() && r.clockRate > 0 {
		arrivalDelta := arrival.Sub(r.lastArrival).Seconds() * float64(r.clockRate)
		d := math.Abs(arrivalDelta - float64(int32(ts-r.lastTS)))
		r.jitter += (d - r.jitter) / 16
	}
	r.lastTS, r.lastArrival = ts, arrival
	return true
}

// ExtendedMax is the highest sequence number seen, with its roll-over
// count in the upper 16 bits.
func (r *Reception) ExtendedMax() uint32 { return r.cycles + uint32(r.maxSeq) }

// Expected is how many packets the sequence numbers say were sent.
func (r *Reception) Expected() uint32 { return r.ExtendedMax() - r.baseSeq + 1 }

// Lost is the cumulative loss (negative with duplicates), as RTCP reports
// it.
func (r *Reception) Lost() int64 { return int64(r.Expected()) - int64(r.received) }

// LossPercent is the cumulative loss as a percentage, 0 when inactive and
// never negative.
func (r *Reception) LossPercent() float64 {
	exp := r.Expected()
	if !r.active || exp == 0 {
		return 0
	}
	return math.Max(0, float64(r.Lost())) * 100 / float64(exp)
}

// Fraction returns the loss fraction since the last call (8-bit fixed
// point, as a report block carries it) and starts a new interval.
func (r *Reception) Fraction() uint8 {
	exp := r.Expected()
	expInterval := exp - r.expectedPrior
	recvInterval := r.received - r.receivedPrior
	r.expectedPrior, r.receivedPrior = exp, r.received
	if expInterval == 0 || recvInterval >= expInterval {
		return 0
	}
	return uint8((expInterval - recvInterval) << 8 / expInterval)
}

// CumulativeLost is Lost clamped to the 24-bit signed field of a report
// block.
func (r *Reception) CumulativeLost() uint32 {
	lost := min(max(r.Lost(), -(1<<23)), 1<<23-1)
	return uint32(lost) & 0xFFFFFF
}

// JitterUnits is the interarrival jitter in timestamp units, as a report
// block carries it.
func (r *Reception) JitterUnits() uint32 { return uint32(r.jitter) }

// Jitter is the interarrival jitter as a duration.
func (r *Reception) Jitter() time.Duration {
	if r.clockRate == 0 {
		return 0
	}
	return time.Duration(r.jitter / float64(r.clockRate) * float64(time.Second))
}
