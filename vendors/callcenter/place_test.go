package callcenter

import (
	"errors"
	"maps"
	"reflect"
	"testing"
	"time"
)

// Voices of the audio tests, at least 300 Hz from one another and from the
// follower's system sounds: voice.Tone ramps down and up for 4 ms every
// second, which a half-second window may catch; 50 Hz away that leaks
// above the "absent" level, 300 Hz away it does not.
const (
	customerHz   = 400.0 // harness customers
	agentHz      = 1000.0
	colleagueHz  = 1300.0
	deviceHz     = 1600.0
	calleeHz     = 1900.0 // outside callees
	supervisorHz = 2200.0
)

// allTones are every voice a test call may carry.
var allTones = []float64{customerHz, agentHz, colleagueHz, deviceHz, calleeHz, supervisorHz, ringbackHz, musicHz, promptHz}

// calleeNumber answers outbound calls with calleeHz, talking all the time.
const calleeNumber = "13700000001"

func audioConfig() Config {
	cfg := testConfig()
	cfg.Outbound = append(cfg.Outbound, Customer{Number: calleeNumber, Voice: Voice{ToneHz: calleeHz}})
	return cfg
}

// waitEventNot is waitEvent failing on any event forbidden says is wrong.
func (h *harness) waitEventNot(what string, match func(Event) bool, forbidden func(Event) bool) Event {
	h.t.Helper()
	return h.waitEvent(what, func(ev Event) bool {
		if forbidden(ev) {
			h.t.Fatalf("unexpected %T %+v while waiting for %s", ev, ev, what)
		}
		return match(ev)
	})
}

func offerTo(agent string) func(Event) bool {
	return func(ev Event) bool { o, ok := ev.(LegOffer); return ok && o.Agent == agent }
}

func endOf(id CallID) func(Event) bool {
	return func(ev Event) bool { e, ok := ev.(CallEnded); return ok && e.Call.ID == id }
}

func TestPlaceCallToAnOutsideNumberByAudio(t *testing.T) {
	h := newHarness(t, audioConfig())
	f := newRoomFollower(t, h.cc, map[string]float64{"1001": agentHz})
	h.signIn("1001")
	t0 := h.clock.Now()
	data := map[string]string{"BizId": "order-42"}
	ci, err := h.cc.PlaceCall("1001", calleeNumber, PlaceOptions{CallerID: "pool:p", UserData: data})
	must(t, err)
	data["BizId"] = "changed by the caller afterwards"
	if !ci.Placed || ci.Phase != PhaseCallback || ci.Direction != Outbound || ci.Agent != "1001" ||
		ci.Display != "02500000001" || ci.UserData["BizId"] != "order-42" {
		t.Fatalf("placed call %+v", ci)
	}
	id := ci.ID
	offer := h.waitEvent("the agent's own leg", offerTo("1001")).(LegOffer)
	if !offer.AutoAnswer || offer.Role != RoleAgent || offer.From != calleeNumber {
		t.Fatalf("callback offer %+v", offer)
	}
	h.wantState("1001", Ringing)
	if m, _ := h.cc.Mix(id); m.System.Kind != SoundNone {
		t.Fatalf("nothing is dialled before the agent answers, yet the system plays %s", m.System)
	}

	h.clock.Advance(time.Second)
	must(t, h.cc.LegAnswered(id, "1001"))
	if c := h.call(id); c.Phase != PhaseDialing {
		t.Fatalf("after the agent answered: %s", c.Phase)
	}
	h.wantState("1001", Talking)
	// The agent hears the ringback; the callee is not on the line yet.
	f.hearsExactly(id, "1001", allTones, ringbackHz)
	if got := hears(t, h, id); !reflect.DeepEqual(got, map[string][]string{"customer": {}, "1001": {"system"}}) {
		t.Fatalf("while dialling: %v", got)
	}

	h.clock.Advance(2 * time.Second) // OutboundAnswerAfter
	h.waitEvent("answer", func(ev Event) bool { a, ok := ev.(CallAnswered); return ok && a.Call.ID == id })
	f.hearsExactly(id, "1001", allTones, calleeHz)
	f.hearsExactly(id, SimulatedCustomer, allTones, agentHz)

	h.clock.Advance(5 * time.Second)
	must(t, h.cc.LegHangup(id, "1001"))
	r := h.lastCDR()
	want := []LegRecord{
		{Party: "1001", Role: RoleAgent, Offered: t0, Answered: t0.Add(time.Second), Ended: t0.Add(8 * time.Second), EndReason: "agent hung up"},
		{Party: SimulatedCustomer, Role: RoleCustomer, Offered: t0.Add(time.Second), Answered: t0.Add(3 * time.Second), Ended: t0.Add(8 * time.Second), EndReason: "agent hung up"},
	}
	if !r.Placed || r.Result != ResultAnswered || r.Direction != Outbound || r.Display != "02500000001" ||
		!maps.Equal(r.UserData, map[string]string{"BizId": "order-42"}) || r.Talk() != 5*time.Second ||
		r.HangupBy != RoleAgent || !reflect.DeepEqual(r.Legs, want) {
		t.Fatalf("CDR %+v", r)
	}
	h.wantState("1001", Ready)
}

