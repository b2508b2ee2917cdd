package callcenter

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testConfig is a center with three sales agents, one service agent, a
// supervisor, a sales queue that overflows to service, and an IVR.
func testConfig() Config {
	return Config{
		Seed:    1,
		Tenants: []TenantConfig{{ID: "t1"}},
		Agents: []AgentConfig{
			{ID: "1001", Password: "p1", Skills: []string{"sales"}},
			{ID: "1002", Password: "p2", Skills: []string{"sales"}},
			{ID: "1003", Password: "p3", Skills: []string{"sales", "service"}},
			{ID: "2001", Password: "p4", Skills: []string{"service"}},
			{ID: "9000", Password: "sup", Supervisor: true},
		},
		Queues: []QueueConfig{
			{Name: "sales", Number: "7001", Skill: "sales", RingTimeout: 10 * time.Second},
			{Name: "service", Number: "7002", Skill: "service", RingTimeout: 10 * time.Second, WrapUp: 20 * time.Second, Survey: true},
			{Name: "tiny", Skill: "nobody", MaxWait: 30 * time.Second, Overflow: "service"},
			{Name: "closed", Skill: "nobody", MaxWait: 30 * time.Second},
		},
		IVRs: []IVRConfig{{Name: "main", Start: "hello", Nodes: []IVRNode{
			{ID: "hello", Kind: NodePrompt, Prompt: "welcome", PromptFor: 2 * time.Second, Next: "menu"},
			{ID: "menu", Kind: NodeMenu, Prompt: "1 sales 2 service", PromptFor: 3 * time.Second,
				Options: map[string]string{"1": "q-sales", "2": "q-service", "9": "bye"}, Default: "q-sales"},
			{ID: "q-sales", Kind: NodeQueue, Queue: "sales"},
			{ID: "q-service", Kind: NodeQueue, Queue: "service"},
			{ID: "bye", Kind: NodeHangUp, Prompt: "goodbye"},
			{ID: "survey", Kind: NodeSurvey, Prompt: "rate us", PromptFor: 4 * time.Second},
		}}},
		Trunks: []TrunkConfig{
			{Number: "4000", Route: "ivr:main"},
			{Number: "4001", Route: "queue:sales"},
			{Number: "4002", Route: "queue:service"},
			{Number: "4003", Route: "queue:tiny"},
			{Number: "4004", Route: "queue:closed"},
		},
		CallerIDs: []CallerIDConfig{{ID: "main", Number: "4000"}},
		Pools:     map[string][]string{"p": {"02500000001", "02500000002"}},
		Outbound: []Customer{
			{Number: "13900000486", Busy: true},
			{Number: "13900000480", AnswerAfter: -1},
		},
	}
}

type harness struct {
	t     *testing.T
	cc    *Center
	clock *FakeClock
	sub   *Subscription
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	clock := NewFakeClock(epoch)
	cfg.Clock = clock
	cc, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, cc: cc, clock: clock, sub: cc.Subscribe()}
	t.Cleanup(func() {
		cc.Close()
		h.sub.Close()
	})
	return h
}

func (h *harness) signIn(ids ...string) {
	h.t.Helper()
	for _, id := range ids {
		if err := h.cc.SignIn(id); err != nil {
			h.t.Fatal(err)
		}
		h.clock.Advance(time.Second) // distinct idle times: first signed in = longest idle
	}
}

func (h *harness) state(id string) AgentState {
	h.t.Helper()
	a, ok := h.cc.Agent(id)
	if !ok {
		h.t.Fatalf("no agent %s", id)
	}
	return a.State
}

func (h *harness) wantState(id string, k StateKind) {
	h.t.Helper()
	if got := h.state(id); got.Kind != k {
		h.t.Fatalf("agent %s is %s, want %s", id, got, k)
	}
}

func (h *harness) call(id CallID) CallInfo {
	h.t.Helper()
	c, ok := h.cc.Call(id)
	if !ok {
		h.t.Fatalf("call %s is not live", id)
	}
	return c
}

func (h *harness) customer(number string, trunk string, mod ...func(*Customer)) CallID {
	h.t.Helper()
	c := Customer{Number: number, Voice: Voice{ToneHz: 400}}
	for _, m := range mod {
		m(&c)
	}
	id, err := h.cc.CustomerCall(c, trunk)
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func (h *harness) lastCDR() CDR {
	h.t.Helper()
	cdrs := h.cc.CDRs()
	if len(cdrs) == 0 {
		h.t.Fatal("no CDR")
	}
	return cdrs[len(cdrs)-1]
}

// waitEvent reads events until match returns true.
func (h *harness) waitEvent(what string, match func(Event) bool) Event {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-h.sub.C:
			if match(ev) {
				return ev
			}
		case <-deadline:
			h.t.Fatalf("no %s event", what)
			return nil
		}
	}
}
