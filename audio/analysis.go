package audio

import (
	"math"
	"time"
)

// Signal analysis for tests and meters: how loud, which frequency, where the
// gaps are. None of it is real-time code (it may allocate).
//
// Levels are dBFS relative to a 16-bit full-scale square wave: a full-scale
// sine has a peak of 0 dBFS and an RMS of -3.01 dBFS. Silence is reported as
// SilenceDBFS, not minus infinity, so a meter can draw it.

// SilenceDBFS is the floor every level function clamps to.
const SilenceDBFS = -120.0

const fullScale = 32768.0

// AmplitudeToDBFS converts a linear amplitude (1.0 = full scale) to dBFS,
// clamped at SilenceDBFS.
func AmplitudeToDBFS(amplitude float64) float64 {
	if amplitude <= 0 {
		return SilenceDBFS
	}
	return max(20*math.Log10(amplitude), SilenceDBFS)
}

// RMSdBFS is the root-mean-square level of pcm in dBFS.
func RMSdBFS(pcm []int16) float64 {
	if len(pcm) == 0 {
		return SilenceDBFS
	}
	var sum float64
	for _, s := range pcm {
		v := float64(s)
		sum += v * v
	}
	return AmplitudeToDBFS(math.Sqrt(sum/float64(len(pcm))) / fullScale)
}

// PeakdBFS is the largest absolute sample of pcm in dBFS.
func PeakdBFS(pcm []int16) float64 {
	var peak int32
	for _, s := range pcm {
		v := int32(s)
		if v < 0 {
			v = -v
		}
		peak = max(peak, v)
	}
	return AmplitudeToDBFS(float64(peak) / fullScale)
}

// Goertzel returns the amplitude of the freq component of pcm as a fraction
// of full scale: a full-scale sine at freq gives about 1.0, a sine at -20 dBFS
// gives 0.1. pcm is Hann-windowed first so that neighbouring tones (the two
// halves of a DTMF pair, a tone and its alias) do not leak into each other.
func Goertzel(pcm []int16, rate int, freq float64) float64 {
	n := len(pcm)
	if n < 2 || rate <= 0 {
		return 0
	}
	return goertzelWindowed(pcm, hannWindow(n), rate, freq)
}

func hannWindow(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
	}
	return w
}

func goertzelWindowed(pcm []int16, window []float64, rate int, freq float64) float64 {
	omega := 2 * math.Pi * freq / float64(rate)
	coeff := 2 * math.Cos(omega)
	var s1, s2, wsum float64
	for i, x := range pcm {
		s0 := float64(x)*window[i] + coeff*s1 - s2
		s2, s1 = s1, s0
		wsum += window[i]
	}
	// |X(ω)| from the last two states, then undo the window's coherent gain:
	// a sine of amplitude A gives |X| ≈ A·Σw/2.
	re := s1 - s2*math.Cos(omega)
	im := s2 * math.Sin(omega)
	mag := math.Sqrt(re*re + im*im)
	return 2 * mag / wsum / fullScale
}

// DominantFrequency returns the frequency in Hz of the strongest sinusoid in
// pcm, between 20 Hz and just below rate/2, or 0 for silence. It scans with a
// windowed Goertzel on the first ~85 ms then refines on up to 2 s of signal,
// so a steady tone is found to well within 0.1 %.
func DominantFrequency(pcm []int16, rate int) float64 {
	if rate <= 0 || len(pcm) < 16 || PeakdBFS(pcm) <= SilenceDBFS {
		return 0
	}
	coarse := pcm[:min(len(pcm), 4096)]
	coarseWindow := hannWindow(len(coarse))
	step := float64(rate) / float64(len(coarse)) / 2
	nyquist := float64(rate) / 2
	best, bestAmp := 0.0, -1.0
	for f := 20.0; f < nyquist-step; f += step {
		if a := goertzelWindowed(coarse, coarseWindow, rate, f); a > bestAmp {
			best, bestAmp = f, a
		}
	}
	fine := pcm[:min(len(pcm), 2*rate)]
	fineWindow := hannWindow(len(fine))
	amp := func(f float64) float64 { return goertzelWindowed(fine, fineWindow, rate, f) }
	// Golden-section search for the peak of the main lobe around the coarse
	// maximum; the lobe is unimodal within ±step.
	lo, hi := max(best-step, 1), min(best+step, nyquist-1)
	const invPhi = 0.6180339887498949
	a := hi - invPhi*(hi-lo)
	b := lo + invPhi*(hi-lo)
	fa, fb := amp(a), amp(b)
	for hi-lo > 0.01 {
		if fa < fb {
			lo, a, fa = a, b, fb
			b = lo + invPhi*(hi-lo)
			fb = amp(b)
		} else {
			hi, b, fb = b, a, fa
			a = hi - invPhi*(hi-lo)
			fa = amp(a)
		}
	}
	return (lo + hi) / 2
}

// Gap is a stretch of (near) silence found by FindGaps, as offsets from the
// start of the analysed signal.
type Gap struct {
	Start, End time.Duration
}

// Duration is End-Start.
func (g Gap) Duration() time.Duration { return g.End - g.Start }

// gapWindow is the resolution of FindGaps and Onset.
const gapWindow = 5 * time.Millisecond

// FindGaps returns every stretch of at least minGap where the level, measured
// as RMS over 5 ms windows, stays below thresholdDBFS. Gaps touching the
// start or the end of pcm are included; a caller looking for drop-outs inside
// a tone ignores those.
func FindGaps(pcm []int16, rate int, thresholdDBFS float64, minGap time.Duration) []Gap {
	win := rate * int(gapWindow) / int(time.Second)
	if win <= 0 {
		return nil
	}
	offset := func(sample int) time.Duration {
		return time.Duration(int64(sample) * int64(time.Second) / int64(rate))
	}
	var gaps []Gap
	quietFrom := -1
	closeGap := func(end int) {
		if quietFrom >= 0 {
			if g := (Gap{offset(quietFrom), offset(end)}); g.Duration() >= minGap {
				gaps = append(gaps, g)
			}
			quietFrom = -1
		}
	}
	for start := 0; start < len(pcm); start += win {
		end := min(start+win, len(pcm))
		if RMSdBFS(pcm[start:end]) < thresholdDBFS {
			if quietFrom < 0 {
				quietFrom = start
			}
			continue
		}
		closeGap(start)
	}
	closeGap(len(pcm))
	return gaps
}

// Onset returns the offset of the first sample whose absolute value exceeds
// thresholdDBFS, and false if there is none. Latency tests use it to find
// where a tone starts.
func Onset(pcm []int16, rate int, thresholdDBFS float64) (time.Duration, bool) {
	limit := fullScale * math.Pow(10, thresholdDBFS/20)
	for i, s := range pcm {
		if math.Abs(float64(s)) > limit {
			return time.Duration(int64(i) * int64(time.Second) / int64(rate)), true
		}
	}
	return 0, false
}
