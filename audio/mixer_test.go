package audio

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestMixing(t *testing.T) {
	tests := []struct {
		name        string
		a, b        []int16
		want        []int16
		wantClipped int
	}{
		{"plain sum", []int16{1, -2, 300}, []int16{10, 20, -300}, []int16{11, 18, 0}, 0},
		{"positive clip", []int16{30000, 1}, []int16{10000, 1}, []int16{32767, 2}, 1},
		{"negative clip", []int16{-30000, -32768}, []int16{-10000, -1}, []int16{-32768, -32768}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc := make([]int32, len(tt.a))
			Accumulate(acc, tt.a)
			Accumulate(acc, tt.b)
			out := make([]int16, len(acc))
			if n := Clip(out, acc); n != tt.wantClipped {
				t.Errorf("clipped %d, want %d", n, tt.wantClipped)
			}
			if !slices.Equal(out, tt.want) {
				t.Errorf("Accumulate+Clip = %v, want %v", out, tt.want)
			}
			dst := slices.Clone(tt.a)
			MixInto(dst, tt.b)
			if !slices.Equal(dst, tt.want) {
				t.Errorf("MixInto = %v, want %v", dst, tt.want)
			}
		})
	}
	acc := make([]int32, 2)
	AccumulateScaled(acc, []int16{1000, -1000}, 128)
	if acc[0] != 500 || acc[1] != -500 {
		t.Errorf("half gain: %v", acc)
	}
}

// Mixing two tones keeps both: each is still measured at its own level.
func TestMixKeepsBothTones(t *testing.T) {
	a := SineWave(8000, 450, 0.2, 200*time.Millisecond)
	b := SineWave(8000, 1000, 0.1, 200*time.Millisecond)
	MixInto(a, b)
	if g := Goertzel(a, 8000, 450); math.Abs(g-0.2) > 0.01 {
		t.Errorf("450 Hz at %.3f", g)
	}
	if g := Goertzel(a, 8000, 1000); math.Abs(g-0.1) > 0.01 {
		t.Errorf("1 kHz at %.3f", g)
	}
}

func TestLevelMeter(t *testing.T) {
	var m LevelMeter
	if l := m.Level(); l.PeakDBFS != SilenceDBFS || l.RMSDBFS != SilenceDBFS {
		t.Errorf("fresh meter %+v", l)
	}
	m.Measure(SineWave(48000, 1000, 0.1, FrameDuration))
	l := m.Level()
	if math.Abs(l.PeakDBFS+20) > 0.1 || math.Abs(l.RMSDBFS+23.01) > 0.1 {
		t.Errorf("-20 dB sine: %+v", l)
	}
	m.Reset()
	if l := m.Level(); l.RMSDBFS != SilenceDBFS {
		t.Errorf("after Reset %+v", l)
	}
	frame := make([]int16, 960)
	if n := testing.AllocsPerRun(100, func() { m.Measure(frame) }); n != 0 {
		t.Errorf("Measure allocates %.1f", n)
	}
}

func BenchmarkMix(b *testing.B) {
	for _, streams := range []int{1, 3, 8} {
		b.Run(strconv.Itoa(streams)+"x48k", func(b *testing.B) {
			srcs := make([][]int16, streams)
			for i := range srcs {
				srcs[i] = SineWave(48000, 300*float64(i+1), 0.1, FrameDuration)
			}
			acc := make([]int32, 960)
			out := make([]int16, 960)
			for b.Loop() {
				clear(acc)
				for _, s := range srcs {
					Accumulate(acc, s)
				}
				Clip(out, acc)
			}
		})
	}
}
