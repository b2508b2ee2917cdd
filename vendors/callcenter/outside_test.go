package callcenter

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

var callee = OutsideParty(calleeNumber)

func outsideLeg(phase LegPhase) func(Event) bool {
	return func(ev Event) bool { o, ok := ev.(OutsideLeg); return ok && o.Phase == phase }
}

func TestResolveNumber(t *testing.T) {
	h := newHarness(t, testConfig())
	tests := []struct {
		number string
		want   Target
		err    error
	}{
		{"1002", Target{Kind: TargetAgent, ID: "1002"}, nil},
		{"7001", Target{Kind: TargetQueue, ID: "sales"}, nil},
		{"service", Target{Kind: TargetQueue, ID: "service"}, nil},
		{"ivr:main/menu", Target{Kind: TargetIVR, ID: "main/menu"}, nil},
		{"4000", Target{Kind: TargetIVR, ID: "main"}, nil},
		{"4002", Target{Kind: TargetQueue, ID: "service"}, nil},
		{" 13912345678 ", Target{Kind: TargetOutside, ID: "13912345678"}, nil},
		{"+8613912345678", Target{Kind: TargetOutside, ID: "+8613912345678"}, nil},
		{"sip:someone", Target{}, ErrInvalidNumber},
		{"", Target{}, ErrInvalidNumber},
		{"123456789012345678901234567890123", Target{}, ErrInvalidNumber},
	}
	for _, tt := range tests {
		got, err := h.cc.ResolveNumber(tt.number)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ResolveNumber(%q) = %+v, %v; want %+v, %v", tt.number, got, err, tt.want, tt.err)
		}
	}
	// ResolveTarget keeps knowing no outside numbers.
	if tg, ok := h.cc.ResolveTarget("13912345678"); ok {
		t.Fatalf("ResolveTarget resolved an outside number: %+v", tg)
	}
}

func TestOutsideMixMatrix(t *testing.T) {
	type matrix = map[string][]string
	consult := func(conf bool) func(*testing.T, *harness, CallID) {
		return func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.ConsultTo(id, "1001", Target{Kind: TargetOutside, ID: calleeNumber}, conf))
		}
	}
	answered := func(setup func(*testing.T, *harness, CallID)) func(*testing.T, *harness, CallID) {
		return func(t *testing.T, h *harness, id CallID) {
			setup(t, h, id)
			h.clock.Advance(2 * time.Second)
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, h *harness, id CallID)
		want  matrix
	}{
		{"consult ringing", consult(false), matrix{"customer": {"system"}, "1001": {}}},
		{"consult", answered(consult(false)), matrix{"customer": {"system"}, "1001": {callee}, callee: {"1001"}}},
		{"three-way", answered(consult(true)),
			matrix{"customer": {"1001", callee}, "1001": {"customer", callee}, callee: {"1001", "customer"}}},
		{"consult then three-way", func(t *testing.T, h *harness, id CallID) {
			answered(consult(false))(t, h, id)
			must(t, h.cc.ConsultConference(id, "1001"))
		}, matrix{"customer": {"1001", callee}, "1001": {"customer", callee}, callee: {"1001", "customer"}}},
		{"hold while consulting", func(t *testing.T, h *harness, id CallID) {
			answered(consult(false))(t, h, id)
			must(t, h.cc.LegHold(id, "1001", true))
		}, matrix{"customer": {"system"}, "1001": {callee}, callee: {"1001"}}},
		{"consult transfer", func(t *testing.T, h *harness, id CallID) {
			answered(consult(false))(t, h, id)
			must(t, h.cc.ConsultTransfer(id, "1001"))
		}, matrix{"customer": {callee}, callee: {"customer"}}},
		{"consult cancelled", func(t *testing.T, h *harness, id CallID) {
			answered(consult(true))(t, h, id)
			must(t, h.cc.ConsultCancel(id, "1001"))
		}, matrix{"customer": {"1001"}, "1001": {"customer"}}},
		{"blind transfer ringing", func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Transfer(id, "1001", Target{Kind: TargetOutside, ID: calleeNumber}))
		}, matrix{"customer": {"system"}}},
		{"blind transfer", answered(func(t *testing.T, h *harness, id CallID) {
			must(t, h.cc.Transfer(id, "1001", Target{Kind: TargetOutside, ID: calleeNumber}))
		}), matrix{"customer": {callee}, callee: {"customer"}}},
		{"barge into a three-way call", func(t *testing.T, h *harness, id CallID) {
			answered(consult(true))(t, h, id)
			startMonitor(t, h, id, MonitorBarge)
		}, matrix{"customer": {"1001", "9000", callee}, "1001": {"9000", "customer", callee},
			callee: {"1001", "9000", "customer"}, "9000": {"1001", "customer", callee}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, audioConfig())
			id := talking(t, h)
			tt.setup(t, h, id)
			if got := hears(t, h, id); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("hears %v, want %v", got, tt.want)
			}
		})
	}
}

