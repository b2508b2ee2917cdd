package audio

import (
	"math"
	"slices"
	"sync/atomic"
	"time"
)

// JitterBuffer is an adaptive playout buffer for one RTP audio stream. It is
// a FrameSource: the network goroutine Pushes packets as they arrive and the
// real-time playback side Pulls decoded audio.
//
// Threads. Push and Reset belong to one producer goroutine; Pull to one
// real-time consumer; Stats and Jitter to anyone. The only things shared are
// a lock-free SPSC queue of preallocated packet slots and atomic counters,
// so Pull never waits for Push and neither allocates.
//
// Playout. Pull plays the next sequence number. When it is missing and a
// later packet is already here, it is declared lost and concealed; when
// nothing later is here either, the buffer waits (conceals without
// advancing) for one step, the size of the current Pull (10 ms in the
// pipeline), which adds that much delay: that is how the delay grows when
// packets come late. For every packet it records the margin between
// arrival and playout; over the last couple of seconds (the window), when
// even the 5th-percentile margin exceeds one step plus a safety of twice the
// RFC 3550 jitter, one step is removed: the start of a quiet frame is
// skipped (after a second without one, two frames are cross-faded into
// one). When more than 5 % of packets arrive late, a step of silence is
// inserted during a pause. The delay never goes below one packet: with no
// jitter at all a packet waits less than one pull before it is played.
//
// Concealment repeats the last frame fading out over three frames, then
// plays silence. After 100 ms with nothing to play the stream counts as
// paused, and its next packet starts playout afresh.
type JitterBuffer struct {
	codec Codec
	opts  JitterBufferOptions

	queue jitterQueue // producer → consumer

	// Producer state (Push/Reset only).
	prodHaveLast bool
	prodLastTS   uint32
	prodLastAt   time.Time
	jitterClock  float64 // RFC 3550 J in timestamp units
	jitterNanos  atomic.Int64
	// prodGeneration counts Resets; every queued packet carries it, so the
	// consumer sees a stream change exactly between the right two packets.
	prodGeneration uint32

	// Consumer state (Pull only).
	store       [jitterStoreSize]storedPacket
	concealedAt [jitterStoreSize]time.Time // when a lost sequence number was due
	generation  uint32
	playing     bool
	haveRef     bool
	nextExt     int64 // next extended sequence number to play
	highestExt  int64
	waited      int     // samples concealed while waiting for the next packet
	fifo        []int16 // decoded audio not yet pulled
	fifoPos     int
	scratch     []int16
	scratch2    []int16
	last        []int16 // last frame played, for concealment
	lastLen     int
	concealPos  int // samples of concealment since the last packet
	frameNanos  int64
	margins     marginWindow
	sinceAdjust int
	wantShrink  int // pulls since shrinking became due without a quiet frame
	lastQuiet   bool

	stats jitterCounters
}

// JitterBufferOptions tunes a JitterBuffer; the zero value is sensible.
type JitterBufferOptions struct {
	// MaxDelay caps the playout delay; 0 = 300 ms.
	MaxDelay time.Duration
	// Window is how many packets of history drive adaptation; 0 = 100
	// (2 s of 20 ms packets).
	Window int
	// QueuePackets is the capacity between Push and Pull; 0 = 64.
	QueuePackets int
	// MaxPayload is the largest payload accepted; 0 = 1500 bytes.
	MaxPayload int
	// Clock gives the playout time at each Pull; nil = time.Now. Tests use
	// it to replay arrival patterns.
	Clock func() time.Time
}