func TestPlaceCallFailures(t *testing.T) {
	tests := []struct {
		name   string
		number string
		opts   PlaceOptions
		do     func(h *harness, id CallID)
		result Result
		status int
		legs   int // leg records in the CDR
	}{
		{"agent does not answer its phone", calleeNumber, PlaceOptions{},
			func(h *harness, id CallID) { h.clock.Advance(30 * time.Second) }, ResultAgentNoAnswer, 480, 1},
		{"agent rings for the given time", calleeNumber, PlaceOptions{RingTimeout: 5 * time.Second},
			func(h *harness, id CallID) { h.clock.Advance(5 * time.Second) }, ResultAgentNoAnswer, 480, 1},
		{"the phone reports no answer", calleeNumber, PlaceOptions{},
			func(h *harness, id CallID) { must(h.t, h.cc.LegFailed(id, "1001", FailNoAnswer)) }, ResultAgentNoAnswer, 480, 1},
		{"agent refuses", calleeNumber, PlaceOptions{},
			func(h *harness, id CallID) { must(h.t, h.cc.LegFailed(id, "1001", FailRejected)) }, ResultCancelled, 487, 1},
		{"agent unreachable", calleeNumber, PlaceOptions{},
			func(h *harness, id CallID) { must(h.t, h.cc.LegFailed(id, "1001", FailUnreachable)) }, ResultFailed, 480, 1},
		{"the platform hangs up first", calleeNumber, PlaceOptions{},
			func(h *harness, id CallID) { must(h.t, h.cc.DialHangup(id, "1001")) }, ResultCancelled, 487, 1},
		{"callee busy", "13900000486", PlaceOptions{},
			func(h *harness, id CallID) {
				must(h.t, h.cc.LegAnswered(id, "1001"))
				h.clock.Advance(time.Second)
			}, ResultBusy, 486, 2},
		{"callee never answers", "13900000480", PlaceOptions{},
			func(h *harness, id CallID) {
				must(h.t, h.cc.LegAnswered(id, "1001"))
				h.clock.Advance(30 * time.Second)
			}, ResultNoAnswer, 480, 2},
		{"agent gives up while the callee rings", calleeNumber, PlaceOptions{},
			func(h *harness, id CallID) {
				must(h.t, h.cc.LegAnswered(id, "1001"))
				must(h.t, h.cc.LegHangup(id, "1001"))
			}, ResultCancelled, 487, 2},
		{"colleague busy", "1002", PlaceOptions{},
			func(h *harness, id CallID) {
				must(h.t, h.cc.SetAgentState("1002", StateBusy))
				must(h.t, h.cc.LegAnswered(id, "1001"))
			}, ResultBusy, 486, 1},
		{"internal caller gives up while the colleague rings", "1002", PlaceOptions{},
			func(h *harness, id CallID) {
				must(h.t, h.cc.LegAnswered(id, "1001"))
				must(h.t, h.cc.DialHangup(id, "1001"))
			}, ResultCancelled, 487, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, audioConfig())
			h.signIn("1001", "1002")
			ci, err := h.cc.PlaceCall("1001", tt.number, tt.opts)
			must(t, err)
			tt.do(h, ci.ID)
			ended := h.waitEvent("end", endOf(ci.ID)).(CallEnded)
			if ended.CDR.Result != tt.result || ended.Status != tt.status || !ended.CDR.Placed || len(ended.CDR.Legs) != tt.legs {
				t.Fatalf("ended %s/%d placed=%v with %d legs, want %s/%d with %d: %+v",
					ended.CDR.Result, ended.Status, ended.CDR.Placed, len(ended.CDR.Legs), tt.result, tt.status, tt.legs, ended.CDR)
			}
			h.wantState("1001", Ready)
			h.wantState("1002", map[bool]StateKind{true: Busy, false: Ready}[tt.name == "colleague busy"])
		})
	}
}

