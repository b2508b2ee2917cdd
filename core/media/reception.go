package media

import (
	"math"
	"time"
)

// reception keeps RFC 3550 receiver statistics for the stream we receive
// (appendix A.1 sequence tracking, A.3 loss, A.8 jitter). Not safe for
// concurrent use: Session guards it.
type reception struct {
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

// start begins tracking a (new) source.
func (r *reception) start(ssrc uint32, seq uint16, clockRate int) {
	*r = reception{clockRate: clockRate, ssrc: ssrc, active: true, maxSeq: seq, baseSeq: uint32(seq), badSeq: seqMod + 1}
}

// update records one packet; false means a sequence jump the stats do not
// (yet) believe.
func (r *reception) update(seq uint16, ts uint32, arrival time.Time) bool {
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
			r.start(ssrc, seq, rate)
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

func (r *reception) extendedMax() uint32 { return r.cycles + uint32(r.maxSeq) }

func (r *reception) expected() uint32 { return r.extendedMax() - r.baseSeq + 1 }

// lost is the cumulative loss (negative with duplicates), as RTCP reports it.
func (r *reception) lost() int64 { return int64(r.expected()) - int64(r.received) }

// lossPercent is the cumulative loss as a percentage.
func (r *reception) lossPercent() float64 {
	exp := r.expected()
	if !r.active || exp == 0 {
		return 0
	}
	return math.Max(0, float64(r.lost())) * 100 / float64(exp)
}

// fraction returns the loss fraction since the last call (8-bit fixed point)
// and starts a new interval.
func (r *reception) fraction() uint8 {
	exp := r.expected()
	expInterval := exp - r.expectedPrior
	recvInterval := r.received - r.receivedPrior
	r.expectedPrior, r.receivedPrior = exp, r.received
	if expInterval == 0 || recvInterval >= expInterval {
		return 0
	}
	return uint8((expInterval - recvInterval) << 8 / expInterval)
}

// cumulativeLost is clamped to the 24-bit signed field of a report block.
func (r *reception) cumulativeLost() uint32 {
	lost := min(max(r.lost(), -(1<<23)), 1<<23-1)
	return uint32(lost) & 0xFFFFFF
}

func (r *reception) jitterDuration() time.Duration {
	if r.clockRate == 0 {
		return 0
	}
	return time.Duration(r.jitter / float64(r.clockRate) * float64(time.Second))
}
