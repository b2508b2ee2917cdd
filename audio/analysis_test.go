package audio

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestLevels(t *testing.T) {
	tests := []struct {
		name     string
		pcm      []int16
		wantRMS  float64
		wantPeak float64
	}{
		{"full-scale sine", SineWave(8000, 1000, 1, time.Second), -3.01, 0},
		{"-20 dB sine", SineWave(48000, 440, 0.1, time.Second), -23.01, -20},
		{"silence", make([]int16, 800), SilenceDBFS, SilenceDBFS},
		{"empty", nil, SilenceDBFS, SilenceDBFS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RMSdBFS(tt.pcm); math.Abs(got-tt.wantRMS) > 0.05 {
				t.Errorf("RMSdBFS = %.2f, want %.2f", got, tt.wantRMS)
			}
			if got := PeakdBFS(tt.pcm); math.Abs(got-tt.wantPeak) > 0.05 {
				t.Errorf("PeakdBFS = %.2f, want %.2f", got, tt.wantPeak)
			}
		})
	}
}

func TestGoertzel(t *testing.T) {
	dual := make([]int16, 8000)
	for i := range dual {
		ti := float64(i) / 8000
		dual[i] = int16(32767 * (0.3*math.Sin(2*math.Pi*697*ti) + 0.1*math.Sin(2*math.Pi*1209*ti)))
	}
	tests := []struct {
		name string
		pcm  []int16
		rate int
		freq float64
		want float64 // amplitude as fraction of full scale
		tol  float64
	}{
		{"on frequency", SineWave(8000, 1000, 0.5, 200*time.Millisecond), 8000, 1000, 0.5, 0.01},
		{"off by 200 Hz", SineWave(8000, 1000, 0.5, 200*time.Millisecond), 8000, 1200, 0, 0.001},
		{"DTMF low half", dual, 8000, 697, 0.3, 0.01},
		{"DTMF high half", dual, 8000, 1209, 0.1, 0.01},
		{"DTMF absent key", dual, 8000, 770, 0, 0.002},
		{"48 kHz", SineWave(48000, 450, 0.16, 100*time.Millisecond), 48000, 450, 0.16, 0.005},
		{"too short", []int16{1}, 8000, 1000, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Goertzel(tt.pcm, tt.rate, tt.freq); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Goertzel(%v Hz) = %.4f, want %.4f ± %.4f", tt.freq, got, tt.want, tt.tol)
			}
		})
	}
}

func TestDominantFrequency(t *testing.T) {
	noisy := SineWave(8000, 1000, 0.2, time.Second)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noisy {
		noisy[i] += int16(rng.IntN(2001) - 1000) // about -33 dBFS of noise
	}
	harmonic := SineWave(16000, 440, 0.4, 500*time.Millisecond)
	third := SineWave(16000, 1320, 0.1, 500*time.Millisecond)
	for i := range harmonic {
		harmonic[i] += third[i]
	}
	tests := []struct {
		name string
		pcm  []int16
		rate int
		want float64
	}{
		{"1 kHz at 8 kHz", SineWave(8000, 1000, 0.5, time.Second), 8000, 1000},
		{"450 Hz at 48 kHz", SineWave(48000, 450, 0.1, 300*time.Millisecond), 48000, 450},
		{"3.3 kHz near Nyquist", SineWave(8000, 3300, 0.5, 200*time.Millisecond), 8000, 3300},
		{"one 20 ms frame", SineWave(8000, 1000, 0.5, 20*time.Millisecond), 8000, 1000},
		{"noisy", noisy, 8000, 1000},
		{"with harmonic", harmonic, 16000, 440},
		{"odd frequency", SineWave(44100, 1234.5, 0.5, time.Second), 44100, 1234.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DominantFrequency(tt.pcm, tt.rate)
			// A single 20 ms frame holds 20 cycles: ±0.5 % is what it can resolve.
			tol := 0.001 * tt.want
			if len(tt.pcm) < tt.rate/10 {
				tol = 0.005 * tt.want
			}
			if math.Abs(got-tt.want) > tol {
				t.Errorf("DominantFrequency = %.2f Hz, want %.2f ± %.2f", got, tt.want, tol)
			}
		})
	}
	if f := DominantFrequency(make([]int16, 8000), 8000); f != 0 {
		t.Errorf("silence: %v Hz, want 0", f)
	}
}

func TestFindGaps(t *testing.T) {
	const rate = 8000
	tone := SineWave(rate, 1000, 0.3, time.Second)
	// Cut a 60 ms hole at 300 ms and a 10 ms hole at 700 ms.
	clear(tone[rate*300/1000 : rate*360/1000])
	clear(tone[rate*700/1000 : rate*710/1000])
	tests := []struct {
		name   string
		minGap time.Duration
		want   []Gap
	}{
		{"only the long hole", 40 * time.Millisecond, []Gap{{300 * time.Millisecond, 360 * time.Millisecond}}},
		{"both holes", 10 * time.Millisecond, []Gap{
			{300 * time.Millisecond, 360 * time.Millisecond},
			{700 * time.Millisecond, 710 * time.Millisecond}}},
		{"none that long", 100 * time.Millisecond, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindGaps(tone, rate, -50, tt.minGap)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				// Resolution is one 5 ms window.
				if (got[i].Start-tt.want[i].Start).Abs() > 5*time.Millisecond ||
					(got[i].End-tt.want[i].End).Abs() > 5*time.Millisecond {
					t.Errorf("gap %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
	all := FindGaps(make([]int16, rate/2), rate, -50, 100*time.Millisecond)
	if len(all) != 1 || all[0].Start != 0 || all[0].End != 500*time.Millisecond {
		t.Errorf("silence: %v, want one gap 0-500ms", all)
	}
}

func TestOnset(t *testing.T) {
	pcm := make([]int16, 8000)
	copy(pcm[1234:], SineWave(8000, 1000, 0.5, 100*time.Millisecond))
	at, ok := Onset(pcm, 8000, -30)
	want := time.Duration(1234) * time.Second / 8000
	// The sine starts at zero phase: its first sample over -30 dBFS comes
	// within a quarter period.
	if !ok || at < want || at > want+250*time.Microsecond {
		t.Errorf("Onset = %v %v, want about %v", at, ok, want)
	}
	if _, ok := Onset(make([]int16, 100), 8000, -60); ok {
		t.Error("Onset found something in silence")
	}
}

func BenchmarkDominantFrequency(b *testing.B) {
	pcm := SineWave(8000, 1000, 0.5, time.Second)
	for b.Loop() {
		DominantFrequency(pcm, 8000)
	}
}