// A blind transfer to an outside number: the customer hears it ring, then
// talks with the outside party, whose script ends the call.
func TestTransferToOutsideByAudio(t *testing.T) {
	cfg := audioConfig()
	cfg.Outbound = append(cfg.Outbound, Customer{Number: "13700000002", Voice: Voice{ToneHz: calleeHz},
		AnswerAfter: Duration(4 * time.Second),
		Script:      []Step{{Kind: StepSay, For: Duration(6 * time.Second)}, {Kind: StepHangUp}}})
	h := newHarness(t, cfg)
	f := newRoomFollower(t, h.cc, map[string]float64{"1001": agentHz})
	id := talking(t, h)
	t0 := h.clock.Now()
	must(t, h.cc.Transfer(id, "1001", Target{Kind: TargetOutside, ID: "13700000002"}))
	ring := h.waitEvent("ringing", outsideLeg(LegPhaseRinging)).(OutsideLeg)
	if ring.Party != OutsideParty("13700000002") || ring.Number != "13700000002" || ring.Customer.Voice.ToneHz != calleeHz {
		t.Fatalf("ringing %+v", ring)
	}
	h.wantState("1001", Ready)
	if c := h.call(id); c.Phase != PhaseDialing || c.Agent != "" || c.Outside != "13700000002" || c.OutsideUp {
		t.Fatalf("while the outside number rings %+v", c)
	}
	f.hearsExactly(id, SimulatedCustomer, allTones, ringbackHz)
	h.clock.Advance(4 * time.Second)
	h.waitEvent("answer", outsideLeg(LegPhaseUp))
	party := OutsideParty("13700000002")
	f.hearsExactly(id, SimulatedCustomer, allTones, calleeHz)
	f.hearsExactly(id, party, allTones, customerHz)
	h.clock.Advance(6 * time.Second) // the outside party's script hangs up
	h.waitEvent("end", endOf(id))
	r := h.lastCDR()
	last := r.Legs[len(r.Legs)-1]
	wantLeg := LegRecord{Party: party, Role: RoleOutside, Offered: t0, Answered: t0.Add(4 * time.Second),
		Ended: t0.Add(10 * time.Second), EndReason: "outside party hung up"}
	if r.Result != ResultAnswered || r.HangupBy != RoleOutside || r.Agent != "1001" || last != wantLeg {
		t.Fatalf("CDR %+v", r)
	}
}

func TestTransferToOutsideFails(t *testing.T) {
	// Busy with a queue behind the call: back to the queue, to another agent.
	h := newHarness(t, audioConfig())
	id := talking(t, h)
	must(t, h.cc.Transfer(id, "1001", Target{Kind: TargetOutside, ID: "13900000486"}))
	h.clock.Advance(time.Second)
	down := h.waitEvent("busy", outsideLeg(LegPhaseDown)).(OutsideLeg)
	if down.Status != 486 || down.Reason != "busy" {
		t.Fatalf("down %+v", down)
	}
	if c := h.call(id); c.Queue != "sales" || c.Outside != "" || c.Phase != PhaseOffering || c.Agent != "1002" {
		t.Fatalf("after a busy outside number %+v", c)
	}
	must(t, h.cc.LegAnswered(id, "1002"))
	if err := h.cc.Transfer(id, "1002", Target{Kind: TargetOutside, ID: "not digits"}); !errors.Is(err, ErrInvalidNumber) {
		t.Fatalf("transfer to letters: %v", err)
	}

	// An outbound call has no queue: a number that never answers ends it.
	h = newHarness(t, audioConfig())
	h.signIn("1001")
	ci, err := h.cc.Dial("1001", calleeNumber)
	must(t, err)
	h.clock.Advance(2 * time.Second)
	must(t, h.cc.Transfer(ci.ID, "1001", Target{Kind: TargetOutside, ID: "13900000480"}))
	h.clock.Advance(30 * time.Second)
	ended := h.waitEvent("end", endOf(ci.ID)).(CallEnded)
	if ended.CDR.Result != ResultNoAnswer || ended.Status != 480 || ended.CDR.HangupBy != RoleOutside {
		t.Fatalf("ended %s/%d by %s", ended.CDR.Result, ended.Status, ended.CDR.HangupBy)
	}
}

