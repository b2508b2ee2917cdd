package sipfront

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
	_ "agentbar/vendors/sip"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Test tones: customers speak 400 Hz, agents 1000 Hz, supervisors 1600 Hz.
const (
	customerHz   = 400.0
	agentHz      = 1000.0
	supervisorHz = 1600.0
)

func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("SIPFRONT_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
	}
	return nil
}

// center is a running center with its SIP front on loopback.
type center struct {
	t      *testing.T
	cc     *callcenter.Center
	front  *Front
	sub    *callcenter.Subscription
	caFile string // PEM of the CA that signed the WSS certificate (newWSCenter)
}

func centerConfig() callcenter.Config {
	cfg := callcenter.DemoConfig("agent-pw", "super-pw")
	cfg.Arrivals = callcenter.Arrivals{}
	cfg.Queues[0].WrapUp, cfg.Queues[1].WrapUp = 0, 0
	cfg.Queues[0].Survey, cfg.Queues[1].Survey = false, false
	cfg.Queues[0].RingTimeout, cfg.Queues[1].RingTimeout = 3*time.Second, 3*time.Second
	cfg.OutboundAnswerAfter = 500 * time.Millisecond
	return cfg
}

func newCenter(t *testing.T, cfg callcenter.Config, opts Options) *center {
	t.Helper()
	cfg.Logger = testLogger(t)
	cc, err := callcenter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger = testLogger(t)
	if opts.MaxExpiry == 0 {
		opts.MaxExpiry = 60 * time.Second
	}
	f, err := New(cc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(); err != nil {
		t.Fatal(err)
	}
	c := &center{t: t, cc: cc, front: f, sub: cc.Subscribe()}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("front close: %v", err)
		}
		c.sub.Close()
		cc.Close()
	})
	return c
}

// ear records what an agent hears through its virtual headset.
type ear struct {
	mu  sync.Mutex
	pcm []int16
}

func (e *ear) hear(pcm []int16) {
	e.mu.Lock()
	e.pcm = append(e.pcm, pcm...)
	if len(e.pcm) > 8000*10 {
		e.pcm = append([]int16(nil), e.pcm[len(e.pcm)-8000*5:]...)
	}
	e.mu.Unlock()
}

func (e *ear) last(d time.Duration) []int16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := min(int(d.Seconds()*8000), len(e.pcm))
	return append([]int16(nil), e.pcm[len(e.pcm)-n:]...)
}

// agentSide is agentbar itself: a real engine with the plain SIP adapter,
// speaking a tone into a virtual headset.
type agentSide struct {
	t    *testing.T
	id   string
	e    *core.Engine
	sub  *core.Subscription
	ear  *ear
	pipe *audio.Pipeline
}

func (c *center) agentFields(id string, extra map[string]string) map[string]string {
	fields := map[string]string{
		"uri": fmt.Sprintf("sip:%s@%s", id, c.front.Addr()), "register": "true",
		"local_ip": "127.0.0.1", "expiry": "60",
	}
	for k, v := range extra {
		fields[k] = v
	}
	return fields
}

// signIn starts agentbar for an agent and signs in; it returns the login error.
func (c *center) signIn(id, password string, toneHz float64, extra map[string]string) (*agentSide, error) {
	t := c.t
	t.Helper()
	a := &agentSide{t: t, id: id, ear: &ear{}}
	tone := audio.NewTone(audio.TonePattern{Name: "agent", Amplitude: 0.3, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{toneHz}, Duration: time.Second}}}, 8000)
	pipe, err := audio.NewVirtualPipeline(audio.VirtualOptions{Rate: 8000, Microphone: tone, Speaker: a.ear.hear})
	if err != nil {
		t.Fatal(err)
	}
	a.pipe = pipe
	a.e = core.New(core.Options{CommandTimeout: 10 * time.Second, Logger: testLogger(t)})
	a.sub = a.e.Subscribe(id, 4096)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.e.Close(ctx); err != nil {
			t.Errorf("agent %s close: %v", id, err)
		}
		_ = pipe.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = a.e.Login(ctx, core.LoginRequest{Account: id, Platform: "sip", Fields: c.agentFields(id, extra),
		Secret: password, Services: pipe})
	return a, err
}

