package callcenter

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

// talking sets up customer ↔ 1001 in the sales queue.
func talking(t *testing.T, h *harness) CallID {
	t.Helper()
	h.signIn("1001", "1002", "9000")
	id := h.customer("13800000001", "4001")
	if err := h.cc.LegAnswered(id, "1001"); err != nil {
		t.Fatal(err)
	}
	return id
}

func hears(t *testing.T, h *harness, id CallID) map[string][]string {
	t.Helper()
	m, ok := h.cc.Mix(id)
	if !ok {
		t.Fatalf("no mix for %s", id)
	}
	out := map[string][]string{}
	for k, v := range m.Hears {
		if k == SystemParty {
			continue
		}
		if v == nil {
			v = []string{}
		}
		out[k] = v
	}
	return out
}

func TestMixMatrix(t *testing.T) {
	type matrix = map[string][]string
	tests := []struct {
		name  string
		setup func(t *testing.T, h *harness, id CallID)
		want  matrix
	}{
		{"two parties", func(*testing.T, *harness, CallID) {},
			matrix{"customer": {"1001"}, "1001": {"customer"}}},
		{"hold", func(t *testing.T, h *harness, id CallID) { must(t, h.cc.LegHold(id, "1001", true)) },
			matrix{"customer": {"system"}, "1001": {}}},
		{"listen", func(t *testing.T, h *harness, id CallID) { startMonitor(t, h, id, MonitorListen) },
			matrix{"customer": {"1001"}, "1001": {"customer"}, "9000": {"1001", "customer"}}},
		{"whisper", func(t *testing.T, h *harness, id CallID) { startMonitor(t, h, id, MonitorWhisper) },
			matrix{"customer": {"1001"}, "1001": {"9000", "customer"}, "9000": {"1001", "customer"}}},
		{"barge", func(t *testing.T, h *harness, id CallID) { startMonitor(t, h, id, MonitorBarge) },
			matrix{"customer": {"1001", "9000"}, "1001": {"9000", "customer"}, "9000": {"1001", "customer"}}},
		{"take-over", func(t *testing.T, h *harness, id CallID) { startMonitor(t, h, id, MonitorTakeOver) },
			matrix{"customer": {"9000"}, "9000": {"customer"}}},
		{"listen then barge", func(t *testing.T, h *harness, id CallID) {
			startMonitor(t, h, id, MonitorListen)
			must(t, h.cc.Monitor("9000", "1001", MonitorBarge))
		}, matrix{"customer": {"1001", "9000"}, "1001": {"9000", "customer"}, "9000": {"1001", "customer"}}},
		{"monitor ended", func(t *testing.T, h *harness, id CallID) {
			startMonitor(t, h, id, MonitorWhisper)
			must(t, h.cc.Monitor("9000", "1001", MonitorEnd))
		}, matrix{"customer": {"1001"}, "1001": {"customer"}}},
		{"consult ringing", func(t *testing.T, h *harness, id CallID) { must(t, h.cc.Consult(id, "1001", "1002", false)) },
			matrix{"customer": {"system"}, "1001": {}}},
		{"consult", func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Consult(id, "1001", "1002", false))
			must(t, h.cc.LegAnswered(id, "1002"))
		}, matrix{"customer": {"system"}, "1001": {"1002"}, "1002": {"1001"}}},
		{"consult to conference", func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Consult(id, "1001", "1002", false))
			must(t, h.cc.LegAnswered(id, "1002"))
			must(t, h.cc.ConsultConference(id, "1001"))
		}, matrix{"customer": {"1001", "1002"}, "1001": {"1002", "customer"}, "1002": {"1001", "customer"}}},
		{"three-way directly", func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Consult(id, "1001", "1002", true))
			must(t, h.cc.LegAnswered(id, "1002"))
		}, matrix{"customer": {"1001", "1002"}, "1001": {"1002", "customer"}, "1002": {"1001", "customer"}}},
		{"consult transfer", func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Consult(id, "1001", "1002", false))
			must(t, h.cc.LegAnswered(id, "1002"))
			must(t, h.cc.ConsultTransfer(id, "1001"))
		}, matrix{"customer": {"1002"}, "1002": {"customer"}}},
		{"consult cancelled", func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Consult(id, "1001", "1002", false))
			must(t, h.cc.LegAnswered(id, "1002"))
			must(t, h.cc.ConsultCancel(id, "1001"))
		}, matrix{"customer": {"1001"}, "1001": {"customer"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, testConfig())
			id := talking(t, h)
			tt.setup(t, h, id)
			if got := hears(t, h, id); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("hears %v, want %v", got, tt.want)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func startMonitor(t *testing.T, h *harness, id CallID, mode MonitorMode) {
	t.Helper()
	must(t, h.cc.Monitor("9000", "1001", mode))
	offer := h.waitEvent("supervisor offer", func(ev Event) bool { o, ok := ev.(LegOffer); return ok && o.Agent == "9000" }).(LegOffer)
	if !offer.AutoAnswer || offer.Role != RoleSupervisor {
		t.Fatalf("supervisor offer %+v", offer)
	}
	must(t, h.cc.LegAnswered(id, "9000"))
}

func TestTakeOverDropsTheAgent(t *testing.T) {
	h := newHarness(t, testConfig())
	id := talking(t, h)
	startMonitor(t, h, id, MonitorListen)
	must(t, h.cc.Monitor("9000", "1001", MonitorTakeOver))
	h.waitEvent("release of 1001", func(ev Event) bool { r, ok := ev.(LegRelease); return ok && r.Agent == "1001" })
	h.wantState("1001", Ready)
	if c := h.call(id); c.Agent != "9000" || c.Supervisor != "" {
		t.Fatalf("after take-over: agent %q supervisor %q", c.Agent, c.Supervisor)
	}
	must(t, h.cc.LegHangup(id, "9000"))
	if r := h.lastCDR(); r.Agent != "9000" || r.HangupBy != RoleAgent || len(r.Legs) != 3 {
		t.Fatalf("CDR %+v", r)
	}
}

func TestMonitorRefusals(t *testing.T) {
	h := newHarness(t, testConfig())
	id := talking(t, h)
	tests := []struct {
		sup, agent string
		mode       MonitorMode
		want       error
	}{
		{"1002", "1001", MonitorListen, ErrNotSupervisor},
		{"9000", "1002", MonitorListen, ErrWrongState}, // 1002 is not talking
		{"9000", "1001", "shout", ErrWrongState},
		{"9000", "nobody", MonitorListen, ErrUnknownAgent},
		{"9000", "1001", MonitorEnd, ErrWrongState}, // not monitoring yet
	}
	for _, tt := range tests {
		if err := h.cc.Monitor(tt.sup, tt.agent, tt.mode); !errors.Is(err, tt.want) {
			t.Errorf("Monitor(%s, %s, %s) = %v, want %v", tt.sup, tt.agent, tt.mode, err, tt.want)
		}
	}
	must(t, h.cc.Monitor("9000", "1001", MonitorHangup))
	if _, live := h.cc.Call(id); live {
		t.Fatal("call survived the supervisor's hang-up")
	}
}

func TestOutboundCalls(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1001")
	c, err := h.cc.Dial("1001", "13912345678")
	must(t, err)
	if c.Direction != Outbound || c.Phase != PhaseDialing || c.Display != "4000" || c.Location != "江苏省常州市" {
		t.Fatalf("dialled call %+v", c)
	}
	h.wantState("1001", Talking)
	h.clock.Advance(2 * time.Second)
	h.waitEvent("answer", func(ev Event) bool { a, ok := ev.(CallAnswered); return ok && a.Call.ID == c.ID })
	if m, _ := h.cc.Mix(c.ID); !reflect.DeepEqual(m.Hears["customer"], []string{"1001"}) {
		t.Fatalf("mix %+v", m)
	}
	must(t, h.cc.LegHangup(c.ID, "1001"))
	if r := h.lastCDR(); r.Result != ResultAnswered || r.Direction != Outbound || r.HangupBy != RoleAgent {
		t.Fatalf("CDR %+v", r)
	}
	h.wantState("1001", Ready)

	tests := []struct {
		number string
		wait   time.Duration
		result Result
		status int
	}{
		{"13900000486", time.Second, ResultBusy, 486},
		{"13900000480", 30 * time.Second, ResultNoAnswer, 480},
	}
	for _, tt := range tests {
		c, err := h.cc.Dial("1001", tt.number)
		must(t, err)
		h.clock.Advance(tt.wait)
		ended := h.waitEvent("end", func(ev Event) bool { e, ok := ev.(CallEnded); return ok && e.Call.ID == c.ID }).(CallEnded)
		if ended.CDR.Result != tt.result || ended.Status != tt.status {
			t.Errorf("%s: %s/%d, want %s/%d", tt.number, ended.CDR.Result, ended.Status, tt.result, tt.status)
		}
	}
	// The caller gives up.
	c, err = h.cc.Dial("1001", "13700000000")
	must(t, err)
	must(t, h.cc.DialHangup(c.ID, "1001"))
	if r := h.lastCDR(); r.Result != ResultCancelled {
		t.Fatalf("cancelled call: %s", r.Result)
	}
	// Caller IDs: a pool goes round.
	must(t, h.cc.SetCallerID("1001", "pool:p"))
	var shown []string
	for range 3 {
		c, err := h.cc.Dial("1001", "13700000000")
		must(t, err)
		shown = append(shown, c.Display)
		must(t, h.cc.DialHangup(c.ID, "1001"))
	}
	if !reflect.DeepEqual(shown, []string{"02500000001", "02500000002", "02500000001"}) {
		t.Fatalf("pool numbers %v", shown)
	}
	if err := h.cc.SetCallerID("1001", "pool:nope"); err == nil {
		t.Fatal("unknown pool accepted")
	}
}

func TestInternalCalls(t *testing.T) {
	h := newHarness(t, testConfig())
	h.signIn("1001", "1002")
	c, err := h.cc.Dial("1001", "1002")
	must(t, err)
	if c.Direction != Internal || c.CustomerEP != "1001" || c.Agent != "1002" {
		t.Fatalf("internal call %+v", c)
	}
	must(t, h.cc.LegAnswered(c.ID, "1002"))
	h.waitEvent("answer", func(ev Event) bool { _, ok := ev.(CallAnswered); return ok })
	if got := hears(t, h, c.ID); !reflect.DeepEqual(got, map[string][]string{"1001": {"1002"}, "1002": {"1001"}}) {
		t.Fatalf("hears %v", got)
	}
	must(t, h.cc.LegHangup(c.ID, "1001"))
	h.wantState("1001", Ready)
	h.wantState("1002", Ready)

	// A busy colleague: 486 at once.
	must(t, h.cc.SetAgentState("1002", StateBusy))
	c, err = h.cc.Dial("1001", "1002")
	must(t, err)
	if r := h.lastCDR(); r.CallID != c.ID || r.Result != ResultBusy {
		t.Fatalf("CDR %+v", r)
	}
	// Dialling a queue's number queues the agent like a customer.
	must(t, h.cc.SetAgentState("1002", StateReady))
	c, err = h.cc.Dial("1001", "7001")
	must(t, err)
	if got := h.call(c.ID); got.Agent != "1002" || got.Queue != "sales" {
		t.Fatalf("queue call %+v", got)
	}
	// The queue's agent does not answer: busy, the caller waits on.
	must(t, h.cc.LegFailed(c.ID, "1002", FailNoAnswer))
	h.wantState("1002", Busy)
	if got := h.call(c.ID); got.Phase != PhaseQueued {
		t.Fatalf("queue call %s after no answer", got.Phase)
	}
	// The caller is on a call: a second dial is refused.
	if _, err := h.cc.Dial("1001", "13700000000"); !errors.Is(err, ErrAgentBusy) {
		t.Fatalf("second dial: %v", err)
	}
	must(t, h.cc.DialHangup(c.ID, "1001"))
	if r := h.lastCDR(); r.Result != ResultCancelled {
		t.Fatalf("given-up queue call: %s", r.Result)
	}
}

func TestTransfers(t *testing.T) {
	h := newHarness(t, testConfig())
	id := talking(t, h)
	must(t, h.cc.Transfer(id, "1001", Target{Kind: TargetAgent, ID: "1002"}))
	h.wantState("1001", Ready)
	if c := h.call(id); c.Agent != "1002" || c.Phase != PhaseOffering {
		t.Fatalf("after transfer %+v", c)
	}
	must(t, h.cc.LegAnswered(id, "1002"))
	must(t, h.cc.Transfer(id, "1002", Target{Kind: TargetQueue, ID: "service"}))
	if c := h.call(id); c.Queue != "service" || c.Phase != PhaseQueued {
		t.Fatalf("after queue transfer %+v", c)
	}
	if err := h.cc.Transfer(id, "1002", Target{Kind: TargetQueue, ID: "service"}); !errors.Is(err, ErrWrongState) {
		t.Fatalf("transfer by an agent no longer on the call: %v", err)
	}
	if tg, ok := h.cc.ResolveTarget("7002"); !ok || tg != (Target{Kind: TargetQueue, ID: "service"}) {
		t.Fatalf("resolve 7002: %+v", tg)
	}
}

func TestFaultKnobs(t *testing.T) {
	h := newHarness(t, testConfig())
	f := h.cc.Faults()
	must(t, f.Set(RefuseLogin{Agent: "1001", Count: 2}))
	for i := range 2 {
		var ae *AgentError
		if _, err := h.cc.Secret("1001"); !errors.As(err, &ae) || ae.Status != 403 || ae.Sentence("zh") == "" {
			t.Fatalf("refusal %d: %v", i, err)
		}
	}
	if _, err := h.cc.Secret("1001"); err != nil {
		t.Fatalf("refusal did not clear after its count: %v", err)
	}
	must(t, f.Set(Delay{Method: "register", For: Duration(time.Second)}))
	if f.Delay("REGISTER") != time.Second || f.Delay("INVITE") != 0 {
		t.Fatal("delay knob not per method")
	}
	must(t, f.Set(SlowAnswer{Delay: Duration(3 * time.Second)}))
	if len(f.Active()) != 2 {
		t.Fatalf("active %v", f.Active())
	}
	f.Clear("")
	if len(f.Active()) != 0 {
		t.Fatal("clear left knobs on")
	}
	// Kick: offline, the front-ends are told, sign-ins refused for the hold-off.
	h.signIn("1002")
	must(t, f.Set(Kick{Agent: "1002", Reason: "test"}))
	ev := h.waitEvent("kick", func(ev Event) bool { _, ok := ev.(AgentKicked); return ok }).(AgentKicked)
	if ev.Err.Sentence("en") == "" || ev.Agent != "1002" {
		t.Fatalf("kick event %+v", ev)
	}
	h.wantState("1002", Offline)
	if err := h.cc.Authenticate("1002", "p2"); !errors.Is(err, ErrLoginRefused) {
		t.Fatalf("sign-in during the hold-off: %v", err)
	}
	h.clock.Advance(10 * time.Second)
	must(t, h.cc.Authenticate("1002", "p2"))
	if err := h.cc.Authenticate("1002", "wrong"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	// One-shots reach the front-ends.
	must(t, f.Set(Restart{Downtime: Duration(time.Second)}))
	h.waitEvent("restart", func(ev Event) bool { i, ok := ev.(FaultInjected); return ok && i.Fault.Kind() == FaultRestart })
}

func TestDecodeFault(t *testing.T) {
	tests := []struct {
		kind, args string
		want       Fault
		bad        bool
	}{
		{"delay", `{"method":"REGISTER","for":"1.5s"}`, Delay{Method: "REGISTER", For: Duration(1500 * time.Millisecond)}, false},
		{"delay", `{"for":2}`, Delay{For: Duration(2 * time.Second)}, false},
		{"delay", `{}`, nil, true},
		{"drop", ``, Drop{}, false},
		{"restart", `{"downtime":"500ms"}`, Restart{Downtime: Duration(500 * time.Millisecond)}, false},
		{"refuse_login", `{"agent":"8001","status":401}`, RefuseLogin{Agent: "8001", Status: 401}, false},
		{"refuse_login", `{"status":200}`, nil, true},
		{"kick", `{"agent":"8001"}`, Kick{Agent: "8001"}, false},
		{"kick", `{}`, nil, true},
		{"expire_token", `null`, ExpireToken{}, false},
		{"malformed", `{"agent":"8001","what":"bad_sdp"}`, Malformed{Agent: "8001", What: "bad_sdp"}, false},
		{"malformed", `{"agent":"8001","what":"rude"}`, nil, true},
		{"slow_answer", `{"delay":"5s"}`, SlowAnswer{Delay: Duration(5 * time.Second)}, false},
		{"slow_answer", `{"delay":"5h"}`, nil, true},
		{"delay", `{"for":"1s","extra":1}`, nil, true},
		{"meteor", `{}`, nil, true},
	}
	for _, tt := range tests {
		got, err := DecodeFault(tt.kind, json.RawMessage(tt.args))
		if tt.bad {
			if !errors.Is(err, ErrInvalidFault) {
				t.Errorf("%s %s: %v, want ErrInvalidFault", tt.kind, tt.args, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s %s = %#v, %v; want %#v", tt.kind, tt.args, got, err, tt.want)
		}
	}
}

func FuzzDecodeFault(f *testing.F) {
	for _, k := range faultKinds() {
		f.Add(k, []byte(`{"agent":"8001","for":"1s","delay":2,"status":403}`))
	}
	f.Add("delay", []byte(`{"for":1e300}`))
	f.Fuzz(func(t *testing.T, kind string, args []byte) {
		ft, err := DecodeFault(kind, args)
		if err != nil {
			if !errors.Is(err, ErrInvalidFault) {
				t.Fatalf("error %v does not wrap ErrInvalidFault", err)
			}
			return
		}
		if ft.Kind() != FaultKind(kind) {
			t.Fatalf("kind %s decoded as %s", kind, ft.Kind())
		}
		if err := ft.validate(); err != nil {
			t.Fatalf("decoded an invalid fault: %v", err)
		}
	})
}

func TestFakeClockOrder(t *testing.T) {
	c := NewFakeClock(epoch)
	var got []int
	c.AfterFunc(2*time.Second, func() { got = append(got, 2) })
	c.AfterFunc(time.Second, func() {
		got = append(got, 1)
		c.AfterFunc(500*time.Millisecond, func() { got = append(got, 15) })
	})
	stopped := c.AfterFunc(time.Second, func() { got = append(got, -1) })
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop reports wrongly")
	}
	c.Advance(3 * time.Second)
	if !reflect.DeepEqual(got, []int{1, 15, 2}) || !c.Now().Equal(epoch.Add(3*time.Second)) || c.Pending() != 0 {
		t.Fatalf("ran %v, now %v", got, c.Now())
	}
}
