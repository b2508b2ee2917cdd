package audio

import (
	"fmt"
	"math"
	"time"
)

// Resampler converts a stream of mono samples between two rates with a
// polyphase windowed-sinc filter (Kaiser window, 60 dB stopband). The
// transition band is ±10 % around the lower rate's Nyquist frequency: with an
// 8 kHz side, the telephone band up to 3.6 kHz passes flat and everything
// above 4.4 kHz that would fold back is at least 60 dB down.
//
// Process is REAL-TIME safe: no allocation, no locks. A Resampler belongs to
// one goroutine.
type Resampler struct {
	inRate, outRate int
	up, down        int       // rate ratio outRate/inRate = up/down, reduced
	taps            int       // filter taps per phase
	coeffs          []float32 // phase-major, each phase reversed
	line            []float32 // delay line, doubled so a window is contiguous
	pos             int       // next write index in line (0..taps-1)
	phase           int       // position of the next output within the current input, in 1/up units
	passthrough     bool
}

const (
	resamplerStopbandDB = 60.0
	// The transition band is ±10 % of the lower rate's Nyquist frequency
	// around it: 3.6-4.4 kHz when one side is 8 kHz.
	resamplerTransition = 0.1
)

// NewResampler prepares a converter from inRate to outRate.
func NewResampler(inRate, outRate int) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 || inRate > wavMaxRate || outRate > wavMaxRate {
		return nil, fmt.Errorf("%w: resampling %d → %d Hz", ErrBadRate, inRate, outRate)
	}
	r := &Resampler{inRate: inRate, outRate: outRate}
	if inRate == outRate {
		r.passthrough = true
		return r, nil
	}
	g := gcd(inRate, outRate)
	r.up, r.down = outRate/g, inRate/g
	upRate := float64(inRate) * float64(r.up) // the filter runs here
	lowNyquist := float64(min(inRate, outRate)) / 2
	cutoff := lowNyquist / upRate // cycles per upsampled sample
	width := 2 * resamplerTransition * lowNyquist / upRate
	n := int(math.Ceil((resamplerStopbandDB - 8) / (2.285 * 2 * math.Pi * width)))
	r.taps = (n + r.up - 1) / r.up
	n = r.taps * r.up
	beta := 0.1102 * (resamplerStopbandDB - 8.7)
	center := float64(n-1) / 2
	r.coeffs = make([]float32, n)
	for i := range n {
		x := float64(i) - center
		sinc := 2 * cutoff
		if x != 0 {
			sinc = math.Sin(2*math.Pi*cutoff*x) / (math.Pi * x)
		}
		ratio := x / (center + 0.5)
		kaiser := besselI0(beta*math.Sqrt(max(0, 1-ratio*ratio))) / besselI0(beta)
		// Tap i of the prototype filter is tap k=i/up of phase p=i%up;
		// the gain of up restores the level lost to zero-stuffing.
		// Stored reversed within the phase so that Process walks the delay
		// line and the coefficients in the same direction.
		p, k := i%r.up, i/r.up
		r.coeffs[p*r.taps+r.taps-1-k] = float32(sinc * kaiser * float64(r.up))
	}
	r.line = make([]float32, 2*r.taps)
	return r, nil
}

func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// InRate and OutRate are the rates given to NewResampler.
func (r *Resampler) InRate() int  { return r.inRate }
func (r *Resampler) OutRate() int { return r.outRate }

// OutputLen is the most samples Process can produce from n input samples.
func (r *Resampler) OutputLen(n int) int {
	if r.passthrough {
		return n
	}
	return (n*r.up)/r.down + 1
}

// Delay is the filter's group delay.
func (r *Resampler) Delay() time.Duration {
	if r.passthrough {
		return 0
	}
	half := float64(r.taps*r.up-1) / 2
	return time.Duration(half / (float64(r.inRate) * float64(r.up)) * float64(time.Second))
}

// Reset forgets the signal history, as at a stream's start.
func (r *Resampler) Reset() {
	clear(r.line)
	r.pos, r.phase = 0, 0
}

// Process converts in and writes to out, returning the number of samples
// written. A 20 ms input frame gives exactly one 20 ms output frame for the
// rates a pipeline uses (8, 16, 32, 44.1, 48 kHz); out must hold
// OutputLen(len(in)) samples or the surplus is dropped. REAL-TIME.
func (r *Resampler) Process(in, out []int16) int {
	if r.passthrough {
		return copy(out, in)
	}
	written := 0
	for _, s := range in {
		v := float32(s)
		r.line[r.pos] = v
		r.line[r.pos+r.taps] = v
		newest := r.pos + r.taps // line[newest-k] is the k-th most recent input
		for ; r.phase < r.up; r.phase += r.down {
			c := r.coeffs[r.phase*r.taps : (r.phase+1)*r.taps]
			window := r.line[newest-r.taps+1 : newest+1]
			if written < len(out) {
				out[written] = saturate(dot(c, window))
				written++
			}
		}
		r.phase -= r.up
		r.pos++
		if r.pos == r.taps {
			r.pos = 0
		}
	}
	return written
}

func saturate(v float32) int16 {
	switch {
	case v >= 32767:
		return 32767
	case v <= -32768:
		return -32768
	}
	return int16(math.Round(float64(v)))
}

// dot is the filter's inner loop, four accumulators wide.
func dot(c, x []float32) float32 {
	x = x[:len(c)]
	var a0, a1, a2, a3 float32
	i := 0
	for ; i+4 <= len(c); i += 4 {
		a0 += c[i] * x[i]
		a1 += c[i+1] * x[i+1]
		a2 += c[i+2] * x[i+2]
		a3 += c[i+3] * x[i+3]
	}
	for ; i < len(c); i++ {
		a0 += c[i] * x[i]
	}
	return (a0 + a1) + (a2 + a3)
}
