package webrtc

import "time"

// reception follows the stream we receive for RFC 3550 loss and jitter
// (appendix A.1 and A.8). Owned by the receive goroutine, read under
// Session.recvMu.
type reception struct {
	active       bool
	ssrc         uint32
	clock        int
	baseSeq      int64 // first extended sequence number
	maxSeq       int64 // highest extended sequence number
	received     uint64
	haveTransit  bool
	lastTransit  float64 // in clock units
	jitter       float64 // in clock units
	firstArrival time.Time
}

func (r *reception) start(ssrc uint32, seq uint16, clock int, arrival time.Time) {
	*r = reception{active: true, ssrc: ssrc, clock: clock, baseSeq: int64(seq), maxSeq: int64(seq) - 1, firstArrival: arrival}
}

// update counts one packet.
func (r *reception) update(seq uint16, ts uint32, arrival time.Time) {
	ext := r.extend(seq)
	if ext > r.maxSeq {
		r.maxSeq = ext
	}
	r.received++
	// Transit in clock units; only differences matter, so the wall clock
	// since the first packet will do.
	arrivalUnits := arrival.Sub(r.firstArrival).Seconds() * float64(r.clock)
	transit := arrivalUnits - float64(ts)
	if r.haveTransit {
		d := transit - r.lastTransit
		if d < 0 {
			d = -d
		}
		r.jitter += (d - r.jitter) / 16
	}
	r.lastTransit, r.haveTransit = transit, true
}

// extend gives seq its roll-over count, nearest to the highest seen.
func (r *reception) extend(seq uint16) int64 {
	cycles := r.maxSeq &^ 0xFFFF
	ext := cycles | int64(seq)
	switch {
	case ext < r.maxSeq-0x8000:
		ext += 0x10000
	case ext > r.maxSeq+0x8000:
		ext -= 0x10000
	}
	return ext
}

func (r *reception) lost() int64 {
	if !r.active {
		return 0
	}
	return max(r.maxSeq-r.baseSeq+1-int64(r.received), 0)
}

func (r *reception) lossPercent() float64 {
	expected := r.maxSeq - r.baseSeq + 1
	if !r.active || expected <= 0 {
		return 0
	}
	return float64(r.lost()) * 100 / float64(expected)
}

func (r *reception) jitterDuration() time.Duration {
	if r.clock == 0 {
		return 0
	}
	return time.Duration(r.jitter / float64(r.clock) * float64(time.Second))
}