func (o JitterBufferOptions) withDefaults() JitterBufferOptions {
	if o.MaxDelay <= 0 {
		o.MaxDelay = 300 * time.Millisecond
	}
	if o.Window <= 0 {
		o.Window = 100
	}
	if o.QueuePackets <= 0 {
		o.QueuePackets = 64
	}
	if o.MaxPayload <= 0 {
		o.MaxPayload = 1500
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// JitterBufferStats are the buffer's counters and current state.
type JitterBufferStats struct {
	// Delay is the playout delay (buffered audio at Pull), smoothed.
	Delay time.Duration
	// Jitter is the RFC 3550 interarrival jitter of what was pushed.
	Jitter time.Duration
	// Pushed counts packets given to Push; Played those decoded and played.
	Pushed, Played uint64
	// Late packets arrived after their turn; Lost were missing at their turn
	// (concealed); Duplicate were seen twice.
	Late, Lost, Duplicate uint64
	// Concealed counts frames made up by concealment (while waiting or for
	// a lost packet).
	Concealed uint64
	// Dropped and Inserted count frames removed or added to adapt the delay.
	Dropped, Inserted uint64
	// Overflow counts packets Push could not queue (nobody pulling, or too
	// big); Resets counts Reset calls and stream restarts.
	Overflow, Resets uint64
}

type jitterCounters struct {
	delayNanos                                  atomic.Int64
	played, late, lost, duplicate, concealed    atomic.Uint64
	dropped, inserted, overflow, resets, pushed atomic.Uint64
}

const (
	jitterStoreSize = 64 // packets the consumer can hold: 1.28 s at 20 ms
	// A packet this far ahead of the playout point, or behind it, means the
	// sender restarted its sequence: start over rather than wait.
	jitterJumpAhead  = jitterStoreSize
	jitterJumpBehind = 100
	// Concealment fades the repeated frame over this many frames.
	concealFrames = 3
	// After this many packets' time with nothing to play the stream is
	// paused.
	pausePackets = 5
	// quietDBFS is the level under which a frame may be dropped or a frame of
	// silence inserted without being heard.
	quietDBFS = -45.0
	// maxFrameSamples bounds one decoded packet: 120 ms at 48 kHz.
	maxFrameSamples = 5760
	// adjustHoldoff is the number of pulls between two delay changes.
	adjustHoldoff = 5
	// forcedShrinkPulls: after this long wanting to shrink without finding a
	// quiet frame, cross-fade two frames into one.
	forcedShrinkPulls = 50
)

// NewJitterBuffer returns an empty buffer decoding with codec.
func NewJitterBuffer(codec Codec, opts JitterBufferOptions) *JitterBuffer {
	opts = opts.withDefaults()
	jb := &JitterBuffer{
		codec:    codec,
		opts:     opts,
		scratch:  make([]int16, maxFrameSamples),
		scratch2: make([]int16, maxFrameSamples),
		fifo:     make([]int16, 0, maxFrameSamples),
		last:     make([]int16, maxFrameSamples),
		margins:  newMarginWindow(opts.Window),
	}
	jb.queue.init(opts.QueuePackets, opts.MaxPayload)
	for i := range jb.store {
		jb.store[i].payload = make([]byte, 0, opts.MaxPayload)
	}
	return jb
}

// Codec is the codec the buffer decodes with.
func (jb *JitterBuffer) Codec() Codec { return jb.codec }

// Push hands one received RTP packet to the buffer: sequence number,
// timestamp, payload (copied) and arrival time. Producer only.
func (jb *JitterBuffer) Push(seq uint16, ts uint32, payload []byte, arrival time.Time) {
	jb.stats.pushed.Add(1)
	jb.updateJitter(ts, arrival)
	if len(payload) > jb.opts.MaxPayload || !jb.queue.push(jb.prodGeneration, seq, ts, payload, arrival) {
		jb.stats.overflow.Add(1)
	}
}

// Reset tells the buffer the stream starts over (the SSRC changed): what is
// buffered is dropped when the first packet of the new stream reaches the
// consumer, and playout restarts with it. Producer only.
func (jb *JitterBuffer) Reset() {
	jb.prodHaveLast = false
	jb.jitterClock = 0
	jb.jitterNanos.Store(0)
	jb.prodGeneration++
	jb.stats.resets.Add(1)
}

// updateJitter is RFC 3550 A.8: J += (|D| - J)/16, with D the change in
// transit time between consecutive packets, in timestamp units.
func (jb *JitterBuffer) updateJitter(ts uint32, arrival time.Time) {
	if jb.prodHaveLast {
		rate := float64(jb.codec.ClockRate())
		arrivalDelta := arrival.Sub(jb.prodLastAt).Seconds() * rate
		tsDelta := float64(int32(ts - jb.prodLastTS))
		d := math.Abs(arrivalDelta - tsDelta)
		jb.jitterClock += (d - jb.jitterClock) / 16
		jb.jitterNanos.Store(int64(jb.jitterClock / rate * float64(time.Second)))
	}
	jb.prodHaveLast, jb.prodLastTS, jb.prodLastAt = true, ts, arrival
}

// Jitter is the RFC 3550 interarrival jitter of the pushed stream.
func (jb *JitterBuffer) Jitter() time.Duration { return time.Duration(jb.jitterNanos.Load()) }

// Stats returns the counters. Any goroutine.
func (jb *JitterBuffer) Stats() JitterBufferStats {
	s := &jb.stats
	return JitterBufferStats{
		Delay:     time.Duration(s.delayNanos.Load()),
		Jitter:    jb.Jitter(),
		Pushed:    s.pushed.Load(),
		Played:    s.played.Load(),
		Late:      s.late.Load(),
		Lost:      s.lost.Load(),
		Duplicate: s.duplicate.Load(),
		Concealed: s.concealed.Load(),
		Dropped:   s.dropped.Load(),
		Inserted:  s.inserted.Load(),
		Overflow:  s.overflow.Load(),
		Resets:    s.resets.Load(),
	}
}

// Pull fills pcm with the next audio at the codec's sample rate.
//
// REAL-TIME: called from the playback thread; no allocation, no lock.
func (jb *JitterBuffer) Pull(pcm []int16) {
	now := jb.opts.Clock()
	for len(pcm) > 0 {
		if jb.fifoPos >= len(jb.fifo) {
			jb.produce(now, len(pcm))
		}
		n := copy(pcm, jb.fifo[jb.fifoPos:])
		jb.fifoPos += n
		pcm = pcm[n:]
	}
}

// storedPacket is a packet waiting in the consumer's reorder store.
type storedPacket struct {
	valid   bool
	ext     int64
	arrival time.Time
	payload []byte
}

// drain moves everything queued by Push into the reorder store.
func (jb *JitterBuffer) drain(now time.Time) {
	for {
		slot := jb.queue.peek()
		if slot == nil {
			return
		}
		if slot.generation != jb.generation {
			jb.generation = slot.generation
			jb.restart()
			jb.margins.clear()
		}
		jb.insert(slot, now)
		jb.queue.pop()
	}
}

func (jb *JitterBuffer) insert(slot *queueSlot, now time.Time) {
	var ext int64
	if !jb.haveRef {
		ext = 1<<20 + int64(slot.seq)
		jb.haveRef, jb.highestExt = true, ext
	} else {
		ext = jb.highestExt + int64(int16(slot.seq-uint16(jb.highestExt)))
	}
	if jb.playing {
		switch {
		case ext >= jb.nextExt+jitterJumpAhead || ext < jb.nextExt-jitterJumpBehind:
			jb.stats.resets.Add(1)
			jb.restart()
			jb.haveRef, jb.highestExt = true, ext
		case ext < jb.nextExt:
			// Too late: its turn has passed. A packet we played is a duplicate.
			if jb.wasPlayed(ext) {
				jb.stats.duplicate.Add(1)
			} else {
				jb.stats.late.Add(1)
				if due := jb.concealedAt[ext%jitterStoreSize]; !due.IsZero() {
					jb.margins.add(int64(due.Sub(slot.arrival)))
				}
			}
			return
		}
	} else if jb.anyStored() && (ext > jb.highestExt+jitterJumpAhead || ext < jb.highestExt-jitterJumpAhead) {
		jb.clearStore()
		jb.highestExt = ext
	}
	p := &jb.store[ext%jitterStoreSize]
	if p.valid {
		if p.ext == ext {
			jb.stats.duplicate.Add(1)
			return
		}
		// An old packet still in the slot 64 places back: it can never play.
		jb.stats.late.Add(1)
	}
	p.valid, p.ext, p.arrival = true, ext, slot.arrival
	p.payload = append(p.payload[:0], slot.payload[:slot.n]...)
	jb.highestExt = max(jb.highestExt, ext)
}

// played marks which of the last 64 sequence numbers were actually played.
func (jb *JitterBuffer) wasPlayed(ext int64) bool {
	return jb.nextExt-ext <= jitterStoreSize && jb.concealedAt[ext%jitterStoreSize].IsZero()
}

func (jb *JitterBuffer) anyStored() bool {
	for i := range jb.store {
		if jb.store[i].valid {
			return true
		}
	}
	return false
}

func (jb *JitterBuffer) clearStore() {
	for i := range jb.store {
		jb.store[i].valid = false
	}
}

// restart forgets the stream: playout begins afresh with the next packet.
func (jb *JitterBuffer) restart() {
	jb.clearStore()
	jb.playing, jb.haveRef = false, false
	jb.waited, jb.wantShrink, jb.sinceAdjust = 0, 0, 0
}

// startPlayout begins playing at the newest packet held, dropping older
// ones: at a stream's start (or after a pause) a burst of packets is old
// audio that would otherwise stay as delay for seconds.
func (jb *JitterBuffer) startPlayout() bool {
	var newest int64
	found := false
	for i := range jb.store {
		if p := &jb.store[i]; p.valid && (!found || p.ext > newest) {
			newest, found = p.ext, true
		}
	}
	if !found {
		return false
	}
	for i := range jb.store {
		if p := &jb.store[i]; p.valid && p.ext != newest {
			p.valid = false
			jb.stats.dropped.Add(1)
		}
	}
	jb.playing, jb.nextExt, jb.waited = true, newest, 0
	return true
}

// produce makes the next audio into the fifo: the next packet, concealment,
// silence, or two frames merged. want is what the current Pull still needs;
// delay changes are made in steps of that size (10 ms with the pipeline's
// 10 ms pulls), not whole packets, so the delay follows the network closely.
func (jb *JitterBuffer) produce(now time.Time, want int) {
	jb.drain(now)
	jb.fifo, jb.fifoPos = jb.fifo[:0], 0
	frameLen := jb.lastLen
	if frameLen == 0 {
		frameLen = min(want, maxFrameSamples)
	}
	step := min(want, frameLen)
	if !jb.playing && !jb.startPlayout() {
		jb.emitSilence(step)
		jb.recordDelay(0)
		return
	}
	jb.sinceAdjust++
	span := jb.highestExt - jb.nextExt + 1
	jb.recordDelay(span)

	p := jb.packet(jb.nextExt)
	if p == nil {
		jb.produceMissing(now, frameLen, step, span)
		return
	}
	jb.waited = 0
	if jb.maybeShrink(now, p, step) {
		return
	}
	if jb.maybeInsert(step) {
		return
	}
	jb.playPacket(now, p, 0)
}

func (jb *JitterBuffer) packet(ext int64) *storedPacket {
	p := &jb.store[ext%jitterStoreSize]
	if p.valid && p.ext == ext {
		return p
	}
	return nil
}

// playPacket decodes p and queues it from sample skip on.
func (jb *JitterBuffer) playPacket(now time.Time, p *storedPacket, skip int) {
	n := jb.decode(p.payload, jb.scratch)
	jb.fifo = append(jb.fifo, jb.scratch[min(skip, n):n]...)
	jb.rememberPlayed(now, p, jb.scratch[:n])
	jb.nextExt++
}

func (jb *JitterBuffer) rememberPlayed(now time.Time, p *storedPacket, pcm []int16) {
	jb.margins.add(int64(now.Sub(p.arrival)))
	jb.concealedAt[p.ext%jitterStoreSize] = time.Time{}
	p.valid = false
	copy(jb.last, pcm)
	jb.lastLen = len(pcm)
	jb.frameNanos = jb.samplesNanos(len(pcm))
	jb.concealPos = 0
	jb.lastQuiet = RMSdBFS(pcm) < quietDBFS
	jb.stats.played.Add(1)
}

func (jb *JitterBuffer) samplesNanos(n int) int64 {
	return int64(n) * int64(time.Second) / int64(jb.codec.SampleRate())
}

// decode decodes payload into dst, returning silence for an undecodable one.
func (jb *JitterBuffer) decode(payload []byte, dst []int16) int {
	n, err := jb.codec.Decode(payload, dst)
	if err != nil || n == 0 {
		n = max(jb.lastLen, 1)
		clear(dst[:n])
	}
	return n
}

func (jb *JitterBuffer) produceMissing(now time.Time, frameLen, step int, span int64) {
	jb.stats.concealed.Add(1)
	if span > 1 {
		// Something later is here: this one is lost (or will be late).
		jb.stats.lost.Add(1)
		jb.concealedAt[jb.nextExt%jitterStoreSize] = now
		jb.nextExt++
		jb.conceal(frameLen)
		return
	}
	// Nothing to play: wait for it, which grows the delay by one step.
	jb.waited += step
	if jb.waited > pausePackets*frameLen {
		jb.playing = false // paused: the next packet restarts playout
		jb.emitSilence(step)
		return
	}
	jb.conceal(step)
}

// conceal makes n samples by repeating the last frame, fading it out over
// concealFrames frames, then silence.
func (jb *JitterBuffer) conceal(n int) {
	total := concealFrames * jb.lastLen
	for range n {
		var v int16
		if jb.concealPos < total {
			g := 1 - float64(jb.concealPos)/float64(total)
			v = int16(float64(jb.last[jb.concealPos%jb.lastLen]) * g)
			jb.concealPos++
		}
		jb.fifo = append(jb.fifo, v)
	}
}

func (jb *JitterBuffer) emitSilence(n int) {
	jb.fifo = jb.fifo[:n]
	clear(jb.fifo)
}

// maybeShrink shortens the delay by one step when it is more than the
// network needs: the start of a quiet frame is skipped unheard, or, after a
// second without a quiet frame, two frames are cross-faded into one.
func (jb *JitterBuffer) maybeShrink(now time.Time, p *storedPacket, step int) bool {
	tooLong := jb.frameNanos > 0 && (jb.highestExt-jb.nextExt+1)*jb.frameNanos > int64(jb.opts.MaxDelay)
	stepNanos := jb.samplesNanos(step)
	if !tooLong && !jb.shrinkDue(stepNanos) {
		jb.wantShrink = 0
		return false
	}
	next := jb.packet(jb.nextExt + 1)
	if next == nil {
		return false // never drop the only packet: at least one packet of delay
	}
	n := jb.decode(p.payload, jb.scratch)
	switch {
	case RMSdBFS(jb.scratch[:n]) < quietDBFS:
		if step < n {
			jb.playPacket(now, p, step)
		} else {
			jb.concealedAt[p.ext%jitterStoreSize] = time.Time{}
			p.valid = false
			jb.nextExt++
			jb.playPacket(now, next, 0)
			stepNanos = jb.samplesNanos(n)
		}
	case tooLong || jb.wantShrink >= forcedShrinkPulls:
		// No pause in sight: merge this frame and the next into one with a
		// cross-fade (a small time-scale change).
		m := jb.decode(next.payload, jb.scratch2)
		m = min(m, n)
		for i := range m {
			w := float64(i) / float64(m)
			jb.fifo = append(jb.fifo, int16(float64(jb.scratch[i])*(1-w)+float64(jb.scratch2[i])*w))
		}
		p.valid = false
		jb.nextExt++
		jb.rememberPlayed(now, next, jb.scratch2[:m])
		jb.nextExt++
		stepNanos = jb.samplesNanos(n)
	default:
		jb.wantShrink++
		return false
	}
	jb.stats.dropped.Add(1)
	jb.margins.shift(-stepNanos)
	jb.sinceAdjust, jb.wantShrink = 0, 0
	return true
}

// shrinkDue: even the 5th-percentile packet waited longer than a step plus
// a safety of twice the RFC 3550 jitter.
func (jb *JitterBuffer) shrinkDue(stepNanos int64) bool {
	if jb.sinceAdjust < adjustHoldoff || !jb.margins.full() || jb.frameNanos == 0 {
		return false
	}
	safety := max(int64(2*time.Millisecond), 2*jb.jitterNanos.Load())
	return jb.margins.percentile(5) > stepNanos+safety
}

// maybeInsert adds a step of silence in a pause when too many packets come
// late.
func (jb *JitterBuffer) maybeInsert(step int) bool {
	if !jb.lastQuiet || jb.sinceAdjust < adjustHoldoff || jb.margins.count() < 20 || jb.margins.percentile(5) >= 0 {
		return false
	}
	if jb.frameNanos > 0 && (jb.highestExt-jb.nextExt+2)*jb.frameNanos > int64(jb.opts.MaxDelay) {
		return false
	}
	jb.emitSilence(step)
	jb.stats.inserted.Add(1)
	jb.margins.shift(jb.samplesNanos(step))
	jb.sinceAdjust = 0
	return true
}

// recordDelay smooths the buffered span (in packets) into the Delay figure.
func (jb *JitterBuffer) recordDelay(span int64) {
	target := span * jb.frameNanos
	old := jb.stats.delayNanos.Load()
	if old == 0 || target == 0 {
		jb.stats.delayNanos.Store(target)
		return
	}
	next := old + (target-old)/8
	if d := target - next; d > -int64(100*time.Microsecond) && d < int64(100*time.Microsecond) {
		next = target // close enough: report the figure itself, not a tail of decimals
	}
	jb.stats.delayNanos.Store(next)
}

// marginWindow keeps the last n arrival-to-playout margins (ns) for the
// percentile that drives adaptation. shift moves all of them at once, as a
// dropped or inserted frame does. No allocation after creation.
type marginWindow struct {
	values []int64
	sorted []int64
	next   int
	filled int
	bias   int64
	dirty  bool
	cached int64
	cacheP int
}

func newMarginWindow(n int) marginWindow {
	return marginWindow{values: make([]int64, n), sorted: make([]int64, n)}
}

func (w *marginWindow) add(v int64) {
	w.values[w.next] = v - w.bias
	w.next = (w.next + 1) % len(w.values)
	w.filled = min(w.filled+1, len(w.values))
	w.dirty = true
}

func (w *marginWindow) shift(d int64) { w.bias += d }
func (w *marginWindow) clear()        { w.filled, w.next, w.bias, w.dirty = 0, 0, 0, true }
func (w *marginWindow) count() int    { return w.filled }
func (w *marginWindow) full() bool    { return w.filled == len(w.values) }

// percentile returns the p-th percentile (0-100) of the margins.
func (w *marginWindow) percentile(p int) int64 {
	if w.filled == 0 {
		return 0
	}
	if w.dirty || w.cacheP != p {
		s := w.sorted[:w.filled]
		copy(s, w.values[:w.filled])
		slices.Sort(s)
		w.cached, w.cacheP, w.dirty = s[(len(s)-1)*p/100], p, false
	}
	return w.cached + w.bias
}

// jitterQueue is the SPSC hand-over from Push to Pull: a ring of slots with
// their payload buffers allocated up front.
type jitterQueue struct {
	slots []queueSlot
	head  atomic.Uint64 // producer
	tail  atomic.Uint64 // consumer
}

type queueSlot struct {
	generation uint32
	seq        uint16
	ts         uint32
	arrival    time.Time
	n          int
	payload    []byte
}

func (q *jitterQueue) init(n, maxPayload int) {
	q.slots = make([]queueSlot, n)
	for i := range q.slots {
		q.slots[i].payload = make([]byte, maxPayload)
	}
}

func (q *jitterQueue) push(generation uint32, seq uint16, ts uint32, payload []byte, arrival time.Time) bool {
	head := q.head.Load()
	if head-q.tail.Load() >= uint64(len(q.slots)) {
		return false
	}
	s := &q.slots[head%uint64(len(q.slots))]
	s.generation, s.seq, s.ts, s.arrival = generation, seq, ts, arrival
	s.n = copy(s.payload, payload)
	q.head.Store(head + 1)
	return true
}

func (q *jitterQueue) peek() *queueSlot {
	tail := q.tail.Load()
	if tail == q.head.Load() {
		return nil
	}
	return &q.slots[tail%uint64(len(q.slots))]
}

func (q *jitterQueue) pop() { q.tail.Add(1) }
