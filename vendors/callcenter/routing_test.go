package callcenter

import (
	"errors"
	"testing"
	"time"
)

func TestLongestIdleAgentGetsTheCall(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1002", "1001", "1003") // 1002 idle longest, then 1001, then 1003
	tests := []struct {
		number string
		want   string
	}{
		{"13800000001", "1002"},
		{"13800000002", "1001"},
		{"13800000003", "1003"},
	}
	var calls []CallID
	for _, tt := range tests {
		id := h.customer(tt.number, "4001")
		c := h.call(id)
		if c.Phase != PhaseOffering || c.Agent != tt.want {
			t.Fatalf("call from %s: %s to %q, want offering to %s", tt.number, c.Phase, c.Agent, tt.want)
		}
		if err := h.cc.LegAnswered(id, tt.want); err != nil {
			t.Fatal(err)
		}
		h.wantState(tt.want, Talking)
		calls = append(calls, id)
	}
	// A fourth caller waits: nobody is ready.
	waiting := h.customer("13800000004", "4001")
	if c := h.call(waiting); c.Phase != PhaseQueued {
		t.Fatalf("fourth call is %s, want queued", c.Phase)
	}
	// 1003 hangs up first and becomes the only idle agent: it gets the waiting call.
	h.clock.Advance(time.Second)
	if err := h.cc.LegHangup(calls[2], "1003"); err != nil {
		t.Fatal(err)
	}
	if c := h.call(waiting); c.Agent != "1003" || c.Phase != PhaseOffering {
		t.Fatalf("waiting call %s to %q, want offering to 1003", c.Phase, c.Agent)
	}
	// Then 1001 then 1002 become idle; the next call goes to 1001 (idle longer).
	if err := h.cc.LegHangup(calls[1], "1001"); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	if err := h.cc.LegHangup(calls[0], "1002"); err != nil {
		t.Fatal(err)
	}
	if c := h.call(h.customer("13800000005", "4001")); c.Agent != "1001" {
		t.Fatalf("next call to %q, want 1001 (idle longest)", c.Agent)
	}
}

func TestOnlyAgentsWithTheSkillAreOffered(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("2001", "1001")
	id := h.customer("13800000001", "4002") // service
	if c := h.call(id); c.Agent != "2001" {
		t.Fatalf("service call offered to %q, want 2001", c.Agent)
	}
	id2 := h.customer("13800000002", "4002")
	if c := h.call(id2); c.Phase != PhaseQueued {
		t.Fatalf("second service call %s to %q: 1001 has no service skill", c.Phase, c.Agent)
	}
	h.wantState("1001", Ready)
}

func TestRingTimeoutRequeuesAndSetsAgentBusy(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1001", "1002")
	id := h.customer("13800000001", "4001")
	if c := h.call(id); c.Agent != "1001" {
		t.Fatalf("offered to %q", c.Agent)
	}
	h.waitEvent("offer to 1001", func(ev Event) bool { o, ok := ev.(LegOffer); return ok && o.Agent == "1001" })
	h.clock.Advance(10 * time.Second) // the sales queue rings 10 s
	h.waitEvent("cancel to 1001", func(ev Event) bool { o, ok := ev.(LegCancel); return ok && o.Agent == "1001" })
	h.wantState("1001", Busy)
	c := h.call(id)
	if c.Agent != "1002" || c.Offers != 2 {
		t.Fatalf("after the timeout: offered to %q (%d offers), want 1002 (2)", c.Agent, c.Offers)
	}
	// 1002 rejects (busy): nobody left, the call waits.
	if err := h.cc.LegFailed(id, "1002", FailBusy); err != nil {
		t.Fatal(err)
	}
	h.wantState("1002", Busy)
	if c := h.call(id); c.Phase != PhaseQueued {
		t.Fatalf("call %s, want queued", c.Phase)
	}
	// 1001 comes back: the call is offered again.
	if err := h.cc.SetAgentState("1001", StateReady); err != nil {
		t.Fatal(err)
	}
	if c := h.call(id); c.Agent != "1001" || c.Phase != PhaseOffering {
		t.Fatalf("call %s to %q, want offering to 1001", c.Phase, c.Agent)
	}
	// An unreachable endpoint signs the agent out.
	if err := h.cc.LegFailed(id, "1001", FailUnreachable); err != nil {
		t.Fatal(err)
	}
	h.wantState("1001", Offline)
}

