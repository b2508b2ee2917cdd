package udeskdemo

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/internal/testkit"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/udesk"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// demoRun is the demo signed in through a real engine, with a headset
// that records what the agent hears.
type demoRun struct {
	t    *testing.T
	eng  *core.Engine
	sub  *core.Subscription
	demo *Adapter
	ear  *testkit.Ear
}

func startDemo(t *testing.T, fields map[string]string) *demoRun {
	t.Helper()
	pipe, e := testkit.Headset(t, 0)
	t.Cleanup(func() { _ = pipe.Close() })
	reg := core.NewRegistry()
	info := PlatformInfo()
	d := &demoRun{t: t, ear: e}
	info.New = func(cfg core.Config) (core.Vendor, error) {
		a, err := NewDemo(cfg, udesk.Options{RequestTimeout: 3 * time.Second})
		d.demo = a
		return a, err
	}
	reg.Register(info)
	d.eng = core.New(core.Options{Registry: reg})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := d.eng.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	d.sub = d.eng.Subscribe("test", 4096)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	all := map[string]string{"arrival_seconds": "0", "speech": "false"}
	for k, v := range fields {
		all[k] = v
	}
	if err := d.eng.Login(ctx, core.LoginRequest{Account: "demo", Platform: "demo-udesk", Fields: all, Services: pipe}); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *demoRun) wait(what string, match func(core.Event) bool) core.Event {
	d.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-d.sub.C:
			if match(ev) {
				return ev
			}
		case <-timeout:
			d.t.Fatalf("no %s", what)
		}
	}
}

// answerCustomer waits for the registration and the agent to be ready,
// lets a customer speaking 500 Hz call, answers, and checks the agent
// hears it.
func (d *demoRun) answerCustomer(ctx context.Context) core.Call {
	t := d.t
	t.Helper()
	d.wait("registration", func(ev core.Event) bool { m, ok := ev.(core.MediaChanged); return ok && m.Registered })
	cc := d.demo.Center()
	ready := cc.Subscribe()
	for a, _ := cc.Agent(callcenter.DemoAgent); a.State.Kind != callcenter.Ready; a, _ = cc.Agent(callcenter.DemoAgent) {
		<-ready.C
	}
	ready.Close()
	// 8003 has the after-sales skill too and has been idle longer.
	if err := cc.SetAgentState("8003", callcenter.StateBusy); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.CustomerCall(callcenter.Customer{Number: "13912345678", Voice: callcenter.Voice{ToneHz: 500}}, "02512345678"); err != nil {
		t.Fatal(err)
	}
	ringing := d.wait("ringing", func(ev core.Event) bool { c, ok := ev.(core.CallAdded); return ok && c.Call.State == core.CallRinging }).(core.CallAdded).Call
	if err := d.eng.Answer(ctx, ringing.ID); err != nil {
		t.Fatal(err)
	}
	d.wait("consult allowed", func(ev core.Event) bool {
		c, ok := ev.(core.CallChanged)
		return ok && c.Call.State == core.CallTalking && c.Call.Allowed.Has(core.ActConsult)
	})
	heard := false
	for deadline := time.Now().Add(5 * time.Second); !heard && time.Now().Before(deadline); {
		pcm := d.ear.Last(500 * time.Millisecond)
		heard = len(pcm) > 1600 && math.Abs(audio.DominantFrequency(pcm, 8000)-500) < 30
		if !heard {
			<-time.After(100 * time.Millisecond)
		}
	}
	if !heard {
		t.Fatal("the agent does not hear the customer")
	}
	return ringing
}

// TestDemoUdesk: the demo starts its center, signs in through the Udesk
// contract, and a customer's call reaches the agent with audio; a consult
// to a simulated colleague is answered.
func TestDemoUdesk(t *testing.T) {
	d := startDemo(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ringing := d.answerCustomer(ctx)
	eng, wait, cc := d.eng, d.wait, d.demo.Center()
	if err := eng.Consult(ctx, ringing.ID, core.Target{Kind: core.TargetAgent, ID: "8002"}); err != nil {
		t.Fatal(err)
	}
	wait("consultee answered", func(ev core.Event) bool {
		c, ok := ev.(core.CallChanged)
		return ok && c.Call.State == core.CallConsulting && c.Call.Allowed.Has(core.ActConsultTransfer)
	})
	if err := eng.ConsultTransfer(ctx, ringing.ID); err != nil {
		t.Fatal(err)
	}
	ended := wait("transferred", func(ev core.Event) bool { c, ok := ev.(core.CallChanged); return ok && c.Call.State == core.CallEnded }).(core.CallChanged).Call
	if ended.EndReason != core.EndTransferred {
		t.Fatalf("ended %s", ended.EndReason)
	}
	if ci, _ := cc.CallOf("8002"); ci.Agent != "8002" {
		t.Fatalf("8002 does not serve the customer: %+v", ci)
	}
}

// TestDemoUdeskWebPhone: the demo in webrtc mode: the web phone registers
// over WSS with the demo's own certificate, and a customer's call reaches
// the agent with audio over WebRTC.
func TestDemoUdeskWebPhone(t *testing.T) {
	d := startDemo(t, map[string]string{"phone_mode": "webrtc"})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	call := d.answerCustomer(ctx)
	d.demo.mu.Lock()
	sip := d.demo.sip
	d.demo.mu.Unlock()
	legs := sip.Legs()
	if !slices.ContainsFunc(legs, func(l sipfront.LegInfo) bool {
		return l.Agent == callcenter.DemoAgent && l.Media == "webrtc" && l.Transport == "wss"
	}) {
		t.Fatalf("no WebRTC leg over WSS for 8001 among %+v", legs)
	}
	if err := d.eng.Hangup(ctx, call.ID); err != nil {
		t.Fatal(err)
	}
	d.wait("ended", func(ev core.Event) bool { c, ok := ev.(core.CallChanged); return ok && c.Call.State == core.CallEnded })
}