func TestPlaceCallRefusalsAndCallerIDs(t *testing.T) {
	h := newHarness(t, audioConfig())
	refusals := []struct {
		agent, number string
		opts          PlaceOptions
		want          error
	}{
		{"1001", calleeNumber, PlaceOptions{}, ErrAgentOffline},
		{"nobody", calleeNumber, PlaceOptions{}, ErrUnknownAgent},
	}
	for _, tt := range refusals {
		if _, err := h.cc.PlaceCall(tt.agent, tt.number, tt.opts); !errors.Is(err, tt.want) {
			t.Errorf("PlaceCall(%s, %s) = %v, want %v", tt.agent, tt.number, err, tt.want)
		}
	}
	h.signIn("1001", "1002")
	big := map[string]string{}
	for i := range 40 {
		big[string(rune('a'+i%26))+string(rune('a'+i/26))] = "x"
	}
	refusals = []struct {
		agent, number string
		opts          PlaceOptions
		want          error
	}{
		{"1001", "not-a-number", PlaceOptions{}, ErrInvalidNumber},
		{"1001", "", PlaceOptions{}, ErrInvalidNumber},
		{"1001", calleeNumber, PlaceOptions{CallerID: "99999"}, ErrInvalidConfig},
		{"1001", calleeNumber, PlaceOptions{UserData: big}, ErrInvalidCallData},
		{"1001", calleeNumber, PlaceOptions{UserData: map[string]string{"": "x"}}, ErrInvalidCallData},
	}
	for _, tt := range refusals {
		if _, err := h.cc.PlaceCall(tt.agent, tt.number, tt.opts); !errors.Is(err, tt.want) {
			t.Errorf("PlaceCall(%s, %q, %+v) = %v, want %v", tt.agent, tt.number, tt.opts.CallerID, err, tt.want)
		}
	}
	if len(h.cc.Calls()) != 0 {
		t.Fatalf("refused calls left %d live calls", len(h.cc.Calls()))
	}
	// Caller IDs: an entry, a pool number, a trunk, the agent's own choice.
	must(t, h.cc.SetCallerID("1001", "pool:p"))
	shown := []struct{ callerID, want string }{
		{"main", "4000"},
		{"02500000002", "02500000002"},
		{"4002", "4002"},
		{"", "02500000001"},
	}
	for _, s := range shown {
		ci, err := h.cc.PlaceCall("1001", calleeNumber, PlaceOptions{CallerID: s.callerID})
		must(t, err)
		if ci.Display != s.want {
			t.Errorf("caller ID %q shows %s, want %s", s.callerID, ci.Display, s.want)
		}
		if _, err := h.cc.PlaceCall("1001", calleeNumber, PlaceOptions{}); !errors.Is(err, ErrAgentBusy) {
			t.Errorf("a second placed call while the first rings: %v", err)
		}
		must(t, h.cc.DialHangup(ci.ID, "1001"))
	}
}

