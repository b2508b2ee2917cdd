package audio

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// Options configures a Pipeline on real sound devices.
type Options struct {
	// Backend is the sound system; the environment variable
	// AGENTBAR_AUDIO_BACKEND overrides it (null for machines without sound).
	Backend Backend
	// CaptureID, PlaybackID and RingerID are persisted device IDs (from
	// ListDevices); "" follows the system default. A device that is not
	// present falls back to the default with a DeviceMissing notice.
	CaptureID, PlaybackID, RingerID string
	// SampleRate of the devices; 0 = 48000.
	SampleRate int
	// Period is the device period; 0 = 10 ms. Packets are 20 ms, but a
	// 10 ms period halves the time a packet waits for the speaker. Use
	// 20 ms for a device that cannot keep up.
	Period time.Duration
	Logger *slog.Logger
	// CaptureTap and PlaybackTap, when set, see (and may change) each
	// device-rate microphone frame before it is used and each output frame
	// after mixing; RingerTap sees each frame written to the ringer device.
	// REAL-TIME: they run on the audio thread and must not block or
	// allocate. For measurements and tests.
	CaptureTap, PlaybackTap, RingerTap func(pcm []int16)
	// Linger is how long the headset's devices keep running after the last
	// thing that needed them (a call, a tone, ringing, Hold) ended; then
	// they are paused (stopped but still open, so they start again in
	// milliseconds). 0 is DefaultLinger. Negative keeps them running from
	// NewPipeline to Close.
	Linger time.Duration

	// observe, when set, hears every start (true) and pause or close
	// (false) of the duplex device the supervisor sees, on its goroutine.
	// For tests.
	observe func(open bool)
}

// DefaultLinger keeps the devices running over the short gaps between uses
// (a call that ends and the next key tone, ringing and the answer) without
// keeping an idle app awake: a running device calls back every 10 ms.
const DefaultLinger = 3 * time.Second

// NewPipeline opens one duplex device (capture and playback together, at
// one rate, 10 ms periods, 16-bit mono) and starts it, so that a device
// that cannot be used is reported at once. After that the device runs
// only while something needs it (see Options.Linger): a call's port, a
// tone, ringing or a Hold; paused otherwise, it starts again within
// milliseconds when needed. The ringer device opens only while ringing.
func NewPipeline(opts Options) (*Pipeline, error) {
	backend, err := effectiveBackend(opts.Backend)
	if err != nil {
		return nil, err
	}
	rate := opts.SampleRate
	if rate == 0 {
		rate = 48000
	}
	p, err := newPipelineShell(rate, opts.Logger)
	if err != nil {
		return nil, err
	}
	p.engine.captureTap, p.engine.playbackTap = opts.CaptureTap, opts.PlaybackTap
	d, err := openDeviceDriver(p, backend, opts)
	if err != nil && backend == BackendAuto {
		// No sound system answers: run on the null backend so calls and
		// everything else still work, and tell the agent why it is silent.
		var nullErr error
		if d, nullErr = openDeviceDriver(p, BackendNull, opts); nullErr == nil {
			p.notify(DeviceEvent{Kind: DeviceFailed, Role: "duplex", Err: err})
			err = nil
		}
	}
	if err != nil {
		return nil, err
	}
	p.driver = d
	if backend == BackendAuto && d.onlyNullDevices() {
		p.notify(DeviceEvent{Kind: DeviceFailed, Role: "duplex", Name: "null", Err: ErrNoDevice})
	}
	go d.supervise()
	return p, nil
}

