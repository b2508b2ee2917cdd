package emicdemo

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/internal/testkit"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet"
	"agentbar/vendors/emicnet/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// session is one demo signed in through a real engine.
type session struct {
	t    *testing.T
	eng  *core.Engine
	sub  *core.Subscription
	demo *Adapter
	ear  *testkit.Ear
}

func startDemo(t *testing.T, fields map[string]string) *session {
	t.Helper()
	pipe, ear := testkit.Headset(t, 0)
	s := &session{t: t, ear: ear}
	t.Cleanup(func() { _ = pipe.Close() })
	reg := core.NewRegistry()
	info := PlatformInfo()
	info.New = func(cfg core.Config) (core.Vendor, error) {
		d, err := NewDemo(cfg, emicnet.Options{RequestTimeout: 5 * time.Second, WallPoll: 500 * time.Millisecond})
		s.demo = d
		return d, err
	}
	reg.Register(info)
	s.eng = core.New(core.Options{Registry: reg, Logger: debugLogger()})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := s.eng.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	s.sub = s.eng.Subscribe("test", 4096)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.eng.Login(ctx, core.LoginRequest{Account: "demo", Platform: platformID, Fields: fields, Services: pipe}); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *session) wait(what string, match func(core.Event) bool) core.Event {
	s.t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-s.sub.C:
			if match(ev) {
				return ev
			}
		case <-timeout:
			s.t.Fatalf("no %s", what)
			return nil
		}
	}
}

// waitAgent waits until the center has the agent in state k.
func waitAgent(t *testing.T, cc *callcenter.Center, id string, k callcenter.StateKind) {
	t.Helper()
	sub := cc.Subscribe()
	defer sub.Close()
	timeout := time.After(15 * time.Second)
	for a, _ := cc.Agent(id); a.State.Kind != k; a, _ = cc.Agent(id) {
		select {
		case <-sub.C:
		case <-timeout:
			t.Fatalf("agent %s is %v, not %v", id, a.State, k)
		}
	}
}

// hears waits up to 5 s for the headset to play hz.
func (s *session) hears(who string, hz float64) {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pcm := s.ear.Last(time.Second)
		if len(pcm) >= 4000 && audio.Goertzel(pcm, 8000, hz) > 0.05 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s does not hear %.0f Hz (dominant %.0f Hz)", who, hz, audio.DominantFrequency(pcm, 8000))
		}
		<-time.After(100 * time.Millisecond)
	}
}

// TestDemoAgent: the demo signs the Emicnet adapter in as 8001 through
// the contract; a customer's call rings, is answered, and the agent hears
// the customer.
func TestDemoAgent(t *testing.T) {
	s := startDemo(t, map[string]string{"arrival_seconds": "0", "speech": "false"})
	cc := s.demo.Center()
	waitAgent(t, cc, callcenter.DemoAgent, callcenter.Ready)
	waitAgent(t, cc, "8003", callcenter.Ready)
	// 8003 has the after-sales skill too and has been idle longer.
	if err := cc.SetAgentState("8003", callcenter.StateBusy); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.CustomerCall(callcenter.Customer{Number: "13912345678", Voice: callcenter.Voice{ToneHz: 500}}, "02512345678"); err != nil {
		t.Fatal(err)
	}
	ringing := s.wait("ringing", func(ev core.Event) bool { c, ok := ev.(core.CallAdded); return ok && c.Call.State == core.CallRinging }).(core.CallAdded).Call
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.eng.Answer(ctx, ringing.ID); err != nil {
		t.Fatal(err)
	}
	s.wait("talking", func(ev core.Event) bool {
		c, ok := ev.(core.CallChanged)
		return ok && c.Call.ID == ringing.ID && c.Call.State == core.CallTalking
	})
	s.hears("the agent", 500)
	if err := s.eng.Hangup(ctx, ringing.ID); err != nil {
		t.Fatal(err)
	}
	s.wait("ended", func(ev core.Event) bool {
		c, ok := ev.(core.CallChanged)
		return ok && c.Call.ID == ringing.ID && c.Call.State == core.CallEnded
	})

	// The demo enterprise agreed a key: encrypted numbers can be dialled,
	// and the agent sees only the encrypted string.
	enc, err := wire.Encrypt([]byte(demoEncryptKey), demoEncryptedExample)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.eng.Dial(ctx, core.DialOptions{Target: enc, NumType: "encrypt"})
	if err != nil {
		t.Fatal(err)
	}
	talking := s.wait("encrypted call talking", func(ev core.Event) bool {
		c, ok := ev.(core.CallChanged)
		return ok && c.Call.ID == id && c.Call.State == core.CallTalking
	}).(core.CallChanged).Call
	if talking.RemoteNumber != enc || strings.Contains(talking.RemoteNumber+talking.DisplayNumber, demoEncryptedExample) {
		t.Errorf("the agent sees %q / %q", talking.RemoteNumber, talking.DisplayNumber)
	}
	if err := s.eng.Hangup(ctx, id); err != nil {
		t.Fatal(err)
	}
}

// TestDemoSupervisor: signed in as 8000, the supervisor watches; a
// customer's call goes to colleague 8003, whose phone answers; the
// supervisor listens and hears both the customer and the colleague.
func TestDemoSupervisor(t *testing.T) {
	s := startDemo(t, map[string]string{"login_as": "8000", "arrival_seconds": "0", "speech": "false"})
	cc := s.demo.Center()
	waitAgent(t, cc, callcenter.DemoSupervisor, callcenter.Busy)
	waitAgent(t, cc, "8003", callcenter.Ready)
	id, err := cc.CustomerCall(callcenter.Customer{Number: "13912345678", Voice: callcenter.Voice{ToneHz: 500}}, "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	waitAgent(t, cc, "8003", callcenter.Talking)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The adapter learns of the call from repCallStatus; retry until it has.
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.eng.Monitor(ctx, "8003", core.MonitorListen)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("listen: %v", err)
		}
		<-time.After(200 * time.Millisecond)
	}
	s.hears("the supervisor (customer)", 500)
	s.hears("the supervisor (colleague)", 900)
	if err := s.eng.Monitor(ctx, "8003", core.MonitorHangup); err != nil {
		t.Fatal(err)
	}
	sub := cc.Subscribe()
	defer sub.Close()
	for _, ok := cc.Call(id); ok; _, ok = cc.Call(id) {
		select {
		case <-sub.C:
		case <-time.After(10 * time.Second):
			t.Fatal("the call outlived the supervisor's hang-up")
		}
	}
}

func debugLogger() *slog.Logger {
	if os.Getenv("EMICDEMO_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}
