package phone

import (
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"agentbar/audio"
)

// audioRig is one phone's headless audio: a microphone playing a steady
// tone and a speaker that keeps everything it is given.
type audioRig struct {
	pipe     *audio.Pipeline
	freq     float64
	mu       sync.Mutex
	heard    []int16
	want     int
	reached  chan struct{}
	sentRMS  float64
	rate     int
	rigError error
}

const rigAmplitude = 0.3

func newAudioRig(t testing.TB, freq float64) *audioRig {
	t.Helper()
	r := &audioRig{freq: freq, rate: 8000}
	tone := audio.NewTone(audio.TonePattern{Name: "test", Amplitude: rigAmplitude, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{freq}, Duration: time.Second}}}, r.rate)
	pipe, err := audio.NewVirtualPipeline(audio.VirtualOptions{Rate: r.rate, Microphone: tone, Speaker: r.speak})
	if err != nil {
		t.Fatal(err)
	}
	r.pipe = pipe
	r.sentRMS = audio.RMSdBFS(audio.SineWave(r.rate, freq, rigAmplitude, time.Second))
	t.Cleanup(func() { pipe.Close() })
	return r
}

func (r *audioRig) newPort(rate int) (audio.Port, error) { return r.pipe.NewPort(rate) }

// speak runs on the pipeline's pacer goroutine.
func (r *audioRig) speak(pcm []int16) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.heard = append(r.heard, pcm...)
	if r.reached != nil && len(r.heard) >= r.want {
		close(r.reached)
		r.reached = nil
	}
}

// listen returns the next d of what the agent hears.
func (r *audioRig) listen(t testing.TB, d time.Duration) []int16 {
	t.Helper()
	n := int(d.Seconds() * float64(r.rate))
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

// checkHears verifies that pcm is the other rig's tone: frequency within
// 1 %, level within 3 dB, no drop-out over 60 ms.
func checkHears(t testing.TB, who string, pcm []int16, from *audioRig) {
	t.Helper()
	checkTone(t, who, pcm, from.freq, from.sentRMS)
}

// checkTone verifies that pcm is a steady tone of freq sent at sentRMS:
// frequency within 1 %, level within 3 dB, no drop-out over 60 ms.
func checkTone(t testing.TB, who string, pcm []int16, freq, sentRMS float64) {
	t.Helper()
	if len(pcm) < 8000/2 {
		t.Errorf("%s: only %d samples to analyse", who, len(pcm))
		return
	}
	f := audio.DominantFrequency(pcm, 8000)
	if math.Abs(f-freq)/freq > 0.01 {
		t.Errorf("%s hears %.1f Hz, want %.0f Hz ±1%%", who, f, freq)
	}
	level := audio.RMSdBFS(pcm)
	if math.Abs(level-sentRMS) > 3 {
		t.Errorf("%s hears %.1f dBFS, sent %.1f dBFS (want within 3 dB)", who, level, sentRMS)
	}
	gaps := audio.FindGaps(pcm, 8000, sentRMS-20, 60*time.Millisecond)
	if len(gaps) > 0 {
		t.Errorf("%s: %d drop-outs over 60 ms, first at %v for %v", who, len(gaps), gaps[0].Start, gaps[0].Duration())
	}
	t.Logf("%s: %.2f Hz (want %.0f), %.2f dBFS (sent %.2f), %d gaps over 60 ms in %v",
		who, f, freq, level, sentRMS, len(gaps), time.Duration(len(pcm))*time.Second/8000)
}

func checkSilent(t testing.TB, who string, pcm []int16) {
	t.Helper()
	if level := audio.RMSdBFS(pcm); level > -50 {
		t.Errorf("%s hears %.1f dBFS (%.0f Hz), want silence", who, level, audio.DominantFrequency(pcm, 8000))
	}
}

func TestAudioBothWaysWithHold(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	aliceAudio, bobAudio := newAudioRig(t, 1000), newAudioRig(t, 440)
	alice := newTestPhone(t, "alice", TransportUDP, func(c *Config) { c.NewPort = aliceAudio.newPort })
	bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) { c.NewPort = bobAudio.newPort })
	out, in := connect(t, alice, bob)

	settle := func() { // let the jitter buffers fill after a change
		aliceAudio.listen(t, 300*time.Millisecond)
	}
	settle()
	checkHears(t, "bob", bobAudio.listen(t, 2*time.Second), aliceAudio)
	checkHears(t, "alice", aliceAudio.listen(t, time.Second), bobAudio)

	if err := out.Hold(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	bob.ev.waitState(in.ID(), RemoteHeld)
	settle()
	checkSilent(t, "bob while alice holds", bobAudio.listen(t, 500*time.Millisecond))
	checkSilent(t, "alice while holding", aliceAudio.listen(t, 500*time.Millisecond))

	if err := out.Resume(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	bob.ev.waitState(in.ID(), Talking)
	settle()
	checkHears(t, "bob after resume", bobAudio.listen(t, time.Second), aliceAudio)
	checkHears(t, "alice after resume", aliceAudio.listen(t, time.Second), bobAudio)

	if q := in.Quality(); q.PacketsReceived == 0 || q.PacketsSent == 0 {
		t.Errorf("quality after the call: %+v", q)
	}
}

func TestDTMFOverRTP(t *testing.T) {
	alice := newTestPhone(t, "alice", TransportUDP, nil)
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	out, in := connect(t, alice, bob)
	if err := out.SendDTMF(ctxT(t), "7*"); err != nil {
		t.Fatal(err)
	}
	for i, want := range "7*" {
		got := bob.ev.waitN(i+1, "digit", func(e Event) bool { _, ok := e.(DTMFReceived); return ok }).(DTMFReceived)
		if got.Digit != want || got.Call != in {
			t.Fatalf("digit %d: %q, want %q", i, got.Digit, want)
		}
	}
	if n := bob.ev.count(func(e Event) bool { _, ok := e.(DTMFReceived); return ok }); n != 2 {
		t.Fatalf("%d digits received, want 2 (RTP, not INFO too)", n)
	}
}
