package audio

import (
	"math"
	"sync/atomic"
)

// Level is a meter reading in dBFS.
type Level struct {
	PeakDBFS float64
	RMSDBFS  float64
}

// LevelMeter keeps the level of the last frame measured. Measure runs on the
// real-time thread; Level may be read from any goroutine at any time. No
// locks: the two figures are single atomic words (so a reader may see the
// peak of one frame and the RMS of the next, which a meter does not mind).
type LevelMeter struct {
	peak atomic.Uint32 // float32 bits, linear fraction of full scale
	rms  atomic.Uint32
}

// Measure records the level of pcm. REAL-TIME: no allocation.
func (m *LevelMeter) Measure(pcm []int16) {
	var peak int32
	var sum int64
	for _, s := range pcm {
		v := int32(s)
		sum += int64(v) * int64(v)
		if v < 0 {
			v = -v
		}
		peak = max(peak, v)
	}
	rms := 0.0
	if len(pcm) > 0 {
		rms = math.Sqrt(float64(sum)/float64(len(pcm))) / fullScale
	}
	m.peak.Store(math.Float32bits(float32(float64(peak) / fullScale)))
	m.rms.Store(math.Float32bits(float32(rms)))
}

// Reset makes the meter read silence.
func (m *LevelMeter) Reset() {
	m.peak.Store(0)
	m.rms.Store(0)
}

// Level returns the last measurement.
func (m *LevelMeter) Level() Level {
	return Level{
		PeakDBFS: AmplitudeToDBFS(float64(math.Float32frombits(m.peak.Load()))),
		RMSDBFS:  AmplitudeToDBFS(float64(math.Float32frombits(m.rms.Load()))),
	}
}
