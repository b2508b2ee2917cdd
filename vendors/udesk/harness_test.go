package udesk_test

import (
	"context"
	"crypto/x509"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/udesk"
	"agentbar/vendors/udesk/udesksim"
	"agentbar/vendors/udesk/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Test tones: customers speak 400 Hz (set per call), agents 1000 Hz,
// supervisors 1600 Hz, 8001's simulated mobile 1300 Hz, outside callees
// 700 Hz.
const (
	customerHz   = 400.0
	agentHz      = 1000.0
	supervisorHz = 1600.0
	mobileHz     = 1300.0
	outsideHz    = 700.0
	password     = "agent-pw"
	// outsideNumber is an outside line (not an agent, queue or trunk).
	outsideNumber = "13700000000"
	superPW       = "super-pw"
)

func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("UDESK_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
	}
	return slog.New(slog.DiscardHandler)
}

// rig is the simulated call center with its Udesk front (and, for voip,
// its SIP front), all on loopback.
type rig struct {
	t     *testing.T
	cfg   callcenter.Config
	cc    *callcenter.Center
	sip   *sipfront.Front
	front *udesksim.Front
	trust *x509.CertPool // verifies the SIP front's WSS (the web phone's server)
}

type rigOptions struct {
	// voip runs the SIP front: IP phones register there over UDP, web
	// phones over WSS (with WebRTC media), and the center's rooms carry
	// every call's audio.
	voip       bool
	requireKey bool
	tokenTTL   time.Duration
	tweak      func(*callcenter.Config)
}

func rigConfig() callcenter.Config {
	cfg := callcenter.DemoConfig(password, superPW)
	cfg.Arrivals = callcenter.Arrivals{}
	for i := range cfg.Queues {
		cfg.Queues[i].WrapUp, cfg.Queues[i].Survey, cfg.Queues[i].RingTimeout = 0, false, 5*time.Second
	}
	cfg.OutboundAnswerAfter = 300 * time.Millisecond
	// The outside number of transfers and consults: it speaks a tone for
	// as long as a test listens.
	cfg.Outbound = append(cfg.Outbound, callcenter.Customer{Number: outsideNumber, Voice: callcenter.Voice{ToneHz: outsideHz},
		Script: []callcenter.Step{{Kind: callcenter.StepSay, For: callcenter.Duration(time.Minute)}}})
	cfg.KickHoldOff = -1
	return cfg
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	cfg := rigConfig()
	if o.tweak != nil {
		o.tweak(&cfg)
	}
	cfg.Logger = testLogger(t)
	cc, err := callcenter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, cfg: cfg, cc: cc}
	fo := udesksim.Options{AppId: "app-test", AppSecret: "app-secret", Logger: testLogger(t),
		RequireKey: o.requireKey, TokenTTL: o.tokenTTL, PingInterval: time.Second,
		Profiles: map[string]udesksim.Profile{callcenter.DemoAgent: {MobileVoice: callcenter.Voice{ToneHz: mobileHz}}}}
	if o.voip {
		serverTLS, trust, err := udesksim.LoopbackTLS()
		if err != nil {
			t.Fatal(err)
		}
		r.trust = trust
		r.sip, err = sipfront.New(cc, sipfront.Options{Logger: testLogger(t), MaxExpiry: 60 * time.Second,
			WSSAddr: "127.0.0.1:0", TLS: serverTLS})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.sip.Start(); err != nil {
			t.Fatal(err)
		}
		fo.SIPServer, fo.WebPhoneServer = r.sip.Addr(), r.sip.WSSURL()
		fo.Registered = func(agent string) bool {
			return slices.ContainsFunc(r.sip.Bindings(), func(b sipfront.Binding) bool { return b.Agent == agent })
		}
	} else {
		fo.DefaultMode = wire.ModeCellphone
	}
	r.front, err = udesksim.New(cc, fo)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.front.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.front.Close(); err != nil {
			t.Errorf("udesk front close: %v", err)
		}
		if r.sip != nil {
			if err := r.sip.Close(); err != nil {
				t.Errorf("sip front close: %v", err)
			}
		}
		cc.Close()
	})
	return r
}

// fields is an account of the rig's tenant.
func (r *rig) fields(agent, mode string) map[string]string {
	return map[string]string{
		"AppId": r.front.AppId(), "AgentId": agent, "token_url": r.front.TokenURL(),
		"Domain": r.front.Domain(), "HttpDomain": r.front.HttpDomain(), "phone_mode": mode,
	}
}

// customer makes a simulated customer call the after-sales line (a queue
// without the IVR), speaking toneHz.
func (r *rig) customer(number string, toneHz float64) callcenter.CallID {
	r.t.Helper()
	id, err := r.cc.CustomerCall(callcenter.Customer{Number: number, Voice: callcenter.Voice{ToneHz: toneHz}}, "02512345678")
	if err != nil {
		r.t.Fatal(err)
	}
	return id
}

// waitAgent waits for the center to see an agent in a state kind.
func (r *rig) waitAgent(id string, kind callcenter.StateKind) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	sub := r.cc.Subscribe()
	defer sub.Close()
	for {
		if a, _ := r.cc.Agent(id); a.State.Kind == kind {
			return
		}
		select {
		case <-sub.C:
		case <-time.After(time.Until(deadline)):
			a, _ := r.cc.Agent(id)
			r.t.Fatalf("agent %s is %s, want %s", id, a.State, kind)
		}
	}
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

// agentSide is agentbar itself: a real engine with the Udesk adapter, a
// virtual headset speaking a tone.
type agentSide struct {
	t    *testing.T
	id   string
	e    *core.Engine
	sub  *core.Subscription
	ear  *ear
	pipe *audio.Pipeline
}

