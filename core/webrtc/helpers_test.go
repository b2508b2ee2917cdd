package webrtc

import (
	"context"
	"log/slog"
	"math"
	"net"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core/media"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// waitTimeout bounds every wait in these tests.
const waitTimeout = 10 * time.Second

// rigRate is the virtual sound card's rate: wide enough for Opus's tones.
const rigRate = 16000

// audioRig is one end's headless sound card: a microphone playing a steady
// tone, a speaker that keeps what it is given.
type audioRig struct {
	pipe    *audio.Pipeline
	freq    float64
	mu      sync.Mutex
	heard   []int16
	want    int
	reached chan struct{}
}

const rigAmplitude = 0.3

func newAudioRig(t testing.TB, freq float64) *audioRig {
	t.Helper()
	r := &audioRig{freq: freq}
	tone := audio.NewTone(audio.TonePattern{Name: "test", Amplitude: rigAmplitude, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{freq}, Duration: time.Second}}}, rigRate)
	pipe, err := audio.NewVirtualPipeline(audio.VirtualOptions{Rate: rigRate, Microphone: tone, Speaker: r.speak})
	if err != nil {
		t.Fatal(err)
	}
	r.pipe = pipe
	t.Cleanup(func() { pipe.Close() })
	return r
}

func (r *audioRig) speak(pcm []int16) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.heard = append(r.heard, pcm...)
	if r.reached != nil && len(r.heard) >= r.want {
		close(r.reached)
		r.reached = nil
	}
}

func (r *audioRig) port(t testing.TB) *audio.CallPort {
	t.Helper()
	p, err := r.pipe.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// listen returns the next d of what this end hears.
func (r *audioRig) listen(t testing.TB, d time.Duration) []int16 {
	t.Helper()
	n := int(d.Seconds() * rigRate)
	reached := make(chan struct{})
	r.mu.Lock()
	start := len(r.heard)
	r.want, r.reached = start+n, reached
	r.mu.Unlock()
	select {
	case <-reached:
	case <-time.After(d + 5*time.Second):
		t.Fatalf("the speaker got less than %v of audio", d)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.heard[start : start+n])
}

var sentRMS = audio.RMSdBFS(audio.SineWave(rigRate, 1000, rigAmplitude, time.Second))

// checkTone verifies that pcm is freq: within 1 %, level within 3 dB of
// what was sent, no drop-out over 60 ms.
func checkTone(t testing.TB, who string, pcm []int16, freq float64) {
	t.Helper()
	f := audio.DominantFrequency(pcm, rigRate)
	if math.Abs(f-freq)/freq > 0.01 {
		t.Errorf("%s hears %.1f Hz, want %.0f Hz ±1%%", who, f, freq)
	}
	level := audio.RMSdBFS(pcm)
	if math.Abs(level-sentRMS) > 3 {
		t.Errorf("%s hears %.1f dBFS, sent %.1f dBFS", who, level, sentRMS)
	}
	if gaps := audio.FindGaps(pcm, rigRate, sentRMS-20, 60*time.Millisecond); len(gaps) > 0 {
		t.Errorf("%s: %d drop-outs over 60 ms, first at %v for %v", who, len(gaps), gaps[0].Start, gaps[0].Duration())
	}
}

func checkSilent(t testing.TB, who string, pcm []int16) {
	t.Helper()
	if level := audio.RMSdBFS(pcm); level > -50 {
		t.Errorf("%s hears %.1f dBFS (%.0f Hz), want silence", who, level, audio.DominantFrequency(pcm, rigRate))
	}
}

func testLogger(name string) *slog.Logger {
	if os.Getenv("AGENTBAR_SIP_DEBUG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("end", name)
}

func loopbackConfig(name string) Config {
	return Config{LocalIP: net.IPv4(127, 0, 0, 1), Logger: testLogger(name), ConnectTimeout: 3 * time.Second}
}

func newTestSession(t testing.TB, cfg Config) *Session {
	t.Helper()
	s, err := NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// agree is RFC 3264 §6.1, as the phone applies it: we send only if they
// receive and receive only if they send.
func agree(ours, theirs media.Direction) media.Direction {
	send := ours.Sends() && theirs.Receives()
	recv := ours.Receives() && theirs.Sends()
	switch {
	case send && recv:
		return media.SendRecv
	case send:
		return media.SendOnly
	case recv:
		return media.RecvOnly
	}
	return media.Inactive
}

// exchange runs one offer/answer from off to ans, the offer with dir and
// the answerer wanting want; both ends take the agreed directions.
func exchange(t testing.TB, off, ans *Session, dir, want media.Direction) (offer, answer []byte) {
	t.Helper()
	offer, err := off.Offer(ctxT(t), dir)
	if err != nil {
		t.Fatalf("Offer: %v", err)
	}
	theirs, err := InspectSDP(offer)
	if err != nil {
		t.Fatalf("InspectSDP(offer): %v", err)
	}
	ansDir := agree(want, theirs.Direction)
	answer, _, err = ans.Answer(ctxT(t), offer, ansDir)
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	ans.SetDirection(ansDir)
	remote, err := off.AcceptAnswer(answer)
	if err != nil {
		t.Fatalf("AcceptAnswer: %v", err)
	}
	off.SetDirection(agree(dir, remote.Direction))
	return offer, answer
}

func waitClosed(t testing.TB, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitTimeout):
		t.Fatalf("no %s within %v", what, waitTimeout)
	}
}
