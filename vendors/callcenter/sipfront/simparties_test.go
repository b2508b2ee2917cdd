package sipfront

import (
	"context"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// Tones of the parties the center plays itself: an agent's phone
// elsewhere and outside callees.
const (
	deviceHz  = 1300.0
	outsideHz = 1800.0
)

// partyChange is a device elsewhere or an outside callee joining (in) or
// leaving a call's room.
type partyChange struct {
	call  callcenter.CallID
	party string
	in    bool
}

// partyChanges reports every simulated party joining or leaving a room.
func (c *center) partyChanges() <-chan partyChange {
	ch := make(chan partyChange, 64)
	c.front.mu.Lock()
	c.front.parties = func(call callcenter.CallID, party string, in bool) { notify(ch)(partyChange{call, party, in}) }
	c.front.mu.Unlock()
	return ch
}

// heardFor is the center's truth of the last d a party heard.
func (c *center) heardFor(call callcenter.CallID, party string, d time.Duration) []int16 {
	c.t.Helper()
	pcm, err := c.front.Heard(call, party, d)
	if err != nil {
		c.t.Fatalf("what %s heard in %s: %v", party, call, err)
	}
	return pcm
}

// saidFor is the center's truth of the last d a party said.
func (c *center) saidFor(call callcenter.CallID, party string, d time.Duration) []int16 {
	c.t.Helper()
	pcm, err := c.front.Said(call, party, d)
	if err != nil {
		c.t.Fatalf("what %s said in %s: %v", party, call, err)
	}
	return pcm
}

// recordingOf checks a party's recording once the call's media is over:
// left what it said, right what it heard.
func recordingOf(t *testing.T, c *center, ended callcenter.CallEnded, party string, said, heard float64) {
	t.Helper()
	path := ""
	for _, l := range ended.CDR.Legs {
		if l.Party == party {
			path = l.Recording
		}
	}
	if path == "" {
		t.Fatalf("no recording of %s among the legs %+v", party, ended.CDR.Legs)
	}
	select {
	case <-c.front.CallDone(ended.Call.ID):
	case <-time.After(5 * time.Second):
		t.Fatal("the call's media did not close")
	}
	w, err := audio.ReadWAVFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if w.Format.Channels != 2 || w.Duration() < 500*time.Millisecond {
		t.Fatalf("recording of %s: %+v, %v", party, w.Format, w.Duration())
	}
	expectTones(t, "recorded "+party+" (said)", w.Channel(0), []float64{said}, nil)
	expectTones(t, "recorded "+party+" (heard)", w.Channel(1), []float64{heard}, nil)
}

// An agent whose calls ring a callback phone: its registration over a
// WebSocket (Emicnet's control plane) goes and it stays signed in; a queue
// call rings the phone, which answers and joins the room as the agent's
// party: phone and customer hear each other, the phone is recorded. Its
// device back at the front with no registration, the agent is signed out.
func TestCallbackDeviceInTheRoom(t *testing.T) {
	unregistered := make(chan string, 8)
	c := newWSCenter(t, centerConfig(), Options{RecordDir: t.TempDir(), OnUnregister: notify(unregistered)})
	parties := c.partyChanges()
	e := newWSEndpoint(t, c.front.WSURL(), "8001")
	if res := e.register("agent-pw"); res.StatusCode != 200 {
		t.Fatalf("REGISTER answered %d", res.StatusCode)
	}
	c.waitAgent("8001", callcenter.Ready)
	phone := callcenter.Device{Kind: callcenter.DeviceCallback, Number: "13700000009", AnswerAfter: 300 * time.Millisecond,
		Voice: callcenter.Voice{ToneHz: deviceHz}}
	if err := c.cc.SetAgentDevice("8001", phone); err != nil {
		t.Fatal(err)
	}
	e.close()
	waitFor(t, "OnUnregister after the socket closed", unregistered, "8001", 5*time.Second)
	if c.front.Registered("8001") {
		t.Fatal("binding outlived its socket")
	}

	id, err := c.cc.CustomerCall(customer("13912345678", customerHz), "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	// A sign-out would come before the offer, in the center's order.
	c.waitEvent("the phone ringing", func(ev callcenter.Event) bool {
		if s, ok := ev.(callcenter.AgentStateChanged); ok && s.Agent == "8001" && s.To.Kind == callcenter.Offline {
			t.Fatal("the agent was signed out when its registration went, its device being elsewhere")
		}
		d, ok := ev.(callcenter.DeviceLeg)
		return ok && d.Call.ID == id && d.Agent == "8001" && d.Phase == callcenter.LegPhaseRinging
	})
	waitFor(t, "the phone in the room", parties, partyChange{id, "8001", true}, 10*time.Second)
	settle(time.Second)
	expectTones(t, "the callback phone (center truth)", c.heardFor(id, "8001", 700*time.Millisecond), []float64{customerHz}, []float64{deviceHz})
	expectTones(t, "the customer", c.heardFor(id, callcenter.SimulatedCustomer, 700*time.Millisecond), []float64{deviceHz}, []float64{customerHz})

	// The platform hangs the phone up.
	if err := c.cc.LegHangup(id, "8001"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the phone out of the room", parties, partyChange{id, "8001", false}, 5*time.Second)
	// The call's end and the agent's state after it, in either order.
	var ended *callcenter.CallEnded
	var after *callcenter.AgentStateChanged
	c.waitEvent("the call's end and 8001 after it", func(ev callcenter.Event) bool {
		switch ev := ev.(type) {
		case callcenter.CallEnded:
			if ev.Call.ID == id {
				ended = &ev
			}
		case callcenter.AgentStateChanged:
			if ev.Agent == "8001" && ev.From.Kind == callcenter.Talking {
				after = &ev
			}
		}
		return ended != nil && after != nil
	})
	if after.To.Kind != callcenter.Ready {
		t.Fatalf("after the call 8001 is %s, want ready (it never signed out)", after.To)
	}
	recordingOf(t, c, *ended, "8001", deviceHz, customerHz)

	// Calls ring the front again, where the agent has no registration.
	if err := c.cc.SetAgentDevice("8001", callcenter.Device{Kind: callcenter.DeviceFront}); err != nil {
		t.Fatal(err)
	}
	c.waitAgent("8001", callcenter.Offline)
}

// A consult with an outside number, then a three-way call, then the
// consult cancelled: the outside callee joins the room when it answers,
// hears and is heard as the center's mix says, and leaves.
func TestOutsideConsultByAudio(t *testing.T) {
	const number = "13700000002"
	cfg := centerConfig()
	// No script: the callee talks all the time.
	cfg.Outbound = append(cfg.Outbound, callcenter.Customer{Number: number, Voice: callcenter.Voice{ToneHz: outsideHz}})
	c := newCenter(t, cfg, Options{})
	parties := c.partyChanges()
	a := c.agent("8001", "agent-pw", agentHz, nil)
	id, _ := answered(t, c, a, "02512345678")
	party := callcenter.OutsideParty(number)
	if err := c.cc.ConsultTo(id, "8001", callcenter.Target{Kind: callcenter.TargetOutside, ID: number}, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the callee in the room", parties, partyChange{id, party, true}, 10*time.Second)
	// The agent's headset is behind its jitter buffer.
	settle(1500 * time.Millisecond)
	const window = 700 * time.Millisecond
	t.Run("consult", func(t *testing.T) {
		expectTones(t, "agent", a.ear.last(window), []float64{outsideHz}, []float64{customerHz})
		expectTones(t, "outside callee", c.heardFor(id, party, window), []float64{agentHz}, []float64{customerHz})
		expectTones(t, "customer", c.heardFor(id, callcenter.SimulatedCustomer, window), nil, []float64{agentHz, outsideHz})
	})
	if err := c.cc.ConsultConference(id, "8001"); err != nil {
		t.Fatal(err)
	}
	settle(1500 * time.Millisecond)
	t.Run("three-way", func(t *testing.T) {
		expectTones(t, "agent", a.ear.last(window), []float64{outsideHz, customerHz}, nil)
		expectTones(t, "outside callee", c.heardFor(id, party, window), []float64{agentHz, customerHz}, nil)
		expectTones(t, "customer", c.heardFor(id, callcenter.SimulatedCustomer, window), []float64{agentHz, outsideHz}, nil)
	})
	if err := c.cc.ConsultCancel(id, "8001"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the callee out of the room", parties, partyChange{id, party, false}, 5*time.Second)
	if _, err := c.front.Hearing(id, party); err == nil {
		t.Error("the outside callee is still in the room")
	}
	settle(1500 * time.Millisecond)
	t.Run("cancelled", func(t *testing.T) {
		expectTones(t, "agent", a.ear.last(window), []float64{customerHz}, []float64{outsideHz})
		expectTones(t, "customer", c.heardFor(id, callcenter.SimulatedCustomer, window), []float64{agentHz}, []float64{outsideHz})
	})
}

// agentbar transfers its call to an outside number (REFER): the callee
// rings, answers and talks with the customer. Its script's pause silences
// the callee only (the customer goes on talking), and its hang-up ends the
// call; the callee's leg is recorded.
func TestReferToOutsideNumber(t *testing.T) {
	const number = "13700000003"
	cfg := centerConfig()
	cfg.Outbound = append(cfg.Outbound, callcenter.Customer{Number: number, Voice: callcenter.Voice{ToneHz: outsideHz},
		Script: []callcenter.Step{
			{Kind: callcenter.StepSay, For: callcenter.Duration(2500 * time.Millisecond)},
			{Kind: callcenter.StepPause, For: callcenter.Duration(2500 * time.Millisecond)},
			{Kind: callcenter.StepHangUp},
		}})
	c := newCenter(t, cfg, Options{RecordDir: t.TempDir()})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	id, call := answered(t, c, a, "02512345678")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.e.Transfer(ctx, call, core.Target{Kind: core.TargetNumber, ID: number}); err != nil {
		t.Fatal(err)
	}
	if end := a.waitCallID(call, core.CallEnded); end.EndReason != core.EndTransferred {
		t.Errorf("transferring agent's call ended %s", end.EndReason)
	}
	party := callcenter.OutsideParty(number)
	step := func(i int) {
		t.Helper()
		c.waitEvent("the callee's step", func(ev callcenter.Event) bool {
			s, ok := ev.(callcenter.OutsideStep)
			return ok && s.Call == id && s.Party == party && s.Index == i
		})
		settle(time.Second)
	}
	const window = 600 * time.Millisecond
	step(0)
	t.Run("talking", func(t *testing.T) {
		expectTones(t, "customer", c.heardFor(id, callcenter.SimulatedCustomer, window), []float64{outsideHz}, []float64{agentHz})
		expectTones(t, "outside callee", c.heardFor(id, party, window), []float64{customerHz}, []float64{agentHz})
	})
	step(1)
	t.Run("the callee pauses", func(t *testing.T) {
		expectTones(t, "customer", c.heardFor(id, callcenter.SimulatedCustomer, window), nil, []float64{outsideHz})
		expectTones(t, "outside callee", c.heardFor(id, party, window), []float64{customerHz}, nil)
		expectTones(t, "customer (said)", c.saidFor(id, callcenter.SimulatedCustomer, window), []float64{customerHz}, nil)
		if lvl := audio.RMSdBFS(c.saidFor(id, party, window)); lvl > -60 {
			t.Errorf("the pausing callee says %.1f dBFS", lvl)
		}
	})
	ended := c.waitEvent("the callee hangs up", func(ev callcenter.Event) bool {
		e, ok := ev.(callcenter.CallEnded)
		return ok && e.Call.ID == id
	}).(callcenter.CallEnded)
	if ended.CDR.HangupBy != callcenter.RoleOutside {
		t.Errorf("CDR hung up by %s", ended.CDR.HangupBy)
	}
	recordingOf(t, c, ended, party, outsideHz, customerHz)
}