// testOptions keep timeouts short so failures show fast.
func testOptions() udesk.Options {
	return udesk.Options{RequestTimeout: 2 * time.Second, PingInterval: 500 * time.Millisecond,
		ReconnectMin: 50 * time.Millisecond, ReconnectMax: 300 * time.Millisecond, WallPoll: 200 * time.Millisecond,
		RegisterWait: 3 * time.Second}
}

// registry holds the adapter under its own id with test options.
func registry(o udesk.Options) *core.Registry {
	reg := core.NewRegistry()
	info := udesk.PlatformInfo()
	info.New = func(cfg core.Config) (core.Vendor, error) { return udesk.NewAdapter(cfg, o) }
	reg.Register(info)
	return reg
}

func (r *rig) signIn(id, secret, mode string, toneHz float64, o udesk.Options, extra map[string]string) (*agentSide, error) {
	t := r.t
	t.Helper()
	a := &agentSide{t: t, id: id, ear: &ear{}}
	tone := audio.NewTone(audio.TonePattern{Name: "agent", Amplitude: 0.3, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{toneHz}, Duration: time.Second}}}, 8000)
	pipe, err := audio.NewVirtualPipeline(audio.VirtualOptions{Rate: 8000, Microphone: tone, Speaker: a.ear.hear})
	if err != nil {
		t.Fatal(err)
	}
	a.pipe = pipe
	a.e = core.New(core.Options{Registry: registry(o), CommandTimeout: 5 * time.Second, Logger: testLogger(t)})
	a.sub = a.e.Subscribe(id, 4096)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.e.Close(ctx); err != nil {
			t.Errorf("agent %s close: %v", id, err)
		}
		_ = pipe.Close()
	})
	fields := r.fields(id, mode)
	for k, v := range extra {
		fields[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = a.e.Login(ctx, core.LoginRequest{Account: id, Platform: "udesk", Fields: fields, Secret: secret, Services: pipe})
	return a, err
}

func (r *rig) agent(id, mode string, toneHz float64) *agentSide {
	r.t.Helper()
	secret := password
	if id == callcenter.DemoSupervisor {
		secret = superPW
	}
	var extra map[string]string
	if id == callcenter.DemoSupervisor {
		extra = map[string]string{"supervisor": "true"}
	}
	o := testOptions()
	o.TLSRootCAs = r.trust
	a, err := r.signIn(id, secret, mode, toneHz, o, extra)
	if err != nil {
		r.t.Fatalf("agent %s login: %v", id, err)
	}
	return a
}

// waitCall waits for one of the agent's calls to reach state.
func (a *agentSide) waitCall(state core.CallState) core.Call {
	a.t.Helper()
	return a.waitCallID("", state)
}

// waitCallID waits for the call (any when id is "") to reach state.
func (a *agentSide) waitCallID(id core.CallID, state core.CallState) core.Call {
	a.t.Helper()
	ev := a.waitEvent("call "+state.String(), func(ev core.Event) bool {
		var c core.Call
		switch ev := ev.(type) {
		case core.CallAdded:
			c = ev.Call
		case core.CallChanged:
			c = ev.Call
		default:
			return false
		}
		return c.State == state && (id == "" || c.ID == id)
	})
	switch ev := ev.(type) {
	case core.CallAdded:
		return ev.Call
	case core.CallChanged:
		return ev.Call
	}
	return core.Call{}
}

// waitEvent waits for an engine event matching.
func (a *agentSide) waitEvent(what string, match func(core.Event) bool) core.Event {
	a.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-a.sub.C:
			if !ok {
				a.t.Fatalf("agent %s: events closed waiting for %s", a.id, what)
			}
			if match(ev) {
				return ev
			}
		case <-deadline:
			a.t.Fatalf("agent %s: no %s", a.id, what)
		}
	}
}

// waitState waits for the agent state's name (and break code).
func (a *agentSide) waitState(name, code string) core.AgentState {
	a.t.Helper()
	ev := a.waitEvent("agent state "+name+" "+code, func(ev core.Event) bool {
		s, ok := ev.(core.AgentStateChanged)
		return ok && s.To.Name() == name && (code == "" || s.To.BreakCode == code)
	})
	return ev.(core.AgentStateChanged).To
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// binding is the agent's registration with the SIP front.
func (r *rig) binding(agent string) sipfront.Binding {
	r.t.Helper()
	for _, b := range r.sip.Bindings() {
		if b.Agent == agent {
			return b
		}
	}
	r.t.Fatalf("%s is not registered: %+v", agent, r.sip.Bindings())
	return sipfront.Binding{}
}

// waitMix waits until the center's mix of a call has party hearing every
// one of from: the center's truth of who hears whom.
func (r *rig) waitMix(call callcenter.CallID, party string, from ...string) {
	r.t.Helper()
	sub := r.cc.Subscribe()
	defer sub.Close()
	deadline := time.After(10 * time.Second)
	for {
		if m, ok := r.cc.Mix(call); ok && containsAll(m.Hearing(party), from) {
			return
		}
		select {
		case <-sub.C:
		case <-deadline:
			m, _ := r.cc.Mix(call)
			r.t.Fatalf("in call %s %s hears %v, want %v", call, party, m.Hearing(party), from)
		}
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// requireInRoom waits until the SIP front carries a party in the call's
// room (devices elsewhere such as the cellphone agent's mobile, outside
// callees) before its audio is checked. The center's mix (waitMix) is
// checked before.
func (r *rig) requireInRoom(t *testing.T, call callcenter.CallID, party string) {
	t.Helper()
	in := func() bool {
		hears, err := r.sip.RoomHears(call)
		_, ok := hears[party]
		return err == nil && ok
	}
	if !sample(2*time.Second, in) {
		t.Fatalf("the SIP front did not join %s to the call's room within 2 s", party)
	}
}
