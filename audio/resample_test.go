package audio

import (
	"math"
	"strconv"
	"testing"
	"time"
)

// resampleAll runs pcm through r in 20 ms frames, as the pipeline does.
func resampleAll(t testing.TB, r *Resampler, pcm []int16) []int16 {
	t.Helper()
	frame := r.InRate() / 50
	var out []int16
	buf := make([]int16, r.OutputLen(frame))
	for i := 0; i+frame <= len(pcm); i += frame {
		n := r.Process(pcm[i:i+frame], buf)
		if want := r.OutRate() / 50; n != want {
			t.Fatalf("20 ms frame → %d samples, want %d", n, want)
		}
		out = append(out, buf[:n]...)
	}
	return out
}

func mustResampler(t testing.TB, in, out int) *Resampler {
	t.Helper()
	r, err := NewResampler(in, out)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The brief's test: 1 kHz at 8 kHz → 48 kHz → 8 kHz keeps 1 kHz within 1 %
// and its level within 0.5 dB.
func TestResampleRoundTripKeepsTone(t *testing.T) {
	for _, rates := range [][2]int{{8000, 48000}, {8000, 44100}, {16000, 48000}, {8000, 16000}} {
		t.Run(strconv.Itoa(rates[0])+"-"+strconv.Itoa(rates[1]), func(t *testing.T) {
			in := SineWave(rates[0], 1000, 0.5, time.Second)
			up := resampleAll(t, mustResampler(t, rates[0], rates[1]), in)
			if f := DominantFrequency(up[len(up)/4:], rates[1]); math.Abs(f-1000) > 10 {
				t.Errorf("at %d Hz: %.2f Hz", rates[1], f)
			}
			back := resampleAll(t, mustResampler(t, rates[1], rates[0]), up)
			steady := back[len(back)/4:]
			if f := DominantFrequency(steady, rates[0]); math.Abs(f-1000) > 10 {
				t.Errorf("back at %d Hz: %.2f Hz, want 1000 ± 1%%", rates[0], f)
			}
			if d := RMSdBFS(steady) - RMSdBFS(in); math.Abs(d) > 0.5 {
				t.Errorf("level changed by %.2f dB", d)
			}
		})
	}
}

// No aliasing blow-up: tones above the 8 kHz Nyquist band must not fold
// back into the telephone band when going down from 48 kHz.
func TestResampleRejectsAliases(t *testing.T) {
	tests := []struct {
		freq   float64
		maxDBc float64 // output level relative to input, dB
	}{
		{4500, -55}, // would fold to 3.5 kHz
		{6000, -60}, // would fold to 2 kHz
		{7000, -60}, // would fold to 1 kHz
		{11000, -60},
		{20000, -60},
	}
	for _, tt := range tests {
		in := SineWave(48000, tt.freq, 0.5, 500*time.Millisecond)
		out := resampleAll(t, mustResampler(t, 48000, 8000), in)
		steady := out[len(out)/4:]
		if rel := RMSdBFS(steady) - RMSdBFS(in); rel > tt.maxDBc {
			t.Errorf("%v Hz at 48 kHz → 8 kHz: %.1f dB, want below %v dB", tt.freq, rel, tt.maxDBc)
		}
	}
	// Passband stays flat.
	for _, f := range []float64{300, 1000, 2000, 3400} {
		in := SineWave(48000, f, 0.5, 500*time.Millisecond)
		out := resampleAll(t, mustResampler(t, 48000, 8000), in)
		if rel := RMSdBFS(out[len(out)/4:]) - RMSdBFS(in); math.Abs(rel) > 0.3 {
			t.Errorf("%v Hz passband: %.2f dB", f, rel)
		}
	}
	// Upsampling must not create images: 1 kHz at 8k → 48k has no 7 kHz image.
	up := resampleAll(t, mustResampler(t, 8000, 48000), SineWave(8000, 1000, 0.5, 500*time.Millisecond))
	if img := Goertzel(up[len(up)/4:], 48000, 7000); img > 0.5*1e-3 {
		t.Errorf("7 kHz image at amplitude %.5f (want < -60 dB)", img)
	}
}

func TestResamplerPassthroughAndErrors(t *testing.T) {
	r := mustResampler(t, 8000, 8000)
	in := []int16{1, 2, 3}
	out := make([]int16, 3)
	if n := r.Process(in, out); n != 3 || out[2] != 3 || r.Delay() != 0 {
		t.Errorf("passthrough: n=%d out=%v delay=%v", n, out, r.Delay())
	}
	for _, bad := range [][2]int{{0, 8000}, {8000, -1}, {8000, 10_000_000}} {
		if _, err := NewResampler(bad[0], bad[1]); err == nil {
			t.Errorf("NewResampler(%d, %d) accepted", bad[0], bad[1])
		}
	}
	if d := mustResampler(t, 8000, 48000).Delay(); d <= 0 || d > 3*time.Millisecond {
		t.Errorf("8k→48k delay %v, want a few ms at most", d)
	}
}

func TestResamplerDoesNotAllocate(t *testing.T) {
	r := mustResampler(t, 48000, 8000)
	in := SineWave(48000, 1000, 0.5, FrameDuration)
	out := make([]int16, r.OutputLen(len(in)))
	if n := testing.AllocsPerRun(50, func() { r.Process(in, out) }); n != 0 {
		t.Errorf("%.1f allocations per frame", n)
	}
}

func BenchmarkResample(b *testing.B) {
	for _, rates := range [][2]int{{8000, 48000}, {48000, 8000}, {16000, 48000}, {44100, 8000}} {
		b.Run(strconv.Itoa(rates[0])+"-"+strconv.Itoa(rates[1]), func(b *testing.B) {
			r := mustResampler(b, rates[0], rates[1])
			in := SineWave(rates[0], 1000, 0.5, FrameDuration)
			out := make([]int16, r.OutputLen(len(in)))
			for b.Loop() {
				r.Process(in, out)
			}
		})
	}
}
