package audio

import (
	"fmt"
	"math"
	"sync/atomic"
	"time"
)

// Call-progress tones as the Chinese national standard (YD/T 1277, the
// 450 Hz family) defines them, DTMF key feedback, and a ringtone for the
// ringer device. Each plays as a FrameSource at any sample rate.

// ToneSegment is one step of a cadence: up to two frequencies sounding
// together for Duration, or silence when both are zero.
type ToneSegment struct {
	Freqs    [2]float64
	Duration time.Duration
}

// TonePattern is a cadence of segments, played once or repeated.
type TonePattern struct {
	Name      string
	Amplitude float64 // peak of each frequency, as a fraction of full scale
	Segments  []ToneSegment
	Repeat    bool
}

// Default amplitudes: a comfortable level in a headset, about -16 dBFS peak
// per component; DTMF pairs a little lower so the sum stays similar.
const (
	progressToneAmplitude = 0.16
	dtmfToneAmplitude     = 0.11
	ringtoneAmplitude     = 0.2
)

// DialTone is 450 Hz, continuous.
func DialTone() TonePattern {
	return TonePattern{Name: "dial", Amplitude: progressToneAmplitude, Repeat: true,
		Segments: []ToneSegment{{Freqs: [2]float64{450}, Duration: time.Second}}}
}

// RingbackTone is 450 Hz, 1 s on and 4 s off.
func RingbackTone() TonePattern {
	return TonePattern{Name: "ringback", Amplitude: progressToneAmplitude, Repeat: true,
		Segments: []ToneSegment{
			{Freqs: [2]float64{450}, Duration: time.Second},
			{Duration: 4 * time.Second},
		}}
}

// BusyTone is 450 Hz, 0.35 s on and 0.35 s off.
func BusyTone() TonePattern {
	return TonePattern{Name: "busy", Amplitude: progressToneAmplitude, Repeat: true,
		Segments: []ToneSegment{
			{Freqs: [2]float64{450}, Duration: 350 * time.Millisecond},
			{Duration: 350 * time.Millisecond},
		}}
}

// CongestionTone is 450 Hz, 0.7 s on and 0.7 s off.
func CongestionTone() TonePattern {
	return TonePattern{Name: "congestion", Amplitude: progressToneAmplitude, Repeat: true,
		Segments: []ToneSegment{
			{Freqs: [2]float64{450}, Duration: 700 * time.Millisecond},
			{Duration: 700 * time.Millisecond},
		}}
}

// DTMFFrequencies returns the low and high frequency of a DTMF key
// (0-9, *, #, A-D), or ok=false.
func DTMFFrequencies(key rune) (low, high float64, ok bool) {
	rows := [4]float64{697, 770, 852, 941}
	cols := [4]float64{1209, 1336, 1477, 1633}
	const keypad = "123A456B789C*0#D"
	for i, k := range keypad {
		if k == key || (k >= 'A' && k <= 'D' && k+('a'-'A') == key) {
			return rows[i/4], cols[i%4], true
		}
	}
	return 0, 0, false
}

// DTMFTone is the feedback tone of one key: both frequencies for d
// (about 100 ms is usual), played once.
func DTMFTone(key rune, d time.Duration) (TonePattern, error) {
	low, high, ok := DTMFFrequencies(key)
	if !ok {
		return TonePattern{}, fmt.Errorf("audio: %q is not a DTMF key", key)
	}
	return TonePattern{Name: "dtmf-" + string(key), Amplitude: dtmfToneAmplitude,
		Segments: []ToneSegment{{Freqs: [2]float64{low, high}, Duration: d}}}, nil
}

