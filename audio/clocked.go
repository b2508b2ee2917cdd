package audio

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Headless pipelines: no sound device, a goroutine paces the engine in real
// time, one 20 ms frame per tick, with a software microphone and speaker.

// VirtualOptions configures NewVirtualPipeline.
type VirtualOptions struct {
	// Rate of the virtual devices; 0 = 8000 (no resampling for G.711).
	Rate int
	// Microphone supplies what the agent "says"; nil is silence. Pulled
	// from the pacer goroutine, one frame at Rate per tick.
	Microphone FrameSource
	// Speaker receives each output frame (what the agent hears) from the
	// pacer goroutine; it must not keep pcm. nil discards.
	Speaker func(pcm []int16)
	Logger  *slog.Logger
	// StandIn, when set, is why the sound devices could not be opened: the
	// virtual devices stand in for them, and Events says so at once
	// (DeviceNone) so that the agent learns calls will be silent.
	StandIn error
}

// NewVirtualPipeline runs a pipeline on a real-time clock with a virtual
// microphone and speaker: the headless engine, and the audio side of call
// tests.
func NewVirtualPipeline(opts VirtualOptions) (*Pipeline, error) {
	if opts.Rate == 0 {
		opts.Rate = 8000
	}
	p, err := newPipelineShell(opts.Rate, opts.Logger)
	if err != nil {
		return nil, err
	}
	mic := opts.Microphone
	if mic == nil {
		mic = Silence{}
	}
	p.driver = startPacer(p.engine, mic, opts.Speaker, nil)
	if opts.StandIn != nil {
		p.notify(DeviceEvent{Kind: DeviceNone, Role: "duplex", Err: opts.StandIn})
	}
	return p, nil
}

// FileOptions configures NewFilePipeline.
type FileOptions struct {
	// In is a WAV file played as the microphone (mixed to mono, resampled
	// to Rate); "" is silence.
	In string
	// Out is a WAV file (mono, Rate) that receives what the agent hears;
	// "" discards.
	Out string
	// Rate of the pipeline; 0 = In's rate if that gives whole 20 ms frames,
	// else 8000.
	Rate int
	// Loop replays In from the start when it ends; otherwise silence follows
	// and InputDone closes.
	Loop   bool
	Logger *slog.Logger
}

// NewFilePipeline is the headless pipeline of `agentbar headless --audio-in
// IN.wav --audio-out OUT.wav`: IN is the microphone, paced in real time, and
// OUT records the headset.
func NewFilePipeline(opts FileOptions) (*Pipeline, error) {
	var input *WAV
	if opts.In != "" {
		w, err := ReadWAVFile(opts.In)
		if err != nil {
			return nil, err
		}
		input = w
	}
	rate := opts.Rate
	if rate == 0 {
		rate = 8000
		if input != nil && input.Format.SampleRate%framesPerSecond == 0 {
			rate = input.Format.SampleRate
		}
	}
	p, err := newPipelineShell(rate, opts.Logger)
	if err != nil {
		return nil, err
	}
	mic := FrameSource(Silence{})
	if input != nil {
		samples, err := resampleWhole(input.Mono(), input.Format.SampleRate, rate)
		if err != nil {
			return nil, err
		}
		p.inputDone = make(chan struct{})
		mic = &wavSource{samples: samples, loop: opts.Loop, done: p.inputDone}
	}
	var speaker func([]int16)
	var writer *WAVWriter
	if opts.Out != "" {
		writer, err = CreateWAVFile(opts.Out, WAVFormat{SampleRate: rate, Channels: 1})
		if err != nil {
			return nil, fmt.Errorf("audio: output file: %w", err)
		}
		speaker = func(pcm []int16) {
			if err := writer.Write(pcm); err != nil {
				p.logger.Error("audio: writing output file", "err", err)
			}
		}
	}
	p.driver = startPacer(p.engine, mic, speaker, writer)
	return p, nil
}

// resampleWhole converts a whole signal, compensating the filter's delay so
// the output lines up with the input.
func resampleWhole(in []int16, from, to int) ([]int16, error) {
	r, err := NewResampler(from, to)
	if err != nil {
		return nil, err
	}
	out := make([]int16, r.OutputLen(len(in))+r.OutputLen(from/10))
	n := r.Process(in, out)
	// Flush the filter with 100 ms of silence, then drop its delay.
	n += r.Process(make([]int16, from/10), out[n:])
	skip := int(r.Delay().Seconds() * float64(to))
	want := len(in) * to / from
	return out[skip:min(n, skip+want)], nil
}

// wavSource plays a file as the microphone. Pulled by the pacer only.
type wavSource struct {
	samples []int16
	pos     int
	loop    bool
	done    chan struct{}
	ended   bool
}

func (w *wavSource) Pull(pcm []int16) {
	for len(pcm) > 0 {
		if w.pos >= len(w.samples) {
			if !w.loop || len(w.samples) == 0 {
				if !w.ended {
					w.ended = true
					close(w.done)
				}
				clear(pcm)
				return
			}
			w.pos = 0
		}
		n := copy(pcm, w.samples[w.pos:])
		w.pos += n
		pcm = pcm[n:]
	}
}

// pacer is the driver of headless pipelines.
type pacer struct {
	engine *engine
	stop   chan struct{}
	done   chan struct{}
	output *WAVWriter
	once   sync.Once
}

func startPacer(e *engine, mic FrameSource, speaker func([]int16), output *WAVWriter) *pacer {
	d := &pacer{engine: e, stop: make(chan struct{}), done: make(chan struct{}), output: output}
	go d.run(mic, speaker)
	return d
}

// run ticks every 20 ms. A time.Ticker keeps the average rate exact and
// drops ticks rather than bunching them if the goroutine is held up.
func (d *pacer) run(mic FrameSource, speaker func([]int16)) {
	defer close(d.done)
	in := make([]int16, d.engine.frame)
	out := make([]int16, d.engine.frame)
	ticker := time.NewTicker(FrameDuration)
	defer ticker.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-ticker.C:
		}
		mic.Pull(in)
		d.engine.process(out, in)
		if speaker != nil {
			speaker(out)
		}
	}
}

// setRinger mixes the ringtone into the one output: a headless pipeline has
// no separate ringer.
func (d *pacer) setRinger(pattern *TonePattern) error {
	if pattern == nil {
		d.engine.ring.Store(nil)
		return nil
	}
	d.engine.ring.Store(&sourceBox{src: NewTone(*pattern, d.engine.rate)})
	return nil
}

func (d *pacer) close() error {
	d.once.Do(func() { close(d.stop) })
	<-d.done
	if d.output != nil {
		err := d.output.Close()
		if errors.Is(err, ErrClosed) {
			return nil
		}
		return err
	}
	return nil
}

func (d *pacer) setDevices(string, string) error { return nil }

// wake: the pacer always runs (it is no device).
func (d *pacer) wake() {}
