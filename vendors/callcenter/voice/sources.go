package voice

import (
	"sync/atomic"
	"time"

	"agentbar/audio"
)

// Rate of every source.
const Rate = 8000

// Tone is a party speaking a steady tone: what tests measure.
func Tone(hz float64) audio.FrameSource {
	if hz <= 0 {
		return audio.Silence{}
	}
	return audio.NewTone(audio.TonePattern{Name: "voice", Amplitude: 0.25, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{hz}, Duration: time.Second}}}, Rate)
}

// Music is the queue and hold music: a slow arpeggio (C5 E5 G5 E5), soft.
func Music() audio.FrameSource {
	note := func(hz float64) audio.ToneSegment {
		return audio.ToneSegment{Freqs: [2]float64{hz, hz / 2}, Duration: 400 * time.Millisecond}
	}
	return audio.NewTone(audio.TonePattern{Name: "music", Amplitude: 0.08, Repeat: true,
		Segments: []audio.ToneSegment{note(523.25), note(659.25), note(783.99), note(659.25)}}, Rate)
}

// Ringback is the Chinese ringback tone (450 Hz, 1 s on, 4 s off).
func Ringback() audio.FrameSource { return audio.NewTone(audio.RingbackTone(), Rate) }

// PromptTone stands in for a spoken prompt without espeak-ng: 950 Hz beeps.
func PromptTone() audio.FrameSource {
	return audio.NewTone(audio.TonePattern{Name: "prompt", Amplitude: 0.15, Repeat: true,
		Segments: []audio.ToneSegment{
			{Freqs: [2]float64{950}, Duration: 300 * time.Millisecond},
			{Duration: 700 * time.Millisecond},
		}}, Rate)
}

// Clip plays samples (8000 Hz), looping when loop is set, else silence after.
type Clip struct {
	samples []int16
	pos     int
	loop    bool
}

// NewClip plays samples; the slice is not copied and must not change.
func NewClip(samples []int16, loop bool) *Clip { return &Clip{samples: samples, loop: loop} }

// Pull implements audio.FrameSource.
func (c *Clip) Pull(pcm []int16) {
	n := 0
	for n < len(pcm) {
		if c.pos >= len(c.samples) {
			if !c.loop || len(c.samples) == 0 {
				clear(pcm[n:])
				return
			}
			c.pos = 0
		}
		k := copy(pcm[n:], c.samples[c.pos:])
		n += k
		c.pos += k
	}
}

// Switch is a FrameSource whose source can be replaced at any time from
// any goroutine (a customer starting or stopping to talk). nil is silence.
type Switch struct {
	cur atomic.Pointer[box]
}

type box struct{ src audio.FrameSource }

// Set replaces the source; the new one is pulled from its own position.
func (s *Switch) Set(src audio.FrameSource) {
	if src == nil {
		s.cur.Store(nil)
		return
	}
	s.cur.Store(&box{src: src})
}

// Pull implements audio.FrameSource.
func (s *Switch) Pull(pcm []int16) {
	if b := s.cur.Load(); b != nil {
		b.src.Pull(pcm)
		return
	}
	clear(pcm)
}