func TestOverflow(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("2001")
	if err := h.cc.SetAgentState("2001", StateBusy); err != nil {
		t.Fatal(err)
	}
	id := h.customer("13800000001", "4003") // tiny: nobody has its skill, overflows to service after 30 s
	h.clock.Advance(29 * time.Second)
	if c := h.call(id); c.Queue != "tiny" {
		t.Fatalf("queue %s before MaxWait", c.Queue)
	}
	h.clock.Advance(time.Second)
	if c := h.call(id); c.Queue != "service" || c.Phase != PhaseQueued {
		t.Fatalf("after MaxWait: %s in %s, want queued in service", c.Phase, c.Queue)
	}
	if err := h.cc.SetAgentState("2001", StateReady); err != nil {
		t.Fatal(err)
	}
	if c := h.call(id); c.Agent != "2001" {
		t.Fatalf("overflowed call offered to %q", c.Agent)
	}

	// A queue without overflow ends the call.
	h.customer("13800000002", "4004")
	h.clock.Advance(30 * time.Second)
	if r := h.lastCDR(); r.Result != ResultOverflow || r.Queue != "closed" || r.Wait() != 30*time.Second {
		t.Fatalf("CDR %+v, want overflow from closed after 30 s", r)
	}
}

func TestPatienceAbandons(t *testing.T) {
	h := newHarness(t, testConfig())
	id := h.customer("13800000001", "4001", func(c *Customer) { c.Patience = Duration(45 * time.Second) })
	h.clock.Advance(44 * time.Second)
	h.call(id)
	h.clock.Advance(time.Second)
	if _, live := h.cc.Call(id); live {
		t.Fatal("call still live after the customer's patience")
	}
	r := h.lastCDR()
	if r.Result != ResultAbandoned || r.HangupBy != RoleCustomer || r.Wait() != 45*time.Second || !r.Answered.IsZero() {
		t.Fatalf("CDR %+v, want abandoned by the customer after 45 s", r)
	}

	// Abandoning while an agent rings withdraws the offer; the agent is ready again.
	h.signIn("1001")
	id = h.customer("13800000002", "4001", func(c *Customer) { c.Patience = Duration(5 * time.Second) })
	h.wantState("1001", Ringing)
	h.clock.Advance(5 * time.Second)
	h.wantState("1001", Ready)
	if r := h.lastCDR(); r.Result != ResultAbandoned || r.Offers != 1 || len(r.Legs) != 2 || r.Legs[1].EndReason != "caller gave up" {
		t.Fatalf("CDR %+v", r)
	}
}

func TestWrapUpThenReady(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("2001")
	id := h.customer("13800000001", "4002", func(c *Customer) { c.Score = "1" })
	if err := h.cc.LegAnswered(id, "2001"); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(30 * time.Second)
	if err := h.cc.LegHangup(id, "2001"); err != nil {
		t.Fatal(err)
	}
	st := h.state("2001")
	if st.Kind != WrapUp || !st.Until.Equal(h.clock.Now().Add(20*time.Second)) {
		t.Fatalf("after the call: %s, want wrap-up for 20 s", st)
	}
	// The customer is in the survey meanwhile.
	if c := h.call(id); c.Phase != PhaseSurvey {
		t.Fatalf("customer in %s, want the survey", c.Phase)
	}
	h.clock.Advance(4 * time.Second)
	r := h.lastCDR()
	if r.Result != ResultAnswered || r.Satisfaction != "1" || r.Talk() != 34*time.Second || r.Agent != "2001" {
		t.Fatalf("CDR %+v", r)
	}
	h.clock.Advance(16 * time.Second)
	h.wantState("2001", Ready)

	// Busy during wrap-up ends it for good.
	id = h.customer("13800000002", "4002")
	_ = h.cc.LegAnswered(id, "2001")
	_ = h.cc.LegHangup(id, "2001")
	h.wantState("2001", WrapUp)
	if err := h.cc.SetAgentState("2001", StateBusy); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Minute)
	h.wantState("2001", Busy)
}