func TestPlaceCallToAColleagueByAudio(t *testing.T) {
	h := newHarness(t, audioConfig())
	f := newRoomFollower(t, h.cc, map[string]float64{"1001": agentHz, "1002": colleagueHz})
	h.signIn("1001", "1002")
	ci, err := h.cc.PlaceCall("1001", "1002", PlaceOptions{UserData: map[string]string{"k": "v"}})
	must(t, err)
	id := ci.ID
	if ci.Direction != Internal || ci.CustomerEP != "1001" || ci.Agent != "" || ci.Phase != PhaseCallback {
		t.Fatalf("placed internal call %+v", ci)
	}
	o := h.waitEventNot("the agent's own leg", offerTo("1001"), offerTo("1002")).(LegOffer)
	if !o.AutoAnswer || o.Role != RoleCustomer {
		t.Fatalf("callback offer %+v", o)
	}
	h.wantState("1002", Ready) // not rung before the agent is on the line
	must(t, h.cc.LegAnswered(id, "1001"))
	o = h.waitEvent("the colleague's offer", offerTo("1002")).(LegOffer)
	if o.AutoAnswer || o.Role != RoleAgent || o.From != "1001" {
		t.Fatalf("colleague's offer %+v", o)
	}
	f.hearsExactly(id, "1001", allTones, ringbackHz)
	must(t, h.cc.LegAnswered(id, "1002"))
	h.waitEvent("answer", func(ev Event) bool { a, ok := ev.(CallAnswered); return ok && a.Call.ID == id })
	f.hearsExactly(id, "1001", allTones, colleagueHz)
	f.hearsExactly(id, "1002", allTones, agentHz)
	must(t, h.cc.LegHangup(id, "1002"))
	if r := h.lastCDR(); !r.Placed || r.Result != ResultAnswered || r.Direction != Internal || r.Agent != "1002" || r.UserData["k"] != "v" || len(r.Legs) != 2 {
		t.Fatalf("CDR %+v", r)
	}
}

func TestPlaceCallToAQueueAndAnIVR(t *testing.T) {
	h := newHarness(t, audioConfig())
	h.signIn("1001", "1002")
	must(t, h.cc.SetAgentState("1002", StateBusy))
	ci, err := h.cc.PlaceCall("1001", "7001", PlaceOptions{}) // the sales queue's number
	must(t, err)
	must(t, h.cc.LegAnswered(ci.ID, "1001"))
	if c := h.call(ci.ID); c.Phase != PhaseQueued || c.Queue != "sales" {
		t.Fatalf("placed queue call %+v", c)
	}
	if m, _ := h.cc.Mix(ci.ID); m.System.Kind != SoundMusic || !reflect.DeepEqual(m.Hears["1001"], []string{SystemParty}) {
		t.Fatalf("the caller in the queue hears %+v", m)
	}
	must(t, h.cc.SetAgentState("1002", StateReady))
	h.waitEvent("queue offer", offerTo("1002"))
	must(t, h.cc.DialHangup(ci.ID, "1001"))

	ci, err = h.cc.PlaceCall("1001", "4000", PlaceOptions{}) // the IVR's trunk
	must(t, err)
	must(t, h.cc.LegAnswered(ci.ID, "1001"))
	if m, _ := h.cc.Mix(ci.ID); m.System.Kind != SoundPrompt || m.System.Text != "welcome" {
		t.Fatalf("the caller in the IVR hears %+v", m.System)
	}
	must(t, h.cc.DTMF(ci.ID, "1001", "9"))
	h.clock.Advance(10 * time.Second)
	if r := h.lastCDR(); r.CallID != ci.ID || r.Result != ResultIVR || !r.Placed || r.DTMF != "9" {
		t.Fatalf("CDR %+v", r)
	}
}
