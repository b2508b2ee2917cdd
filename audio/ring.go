package audio

import "sync/atomic"

// SampleRing is a lock-free single-producer single-consumer ring of int16
// samples: the way frames cross between the real-time audio thread and the
// network goroutines. Exactly one goroutine may call Write and exactly one
// other may call Read and Discard; Len, Free and Overruns may be called by
// anyone. Nothing allocates after NewSampleRing.
type SampleRing struct {
	buf  []int16
	mask uint64
	_    [48]byte // keep the producer and consumer indices on separate cache lines
	head atomic.Uint64
	_    [56]byte
	tail atomic.Uint64
	_    [56]byte
	// overruns counts samples the producer had to drop because the ring was
	// full.
	overruns atomic.Uint64
}

// NewSampleRing returns a ring that holds at least capacity samples (rounded
// up to a power of two).
func NewSampleRing(capacity int) *SampleRing {
	size := 1
	for size < capacity {
		size <<= 1
	}
	return &SampleRing{buf: make([]int16, size), mask: uint64(size - 1)}
}

// Cap is the number of samples the ring holds when full.
func (r *SampleRing) Cap() int { return len(r.buf) }

// Len is the number of samples waiting to be read.
func (r *SampleRing) Len() int { return int(r.head.Load() - r.tail.Load()) }

// Free is the room left for writing.
func (r *SampleRing) Free() int { return len(r.buf) - r.Len() }

// Overruns is the number of samples Write has dropped because the ring was
// full.
func (r *SampleRing) Overruns() uint64 { return r.overruns.Load() }

// Write copies as much of p as fits and returns how many samples it wrote;
// the rest is dropped and counted as overrun. Producer only.
func (r *SampleRing) Write(p []int16) int {
	head := r.head.Load()
	free := len(r.buf) - int(head-r.tail.Load())
	n := min(len(p), free)
	if n < len(p) {
		r.overruns.Add(uint64(len(p) - n))
	}
	start := int(head & r.mask)
	first := copy(r.buf[start:], p[:n])
	copy(r.buf, p[first:n])
	r.head.Store(head + uint64(n))
	return n
}

// Read copies up to len(p) samples out and returns how many. Consumer only.
func (r *SampleRing) Read(p []int16) int {
	tail := r.tail.Load()
	n := min(len(p), int(r.head.Load()-tail))
	start := int(tail & r.mask)
	first := copy(p[:n], r.buf[start:])
	copy(p[first:n], r.buf)
	r.tail.Store(tail + uint64(n))
	return n
}

// Discard drops up to n of the oldest samples and returns how many it
// dropped. Consumer only: it is how a reader that fell behind catches up
// instead of carrying the backlog as latency.
func (r *SampleRing) Discard(n int) int {
	tail := r.tail.Load()
	n = min(n, int(r.head.Load()-tail))
	r.tail.Store(tail + uint64(n))
	return n
}
