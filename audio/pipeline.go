package audio

import (
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Pipeline owns the sound devices (or, headless, the WAV files or virtual
// microphone and speaker) and hands a Port to each call. Microphone frames
// go to every port, resampled to its rate; what the agent hears is the mix
// of every port's FrameSource plus tones. Calls cannot tell which kind of
// pipeline they are connected to.
type Pipeline struct {
	engine *engine
	driver driver
	logger *slog.Logger
	events chan DeviceEvent
	// inputDone: see InputDone.
	inputDone chan struct{}

	mu     sync.Mutex // serialises port list changes and Close
	closed bool
}

// driver is what moves samples between the engine and the outside world.
type driver interface {
	// setRinger plays pattern on the ringer; nil stops it.
	setRinger(pattern *TonePattern) error
	// setDevices switches to other capture and playback devices.
	setDevices(captureID, playbackID string) error
	// wake says that the engine's use of the devices may have changed (a
	// port, a tone, a hold): a driver that opens its devices on demand
	// looks again. It never blocks.
	wake()
	close() error
}

// eventQueue is how many notices wait for a slow reader before the oldest
// are dropped (they are logged anyway).
const eventQueue = 16

func newPipelineShell(rate int, logger *slog.Logger) (*Pipeline, error) {
	e, err := newEngine(rate)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{engine: e, logger: logger, events: make(chan DeviceEvent, eventQueue)}, nil
}

// Rate is the device-side sample rate.
func (p *Pipeline) Rate() int { return p.engine.rate }

// NewPort connects a call at sampleRate (its codec's rate).
func (p *Pipeline) NewPort(sampleRate int) (*CallPort, error) {
	port := &CallPort{
		pipeline: p,
		wake:     make(chan struct{}, 1),
		closed:   make(chan struct{}),
	}
	b, err := newPortBinding(p.engine.rate, sampleRate)
	if err != nil {
		return nil, err
	}
	port.binding.Store(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrClosed
	}
	ports := append(slices.Clone(*p.engine.ports.Load()), port)
	p.engine.ports.Store(&ports)
	p.driver.wake()
	return port, nil
}

func (p *Pipeline) removePort(port *CallPort) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ports := slices.DeleteFunc(slices.Clone(*p.engine.ports.Load()), func(q *CallPort) bool { return q == port })
	p.engine.ports.Store(&ports)
}

// SetMuted mutes (or unmutes) the microphone for every call.
func (p *Pipeline) SetMuted(muted bool) { p.engine.muted.Store(muted) }

// Muted reports the global mute.
func (p *Pipeline) Muted() bool { return p.engine.muted.Load() }

// InputLevel is the microphone level of the last frame (before mute, so a
// meter shows the agent talking while muted).
func (p *Pipeline) InputLevel() Level { return p.engine.inMeter.Level() }

// OutputLevel is the level of the last frame sent to the headset.
func (p *Pipeline) OutputLevel() Level { return p.engine.outMeter.Level() }

// PlayTone plays a call-progress tone (dial, ringback, busy) to the headset,
// replacing any tone already playing. It returns the Tone so the caller can
// see when a finite pattern is done.
func (p *Pipeline) PlayTone(pattern TonePattern) *Tone {
	t := NewTone(pattern, p.engine.rate)
	p.engine.tone.Store(&sourceBox{src: t})
	p.driver.wake()
	return t
}

// StopTone silences the call-progress tone.
func (p *Pipeline) StopTone() { p.engine.tone.Store(nil) }

// PlayKeyTone plays the feedback of a DTMF key for d (about 100 ms).
func (p *Pipeline) PlayKeyTone(key rune, d time.Duration) error {
	pattern, err := DTMFTone(key, d)
	if err != nil {
		return err
	}
	p.engine.keyTone.Store(&sourceBox{src: NewTone(pattern, p.engine.rate)})
	p.driver.wake()
	return nil
}

// Hold keeps the sound devices running, though no call, tone or ringtone
// needs them, until release is called: a microphone meter or a device
// test. release may be called more than once; only the first counts.
func (p *Pipeline) Hold() (release func()) {
	p.engine.holds.Add(1)
	p.driver.wake()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.engine.holds.Add(-1)
			p.driver.wake()
		})
	}
}

// Ring plays pattern (usually Ringtone()) on the ringer device until
// StopRinging. While it rings the headset's devices run too, so that an
// answer finds them running.
func (p *Pipeline) Ring(pattern TonePattern) error {
	return p.driver.setRinger(&pattern)
}

// SetDevices switches capture and playback to the devices with these IDs
// ("" = system default), mid-call if need be. Headless pipelines ignore it.
func (p *Pipeline) SetDevices(captureID, playbackID string) error {
	return p.driver.setDevices(captureID, playbackID)
}

// StopRinging silences the ringer.
func (p *Pipeline) StopRinging() error { return p.driver.setRinger(nil) }

// Events delivers device notices (missing, lost, fallback, failed) in order.
func (p *Pipeline) Events() <-chan DeviceEvent { return p.events }

// notify queues a device notice; a reader that does not keep up loses the
// oldest ones, never blocks the pipeline.
func (p *Pipeline) notify(ev DeviceEvent) {
	p.logger.Warn("audio device", "event", ev.String())
	for {
		select {
		case p.events <- ev:
			return
		default:
		}
		select {
		case <-p.events:
		default:
		}
	}
}

// PipelineStats are the pipeline's counters.
type PipelineStats struct {
	Rate      int
	Callbacks uint64 // driver callbacks so far
	Clipped   uint64 // output samples clipped by the mix
	Ports     int
}

// Stats returns the counters.
func (p *Pipeline) Stats() PipelineStats {
	return PipelineStats{
		Rate:      p.engine.rate,
		Callbacks: p.engine.callbacks.Load(),
		Clipped:   p.engine.clipped.Load(),
		Ports:     len(*p.engine.ports.Load()),
	}
}

// Close stops the devices (or files) and closes every port.
func (p *Pipeline) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.closed = true
	ports := slices.Clone(*p.engine.ports.Load())
	p.mu.Unlock()
	var errs []error
	for _, port := range ports {
		errs = append(errs, port.Close())
	}
	errs = append(errs, p.driver.close())
	return errors.Join(errs...)
}

// InputDone is closed when a file pipeline's input WAV has played to its end
// (never with Loop, nor for device and virtual pipelines).
func (p *Pipeline) InputDone() <-chan struct{} { return p.inputDone }
