package room

import "time"

// historySamples is how much of what a party said and heard is kept: 2 s
// (tests measure the last second; 64 KB per party and direction).
const historySamples = 2 * Rate

// history is a ring of the last historySamples samples. Guarded by the
// room's mutex.
type history struct {
	buf  [historySamples]int16
	pos  int // next write
	full bool
}

func (h *history) write(pcm []int16) {
	for len(pcm) > 0 {
		n := copy(h.buf[h.pos:], pcm)
		pcm = pcm[n:]
		h.pos += n
		if h.pos == len(h.buf) {
			h.pos, h.full = 0, true
		}
	}
}

// last returns a copy of the last d (at most what is kept).
func (h *history) last(d time.Duration) []int16 {
	n := min(int(d.Seconds()*Rate), historySamples)
	have := h.pos
	if h.full {
		have = historySamples
	}
	n = min(n, have)
	out := make([]int16, n)
	start := h.pos - n
	if start >= 0 {
		copy(out, h.buf[start:h.pos])
		return out
	}
	k := copy(out, h.buf[historySamples+start:])
	copy(out[k:], h.buf[:h.pos])
	return out
}