// Ringtone is the incoming-call sound for the ringer device: two soft
// major-third chimes (E5+G#5, then C#5+E5) twice, then 1.6 s of quiet.
func Ringtone() TonePattern {
	chimeA := [2]float64{659.25, 830.61}
	chimeB := [2]float64{554.37, 659.25}
	return TonePattern{Name: "ringtone", Amplitude: ringtoneAmplitude, Repeat: true,
		Segments: []ToneSegment{
			{Freqs: chimeA, Duration: 180 * time.Millisecond},
			{Duration: 40 * time.Millisecond},
			{Freqs: chimeB, Duration: 180 * time.Millisecond},
			{Duration: 200 * time.Millisecond},
			{Freqs: chimeA, Duration: 180 * time.Millisecond},
			{Duration: 40 * time.Millisecond},
			{Freqs: chimeB, Duration: 180 * time.Millisecond},
			{Duration: 1600 * time.Millisecond},
		}}
}

// toneRamp is the raised-cosine attack and release of every segment, so
// cadences do not click.
const toneRamp = 4 * time.Millisecond

// Tone plays a TonePattern. It is a FrameSource: Pull belongs to one
// real-time caller; Done may be read from anywhere.
type Tone struct {
	pattern  TonePattern
	rate     float64
	lengths  []int // samples per segment
	ramp     int
	segment  int
	position int // sample index within the segment
	phase    [2]float64
	done     atomic.Bool
}

// NewTone prepares pattern for playing at rate samples per second.
func NewTone(pattern TonePattern, rate int) *Tone {
	t := &Tone{pattern: pattern, rate: float64(rate)}
	t.lengths = make([]int, len(pattern.Segments))
	for i, s := range pattern.Segments {
		t.lengths[i] = int(s.Duration.Seconds() * float64(rate))
	}
	t.ramp = max(1, int(toneRamp.Seconds()*float64(rate)))
	if len(pattern.Segments) == 0 {
		t.done.Store(true)
	}
	return t
}

// Done reports whether a non-repeating pattern has finished.
func (t *Tone) Done() bool { return t.done.Load() }

// Pull implements FrameSource. REAL-TIME: no allocation.
func (t *Tone) Pull(pcm []int16) {
	for i := range pcm {
		if t.done.Load() {
			clear(pcm[i:])
			return
		}
		pcm[i] = t.nextSample()
	}
}

func (t *Tone) nextSample() int16 {
	for t.position >= t.lengths[t.segment] {
		t.position = 0
		t.segment++
		if t.segment == len(t.lengths) {
			t.segment = 0
			if !t.pattern.Repeat {
				t.done.Store(true)
				return 0
			}
		}
		if t.allSegmentsEmpty() {
			t.done.Store(true)
			return 0
		}
	}
	seg := &t.pattern.Segments[t.segment]
	length := t.lengths[t.segment]
	envelope := 1.0
	if edge := min(t.position, length-1-t.position); edge < t.ramp {
		envelope = 0.5 - 0.5*math.Cos(math.Pi*float64(edge)/float64(t.ramp))
	}
	var v float64
	for k, f := range seg.Freqs {
		if f <= 0 {
			continue
		}
		v += math.Sin(t.phase[k])
		t.phase[k] += 2 * math.Pi * f / t.rate
		if t.phase[k] > 2*math.Pi {
			t.phase[k] -= 2 * math.Pi
		}
	}
	t.position++
	return int16(v * envelope * t.pattern.Amplitude * (fullScale - 1))
}

func (t *Tone) allSegmentsEmpty() bool {
	for _, n := range t.lengths {
		if n > 0 {
			return false
		}
	}
	return true
}

// SineWave returns d of a sine at freq with the given peak amplitude
// (fraction of full scale) at rate: test material.
func SineWave(rate int, freq, amplitude float64, d time.Duration) []int16 {
	n := int(d.Seconds() * float64(rate))
	out := make([]int16, n)
	FillSine(out, rate, freq, amplitude, 0)
	return out
}

// FillSine writes a sine into pcm starting at phase (radians) and returns the
// phase after the last sample, so consecutive frames join without a click.
func FillSine(pcm []int16, rate int, freq, amplitude, phase float64) float64 {
	step := 2 * math.Pi * freq / float64(rate)
	for i := range pcm {
		pcm[i] = int16(amplitude * (fullScale - 1) * math.Sin(phase))
		phase += step
		if phase > 2*math.Pi {
			phase -= 2 * math.Pi
		}
	}
	return phase
}