func TestBreaks(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1001", "1002")
	if err := h.cc.SetAgentState("1001", StateBreak("101")); err != nil {
		t.Fatal(err)
	}
	if st := h.state("1001"); st.Kind != Break || st.BreakCode != "101" {
		t.Fatalf("state %s", st)
	}
	if err := h.cc.SetAgentState("1001", StateBreak("999")); !errors.Is(err, ErrUnknownBreak) {
		t.Fatalf("unknown break: %v", err)
	}
	if c := h.call(h.customer("13800000001", "4001")); c.Agent != "1002" {
		t.Fatalf("offered to %q while 1001 is on break", c.Agent)
	}
	if err := h.cc.SetAgentState("9000", StateReady); !errors.Is(err, ErrAgentOffline) {
		t.Fatalf("offline agent set ready: %v", err)
	}
	if len(h.cc.BreakReasons()) != 3 {
		t.Fatalf("break reasons %v", h.cc.BreakReasons())
	}
}

func TestIVRMenuAndCDR(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("2001")
	id := h.customer("13912345678", "4000", func(c *Customer) { c.Digits = "2" })
	c := h.call(id)
	if c.Phase != PhaseIVR || c.Node != "hello" || c.Location == "" {
		t.Fatalf("call %+v, want IVR at hello with a location", c)
	}
	if m, _ := h.cc.Mix(id); m.System.Kind != SoundPrompt || m.System.Text != "welcome" {
		t.Fatalf("system plays %+v", m.System)
	}
	h.clock.Advance(5 * time.Second)
	c = h.call(id)
	if c.Queue != "service" || c.Agent != "2001" {
		t.Fatalf("after the menu: queue %q agent %q", c.Queue, c.Agent)
	}
	_ = h.cc.LegAnswered(id, "2001")
	_ = h.cc.LegHangup(id, "2001")
	h.clock.Advance(4 * time.Second) // survey; the customer does not rate
	r := h.lastCDR()
	want := []string{"main/hello", "main/menu", "main/q-service", "main/survey"}
	if len(r.IVRPath) != len(want) {
		t.Fatalf("IVR path %v, want %v", r.IVRPath, want)
	}
	for i := range want {
		if r.IVRPath[i] != want[i] {
			t.Fatalf("IVR path %v, want %v", r.IVRPath, want)
		}
	}
	if r.DTMF != "2" || r.Location != "江苏省常州市" || r.Satisfaction != "" {
		t.Fatalf("CDR digits %q location %q score %q", r.DTMF, r.Location, r.Satisfaction)
	}

	// The hang-up node ends the call in the IVR.
	h.customer("13800000002", "4000", func(c *Customer) { c.Digits = "9" })
	h.clock.Advance(10 * time.Second)
	if r := h.lastCDR(); r.Result != ResultIVR {
		t.Fatalf("result %s, want ivr", r.Result)
	}
}

func TestScriptedCustomerHangsUp(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1001")
	id := h.customer("13800000001", "4001", func(c *Customer) {
		c.Script = []Step{{Kind: StepSay, For: Duration(2 * time.Second)}, {Kind: StepPress, Digits: "12"},
			{Kind: StepPause, For: Duration(time.Second)}, {Kind: StepHangUp}}
	})
	if err := h.cc.LegAnswered(id, "1001"); err != nil {
		t.Fatal(err)
	}
	h.waitEvent("say", func(ev Event) bool { s, ok := ev.(CustomerStep); return ok && s.Step.Kind == StepSay })
	h.clock.Advance(2 * time.Second)
	h.waitEvent("press", func(ev Event) bool { s, ok := ev.(DTMFReceived); return ok && s.Digits == "12" })
	h.clock.Advance(2 * time.Second)
	h.waitEvent("release of 1001", func(ev Event) bool { r, ok := ev.(LegRelease); return ok && r.Agent == "1001" })
	r := h.lastCDR()
	if r.HangupBy != RoleCustomer || r.DTMF != "12" || r.Result != ResultAnswered {
		t.Fatalf("CDR %+v", r)
	}
	h.wantState("1001", Ready)
}

