package audio

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

// Device tests run on miniaudio's null backend: real devices that tick in
// real time, with no sound hardware.

// frameTap records device frames from the real-time thread into a
// preallocated buffer and says when it is full.
type frameTap struct {
	mu   sync.Mutex
	pcm  []int16
	full chan struct{}
	skip int // frames to ignore first (device start-up)
}

func newFrameTap(samples, skip int) *frameTap {
	return &frameTap{pcm: make([]int16, 0, samples), full: make(chan struct{}), skip: skip}
}

func (f *frameTap) tap(pcm []int16) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.skip > 0 {
		f.skip--
		return
	}
	if len(f.pcm) == cap(f.pcm) {
		return
	}
	n := min(len(pcm), cap(f.pcm)-len(f.pcm))
	f.pcm = append(f.pcm, pcm[:n]...)
	if len(f.pcm) == cap(f.pcm) {
		close(f.full)
	}
}

func (f *frameTap) wait(t *testing.T) []int16 {
	t.Helper()
	select {
	case <-f.full:
	case <-time.After(10 * time.Second):
		t.Fatal("device callbacks did not deliver enough audio")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pcm
}

func newNullPipeline(t *testing.T, opts Options) *Pipeline {
	t.Helper()
	opts.Backend = BackendNull
	p, err := NewPipeline(opts)
	if err != nil {
		t.Fatalf("null backend: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func TestDevicePipelineNullBackend(t *testing.T) {
	const rate = 48000
	mic := &sineSource{rate: rate, freq: 1000, amp: 0.3}
	speaker := newFrameTap(rate/2, 5)
	p := newNullPipeline(t, Options{
		SampleRate:  rate,
		CaptureTap:  func(pcm []int16) { mic.Pull(pcm) }, // the null device captures silence: inject
		PlaybackTap: speaker.tap,
	})
	port, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	port.SetPlayback(&sineSource{rate: 8000, freq: 450, amp: 0.2})
	assertTone(t, "microphone through the device", readFrames(t, port, 20)[800:], 8000, 1000, -13.5)
	assertTone(t, "playback into the device", speaker.wait(t), rate, 450, -17)
	if st := p.Stats(); st.Callbacks < 10 || st.Rate != rate {
		t.Errorf("stats %+v", st)
	}
}

func TestListDevicesNull(t *testing.T) {
	list, err := ListDevices(BackendNull)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Capture) == 0 || len(list.Playback) == 0 {
		t.Fatalf("null backend lists %+v", list)
	}
	for _, d := range append(list.Capture, list.Playback...) {
		if d.ID == "" || d.Name == "" {
			t.Errorf("device without ID or name: %+v", d)
		}
	}
	t.Logf("null devices: %+v", list)
	// Choosing the listed devices by ID works without a notice.
	p := newNullPipeline(t, Options{CaptureID: list.Capture[0].ID, PlaybackID: list.Playback[0].ID})
	select {
	case ev := <-p.Events():
		t.Errorf("unexpected notice %v", ev)
	default:
	}
}

func TestDeviceMissingFallsBackToDefault(t *testing.T) {
	speaker := newFrameTap(4800, 0)
	p := newNullPipeline(t, Options{CaptureID: "0badc0de", PlaybackTap: speaker.tap})
	ev := nextEvent(t, p)
	if ev.Kind != DeviceMissing || ev.Role != "capture" || ev.Name != "0badc0de" {
		t.Errorf("event %+v, want capture missing", ev)
	}
	speaker.wait(t) // and the default device runs
}

// A device that stops by itself (unplugged) is replaced by the default,
// with notices, and audio keeps flowing to the call.
func TestDeviceLossFallsBack(t *testing.T) {
	p := newNullPipeline(t, Options{SampleRate: 16000})
	port, _ := p.NewPort(8000)
	readFrames(t, port, 2)
	d := p.driver.(*deviceDriver)
	// What miniaudio does when the device goes away: the stop callback.
	d.onStop(d.generation.Load())
	if ev := nextEvent(t, p); ev.Kind != DeviceLost {
		t.Errorf("first event %v, want lost", ev)
	}
	if ev := nextEvent(t, p); ev.Kind != DeviceFallback {
		t.Errorf("second event %v, want fallback", ev)
	}
	readFrames(t, port, 5)
	// A stop notification from a device we replaced ourselves is ignored.
	d.onStop(d.generation.Load() - 5)
	if err := p.SetDevices("", ""); err != nil {
		t.Fatal(err)
	}
	readFrames(t, port, 3)
	select {
	case ev := <-p.Events():
		t.Errorf("unexpected notice %v", ev)
	default:
	}
}

func TestRingerDevice(t *testing.T) {
	p := newNullPipeline(t, Options{})
	if err := p.Ring(Ringtone()); err != nil {
		t.Fatal(err)
	}
	d := p.driver.(*deviceDriver)
	pulled := make(chan struct{})
	var once sync.Once
	d.ringTone.Store(&sourceBox{src: FrameSourceFunc(func(pcm []int16) {
		clear(pcm)
		once.Do(func() { close(pulled) })
	})})
	select {
	case <-pulled:
	case <-time.After(10 * time.Second):
		t.Fatal("the ringer device never asked for audio")
	}
	if err := p.StopRinging(); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	open := d.ringer != nil
	d.mu.Unlock()
	if open {
		t.Error("ringer device still open after StopRinging")
	}
}

func nextEvent(t *testing.T, p *Pipeline) DeviceEvent {
	t.Helper()
	select {
	case ev := <-p.Events():
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no device event")
	}
	return DeviceEvent{}
}

func TestBackendSelection(t *testing.T) {
	tests := []struct {
		in      string
		want    Backend
		wantErr bool
	}{
		{"", BackendAuto, false},
		{"null", BackendNull, false},
		{" PulseAudio ", BackendPulseAudio, false},
		{"alsa", BackendALSA, false},
		{"jack", "", true},
	}
	for _, tt := range tests {
		got, err := ParseBackend(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseBackend(%q) = %q, %v", tt.in, got, err)
		}
	}
	t.Setenv(BackendEnv, "null")
	if b, err := effectiveBackend(BackendPulseAudio); err != nil || b != BackendNull {
		t.Errorf("environment override: %v %v", b, err)
	}
	// The override makes even an "alsa" pipeline run without hardware.
	p, err := NewPipeline(Options{Backend: BackendALSA})
	if err != nil {
		t.Fatalf("with %s=null: %v", BackendEnv, err)
	}
	p.Close()
	t.Setenv(BackendEnv, "bogus")
	if _, err := NewPipeline(Options{}); !errors.Is(err, ErrUnknownBackend) {
		t.Errorf("bogus backend: %v", err)
	}
}

// REAL-TIME contract of the malgo data callback itself: byte buffers in,
// nothing allocated.
func TestDeviceCallbackDoesNotAllocate(t *testing.T) {
	p, err := newPipelineShell(48000, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.driver = &pacer{}
	d := &deviceDriver{pipeline: p, engine: p.engine}
	port, _ := p.NewPort(8000)
	port.SetPlayback(NewJitterBuffer(PCMA{}, JitterBufferOptions{}))
	in := make([]byte, 960*2)
	out := make([]byte, 960*2)
	if n := testing.AllocsPerRun(200, func() { d.onData(out, in, 960) }); n != 0 {
		t.Errorf("data callback allocates %.1f times", n)
	}
	ring := &deviceDriver{}
	ring.ringTone.Store(&sourceBox{src: NewTone(Ringtone(), 48000)})
	if n := testing.AllocsPerRun(200, func() { ring.onRingerData(out, nil, 960) }); n != 0 {
		t.Errorf("ringer callback allocates %.1f times", n)
	}
	if len(bytesAsSamples([]byte{1})) != 0 || bytesAsSamples([]byte{1, 2, 3, 4})[1] != 0x0403 {
		t.Error("bytesAsSamples")
	}
}

func TestDeviceMessages(t *testing.T) {
	err := &DeviceError{Kind: "capture", Name: "USB Headset", Err: ErrNoDevice}
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "USB Headset") {
		t.Errorf("DeviceError: %v", err)
	}
	for _, kind := range []string{"capture", "playback", "ringer"} {
		e := &DeviceError{Kind: kind, Err: ErrNoDevice}
		if zh, en := e.Sentence("zh"), e.Sentence("en"); zh == en || !strings.ContainsRune(zh, '。') || strings.ContainsRune(en, '。') {
			t.Errorf("%s sentences: %q / %q", kind, zh, en)
		}
	}
	for _, kind := range []DeviceEventKind{DeviceMissing, DeviceLost, DeviceFallback, DeviceFailed} {
		ev := DeviceEvent{Kind: kind, Role: "duplex"}
		if zh, en := ev.Sentence("zh"), ev.Sentence("en"); zh == en || zh == "" || en == "" {
			t.Errorf("%v sentences: %q / %q", kind, zh, en)
		}
		if !strings.Contains(ev.String(), kind.String()) {
			t.Errorf("String %q lacks %q", ev.String(), kind)
		}
	}
	if math.IsNaN(AmplitudeToDBFS(0)) {
		t.Error("NaN")
	}
}

// With no sound system at all, "auto" still gives a working (silent)
// pipeline and says why it is silent. This machine has no sound card, so
// auto's first choice fails here; where it does not, the test only checks
// that auto works.
func TestAutoBackendFallsBackToNull(t *testing.T) {
	t.Setenv(BackendEnv, "")
	t.Setenv("PULSE_SERVER", "unix:/nonexistent/agentbar-test")
	p, err := NewPipeline(Options{Backend: BackendAuto})
	if err != nil {
		t.Fatalf("auto backend: %v", err)
	}
	defer p.Close()
	list, _ := ListDevices(BackendAuto)
	realDevices := false
	for _, d := range list.Playback {
		if !strings.HasPrefix(d.Name, "NULL ") {
			realDevices = true
		}
	}
	select {
	case ev := <-p.Events():
		if ev.Kind != DeviceFailed {
			t.Errorf("event %v, want failed (running silent)", ev)
		}
	default:
		if !realDevices {
			t.Error("silent fallback without a notice")
		}
	}
	port, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	readFrames(t, port, 2)
}

// A device whose callbacks simply stop, with no stop notification (what
// PulseAudio does when our stream's sink goes away), is caught by the
// watchdog and replaced.
func TestDeviceWatchdog(t *testing.T) {
	p := newNullPipeline(t, Options{})
	port, _ := p.NewPort(8000)
	readFrames(t, port, 30) // long enough for the watchdog to see it running
	d := p.driver.(*deviceDriver)
	d.mu.Lock()
	d.generation.Add(1) // so that this Stop's notification is ignored
	if err := d.dev.Stop(); err != nil {
		t.Fatal(err)
	}
	d.generation.Add(^uint64(0)) // and back: the device is current, and silent
	d.mu.Unlock()
	if ev := nextEvent(t, p); ev.Kind != DeviceLost {
		t.Errorf("first event %v, want lost", ev)
	}
	if ev := nextEvent(t, p); ev.Kind != DeviceFallback {
		t.Errorf("second event %v, want fallback", ev)
	}
	readFrames(t, port, 5)
}
