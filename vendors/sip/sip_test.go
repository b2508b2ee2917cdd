package sip

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ear records what one side hears.
type ear struct {
	mu  sync.Mutex
	pcm []int16
}

func (e *ear) hear(pcm []int16) {
	e.mu.Lock()
	e.pcm = append(e.pcm, pcm...)
	e.mu.Unlock()
}

// last returns the last d of audio heard.
func (e *ear) last(d time.Duration) []int16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := int(d.Seconds() * 8000)
	if len(e.pcm) < n {
		return append([]int16(nil), e.pcm...)
	}
	return append([]int16(nil), e.pcm[len(e.pcm)-n:]...)
}

// side is one agentbar engine signed in to a plain SIP account with
// direct IP calls, speaking a tone into a virtual headset.
type side struct {
	t    *testing.T
	e    *core.Engine
	sub  *core.Subscription
	ear  *ear
	port int
	pipe *audio.Pipeline
	dnd  bool // set while the test expects no call to ring
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

func newSide(t *testing.T, user string, toneHz float64, extra map[string]string) *side {
	t.Helper()
	s := &side{t: t, ear: &ear{}, port: freeUDPPort(t)}
	tone := audio.NewTone(audio.TonePattern{Name: "test", Amplitude: 0.3, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{toneHz}, Duration: time.Second}}}, 8000)
	pipe, err := audio.NewVirtualPipeline(audio.VirtualOptions{Rate: 8000, Microphone: tone, Speaker: s.ear.hear})
	if err != nil {
		t.Fatal(err)
	}
	s.pipe = pipe
	s.e = core.New(core.Options{CommandTimeout: 10 * time.Second})
	s.sub = s.e.Subscribe(user, 4096)
	fields := map[string]string{
		"uri": "sip:" + user + "@127.0.0.1", "register": "false", "local_ip": "127.0.0.1",
		"port": fmt.Sprint(s.port),
	}
	for k, v := range extra {
		fields[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.e.Login(ctx, core.LoginRequest{Account: user, Platform: "sip", Fields: fields, Services: pipe}); err != nil {
		t.Fatalf("%s login: %v", user, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.e.Close(ctx); err != nil {
			t.Errorf("%s close: %v", user, err)
		}
		_ = pipe.Close()
	})
	return s
}

func (s *side) uri(user string) string { return fmt.Sprintf("sip:%s@127.0.0.1:%d", user, s.port) }

// waitCall waits for a call event in the given state and returns the call.
func (s *side) waitCall(state core.CallState) core.Call {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-s.sub.C:
			switch ev := ev.(type) {
			case core.CallAdded:
				if ev.Call.State == state {
					return ev.Call
				}
				if ev.Call.State == core.CallRinging && s.dnd {
					s.t.Errorf("a call rang while on do-not-disturb: %+v", ev.Call)
				}
			case core.CallChanged:
				if ev.Call.State == state {
					return ev.Call
				}
			}
		case <-deadline:
			s.t.Fatalf("no call reached %s", state)
		}
	}
}

// hears checks the dominant frequency of the last second heard.
func (s *side) hears(want float64) {
	s.t.Helper()
	pcm := s.ear.last(time.Second)
	got := audio.DominantFrequency(pcm, 8000)
	if got < want*0.99 || got > want*1.01 {
		s.t.Fatalf("heard %.1f Hz, want %.0f Hz ±1%% (level %.1f dBFS)", got, want, audio.RMSdBFS(pcm))
	}
}

func (s *side) hearsSilence() {
	s.t.Helper()
	if lvl := audio.RMSdBFS(s.ear.last(500 * time.Millisecond)); lvl > -50 {
		s.t.Fatalf("heard %.1f dBFS, want silence", lvl)
	}
}

// settle lets audio flow for d (real time: the pipelines are paced).
func settle(d time.Duration) { <-time.After(d) }

