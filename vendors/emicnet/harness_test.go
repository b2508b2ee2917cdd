package emicnet_test

import (
	"context"
	"log/slog"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/internal/testkit"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet"
	"agentbar/vendors/emicnet/emicsim"
	"agentbar/vendors/emicnet/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The rig's enterprise and test tones: customers speak 400 Hz, agents
// 1000 Hz, supervisors 1600 Hz, phones elsewhere (modes 4, 5) 700 Hz.
const (
	switchnumber = "02566699734"
	eid          = "65656"
	groupSales   = "2033" // 售前咨询: 8000, 8001, 8002
	groupService = "2034" // 售后服务: 8000, 8001, 8003
	password     = "agent-pw"
	superPW      = "super-pw"
	customerHz   = 400.0
	agentHz      = 1000.0
	supervisorHz = 1600.0
	deviceHz     = 700.0
	encryptKey   = "0123456789abcdef"
)

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("EMICNET_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
	}
	return slog.New(slog.DiscardHandler)
}

// rig is the simulated call center with its Emicnet front (account API,
// SIP over WSS), on loopback.
type rig struct {
	t     *testing.T
	cc    *callcenter.Center
	front *emicsim.Front
}

type rigOptions struct {
	center func(*callcenter.Config)
	front  func(*emicsim.Options)
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	cfg := callcenter.DemoConfig(password, superPW)
	cfg.Arrivals = callcenter.Arrivals{}
	for i := range cfg.Queues {
		cfg.Queues[i].WrapUp, cfg.Queues[i].Survey, cfg.Queues[i].RingTimeout = 0, false, 5*time.Second
	}
	cfg.OutboundAnswerAfter = 300 * time.Millisecond
	cfg.KickHoldOff = -1
	// A callee who speaks for as long as a test listens.
	cfg.Outbound = append(cfg.Outbound, callcenter.Customer{Number: "13800138000", Voice: callcenter.Voice{ToneHz: customerHz},
		Script: []callcenter.Step{{Kind: callcenter.StepSay, For: callcenter.Duration(time.Minute)}}})
	if o.center != nil {
		o.center(&cfg)
	}
	cfg.Logger = testLogger(t)
	cc, err := callcenter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fo := emicsim.Options{
		Enterprises: []emicsim.Enterprise{{Switchnumber: switchnumber, Eid: eid, Tenant: "demo", Name: "演示公司", EncryptKey: []byte(encryptKey)}},
		Groups: []emicsim.Group{
			{ID: groupSales, Eid: eid, Name: "售前咨询", Queue: "售前咨询"},
			{ID: groupService, Eid: eid, Name: "售后服务", Queue: "售后服务"},
		},
		CallbackAnswerAfter: 300 * time.Millisecond,
		DeviceVoice:         func(string) callcenter.Voice { return callcenter.Voice{ToneHz: deviceHz} },
		Logger:              testLogger(t),
	}
	if o.front != nil {
		o.front(&fo)
	}
	front, err := emicsim.New(cc, fo)
	if err != nil {
		t.Fatal(err)
	}
	if err := front.Start(); err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, cc: cc, front: front}
	t.Cleanup(func() {
		if err := front.Close(); err != nil {
			t.Errorf("emicnet front close: %v", err)
		}
		cc.Close()
	})
	return r
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
	sub := r.cc.Subscribe()
	defer sub.Close()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		if a, _ := r.cc.Agent(id); a.State.Kind == kind {
			return
		}
		select {
		case <-sub.C:
		case <-deadline.C:
			a, _ := r.cc.Agent(id)
			r.t.Fatalf("agent %s is %s, want %s", id, a.State, kind)
		}
	}
}

// heard is what a party heard in a call, per the center's room.
func (r *rig) heard(call callcenter.CallID, party string) func() []int16 {
	return func() []int16 {
		pcm, _ := r.front.SIP().Heard(call, party, 500*time.Millisecond)
		return pcm
	}
}

// seat is agentbar itself: a real engine with the Emicnet adapter and a
// virtual headset speaking a tone.
type seat struct {
	t   *testing.T
	id  string
	e   *core.Engine
	sub *core.Subscription
	ear *testkit.Ear
	// adapter is the session's adapter (for checkSeatState and friends).
	mu      sync.Mutex
	adapter *emicnet.Adapter
}

// testOptions keep timeouts short so failures show fast.
func (r *rig) testOptions() emicnet.Options {
	return emicnet.Options{RequestTimeout: 3 * time.Second, RegisterWait: 5 * time.Second, LegWait: 3 * time.Second,
		LegGrace: time.Second, WallPoll: 200 * time.Millisecond, PageLength: 2, TLSRootCAs: r.front.CertPool()}
}

type seatOptions struct {
	callintype wire.CallInType // "" = the field unset (getUser, voip)
	number     string
	secret     string // "" = the account's password
	toneHz     float64
	fields     map[string]string
	extra      map[string]string // further secrets (encrypt_key)
	opts       *emicnet.Options
}