func openDeviceDriver(p *Pipeline, backend Backend, opts Options) (*deviceDriver, error) {
	ctx, err := malgo.InitContext(backend.malgoBackends(), malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, &DeviceError{Kind: "playback", Err: fmt.Errorf("%w: %s backend: %w", ErrNoDevice, backend, err)}
	}
	period := opts.Period
	if period <= 0 {
		period = chunkDuration
	}
	linger := opts.Linger
	if linger == 0 {
		linger = DefaultLinger
	}
	d := &deviceDriver{
		period:      int(period.Seconds() * float64(p.engine.rate)),
		linger:      linger,
		pipeline:    p,
		engine:      p.engine,
		ctx:         ctx,
		ids:         map[string]unsafe.Pointer{},
		ringerTap:   opts.RingerTap,
		observe:     opts.observe,
		captureID:   opts.CaptureID,
		playbackID:  opts.PlaybackID,
		ringerID:    opts.RingerID,
		toldMissing: map[string]bool{},
		stopped:     make(chan uint64, 1),
		demand:      make(chan struct{}, 1),
		quit:        make(chan struct{}),
		done:        make(chan struct{}),
	}
	if err := d.openDuplex(true); err != nil {
		_ = ctx.Uninit()
		ctx.Free()
		return nil, err
	}
	return d, nil
}

// onlyNullDevices reports whether the context found nothing but miniaudio's
// null devices.
func (d *deviceDriver) onlyNullDevices() bool {
	infos, err := d.ctx.Devices(malgo.Playback)
	if err != nil {
		return false
	}
	for i := range infos {
		if !strings.HasPrefix(infos[i].Name(), "NULL ") {
			return false
		}
	}
	return true
}

// deviceDriver runs the engine from a malgo duplex device, runs the device
// only while something needs it, and watches it (supervisor.go).
type deviceDriver struct {
	period   int           // device period in samples
	linger   time.Duration // see Options.Linger; negative: never pause
	pipeline *Pipeline
	engine   *engine
	ctx      *malgo.AllocatedContext
	// ids holds the C copies of chosen device IDs: malgo's DeviceID.Pointer
	// allocates C memory it never frees, so make one per device and keep it.
	ids       map[string]unsafe.Pointer
	ringerTap func(pcm []int16)
	observe   func(open bool)

	mu  sync.Mutex // guards everything below
	dev *malgo.Device
	// devGen is dev's start generation: its stop notification is a loss
	// only while that is still the current generation.
	devGen *atomic.Uint64
	// running: dev is started. Paused (stopped, still open) while idle.
	running                         bool
	ringer                          *malgo.Device
	captureID, playbackID, ringerID string
	// toldMissing: chosen devices already announced missing (by kind and
	// ID), so that opening them for every call does not repeat the notice.
	toldMissing map[string]bool
	ringing     bool // holds one engine.holds while the ringer plays
	closed      bool

	generation atomic.Uint64 // of the duplex device's current start
	ringTone   atomic.Pointer[sourceBox]
	stopped    chan uint64   // generation of a device that stopped by itself
	demand     chan struct{} // one slot: the engine's use may have changed
	quit, done chan struct{}
}

