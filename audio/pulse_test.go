package audio

import (
	"bufio"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPulseAudioLoopback goes through a real sound server: a private
// PulseAudio with a null sink, started and stopped by the test. We capture
// from the sink's monitor, so what the pipeline plays comes back as its
// microphone: a 1 kHz tone played into a call's port must be measured
// coming out of that port's ReadFrame.
//
// Gated: AGENTBAR_PULSE_IT=1 (make test sets it); skipped with a message if
// the pulseaudio binary is missing.
func TestPulseAudioLoopback(t *testing.T) {
	if os.Getenv("AGENTBAR_PULSE_IT") != "1" {
		t.Skip("PulseAudio integration test: set AGENTBAR_PULSE_IT=1")
	}
	bin, err := exec.LookPath("pulseaudio")
	if err != nil {
		t.Skip("pulseaudio binary not installed (Debian package pulseaudio)")
	}
	server := startPulse(t, bin)
	t.Setenv("PULSE_SERVER", server)
	t.Setenv(BackendEnv, "") // this test is about the real backend

	list, err := ListDevices(BackendPulseAudio)
	if err != nil {
		t.Fatal(err)
	}
	var monitor DeviceInfo
	for _, d := range list.Capture {
		if strings.Contains(strings.ToLower(d.Name), "monitor") {
			monitor = d
		}
	}
	if monitor.ID == "" {
		t.Fatalf("no monitor source among %+v", list.Capture)
	}
	t.Logf("pulse devices: %+v; capturing from %q", list, monitor.Name)

	p, err := NewPipeline(Options{Backend: BackendPulseAudio, CaptureID: monitor.ID, SampleRate: 48000})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	port, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	port.SetPlayback(&sineSource{rate: 8000, freq: 1000, amp: 0.3})

	// The first callbacks come about a second after start and the loop adds
	// the server's buffering: read until the tone is there (10 s at most),
	// then measure 400 ms of it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	frame := make([]int16, 160)
	var heard []int16
	for len(heard) < 8000*4/10 {
		if err := port.ReadFrame(ctx, frame); err != nil {
			t.Fatalf("no tone came back through PulseAudio: %v", err)
		}
		if len(heard) == 0 && RMSdBFS(frame) < -30 {
			continue
		}
		heard = append(heard, frame...)
	}
	heard = heard[800:] // the first 100 ms may still be ramping up
	if f := DominantFrequency(heard, 8000); math.Abs(f-1000) > 10 {
		t.Errorf("looped back %.1f Hz, want 1000 ± 1%%", f)
	}
	if lvl := RMSdBFS(heard); math.Abs(lvl-(-13.5)) > 3 {
		t.Errorf("looped back at %.1f dBFS, want -13.5 ± 3 dB", lvl)
	}
	if gaps := FindGaps(heard, 8000, -40, 15*time.Millisecond); len(gaps) > 0 {
		t.Errorf("gaps in the looped-back tone: %v", gaps)
	}
}

// startPulse runs a private pulseaudio (null sink and source, anonymous
// native socket) in a temporary runtime directory, waits until it is ready,
// and stops it when the test ends. It returns the PULSE_SERVER address.
func startPulse(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	runtime := filepath.Join(dir, "run")
	if err := os.Mkdir(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(runtime, "native")
	cmd := exec.Command(bin, "--daemonize=no", "-n", "-v", "--exit-idle-time=-1",
		"--log-target=stderr", "--disallow-exit",
		"--load=module-native-protocol-unix auth-anonymous=1 socket="+socket,
		"--load=module-null-sink sink_name=vspk",
		"--load=module-null-source source_name=vmic")
	cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+runtime, "HOME="+dir, "PULSE_STATE_PATH="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	readerDone := make(chan struct{})
	var log strings.Builder
	go func() {
		defer close(readerDone)
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			if log.Len() < 1<<16 {
				log.WriteString(line + "\n")
			}
			if !signalled && strings.Contains(line, "Daemon startup complete") {
				signalled = true
				close(ready)
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		<-readerDone
	})
	select {
	case <-ready:
	case <-readerDone:
		t.Fatalf("pulseaudio exited:\n%s", log.String())
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-readerDone
		t.Fatalf("pulseaudio did not start:\n%s", log.String())
	}
	return "unix:" + socket
}

// TestPulseAudioDeviceVanishes unplugs, in effect, the device a call is
// using: the null sink (and its monitor, our microphone) is unloaded from
// the server mid-call. The pipeline must report the loss, fall back to the
// default devices and keep the call's audio flowing.
func TestPulseAudioDeviceVanishes(t *testing.T) {
	if os.Getenv("AGENTBAR_PULSE_IT") != "1" {
		t.Skip("PulseAudio integration test: set AGENTBAR_PULSE_IT=1")
	}
	bin, err := exec.LookPath("pulseaudio")
	if err != nil {
		t.Skip("pulseaudio binary not installed (Debian package pulseaudio)")
	}
	pactl, err := exec.LookPath("pactl")
	if err != nil {
		t.Skip("pactl not installed (Debian package pulseaudio-utils)")
	}
	server := startPulse(t, bin)
	t.Setenv("PULSE_SERVER", server)
	t.Setenv(BackendEnv, "")
	// A second sink to unplug; the first one stays as the default.
	out, err := exec.Command(pactl, "load-module", "module-null-sink", "sink_name=usbheadset").CombinedOutput()
	if err != nil {
		t.Fatalf("pactl load-module: %v %s", err, out)
	}
	module := strings.TrimSpace(string(out)) // the module's index
	list, err := ListDevices(BackendPulseAudio)
	if err != nil {
		t.Fatal(err)
	}
	var headset DeviceInfo
	for _, d := range list.Playback {
		if !d.Default {
			headset = d
		}
	}
	if headset.ID == "" {
		t.Fatalf("no second sink among %+v", list.Playback)
	}
	p, err := NewPipeline(Options{Backend: BackendPulseAudio, PlaybackID: headset.ID})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	port, _ := p.NewPort(8000)
	readFrames(t, port, 10)
	if out, err := exec.Command(pactl, "unload-module", module).CombinedOutput(); err != nil {
		t.Fatalf("pactl unload-module %s: %v %s", module, err, out)
	}
	if ev := nextEvent(t, p); ev.Kind != DeviceLost {
		t.Errorf("first event %v, want lost", ev)
	}
	ev := nextEvent(t, p)
	if ev.Kind != DeviceFallback {
		t.Errorf("second event %v, want fallback", ev)
	}
	t.Logf("after unplugging: %v", ev)
	readFrames(t, port, 10)
}