// Consult an outside number, join it into a three-way call, take it back,
// and finally hand the customer over to it: every step by audio.
func TestConsultOutsideByAudio(t *testing.T) {
	h := newHarness(t, audioConfig())
	f := newRoomFollower(t, h.cc, map[string]float64{"1001": agentHz})
	id := talking(t, h)
	to := Target{Kind: TargetOutside, ID: calleeNumber}
	must(t, h.cc.ConsultTo(id, "1001", to, false))
	if err := h.cc.ConsultTo(id, "1001", to, false); !errors.Is(err, ErrWrongState) {
		t.Fatalf("a second consult: %v", err)
	}
	if err := h.cc.ConsultTransfer(id, "1001"); !errors.Is(err, ErrWrongState) {
		t.Fatalf("consult transfer before the answer: %v", err)
	}
	h.clock.Advance(2 * time.Second)
	f.hearsExactly(id, "1001", allTones, calleeHz)
	f.hearsExactly(id, callee, allTones, agentHz)
	f.hearsExactly(id, SimulatedCustomer, allTones, musicHz)
	must(t, h.cc.ConsultConference(id, "1001"))
	f.hearsExactly(id, SimulatedCustomer, allTones, agentHz, calleeHz)
	f.hearsExactly(id, callee, allTones, agentHz, customerHz)
	must(t, h.cc.ConsultCancel(id, "1001"))
	h.waitEvent("released", outsideLeg(LegPhaseDown))
	f.hearsExactly(id, SimulatedCustomer, allTones, agentHz)
	f.hearsExactly(id, "1001", allTones, customerHz)

	// Again, then the agent hangs up during the consult: the outside party
	// keeps the customer.
	must(t, h.cc.ConsultTo(id, "1001", to, false))
	h.clock.Advance(2 * time.Second)
	must(t, h.cc.LegHangup(id, "1001"))
	h.wantState("1001", Ready)
	f.hearsExactly(id, SimulatedCustomer, allTones, calleeHz)
	f.hearsExactly(id, callee, allTones, customerHz)
	if c := h.call(id); c.Agent != "" || c.Phase != PhaseTalking || !c.OutsideUp {
		t.Fatalf("after the hand-over %+v", c)
	}
}

func TestConsultOutsideThatIsBusy(t *testing.T) {
	h := newHarness(t, audioConfig())
	id := talking(t, h)
	must(t, h.cc.ConsultTo(id, "1001", Target{Kind: TargetOutside, ID: "13900000486"}, true))
	h.clock.Advance(time.Second)
	h.waitEvent("busy", outsideLeg(LegPhaseDown))
	if got := hears(t, h, id); !reflect.DeepEqual(got, map[string][]string{"customer": {"1001"}, "1001": {"customer"}}) {
		t.Fatalf("after a busy consult: %v", got)
	}
	if c := h.call(id); c.Conference || c.Outside != "" {
		t.Fatalf("after a busy consult %+v", c)
	}
	if err := h.cc.ConsultTo(id, "1001", Target{Kind: TargetQueue, ID: "sales"}, false); !errors.Is(err, ErrWrongState) {
		t.Fatalf("consulting a queue: %v", err)
	}
	// The customer hangs up while an outside consult rings: everything ends.
	must(t, h.cc.ConsultTo(id, "1001", Target{Kind: TargetOutside, ID: calleeNumber}, false))
	h.waitEvent("ringing", outsideLeg(LegPhaseRinging))
	h.cc.mu.Lock()
	h.cc.customerHangup(h.cc.calls[id])
	h.cc.mu.Unlock()
	h.waitEvent("cancelled", func(ev Event) bool { o, ok := ev.(OutsideLeg); return ok && o.Phase == LegPhaseDown && o.Status == 487 })
	if r := h.lastCDR(); r.Result != ResultAnswered || r.Legs[len(r.Legs)-1].Role != RoleOutside || r.Legs[len(r.Legs)-1].Answered.IsZero() == false {
		t.Fatalf("CDR %+v", r)
	}
}