// openDuplex opens and starts the duplex device with the chosen IDs (or the
// defaults when they are missing). Caller holds mu, or is the constructor.
func (d *deviceDriver) openDuplex(announceMissing bool) error {
	cfg := malgo.DefaultDeviceConfig(malgo.Duplex)
	cfg.Capture.Format, cfg.Capture.Channels = malgo.FormatS16, 1
	cfg.Playback.Format, cfg.Playback.Channels = malgo.FormatS16, 1
	cfg.SampleRate = uint32(d.engine.rate)
	cfg.PeriodSizeInFrames = uint32(d.period)
	cfg.Periods = 2
	cfg.PerformanceProfile = malgo.LowLatency
	cfg.Capture.DeviceID = d.devicePointer(malgo.Capture, d.captureID, "capture", announceMissing)
	cfg.Playback.DeviceID = d.devicePointer(malgo.Playback, d.playbackID, "playback", announceMissing)
	startGen := new(atomic.Uint64) // this device's: see devGen
	startGen.Store(d.generation.Add(1))
	dev, err := malgo.InitDevice(d.ctx.Context, cfg, malgo.DeviceCallbacks{
		Data: d.onData,
		Stop: func() { d.onStop(startGen.Load()) },
	})
	if err != nil {
		return &DeviceError{Kind: "duplex", Name: d.nameLocked(), Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
	}
	if err := dev.Start(); err != nil {
		d.generation.Add(1) // its stop notification is ours, not a loss
		dev.Uninit()
		return &DeviceError{Kind: "duplex", Name: d.nameLocked(), Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
	}
	d.dev, d.devGen, d.running = dev, startGen, true
	return nil
}

// pauseLocked stops the duplex device without closing it: no callbacks,
// no thread awake, and resumeLocked starts it again in milliseconds, where
// opening a fresh PulseAudio duplex stream takes up to two seconds before
// its first callback. Caller holds mu.
func (d *deviceDriver) pauseLocked() {
	if d.dev == nil || !d.running {
		return
	}
	d.generation.Add(1) // the stop this causes is not a loss
	if err := d.dev.Stop(); err != nil {
		d.pipeline.logger.Warn("audio: pausing the devices", "err", err)
		d.closeDuplexLocked()
		return
	}
	d.running = false
}

// resumeLocked starts the paused duplex device again. It reports false when
// it could not (or should not: a chosen device has gone meanwhile, so the
// stream would wait on nothing); the caller then opens afresh. Caller
// holds mu.
func (d *deviceDriver) resumeLocked() bool {
	if d.dev == nil || d.running {
		return d.running
	}
	if d.chosenMissingLocked() {
		d.closeDuplexLocked()
		return false
	}
	d.devGen.Store(d.generation.Add(1))
	if err := d.dev.Start(); err != nil {
		d.pipeline.logger.Warn("audio: resuming the devices", "err", err)
		d.closeDuplexLocked()
		return false
	}
	d.running = true
	return true
}

// chosenMissingLocked reports whether a chosen capture or playback device
// is no longer present. Caller holds mu.
func (d *deviceDriver) chosenMissingLocked() bool {
	present := func(kind malgo.DeviceType, id string) bool {
		if id == "" {
			return true
		}
		infos, err := d.ctx.Devices(kind)
		if err != nil {
			return false
		}
		for i := range infos {
			if infos[i].ID.String() == id {
				return true
			}
		}
		return false
	}
	return !present(malgo.Capture, d.captureID) || !present(malgo.Playback, d.playbackID)
}

// devicePointer finds the device with the persisted id; "" or a device that
// is not present gives nil (the default), the latter with a notice (once,
// until the device is seen again). Caller holds mu.
func (d *deviceDriver) devicePointer(kind malgo.DeviceType, id, role string, announce bool) unsafe.Pointer {
	if id == "" {
		return nil
	}
	key := fmt.Sprint(kind, "/", id)
	infos, err := d.ctx.Devices(kind)
	if err == nil {
		for i := range infos {
			if infos[i].ID.String() != id {
				continue
			}
			delete(d.toldMissing, key)
			if ptr, ok := d.ids[key]; ok {
				return ptr
			}
			ptr := infos[i].ID.Pointer()
			d.ids[key] = ptr
			return ptr
		}
	}
	if announce && !d.toldMissing[key] {
		d.toldMissing[key] = true
		d.pipeline.notify(DeviceEvent{Kind: DeviceMissing, Role: role, Name: id, Err: err})
	}
	return nil
}

// onData is the malgo data callback.
//
// REAL-TIME / called from miniaudio's device thread. in and out point into
// C memory for the duration of the call only. No allocation, no blocking,
// no lock shared with Go code: it only reinterprets the buffers as int16
// and runs engine.process.
func (d *deviceDriver) onData(out, in []byte, _ uint32) {
	d.engine.process(bytesAsSamples(out), bytesAsSamples(in))
}

// bytesAsSamples views little-endian s16 bytes as int16 without copying.
func bytesAsSamples(b []byte) []int16 {
	if len(b) < 2 {
		return nil
	}
	return unsafe.Slice((*int16)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/2)
}

// onStop is the malgo stop callback: called from miniaudio's thread when a
// device stops, by our hand or because it went away. It only signals the
// supervisor: miniaudio forbids uninitialising a device from its own thread.
func (d *deviceDriver) onStop(gen uint64) {
	if gen != d.generation.Load() {
		return // a device we replaced or closed ourselves
	}
	select {
	case d.stopped <- gen:
	default:
	}
}

func (d *deviceDriver) closeDuplexLocked() {
	if d.dev == nil {
		return
	}
	d.generation.Add(1) // the stop this causes is not a loss
	d.dev.Uninit()
	d.dev, d.devGen, d.running = nil, nil, false
}

// setDevices switches capture and playback to other devices mid-call. It
// opens them even when nothing needs them, so that a device that cannot
// be used is reported now, not at the next call; the supervisor closes
// them again after the linger.
func (d *deviceDriver) setDevices(captureID, playbackID string) error {
	defer d.wake() // the supervisor watches (and closes) what we open
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	d.closeDuplexLocked()
	d.captureID, d.playbackID = captureID, playbackID
	clear(d.toldMissing) // the agent chose: tell them again
	if err := d.openDuplex(true); err != nil {
		d.pipeline.notify(DeviceEvent{Kind: DeviceFailed, Role: "duplex", Err: err})
		d.captureID, d.playbackID = "", ""
		if err2 := d.openDuplex(false); err2 != nil {
			return errors.Join(err, err2)
		}
		d.pipeline.notify(DeviceEvent{Kind: DeviceFallback, Role: "duplex"})
		return err
	}
	return nil
}

// setRinger opens the ringer device while a pattern plays. If it cannot be
// opened the ringtone goes to the headset instead. While it rings, the
// headset's devices are held open too (opened by the supervisor after the
// ringer, so the ringtone starts first): an answer finds them running.
func (d *deviceDriver) setRinger(pattern *TonePattern) error {
	defer d.wake()
	d.mu.Lock()
	defer d.mu.Unlock()
	if pattern == nil {
		d.engine.ring.Store(nil)
		d.ringTone.Store(nil)
		if d.ringer != nil {
			d.ringer.Uninit()
			d.ringer = nil
		}
		if d.ringing {
			d.ringing = false
			d.engine.holds.Add(-1)
		}
		return nil
	}
	if d.closed {
		return ErrClosed
	}
	if !d.ringing {
		d.ringing = true
		d.engine.holds.Add(1)
	}
	d.ringTone.Store(&sourceBox{src: NewTone(*pattern, d.engine.rate)})
	if d.ringer != nil {
		return nil
	}
	cfg := malgo.DefaultDeviceConfig(malgo.Playback)
	cfg.Playback.Format, cfg.Playback.Channels = malgo.FormatS16, 1
	cfg.SampleRate = uint32(d.engine.rate)
	cfg.PeriodSizeInFrames = uint32(d.engine.frame)
	cfg.Playback.DeviceID = d.devicePointer(malgo.Playback, d.ringerID, "ringer", true)
	dev, err := malgo.InitDevice(d.ctx.Context, cfg, malgo.DeviceCallbacks{Data: d.onRingerData})
	if err == nil {
		if err = dev.Start(); err != nil {
			dev.Uninit()
		}
	}
	if err != nil {
		err = &DeviceError{Kind: "ringer", Name: d.ringerID, Err: err}
		d.pipeline.notify(DeviceEvent{Kind: DeviceFailed, Role: "ringer", Name: d.ringerID, Err: err})
		d.engine.ring.Store(&sourceBox{src: NewTone(*pattern, d.engine.rate)})
		return err
	}
	d.ringer = dev
	return nil
}

// onRingerData is the ringer device's data callback. REAL-TIME, as onData.
func (d *deviceDriver) onRingerData(out, _ []byte, _ uint32) {
	pcm := bytesAsSamples(out)
	if box := d.ringTone.Load(); box != nil {
		box.src.Pull(pcm)
	} else {
		clear(pcm)
	}
	if d.ringerTap != nil {
		d.ringerTap(pcm)
	}
}

func (d *deviceDriver) close() error {
	d.mu.Lock()
	d.closed = true
	d.closeDuplexLocked()
	if d.ringer != nil {
		d.ringer.Uninit()
		d.ringer = nil
	}
	d.mu.Unlock()
	close(d.quit)
	<-d.done
	err := d.ctx.Uninit()
	d.ctx.Free()
	return err
}
