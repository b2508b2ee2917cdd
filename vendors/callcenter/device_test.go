package callcenter

import (
	"errors"
	"testing"
	"time"
)

func mobile(answerAfter time.Duration) Device {
	return Device{Kind: DeviceCallback, Number: "13912345678", AnswerAfter: answerAfter, Voice: Voice{ToneHz: deviceHz}}
}

func deviceLeg(agent string, phase LegPhase) func(Event) bool {
	return func(ev Event) bool { d, ok := ev.(DeviceLeg); return ok && d.Agent == agent && d.Phase == phase }
}

func TestSetAgentDevice(t *testing.T) {
	h := newHarness(t, testConfig())
	tests := []struct {
		name  string
		agent string
		d     Device
		want  error
	}{
		{"callback", "1001", mobile(time.Second), nil},
		{"SIP phone", "1002", Device{Kind: DeviceSIPPhone, Number: "sip:8001@10.0.0.8"}, nil},
		{"front again", "1002", Device{}, nil},
		{"unknown kind", "1001", Device{Kind: "pigeon", Number: "1"}, ErrInvalidDevice},
		{"callback without a number", "1001", Device{Kind: DeviceCallback}, ErrInvalidDevice},
		{"callback to letters", "1001", Device{Kind: DeviceCallback, Number: "phone"}, ErrInvalidDevice},
		{"SIP phone with a space", "1001", Device{Kind: DeviceSIPPhone, Number: "a b"}, ErrInvalidDevice},
		{"inaudible voice", "1001", Device{Kind: DeviceCallback, Number: "1", Voice: Voice{ToneHz: 5000}}, ErrInvalidDevice},
		{"unknown agent", "nobody", mobile(0), ErrUnknownAgent},
	}
	for _, tt := range tests {
		if err := h.cc.SetAgentDevice(tt.agent, tt.d); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	ev := h.waitEvent("device change", func(ev Event) bool { d, ok := ev.(AgentDeviceChanged); return ok && d.Agent == "1001" }).(AgentDeviceChanged)
	if ev.Device != mobile(time.Second) {
		t.Fatalf("device change %+v", ev)
	}
	if a, _ := h.cc.Agent("1001"); a.Device != mobile(time.Second) {
		t.Fatalf("agent 1001's device %+v", a.Device)
	}
	if a, _ := h.cc.Agent("1002"); a.Device.Kind != DeviceFront {
		t.Fatalf("an empty kind is the front: %+v", a.Device)
	}
	// Not while the agent is in a call.
	h.signIn("1002")
	h.customer("13800000001", "4001")
	if err := h.cc.SetAgentDevice("1002", mobile(0)); !errors.Is(err, ErrAgentBusy) {
		t.Fatalf("device change while ringing: %v", err)
	}
}

// A queue call to an agent whose phone is elsewhere: no offer to any
// front; the center rings the phone, which picks up by itself, talks in the
// call's room and is hung up from the platform.
func TestQueueCallRingsTheDeviceByAudio(t *testing.T) {
	h := newHarness(t, testConfig())
	f := newRoomFollower(t, h.cc, nil)
	must(t, h.cc.SetAgentDevice("1001", mobile(3*time.Second)))
	h.signIn("1001") // reachable without any registration
	t0 := h.clock.Now()
	id := h.customer("13800000001", "4001")
	ring := h.waitEventNot("the phone rings", deviceLeg("1001", LegPhaseRinging), offerTo("1001")).(DeviceLeg)
	if ring.Role != RoleAgent || ring.From != "13800000001" || ring.AutoAnswer || ring.Device.Number != "13912345678" {
		t.Fatalf("ringing %+v", ring)
	}
	h.wantState("1001", Ringing)
	h.clock.Advance(3 * time.Second)
	h.waitEventNot("off hook", deviceLeg("1001", LegPhaseUp), offerTo("1001"))
	h.wantState("1001", Talking)
	f.hearsExactly(id, "1001", allTones, customerHz)
	f.hearsExactly(id, SimulatedCustomer, allTones, deviceHz)

	h.clock.Advance(10 * time.Second)
	must(t, h.cc.LegHangup(id, "1001")) // the platform's hang-up
	down := h.waitEventNot("on hook", deviceLeg("1001", LegPhaseDown), offerTo("1001")).(DeviceLeg)
	if down.Reason != "agent hung up" {
		t.Fatalf("on hook %+v", down)
	}
	h.waitEventNot("end", endOf(id), offerTo("1001"))
	r := h.lastCDR()
	if r.Result != ResultAnswered || r.Agent != "1001" || len(r.Legs) != 2 ||
		!r.Legs[1].Answered.Equal(t0.Add(3*time.Second)) || r.Talk() != 10*time.Second {
		t.Fatalf("CDR %+v", r)
	}
	h.wantState("1001", Ready)
}

func TestDeviceAnswersWhenAsked(t *testing.T) {
	h := newHarness(t, testConfig())
	must(t, h.cc.SetAgentDevice("1001", mobile(AnswerWhenAsked)))
	h.signIn("1001", "1002")
	must(t, h.cc.SetAgentState("1002", StateBusy))
	id := h.customer("13800000001", "4001")
	if err := h.cc.AnswerDevice(id, "1002"); !errors.Is(err, ErrWrongState) {
		t.Fatalf("answering for an agent not in the call: %v", err)
	}
	// It never picks up by itself: the ring timeout takes the call back.
	h.clock.Advance(10 * time.Second)
	h.waitEvent("on hook", deviceLeg("1001", LegPhaseDown))
	h.waitEvent("cancel", func(ev Event) bool { c, ok := ev.(LegCancel); return ok && c.Agent == "1001" })
	h.wantState("1001", Busy)
	if c := h.call(id); c.Phase != PhaseQueued {
		t.Fatalf("after the ring timeout: %s", c.Phase)
	}
	// Ready again: rung again; the platform rejects it (hang-up while ringing).
	must(t, h.cc.SetAgentState("1001", StateReady))
	h.waitEvent("ringing again", deviceLeg("1001", LegPhaseRinging))
	must(t, h.cc.LegFailed(id, "1001", FailRejected))
	h.waitEvent("on hook", deviceLeg("1001", LegPhaseDown))
	h.wantState("1001", Busy)
	// Once more, answered on the platform's command.
	must(t, h.cc.SetAgentState("1001", StateReady))
	h.waitEvent("ringing again", deviceLeg("1001", LegPhaseRinging))
	must(t, h.cc.AnswerDevice(id, "1001"))
	h.waitEvent("off hook", deviceLeg("1001", LegPhaseUp))
	if c := h.call(id); c.Phase != PhaseTalking || c.Agent != "1001" {
		t.Fatalf("after AnswerDevice %+v", c)
	}
	if err := h.cc.AnswerDevice(id, "1001"); !errors.Is(err, ErrWrongState) {
		t.Fatalf("answering an answered phone: %v", err)
	}
	if r := h.call(id); r.Offers != 3 {
		t.Fatalf("%d offers, want 3", r.Offers)
	}
	// A front's agent answers on its endpoint, not through the center.
	must(t, h.cc.SetAgentState("1002", StateReady))
	id2 := h.customer("13800000002", "4001")
	h.waitEvent("offer", offerTo("1002"))
	if err := h.cc.AnswerDevice(id2, "1002"); !errors.Is(err, ErrWrongState) {
		t.Fatalf("AnswerDevice for a front's agent: %v", err)
	}
}

// A SIP phone honours auto-answer (a supervisor's leg); a mobile does not.
func TestSIPPhoneAutoAnswers(t *testing.T) {
	tests := []struct {
		device Device
		up     bool
	}{
		{Device{Kind: DeviceSIPPhone, Number: "8009", AnswerAfter: AnswerWhenAsked, Voice: Voice{ToneHz: supervisorHz}}, true},
		{mobile(AnswerWhenAsked), false},
	}
	for _, tt := range tests {
		t.Run(string(tt.device.Kind), func(t *testing.T) {
			h := newHarness(t, testConfig())
			id := talking(t, h)
			must(t, h.cc.SetAgentDevice("9000", tt.device))
			must(t, h.cc.Monitor("9000", "1001", MonitorListen))
			ring := h.waitEventNot("ringing", deviceLeg("9000", LegPhaseRinging), offerTo("9000")).(DeviceLeg)
			if !ring.AutoAnswer || ring.Role != RoleSupervisor {
				t.Fatalf("ringing %+v", ring)
			}
			h.clock.Advance(0)
			if c := h.call(id); c.Supervisor != "9000" || slicesContains(c.Parties, "9000") != tt.up {
				t.Fatalf("after auto-answer: parties %v, want the supervisor up=%v", c.Parties, tt.up)
			}
		})
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// A consult to a colleague whose phone is elsewhere, by audio.
func TestConsultADeviceByAudio(t *testing.T) {
	h := newHarness(t, testConfig())
	f := newRoomFollower(t, h.cc, map[string]float64{"1001": agentHz})
	must(t, h.cc.SetAgentDevice("1002", mobile(time.Second)))
	id := talking(t, h)
	must(t, h.cc.Consult(id, "1001", "1002", false))
	h.waitEventNot("ringing", deviceLeg("1002", LegPhaseRinging), offerTo("1002"))
	h.clock.Advance(time.Second)
	f.hearsExactly(id, "1001", allTones, deviceHz)
	f.hearsExactly(id, "1002", allTones, agentHz)
	f.hearsExactly(id, SimulatedCustomer, allTones, musicHz)
	must(t, h.cc.ConsultConference(id, "1001"))
	f.hearsExactly(id, SimulatedCustomer, allTones, agentHz, deviceHz)
	f.hearsExactly(id, "1002", allTones, agentHz, customerHz)
	// The agent leaves: the colleague's phone has the customer.
	must(t, h.cc.ConsultTransfer(id, "1001"))
	f.hearsExactly(id, SimulatedCustomer, allTones, deviceHz)
	must(t, h.cc.LegHangup(id, "1002"))
	h.waitEvent("on hook", deviceLeg("1002", LegPhaseDown))
	if r := h.lastCDR(); r.Agent != "1002" || r.Result != ResultAnswered || len(r.Legs) != 3 {
		t.Fatalf("CDR %+v", r)
	}
}

// A placed call from an agent whose phone is elsewhere (Udesk cellphone
// mode, Emicnet callintype 4): the center rings the mobile first.
func TestPlaceCallFromADeviceByAudio(t *testing.T) {
	h := newHarness(t, audioConfig())
	f := newRoomFollower(t, h.cc, nil)
	must(t, h.cc.SetAgentDevice("1001", mobile(AnswerWhenAsked)))
	h.signIn("1001")
	ci, err := h.cc.PlaceCall("1001", calleeNumber, PlaceOptions{})
	must(t, err)
	id := ci.ID
	ring := h.waitEventNot("the mobile rings", deviceLeg("1001", LegPhaseRinging), offerTo("1001")).(DeviceLeg)
	if !ring.AutoAnswer || ring.From != calleeNumber {
		t.Fatalf("ringing %+v", ring)
	}
	h.clock.Advance(10 * time.Second) // a mobile does not auto-answer
	if c := h.call(id); c.Phase != PhaseCallback {
		t.Fatalf("the mobile answered by itself: %s", c.Phase)
	}
	must(t, h.cc.AnswerDevice(id, "1001"))
	f.hearsExactly(id, "1001", allTones, ringbackHz)
	h.clock.Advance(2 * time.Second)
	f.hearsExactly(id, "1001", allTones, calleeHz)
	f.hearsExactly(id, SimulatedCustomer, allTones, deviceHz)
	must(t, h.cc.LegHangup(id, "1001"))
	h.waitEventNot("end", endOf(id), offerTo("1001"))
	if r := h.lastCDR(); r.Result != ResultAnswered || !r.Placed || !r.Legs[0].Answered.Equal(r.Arrived.Add(10*time.Second)) {
		t.Fatalf("CDR %+v", r)
	}
}