func TestCallBetweenTwoAgentsWithAudio(t *testing.T) {
	alice := newSide(t, "alice", 1000, nil)
	bob := newSide(t, "bob", 600, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	id, err := alice.e.Dial(ctx, core.DialOptions{Target: bob.uri("bob")})
	if err != nil {
		t.Fatal(err)
	}
	ring := bob.waitCall(core.CallRinging)
	if ring.RemoteNumber != "alice" || ring.Direction != core.Inbound {
		t.Errorf("bob sees %+v", ring)
	}
	if err := bob.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	bob.waitCall(core.CallTalking)
	talking := alice.waitCall(core.CallTalking)
	if talking.ID != id {
		t.Errorf("alice's call id %s, want the dialled %s", talking.ID, id)
	}
	settle(1500 * time.Millisecond)
	alice.hears(600)
	bob.hears(1000)

	// Hold from alice: neither hears the other; resume brings both back.
	if err := alice.e.Hold(ctx, id); err != nil {
		t.Fatal(err)
	}
	alice.waitCall(core.CallHeld)
	settle(time.Second)
	bob.hearsSilence()
	if err := alice.e.Resume(ctx, id); err != nil {
		t.Fatal(err)
	}
	alice.waitCall(core.CallTalking)
	settle(1500 * time.Millisecond)
	bob.hears(1000)
	alice.hears(600)

	// Mute: bob stops hearing alice. (Under -race on two cores the jitter
	// buffer may have grown after the resume burst; give it time to drain.)
	if err := alice.e.Mute(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	settle(2 * time.Second)
	bob.hearsSilence()
	if err := alice.e.Mute(ctx, id, false); err != nil {
		t.Fatal(err)
	}

	// Bob hangs up; alice sees the remote end.
	if err := bob.e.Hangup(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	end := alice.waitCall(core.CallEnded)
	if end.EndReason != core.EndRemoteHangup {
		t.Errorf("alice's call ended %s", end.EndReason)
	}
	if b := bob.waitCall(core.CallEnded); b.EndReason != core.EndLocalHangup {
		t.Errorf("bob's call ended %s", b.EndReason)
	}
}

func TestBusyIsDoNotDisturb(t *testing.T) {
	alice := newSide(t, "alice", 1000, nil)
	bob := newSide(t, "bob", 600, map[string]string{"busy_code": "486"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := bob.e.SetAgentState(ctx, core.BusyState()); err != nil {
		t.Fatal(err)
	}
	bob.dnd = true
	if _, err := alice.e.Dial(ctx, core.DialOptions{Target: bob.uri("bob")}); err != nil {
		t.Fatal(err)
	}
	end := alice.waitCall(core.CallEnded)
	if end.EndReason != core.EndBusy || end.EndDetail == "" {
		t.Errorf("ended %s (%s), want busy with a sentence", end.EndReason, end.EndDetail)
	}
	// Bob never heard it ring, but finds it among his missed calls.
	missed := bob.waitCall(core.CallEnded)
	if missed.EndReason != core.EndMissed || missed.Direction != core.Inbound || missed.RemoteNumber != "alice" || !missed.Answered.IsZero() {
		t.Errorf("refused call recorded as %+v", missed)
	}
	if missed.Started.IsZero() || !strings.Contains(missed.EndDetail, "do not disturb") {
		t.Errorf("refused call detail %q started %v", missed.EndDetail, missed.Started)
	}
	// Ready again: calls ring.
	bob.dnd = false
	if err := bob.e.SetAgentState(ctx, core.ReadyState()); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.e.Dial(ctx, core.DialOptions{Target: bob.uri("bob")}); err != nil {
		t.Fatal(err)
	}
	ring := bob.waitCall(core.CallRinging)
	if err := bob.e.Reject(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	if end := alice.waitCall(core.CallEnded); end.EndReason != core.EndBusy {
		t.Errorf("rejected call ended %s at the caller", end.EndReason)
	}
	if end := bob.waitCall(core.CallEnded); end.EndReason != core.EndRejected {
		t.Errorf("rejected call ended %s at the callee", end.EndReason)
	}
}

func TestCancelBeforeAnswerIsMissedAtCallee(t *testing.T) {
	alice := newSide(t, "alice", 1000, nil)
	bob := newSide(t, "bob", 600, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id, err := alice.e.Dial(ctx, core.DialOptions{Target: bob.uri("bob")})
	if err != nil {
		t.Fatal(err)
	}
	bob.waitCall(core.CallRinging)
	if err := alice.e.Hangup(ctx, id); err != nil {
		t.Fatal(err)
	}
	if end := alice.waitCall(core.CallEnded); end.EndReason != core.EndCancelled {
		t.Errorf("caller: %s", end.EndReason)
	}
	if end := bob.waitCall(core.CallEnded); end.EndReason != core.EndMissed {
		t.Errorf("callee: %s", end.EndReason)
	}
}

func TestFieldsAreRegistered(t *testing.T) {
	info, ok := core.Lookup("sip")
	if !ok {
		t.Fatal("sip not registered")
	}
	got, err := info.ValidateFields(map[string]string{"uri": "sip:1001@pbx"})
	if err != nil {
		t.Fatal(err)
	}
	if got["transport"] != "udp" || got["register"] != "true" || got["busy_code"] != "486" {
		t.Errorf("defaults %v", got)
	}
	if _, err := info.ValidateFields(map[string]string{"uri": "x", "transport": "sctp"}); err == nil {
		t.Error("bad transport accepted")
	}
	if _, err := New(core.Config{Fields: map[string]string{"uri": "sip:a@b", "local_ip": "nope"}}); err == nil {
		t.Error("bad local_ip accepted")
	}
	if _, err := New(core.Config{Fields: map[string]string{"uri": "sip:a@b", "ca_file": "/nonexistent.pem"}}); err == nil {
		t.Error("missing CA file accepted")
	}
}

func TestUserOf(t *testing.T) {
	for in, want := range map[string]string{
		"sip:13800138000@pbx.example.com":                "13800138000",
		"\"Bob\" <sip:1001@10.0.0.1:5060;transport=udp>": "1001",
		"sip:bob@127.0.0.1:5070":                         "bob",
		"8001":                                           "8001",
	} {
		if got := userOf(in); got != want {
			t.Errorf("userOf(%q) = %q, want %q", in, got, want)
		}
	}
}