func (c *center) agent(id, password string, toneHz float64, extra map[string]string) *agentSide {
	c.t.Helper()
	a, err := c.signIn(id, password, toneHz, extra)
	if err != nil {
		c.t.Fatalf("agent %s login: %v", id, err)
	}
	c.waitAgent(id, callcenter.Ready)
	return a
}

// waitCall waits for one of the agent's calls to reach state.
func (a *agentSide) waitCall(state core.CallState) core.Call {
	a.t.Helper()
	return a.waitCallID("", state)
}

// waitCallID waits for the call (any call when id is "") to reach state.
func (a *agentSide) waitCallID(id core.CallID, state core.CallState) core.Call {
	a.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-a.sub.C:
			var c core.Call
			switch ev := ev.(type) {
			case core.CallAdded:
				c = ev.Call
			case core.CallChanged:
				c = ev.Call
			default:
				continue
			}
			if c.State == state && (id == "" || c.ID == id) {
				return c
			}
		case <-deadline:
			a.t.Fatalf("agent %s: no call reached %s", a.id, state)
		}
	}
}

// waitEvent waits for an engine event matching.
func (a *agentSide) waitEvent(what string, match func(core.Event) bool) core.Event {
	a.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-a.sub.C:
			if match(ev) {
				return ev
			}
		case <-deadline:
			a.t.Fatalf("agent %s: no %s", a.id, what)
			return nil
		}
	}
}

// waitAgent waits until the center sees the agent in state.
func (c *center) waitAgent(id string, k callcenter.StateKind) {
	c.t.Helper()
	if a, _ := c.cc.Agent(id); a.State.Kind == k {
		return
	}
	c.waitEvent(fmt.Sprintf("agent %s %s", id, k), func(ev callcenter.Event) bool {
		if s, ok := ev.(callcenter.AgentStateChanged); ok && s.Agent == id && s.To.Kind == k {
			return true
		}
		a, _ := c.cc.Agent(id)
		return a.State.Kind == k
	})
}

func (c *center) waitEvent(what string, match func(callcenter.Event) bool) callcenter.Event {
	c.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-c.sub.C:
			if match(ev) {
				return ev
			}
		case <-deadline:
			c.t.Fatalf("center: no %s", what)
			return nil
		}
	}
}

// settle lets audio flow (the pipelines run in real time).
func settle(d time.Duration) { <-time.After(d) }

// amplitude of hz in pcm, as a fraction of full scale.
func amplitude(pcm []int16, hz float64) float64 { return audio.Goertzel(pcm, 8000, hz) }

// heard is present when its tone is clearly there; absent when it is at
// least 40 dB down from the test tones' level.
const (
	presentAmp = 0.05
	absentAmp  = 0.003
)

// expectTones checks which tones are in pcm.
func expectTones(t *testing.T, who string, pcm []int16, present, absent []float64) {
	t.Helper()
	if len(pcm) < 4000 {
		t.Errorf("%s: only %d samples heard", who, len(pcm))
		return
	}
	for _, hz := range present {
		if a := amplitude(pcm, hz); a < presentAmp {
			t.Errorf("%s does not hear %.0f Hz (amplitude %.4f, level %.1f dBFS)", who, hz, a, audio.RMSdBFS(pcm))
		}
	}
	for _, hz := range absent {
		if a := amplitude(pcm, hz); a > absentAmp {
			t.Errorf("%s hears %.0f Hz but should not (amplitude %.4f)", who, hz, a)
		}
	}
}

// centerHeard is what the center says a party heard over the last second.
func (c *center) heard(call callcenter.CallID, party string) []int16 {
	c.t.Helper()
	pcm, err := c.front.Heard(call, party, time.Second)
	if err != nil {
		c.t.Fatalf("center truth for %s in %s: %v", party, call, err)
	}
	return pcm
}

func customer(number string, hz float64) callcenter.Customer {
	return callcenter.Customer{Number: number, Voice: callcenter.Voice{ToneHz: hz}}
}
