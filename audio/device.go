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
	// after mixing. REAL-TIME: they run on the audio thread and must not
	// block or allocate. For measurements and tests.
	CaptureTap, PlaybackTap func(pcm []int16)
}

// NewPipeline opens one duplex device (capture and playback together, at
// one rate, 10 ms periods, 16-bit mono) and starts it. The ringer device
// opens only while ringing.
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
	d := &deviceDriver{
		period:     int(period.Seconds() * float64(p.engine.rate)),
		pipeline:   p,
		engine:     p.engine,
		ctx:        ctx,
		ids:        map[string]unsafe.Pointer{},
		captureID:  opts.CaptureID,
		playbackID: opts.PlaybackID,
		ringerID:   opts.RingerID,
		stopped:    make(chan uint64, 1),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
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

// deviceDriver runs the engine from a malgo duplex device and watches it.
type deviceDriver struct {
	period   int // device period in samples
	pipeline *Pipeline
	engine   *engine
	ctx      *malgo.AllocatedContext
	// ids holds the C copies of chosen device IDs: malgo's DeviceID.Pointer
	// allocates C memory it never frees, so make one per device and keep it.
	ids map[string]unsafe.Pointer

	mu                              sync.Mutex // guards everything below
	dev                             *malgo.Device
	ringer                          *malgo.Device
	captureID, playbackID, ringerID string
	closed                          bool

	generation atomic.Uint64 // of the current duplex device
	ringTone   atomic.Pointer[sourceBox]
	stopped    chan uint64 // generation of a device that stopped by itself
	quit, done chan struct{}
}

// reopenDelay is how long the supervisor waits between attempts when no
// device at all can be opened.
const reopenDelay = 2 * time.Second

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
	gen := d.generation.Add(1)
	dev, err := malgo.InitDevice(d.ctx.Context, cfg, malgo.DeviceCallbacks{
		Data: d.onData,
		Stop: func() { d.onStop(gen) },
	})
	if err != nil {
		return &DeviceError{Kind: "duplex", Name: d.nameLocked(), Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
	}
	if err := dev.Start(); err != nil {
		d.generation.Add(1) // its stop notification is ours, not a loss
		dev.Uninit()
		return &DeviceError{Kind: "duplex", Name: d.nameLocked(), Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
	}
	d.dev = dev
	return nil
}

// devicePointer finds the device with the persisted id; "" or a device that
// is not present gives nil (the default), the latter with a notice.
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
			if ptr, ok := d.ids[key]; ok {
				return ptr
			}
			ptr := infos[i].ID.Pointer()
			d.ids[key] = ptr
			return ptr
		}
	}
	if announce {
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

// supervise replaces a device that stopped by itself with the system
// default, announcing it, and keeps trying while none can be opened.
//
// Not every backend says when a device goes away (PulseAudio killing our
// stream just stops the callbacks), so a watchdog also treats a device whose
// callbacks stop for a second as lost; one that never called back at all is
// given startupGrace first.
func (d *deviceDriver) supervise() {
	defer close(d.done)
	var retry <-chan time.Time
	watchdog := time.NewTicker(watchdogEvery)
	defer watchdog.Stop()
	var (
		watchGen  uint64
		lastCount uint64
		armed     bool
		quietFor  time.Duration
	)
	lost := func() {
		d.pipeline.notify(DeviceEvent{Kind: DeviceLost, Role: "duplex", Name: d.currentName()})
		retry = d.fallback()
	}
	for {
		select {
		case <-d.quit:
			return
		case gen := <-d.stopped:
			if gen == d.generation.Load() {
				lost()
			}
		case <-retry:
			retry = d.fallback()
		case <-watchdog.C:
			if retry != nil {
				continue // no device open: nothing to watch
			}
			if gen := d.generation.Load(); gen != watchGen {
				watchGen, lastCount, armed, quietFor = gen, d.engine.callbacks.Load(), false, 0
				continue
			}
			if c := d.engine.callbacks.Load(); c != lastCount {
				lastCount, armed, quietFor = c, true, 0
				continue
			}
			quietFor += watchdogEvery
			if (armed && quietFor >= stallLimit) || quietFor >= startupGrace {
				lost()
				watchGen = 0
			}
		}
	}
}

// Watchdog timing: checked every watchdogEvery; lost after stallLimit
// without a callback, or startupGrace if it never called back (PulseAudio's
// first callback comes about a second after start).
const (
	watchdogEvery = 250 * time.Millisecond
	stallLimit    = time.Second
	startupGrace  = 5 * time.Second
)

func (d *deviceDriver) currentName() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nameLocked()
}

// nameLocked names the chosen devices, "" when both are the defaults.
func (d *deviceDriver) nameLocked() string {
	if d.captureID == "" && d.playbackID == "" {
		return ""
	}
	return d.captureID + "/" + d.playbackID
}

// fallback reopens on the default devices. It returns a retry timer when
// that fails.
func (d *deviceDriver) fallback() <-chan time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closeDuplexLocked()
	d.captureID, d.playbackID = "", ""
	if err := d.openDuplex(false); err != nil {
		d.pipeline.notify(DeviceEvent{Kind: DeviceFailed, Role: "duplex", Err: err})
		return time.After(reopenDelay)
	}
	d.pipeline.notify(DeviceEvent{Kind: DeviceFallback, Role: "duplex"})
	return nil
}

func (d *deviceDriver) closeDuplexLocked() {
	if d.dev == nil {
		return
	}
	d.generation.Add(1) // the stop this causes is not a loss
	d.dev.Uninit()
	d.dev = nil
}

// setDevices switches capture and playback to other devices mid-call.
func (d *deviceDriver) setDevices(captureID, playbackID string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	d.closeDuplexLocked()
	d.captureID, d.playbackID = captureID, playbackID
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
// opened the ringtone goes to the headset instead.
func (d *deviceDriver) setRinger(pattern *TonePattern) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if pattern == nil {
		d.engine.ring.Store(nil)
		d.ringTone.Store(nil)
		if d.ringer != nil {
			d.ringer.Uninit()
			d.ringer = nil
		}
		return nil
	}
	if d.closed {
		return ErrClosed
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
		return
	}
	clear(pcm)
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
