package audio

import (
	"sync/atomic"
)

// engine is the real-time heart of a Pipeline: every 10 ms it takes
// the microphone samples, hands them to each call's port (resampled to the
// port's rate), and mixes what each call wants the agent to hear, plus
// tones, into the output. Every driver (malgo device, headless pacer) calls
// process; nothing else in the engine runs on the audio thread.
type engine struct {
	rate  int // device rate
	frame int // samples per 20 ms at the device rate
	chunk int // samples per processing period (10 ms) at the device rate

	ports atomic.Pointer[[]*CallPort] // copy-on-write; writers hold Pipeline.mu
	muted atomic.Bool

	inMeter, outMeter LevelMeter

	tone    atomic.Pointer[sourceBox] // call-progress tone to the headset
	keyTone atomic.Pointer[sourceBox] // DTMF key feedback
	ring    atomic.Pointer[sourceBox] // ringtone, when the driver has no ringer device
	holds   atomic.Int32              // Pipeline.Hold and ringing: keep the devices open

	captureTap, playbackTap func(pcm []int16)

	// Owned by the audio thread.
	capAcc  []int16
	capFill int
	silent  []int16
	playBuf []int16
	playPos int
	acc     []int32
	tmp     []int16

	callbacks atomic.Uint64
	clipped   atomic.Uint64
}

// sourceBox lets a FrameSource interface value live in an atomic.Pointer.
type sourceBox struct{ src FrameSource }

// playing reports whether the source still has something to say: a finite
// tone that has finished has not.
func (b *sourceBox) playing() bool {
	if d, ok := b.src.(interface{ Done() bool }); ok {
		return !d.Done()
	}
	return true
}

// inUse reports whether anything needs the sound devices now: a call's
// port, a tone or key feedback still playing, a ringtone on the headset,
// or a hold (Pipeline.Hold, ringing). Any goroutine; not real-time.
func (e *engine) inUse() bool {
	if e.holds.Load() > 0 || len(*e.ports.Load()) > 0 {
		return true
	}
	for _, slot := range []*atomic.Pointer[sourceBox]{&e.tone, &e.keyTone, &e.ring} {
		if box := slot.Load(); box != nil && box.playing() {
			return true
		}
	}
	return false
}

func newEngine(rate int) (*engine, error) {
	frame, err := SamplesPerFrame(rate)
	if err != nil {
		return nil, err
	}
	chunk, err := samplesPerChunk(rate)
	if err != nil {
		return nil, err
	}
	e := &engine{
		rate:    rate,
		frame:   frame,
		chunk:   chunk,
		capAcc:  make([]int16, chunk),
		silent:  make([]int16, chunk),
		playBuf: make([]int16, chunk),
		playPos: chunk,
		acc:     make([]int32, chunk),
		tmp:     make([]int16, chunk),
	}
	e.ports.Store(&[]*CallPort{})
	return e, nil
}

// process is the audio callback body. It works in 10 ms chunks whatever
// the callback size: packets are 20 ms, but pulling the calls' audio every
// 10 ms halves the time a packet waits for the device.
//
// REAL-TIME: called from the device's audio thread (or the headless pacer),
// any number of samples at a time. It must not allocate, block, or take a
// lock another goroutine can hold: it reads the port list and sources
// through atomics, moves audio through preallocated SPSC rings, and wakes
// readers with a non-blocking send on a one-slot channel. in is nil when
// there is no capture; out is nil when there is no playback.
func (e *engine) process(out, in []int16) {
	e.callbacks.Add(1)
	for len(in) > 0 {
		n := copy(e.capAcc[e.capFill:], in)
		e.capFill += n
		in = in[n:]
		if e.capFill == e.chunk {
			e.captureFrame(e.capAcc)
			e.capFill = 0
		}
	}
	for len(out) > 0 {
		if e.playPos == e.chunk {
			e.playbackFrame(e.playBuf)
			e.playPos = 0
		}
		n := copy(out, e.playBuf[e.playPos:])
		e.playPos += n
		out = out[n:]
	}
}

// captureFrame distributes one device-rate microphone chunk. REAL-TIME.
func (e *engine) captureFrame(mic []int16) {
	if e.captureTap != nil {
		e.captureTap(mic)
	}
	e.inMeter.Measure(mic)
	if e.muted.Load() {
		mic = e.silent
	}
	for _, p := range *e.ports.Load() {
		p.capture(mic)
	}
}

// playbackFrame mixes one device-rate output chunk. REAL-TIME.
func (e *engine) playbackFrame(out []int16) {
	clear(e.acc)
	for _, p := range *e.ports.Load() {
		p.playback(e.acc)
	}
	for _, slot := range []*atomic.Pointer[sourceBox]{&e.tone, &e.keyTone, &e.ring} {
		if box := slot.Load(); box != nil {
			box.src.Pull(e.tmp)
			Accumulate(e.acc, e.tmp)
		}
	}
	if n := Clip(out, e.acc); n > 0 {
		e.clipped.Add(uint64(n))
	}
	if e.playbackTap != nil {
		e.playbackTap(out)
	}
	e.outMeter.Measure(out)
}
