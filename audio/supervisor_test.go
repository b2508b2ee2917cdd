package audio

import (
	"math"
	"os"
	"os/exec"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// Devices on demand, on miniaudio's null backend (real devices that tick
// in real time): open while a call, a tone, ringing or a hold needs them,
// closed after the linger otherwise.

// testLinger is short so the tests are quick, but several watchdog ticks
// long, so "closed too early" can be seen.
const testLinger = 4 * watchdogEvery

// deviceWatch follows the duplex device's openings and closings.
type deviceWatch struct {
	t       *testing.T
	changes chan deviceChange
}

type deviceChange struct {
	open bool
	at   time.Time // when the supervisor saw it
}

func newWatchedPipeline(t *testing.T, opts Options) (*Pipeline, *deviceWatch) {
	t.Helper()
	w := &deviceWatch{t: t, changes: make(chan deviceChange, 16)}
	opts.observe = func(open bool) {
		select {
		case w.changes <- deviceChange{open, time.Now()}:
		default:
			t.Error("device changes not read") // a test that stopped listening
		}
	}
	if opts.Linger == 0 {
		opts.Linger = testLinger
	}
	return newNullPipeline(t, opts), w
}

// next waits for the next opening (true) or closing (false) and returns
// when it happened.
func (w *deviceWatch) next(want bool, within time.Duration) time.Time {
	w.t.Helper()
	select {
	case c := <-w.changes:
		if c.open != want {
			w.t.Fatalf("device open=%v, want open=%v", c.open, want)
		}
		return c.at
	case <-time.After(within):
		w.t.Fatalf("device did not become open=%v within %v", want, within)
	}
	return time.Time{}
}

// none checks that the device stays as it is for d.
func (w *deviceWatch) none(d time.Duration) {
	w.t.Helper()
	select {
	case c := <-w.changes:
		w.t.Fatalf("device became open=%v", c.open)
	case <-time.After(d):
	}
}

// closedAfterLinger waits for the closing that follows the end of a use at
// ended and checks it came after the linger (less one watchdog tick: the
// idle time is counted in ticks), not at once and not much later.
func (w *deviceWatch) closedAfterLinger(ended time.Time) {
	w.t.Helper()
	closed := w.next(false, testLinger+5*time.Second)
	if took := closed.Sub(ended); took < testLinger-watchdogEvery {
		w.t.Errorf("closed %v after the last use; the linger is %v", took.Round(time.Millisecond), testLinger)
	}
}

func TestDevicesOpenOnlyWhileUsed(t *testing.T) {
	const rate = 16000
	tests := []struct {
		name string
		// use starts a use of the devices, checks sound flows, and
		// returns the function that ends it.
		use func(t *testing.T, p *Pipeline, speaker *frameTap) (end func())
	}{
		{"call port", func(t *testing.T, p *Pipeline, _ *frameTap) func() {
			port, err := p.NewPort(8000)
			if err != nil {
				t.Fatal(err)
			}
			readFrames(t, port, 5) // the microphone runs
			return func() { port.Close() }
		}},
		{"tone", func(t *testing.T, p *Pipeline, speaker *frameTap) func() {
			p.PlayTone(BusyTone())
			assertTone(t, "busy tone on the headset", speaker.wait(t), rate, 450, -19)
			return p.StopTone
		}},
		{"hold", func(t *testing.T, p *Pipeline, speaker *frameTap) func() {
			release := p.Hold()
			speaker.wait(t)
			return func() {
				release()
				release() // only the first counts
			}
		}},
		{"ringing", func(t *testing.T, p *Pipeline, speaker *frameTap) func() {
			if err := p.Ring(Ringtone()); err != nil {
				t.Fatal(err)
			}
			speaker.wait(t) // the headset runs too, ready for the answer
			return func() {
				if err := p.StopRinging(); err != nil {
					t.Error(err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tap atomic.Pointer[frameTap]
			mic := &sineSource{rate: rate, freq: 1000, amp: 0.3}
			p, w := newWatchedPipeline(t, Options{
				SampleRate: rate,
				CaptureTap: mic.Pull, // the null device captures silence: inject
				PlaybackTap: func(pcm []int16) {
					if f := tap.Load(); f != nil {
						f.tap(pcm)
					}
				},
			})
			w.next(true, time.Second) // opened by NewPipeline: checked at start
			w.closedAfterLinger(time.Now())

			speaker := newFrameTap(rate/5, 10) // 200 ms, after 100 ms of start-up
			tap.Store(speaker)
			asked := time.Now()
			end := tt.use(t, p, speaker)
			if took := w.next(true, time.Second).Sub(asked); took > 500*time.Millisecond {
				t.Errorf("device opened %v after it was needed", took.Round(time.Millisecond))
			}
			w.none(testLinger + watchdogEvery) // in use: stays open past the linger
			if lvl := p.InputLevel().PeakDBFS; math.Abs(lvl-(-10.5)) > 1 {
				t.Errorf("open device's meter reads %.1f dBFS, want the microphone's -10.5", lvl)
			}
			end()
			w.closedAfterLinger(time.Now())
			if lvl := p.InputLevel().PeakDBFS; lvl != SilenceDBFS {
				t.Errorf("closed device's meter reads %.1f dBFS, want silence", lvl)
			}
		})
	}
}

// A finite tone (key feedback) holds the devices only while it plays.
func TestFiniteToneReleasesDevices(t *testing.T) {
	p, w := newWatchedPipeline(t, Options{})
	w.next(true, time.Second)
	w.closedAfterLinger(time.Now())
	if err := p.PlayKeyTone('5', 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	opened := w.next(true, time.Second)
	w.closedAfterLinger(opened.Add(200 * time.Millisecond))
}

// A negative linger keeps the devices open, as before devices on demand.
func TestNegativeLingerKeepsDevicesOpen(t *testing.T) {
	_, w := newWatchedPipeline(t, Options{Linger: -1})
	w.next(true, time.Second)
	w.none(testLinger + 2*watchdogEvery)
}

// A chosen device that is missing is told once, not at every reopening;
// choosing it again tells again.
func TestMissingDeviceToldOncePerChoice(t *testing.T) {
	p, w := newWatchedPipeline(t, Options{CaptureID: "0badc0de"})
	if ev := nextEvent(t, p); ev.Kind != DeviceMissing {
		t.Fatalf("event %v, want missing", ev)
	}
	w.next(true, time.Second)
	w.closedAfterLinger(time.Now())
	port, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	w.next(true, time.Second)
	readFrames(t, port, 3)
	select {
	case ev := <-p.Events():
		t.Errorf("reopening told again: %v", ev)
	default:
	}
	if err := p.SetDevices("0badc0de", ""); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, p); ev.Kind != DeviceMissing {
		t.Errorf("event %v after choosing again, want missing", ev)
	}
	port.Close()
}

// The ringtone must start at once when a call rings: from Ring to the
// first ringtone sample written to the ringer device, with the headset's
// devices closed (the idle app), well under 100 ms. The ringer device's
// period is 20 ms, so a few periods at most.
func TestRingtoneStartsPromptly(t *testing.T) {
	heard := make(chan time.Time, 1)
	var armed atomic.Bool
	p, w := newWatchedPipeline(t, Options{RingerTap: func(pcm []int16) {
		// REAL-TIME: no allocation.
		if !armed.Load() {
			return
		}
		for _, s := range pcm {
			if s > 1000 || s < -1000 {
				armed.Store(false)
				select {
				case heard <- time.Now():
				default:
				}
				return
			}
		}
	}})
	w.next(true, time.Second)
	w.closedAfterLinger(time.Now())
	var delays []time.Duration
	for range 5 {
		armed.Store(true)
		asked := time.Now()
		if err := p.Ring(Ringtone()); err != nil {
			t.Fatal(err)
		}
		select {
		case at := <-heard:
			delays = append(delays, at.Sub(asked))
		case <-time.After(5 * time.Second):
			t.Fatal("no ringtone on the ringer device")
		}
		if err := p.StopRinging(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(delays)
	t.Logf("Ring to the first ringtone sample on the device: %v", delays)
	if median := delays[len(delays)/2]; median > 100*time.Millisecond {
		t.Errorf("median %v from Ring to the first ringtone sample; want well under 100 ms", median)
	}
}

// On a real sound server the devices are paused, not closed, when idle: a
// fresh PulseAudio duplex stream takes up to two seconds to call back for
// the first time, a paused one starts again in milliseconds. A call that
// starts after a quiet spell must not lose its first seconds.
//
// Gated like TestPulseAudioLoopback: AGENTBAR_PULSE_IT=1 and pulseaudio.
func TestPulseAudioDevicesRestartQuickly(t *testing.T) {
	if os.Getenv("AGENTBAR_PULSE_IT") != "1" {
		t.Skip("PulseAudio integration test: set AGENTBAR_PULSE_IT=1")
	}
	bin, err := exec.LookPath("pulseaudio")
	if err != nil {
		t.Skip("pulseaudio binary not installed (Debian package pulseaudio)")
	}
	t.Setenv("PULSE_SERVER", startPulse(t, bin))
	t.Setenv(BackendEnv, "")
	first := make(chan time.Time, 1)
	var armed atomic.Bool
	w := &deviceWatch{t: t, changes: make(chan deviceChange, 16)}
	p, err := NewPipeline(Options{Backend: BackendPulseAudio, Linger: testLinger,
		observe: func(open bool) { w.changes <- deviceChange{open, time.Now()} },
		PlaybackTap: func([]int16) {
			if armed.CompareAndSwap(true, false) {
				first <- time.Now()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	w.next(true, time.Second)
	w.closedAfterLinger(time.Now())
	for i := range 3 {
		armed.Store(true)
		asked := time.Now()
		port, err := p.NewPort(8000)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case at := <-first:
			took := at.Sub(asked)
			t.Logf("call %d: first device callback %v after the port", i, took.Round(time.Millisecond))
			if took > 300*time.Millisecond {
				t.Errorf("call %d: the devices took %v to run again; want milliseconds", i, took.Round(time.Millisecond))
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the devices did not run again")
		}
		w.next(true, time.Second)
		port.Close()
		w.closedAfterLinger(time.Now())
	}
}