func TestPoissonArrivalsAreDeterministic(t *testing.T) {
	run := func(seed uint64) []CDR {
		cfg := testConfig()
		cfg.Seed = seed
		cfg.Arrivals = Arrivals{PerMinute: 6, Trunk: "4001", MeanPatience: 20 * time.Second}
		h := newHarness(t, cfg)
		h.cc.Start()
		h.clock.Advance(time.Hour)
		h.cc.Close()
		return h.cc.CDRs()
	}
	a, b, c := run(7), run(7), run(8)
	if len(a) != len(b) {
		t.Fatalf("same seed: %d and %d calls", len(a), len(b))
	}
	for i := range a {
		if a[i].From != b[i].From || !a[i].Arrived.Equal(b[i].Arrived) || a[i].Result != b[i].Result {
			t.Fatalf("same seed, call %d differs: %+v vs %+v", i, a[i], b[i])
		}
	}
	// 6 a minute for an hour: 360 expected; Poisson sd is 19.
	if len(a) < 300 || len(a) > 420 {
		t.Fatalf("%d arrivals in an hour at 6/min", len(a))
	}
	same := len(a) == len(c)
	for i := 0; same && i < len(a); i++ {
		same = a[i].From == c[i].From
	}
	if same {
		t.Fatal("another seed gave the same arrivals")
	}
	for _, r := range a {
		if r.Result != ResultAbandoned && r.Result != ResultInterrupted {
			t.Fatalf("nobody is signed in, yet call %s ended %s", r.CallID, r.Result)
		}
	}
}

func TestScriptedArrivalAndRate(t *testing.T) {
	cfg := testConfig()
	cfg.Arrivals = Arrivals{Scripted: []ScriptedArrival{{After: 5 * time.Second, Trunk: "4001", Customer: Customer{Number: "13800000009"}}}}
	h := newHarness(t, cfg)
	h.cc.Start()
	h.clock.Advance(4 * time.Second)
	if len(h.cc.Calls()) != 0 {
		t.Fatal("scripted customer called early")
	}
	h.clock.Advance(time.Second)
	if calls := h.cc.Calls(); len(calls) != 1 || calls[0].From != "13800000009" {
		t.Fatalf("calls %+v", calls)
	}
	if err := h.cc.SetArrivalRate(-1); err == nil {
		t.Fatal("negative rate accepted")
	}
	if err := h.cc.SetArrivalRate(60); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Minute)
	if n := len(h.cc.Calls()); n < 30 {
		t.Fatalf("%d calls after a minute at 60/min", n)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
	}{
		{"duplicate agent", func(c *Config) { c.Agents = append(c.Agents, AgentConfig{ID: "1001"}) }},
		{"unknown tenant", func(c *Config) { c.Agents[0].Tenant = "nope" }},
		{"bad route", func(c *Config) { c.Trunks[0].Route = "queue" }},
		{"unknown queue route", func(c *Config) { c.Trunks[0].Route = "queue:nope" }},
		{"unknown overflow", func(c *Config) { c.Queues[0].Overflow = "nope" }},
		{"IVR dangling node", func(c *Config) { c.IVRs[0].Nodes[0].Next = "nope" }},
		{"IVR bad start", func(c *Config) { c.IVRs[0].Start = "nope" }},
		{"queue number clash", func(c *Config) { c.Queues[1].Number = "7001" }},
		{"bad outbound customer", func(c *Config) { c.Outbound[0].Number = "abc" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.mod(&cfg)
			if _, err := New(cfg); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New: %v, want ErrInvalidConfig", err)
			}
		})
	}
}
