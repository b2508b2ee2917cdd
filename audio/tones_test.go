package audio

import (
	"math"
	"strconv"
	"testing"
	"time"
)

// render pulls d of a FrameSource in 20 ms frames at rate.
func render(src FrameSource, rate int, d time.Duration) []int16 {
	frame := rate / 50
	out := make([]int16, 0, int(d.Seconds()*float64(rate)))
	buf := make([]int16, frame)
	for len(out) < cap(out) {
		src.Pull(buf)
		out = append(out, buf...)
	}
	return out
}

func section(pcm []int16, rate int, from, to time.Duration) []int16 {
	return pcm[int(from.Seconds()*float64(rate)):int(to.Seconds()*float64(rate))]
}

// Progress tones: the frequency within 1 %, and the cadence (on/off
// lengths) measured from the gaps, at the rates the pipeline uses.
func TestProgressTones(t *testing.T) {
	tests := []struct {
		name    string
		pattern TonePattern
		length  time.Duration
		on, off time.Duration // 0 off = continuous
	}{
		{"dial", DialTone(), 2 * time.Second, 0, 0},
		{"ringback", RingbackTone(), 11 * time.Second, time.Second, 4 * time.Second},
		{"busy", BusyTone(), 2 * time.Second, 350 * time.Millisecond, 350 * time.Millisecond},
		{"congestion", CongestionTone(), 3 * time.Second, 700 * time.Millisecond, 700 * time.Millisecond},
	}
	for _, tt := range tests {
		for _, rate := range []int{8000, 16000, 48000} {
			t.Run(tt.name+"/"+strconv.Itoa(rate), func(t *testing.T) {
				pcm := render(NewTone(tt.pattern, rate), rate, tt.length)
				onPart := pcm
				if tt.on > 0 {
					onPart = section(pcm, rate, 10*time.Millisecond, tt.on-10*time.Millisecond)
				}
				if f := DominantFrequency(onPart, rate); math.Abs(f-450) > 4.5 {
					t.Errorf("frequency %.1f Hz, want 450 ± 1%%", f)
				}
				if lvl := RMSdBFS(onPart); lvl < -22 || lvl > -12 {
					t.Errorf("level %.1f dBFS, want a comfortable -22..-12", lvl)
				}
				gaps := FindGaps(pcm, rate, -50, 20*time.Millisecond)
				if tt.off == 0 {
					if len(gaps) != 0 {
						t.Errorf("continuous tone has gaps %v", gaps)
					}
					return
				}
				if len(gaps) < 2 {
					t.Fatalf("gaps %v, want a repeating cadence", gaps)
				}
				for i, g := range gaps[:len(gaps)-1] { // the last one may be cut by the end
					if math.Abs(float64(g.Duration()-tt.off)) > float64(15*time.Millisecond) {
						t.Errorf("gap %d lasts %v, want %v", i, g.Duration(), tt.off)
					}
					period := tt.on + tt.off
					if want := tt.on + time.Duration(i)*period; (g.Start - want).Abs() > 15*time.Millisecond {
						t.Errorf("gap %d starts at %v, want %v", i, g.Start, want)
					}
				}
			})
		}
	}
}

func TestDTMFTones(t *testing.T) {
	const rate = 8000
	for _, key := range "0123456789*#ABCD" {
		t.Run(string(key), func(t *testing.T) {
			p, err := DTMFTone(key, 100*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			tone := NewTone(p, rate)
			pcm := render(tone, rate, 200*time.Millisecond)
			if !tone.Done() {
				t.Error("DTMF tone not done after 200 ms")
			}
			low, high, _ := DTMFFrequencies(key)
			burst := section(pcm, rate, 5*time.Millisecond, 95*time.Millisecond)
			for _, f := range []float64{697, 770, 852, 941, 1209, 1336, 1477, 1633} {
				a := Goertzel(burst, rate, f)
				if f == low || f == high {
					if a < 0.09 {
						t.Errorf("%v Hz amplitude %.3f, want ≈ 0.11", f, a)
					}
				} else if a > 0.01 {
					t.Errorf("stray %v Hz at %.3f", f, a)
				}
			}
			if lvl := RMSdBFS(section(pcm, rate, 100*time.Millisecond, 200*time.Millisecond)); lvl > SilenceDBFS {
				t.Errorf("after the burst: %.1f dBFS, want silence", lvl)
			}
		})
	}
	if _, err := DTMFTone('x', time.Second); err == nil {
		t.Error("DTMFTone('x') accepted")
	}
	if l, h, ok := DTMFFrequencies('b'); !ok || l != 770 || h != 1633 {
		t.Errorf("lower-case b: %v %v %v", l, h, ok)
	}
}

func TestRingtone(t *testing.T) {
	const rate = 48000
	pcm := render(NewTone(Ringtone(), rate), rate, 5*time.Second)
	chime := section(pcm, rate, 20*time.Millisecond, 160*time.Millisecond)
	if a, b := Goertzel(chime, rate, 659.25), Goertzel(chime, rate, 830.61); a < 0.15 || b < 0.15 {
		t.Errorf("first chime components %.3f %.3f", a, b)
	}
	gaps := FindGaps(pcm, rate, -50, time.Second)
	if len(gaps) < 2 {
		t.Fatalf("want the long pause to repeat, gaps %v", gaps)
	}
	if period := gaps[1].Start - gaps[0].Start; (period - 2600*time.Millisecond).Abs() > 20*time.Millisecond {
		t.Errorf("ringtone period %v, want 2.6 s", period)
	}
	if peak := PeakdBFS(pcm); peak > -6 {
		t.Errorf("ringtone peak %.1f dBFS: too loud", peak)
	}
}

// Edges are ramped: no sample-to-sample jump bigger than the sine itself
// can make, so the cadence does not click.
func TestToneHasNoClicks(t *testing.T) {
	const rate = 8000
	pcm := render(NewTone(BusyTone(), rate), rate, 2*time.Second)
	maxStep := 2 * math.Pi * 450 / rate * progressToneAmplitude * fullScale * 1.05
	for i := 1; i < len(pcm); i++ {
		if d := math.Abs(float64(pcm[i]) - float64(pcm[i-1])); d > maxStep {
			t.Fatalf("jump of %.0f at sample %d (max %.0f)", d, i, maxStep)
		}
	}
}

func TestTonePullDoesNotAllocate(t *testing.T) {
	tone := NewTone(RingbackTone(), 48000)
	buf := make([]int16, 960)
	if n := testing.AllocsPerRun(200, func() { tone.Pull(buf) }); n != 0 {
		t.Errorf("%.1f allocations per Pull", n)
	}
}

func BenchmarkTonePull(b *testing.B) {
	tone := NewTone(Ringtone(), 48000)
	buf := make([]int16, 960)
	for b.Loop() {
		tone.Pull(buf)
	}
}