// signIn signs a seat in and returns it with Login's error.
func (r *rig) signIn(t *testing.T, id string, o seatOptions) (*seat, error) {
	t.Helper()
	if o.toneHz == 0 {
		o.toneHz = agentHz
	}
	pipe, ear := testkit.Headset(t, o.toneHz)
	s := &seat{t: t, id: id, ear: ear}
	opts := r.testOptions()
	if o.opts != nil {
		opts = *o.opts
	}
	reg := core.NewRegistry()
	info := emicnet.PlatformInfo()
	info.New = func(cfg core.Config) (core.Vendor, error) {
		a, err := emicnet.NewAdapter(cfg, opts)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.adapter = a
		s.mu.Unlock()
		return a, nil
	}
	reg.Register(info)
	s.e = core.New(core.Options{Registry: reg, CommandTimeout: 8 * time.Second, Logger: testLogger(t)})
	s.sub = s.e.Subscribe(id, 4096)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.e.Close(ctx); err != nil {
			t.Errorf("seat %s close: %v", id, err)
		}
		_ = pipe.Close()
	})
	fields := map[string]string{"api_url": r.front.APIURL(), "socket_uri": r.front.SocketURI(),
		"switchnumber": switchnumber, "un": id}
	if o.callintype != "" {
		fields["callintype"] = string(o.callintype)
	}
	if o.number != "" {
		fields["number"] = o.number
	}
	for k, v := range o.fields {
		fields[k] = v
	}
	secret := o.secret
	if secret == "" {
		secret = password
		if id == callcenter.DemoSupervisor {
			secret = superPW
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := s.e.Login(ctx, core.LoginRequest{Account: id, Platform: "emicnet", Fields: fields, Secret: secret,
		ExtraSecrets: o.extra, Services: pipe})
	return s, err
}

// seat signs a seat in and waits until the platform has it online.
func (r *rig) seat(t *testing.T, id string, o seatOptions) *seat {
	t.Helper()
	s, err := r.signIn(t, id, o)
	if err != nil {
		t.Fatalf("seat %s login: %v (%s)", id, err, core.Sentence(err, "zh"))
	}
	s.waitState("ready")
	return s
}

func (s *seat) adapterNow() *emicnet.Adapter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.adapter
}

// waitCall waits for one of the seat's calls (any when id is "") to reach state.
func (s *seat) waitCall(id core.CallID, state core.CallState) core.Call {
	s.t.Helper()
	ev := s.waitEvent("call "+state.String(), func(ev core.Event) bool {
		c, ok := callOf(ev)
		return ok && c.State == state && (id == "" || c.ID == id)
	})
	c, _ := callOf(ev)
	return c
}

func callOf(ev core.Event) (core.Call, bool) {
	switch ev := ev.(type) {
	case core.CallAdded:
		return ev.Call, true
	case core.CallChanged:
		return ev.Call, true
	}
	return core.Call{}, false
}

// waitEvent waits for an engine event matching.
func (s *seat) waitEvent(what string, match func(core.Event) bool) core.Event {
	s.t.Helper()
	deadline := time.NewTimer(12 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case ev, ok := <-s.sub.C:
			if !ok {
				s.t.Fatalf("seat %s: events closed waiting for %s", s.id, what)
			}
			if match(ev) {
				return ev
			}
		case <-deadline.C:
			s.t.Fatalf("seat %s: no %s", s.id, what)
		}
	}
}

// waitState waits for the agent state's name.
func (s *seat) waitState(name string) {
	s.t.Helper()
	st, err := s.e.Status(ctx(s.t))
	if err == nil && st.Agent.Name() == name {
		return
	}
	s.waitEvent("agent state "+name, func(ev core.Event) bool {
		c, ok := ev.(core.AgentStateChanged)
		return ok && c.To.Name() == name
	})
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 12*time.Second)
	t.Cleanup(cancel)
	return c
}

// --- audio ----------------------------------------------------------------------

// tones says which test tones a stretch of audio carries.
func tones(pcm []int16) map[float64]bool {
	out := map[float64]bool{}
	for _, hz := range []float64{customerHz, agentHz, supervisorHz, deviceHz} {
		out[hz] = len(pcm) >= 1600 && audio.Goertzel(pcm, 8000, hz) > 0.03
	}
	return out
}

// hears reports whether pcm carries a tone at hz well above silence.
func hears(pcm []int16, hz float64) bool {
	if len(pcm) < 1600 {
		return false
	}
	return audio.RMSdBFS(pcm) > -40 && math.Abs(audio.DominantFrequency(pcm, 8000)-hz) < 30
}

// waitTones waits until what() carries exactly the tones in want (true:
// present, false: absent). Audio is measured, so it is sampled every
// 100 ms (there is no event for "the tone arrived").
func waitTones(t *testing.T, who string, what func() []int16, want map[float64]bool) {
	t.Helper()
	var got map[float64]bool
	ok := sample(10*time.Second, func() bool {
		got = tones(what())
		for hz, on := range want {
			if got[hz] != on {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("%s hears %v, want %v", who, got, want)
	}
}

// waitHears waits until what() is dominated by hz.
func waitHears(t *testing.T, who string, hz float64, what func() []int16) {
	t.Helper()
	var pcm []int16
	if !sample(10*time.Second, func() bool { pcm = what(); return hears(pcm, hz) }) {
		t.Fatalf("%s does not hear %v Hz (level %.1f dBFS, dominant %.0f Hz)", who, hz, audio.RMSdBFS(pcm), audio.DominantFrequency(pcm, 8000))
	}
}

func sample(limit time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if cond() {
			return true
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return cond()
		}
	}
}

func (s *seat) heard() func() []int16 {
	return func() []int16 { return s.ear.Last(500 * time.Millisecond) }
}
