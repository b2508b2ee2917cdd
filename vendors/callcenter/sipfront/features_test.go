package sipfront

import (
	"context"
	"testing"
	"time"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// answered sets up customer ↔ agentbar 8001 and returns the call ids.
func answered(t *testing.T, c *center, a *agentSide, trunk string) (callcenter.CallID, core.CallID) {
	t.Helper()
	id, err := c.cc.CustomerCall(customer("13800000001", customerHz), trunk)
	if err != nil {
		t.Fatal(err)
	}
	ring := a.waitCall(core.CallRinging)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(ring.ID, core.CallTalking)
	c.waitAgent(a.id, callcenter.Talking)
	return id, ring.ID
}

// Hold: the customer hears music and not the agent; resume brings them back.
func TestHoldPlaysMusicToTheCustomer(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	id, call := answered(t, c, a, "02512345678")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.e.Hold(ctx, call); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(call, core.CallHeld)
	c.waitEvent("hold in the mix", func(ev callcenter.Event) bool {
		m, ok := ev.(callcenter.MixChanged)
		return ok && m.Call == id && m.Mix.System.Kind == callcenter.SoundMusic
	})
	settle(1200 * time.Millisecond)
	pcm := c.heard(id, callcenter.SimulatedCustomer)
	expectTones(t, "customer on hold", pcm, nil, []float64{agentHz})
	if lvl := audio.RMSdBFS(pcm); lvl < -40 {
		t.Errorf("customer on hold hears %.1f dBFS, want music", lvl)
	}
	if err := a.e.Resume(ctx, call); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(call, core.CallTalking)
	settle(1200 * time.Millisecond)
	expectTones(t, "customer after resume", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz}, nil)
	expectTones(t, "agent after resume", a.ear.last(time.Second), []float64{customerHz}, nil)
}

// A blind transfer (REFER) to a colleague: the colleague's agentbar rings,
// answers and talks with the customer; the first agent's call ends.
func TestBlindTransferToColleague(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	b := c.agent("8003", "agent-pw", 1200, nil)
	id, call := answered(t, c, a, "02512345678")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.e.Transfer(ctx, call, core.Target{Kind: core.TargetAgent, ID: "8003"}); err != nil {
		t.Fatal(err)
	}
	end := a.waitCallID(call, core.CallEnded)
	if end.EndReason != core.EndTransferred {
		t.Errorf("transferring agent's call ended %s", end.EndReason)
	}
	ring := b.waitCall(core.CallRinging)
	if ring.RemoteNumber != "13800000001" {
		t.Errorf("colleague sees %q", ring.RemoteNumber)
	}
	if err := b.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	b.waitCall(core.CallTalking)
	settle(1200 * time.Millisecond)
	expectTones(t, "colleague", b.ear.last(time.Second), []float64{customerHz}, []float64{agentHz})
	expectTones(t, "customer", c.heard(id, callcenter.SimulatedCustomer), []float64{1200}, []float64{agentHz})
	// A transfer to a queue's number goes through the queue.
	if err := b.e.Transfer(ctx, ring.ID, core.Target{Kind: core.TargetNumber, ID: "9001"}); err != nil {
		t.Fatal(err)
	}
	ring = a.waitCall(core.CallRinging) // 8001 is the only ready sales agent
	if ci, _ := c.cc.Call(id); ci.Queue != "售前咨询" {
		t.Errorf("transferred to queue %q", ci.Queue)
	}
}

// Consult and three-way through the center: all real SIP legs.
func TestConsultAndConference(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	b := c.agent("8002", "agent-pw", 1300, map[string]string{"answer_after": "true"})
	id, _ := answered(t, c, a, "02512345678")
	if err := c.cc.Consult(id, "8001", "8002", false); err != nil {
		t.Fatal(err)
	}
	ring := b.waitCall(core.CallRinging)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := b.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	b.waitCall(core.CallTalking)
	c.waitAgent("8002", callcenter.Talking)
	settle(1200 * time.Millisecond)
	t.Run("consult", func(t *testing.T) {
		expectTones(t, "agent", a.ear.last(time.Second), []float64{1300}, []float64{customerHz})
		expectTones(t, "consultee", b.ear.last(time.Second), []float64{agentHz}, []float64{customerHz})
		expectTones(t, "customer", c.heard(id, callcenter.SimulatedCustomer), nil, []float64{agentHz, 1300})
	})
	if err := c.cc.ConsultConference(id, "8001"); err != nil {
		t.Fatal(err)
	}
	settle(1200 * time.Millisecond)
	t.Run("three-way", func(t *testing.T) {
		expectTones(t, "agent", a.ear.last(time.Second), []float64{1300, customerHz}, nil)
		expectTones(t, "consultee", b.ear.last(time.Second), []float64{agentHz, customerHz}, nil)
		expectTones(t, "customer", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz, 1300}, nil)
	})
}

// Agent to agent over the center, over TCP for one of them.
func TestInternalCallOverTCP(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, map[string]string{"transport": "tcp"})
	b := c.agent("8003", "agent-pw", 1200, nil)
	if got := c.front.Bindings(); len(got) != 2 || got[0].Transport != "tcp" {
		t.Fatalf("bindings %+v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id, err := a.e.Dial(ctx, core.DialOptions{Target: "8003"})
	if err != nil {
		t.Fatal(err)
	}
	ring := b.waitCall(core.CallRinging)
	if ring.RemoteNumber != "8001" {
		t.Errorf("8003 sees a call from %q", ring.RemoteNumber)
	}
	if err := b.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCallID(id, core.CallTalking)
	settle(1200 * time.Millisecond)
	expectTones(t, "8001", a.ear.last(time.Second), []float64{1200}, nil)
	expectTones(t, "8003", b.ear.last(time.Second), []float64{agentHz}, nil)
	if err := b.e.Hangup(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	if end := a.waitCallID(id, core.CallEnded); end.EndReason != core.EndRemoteHangup {
		t.Errorf("caller's call ended %s", end.EndReason)
	}
}

// Per-leg recordings: stereo files named in the CDR.
func TestRecordings(t *testing.T) {
	dir := t.TempDir()
	c := newCenter(t, centerConfig(), Options{RecordDir: dir})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	id, call := answered(t, c, a, "02512345678")
	done := c.front.CallDone(id)
	settle(1200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.e.Hangup(ctx, call); err != nil {
		t.Fatal(err)
	}
	ended := c.waitEvent("end", func(ev callcenter.Event) bool { e, ok := ev.(callcenter.CallEnded); return ok && e.Call.ID == id }).(callcenter.CallEnded)
	paths := map[string]string{}
	for _, l := range ended.CDR.Legs {
		paths[l.Party] = l.Recording
	}
	agentFile, custFile := paths["8001"], paths[callcenter.SimulatedCustomer]
	if agentFile == "" || custFile == "" {
		t.Fatalf("legs %+v", ended.CDR.Legs)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the call's media did not close")
	}
	w, err := audio.ReadWAVFile(agentFile)
	if err != nil {
		t.Fatal(err)
	}
	if w.Format.Channels != 2 || w.Duration() < time.Second {
		t.Fatalf("recording %+v %v", w.Format, w.Duration())
	}
	said, heard := w.Channel(0), w.Channel(1)
	expectTones(t, "recorded agent (said)", said[len(said)/2:], []float64{agentHz}, nil)
	expectTones(t, "recorded agent (heard)", heard[len(heard)/2:], []float64{customerHz}, nil)
}
