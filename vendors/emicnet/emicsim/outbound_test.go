package emicsim

import (
	"context"
	"strconv"
	"testing"
	"time"

	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// place runs call() and returns its result; the INVITE that rings the
// seat's own device (voip) is auto-answered by the client.
func (c *client) place(number, n string) wire.CallResult {
	c.t.Helper()
	r := c.ok(wire.CmdCall, wire.CallData{Number: wire.FlexString(number), N: wire.FlexString(n)})
	var cr wire.CallResult
	if err := wire.DecodeData(r.Data, &cr); err != nil || !wire.ValidCcNumber(string(cr.C)) {
		c.t.Fatalf("call result %s: %v", r.Data, err)
	}
	return cr
}

// ownLeg waits for the INVITE of the seat's own device for a call it placed.
func (c *client) ownLeg(cc wire.FlexString) *phone.Call {
	c.t.Helper()
	call := c.incoming()
	if h := call.Header(wire.HeaderCcNumber); h != string(cc) {
		c.t.Fatalf("own leg's %s %q, call c %q", wire.HeaderCcNumber, h, cc)
	}
	if !wire.IsAutoAnswer(call.Header(wire.HeaderCallInfo)) {
		c.t.Fatalf("own leg without answer-after=0: %q", call.Header(wire.HeaderCallInfo))
	}
	c.waitState(call, phone.Talking)
	return call
}

// TestOutboundVoIP: call() to an outside number (2) and an extension (3)
// with audio, the callee busy (503), an extension that does not answer
// (callinFaildResponse 408), and the front's own rules 507, 508, 512 and
// 1000.
func TestOutboundVoIP(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	a := s.signIn("8001", clientOpts{})
	b := s.signIn("8002", clientOpts{hz: colleagueHz})

	// An outside number that answers and speaks outsideHz.
	cr := a.place(quietNumber, "")
	if cr.CallType != wire.CallOutside {
		t.Fatalf("call() to an outside number: %d", cr.CallType)
	}
	own := a.ownLeg(cr.C)
	for _, want := range []wire.FlexString{wire.StatusRinging, wire.StatusAnswered} {
		if d := a.callEvent(wire.CalloutResponse); d.A != want || d.C != cr.C || d.N != quietNumber {
			t.Fatalf("calloutResponse %+v, want a=%s", d, want)
		}
	}
	if d := a.callEvent(wire.AnsweredPBXCall); d.C != cr.C || d.N != quietNumber {
		t.Fatalf("answeredPBXCall %+v", d)
	}
	settle(1500 * time.Millisecond)
	pcm, rate := a.ear.last(time.Second)
	expectTones(t, "the seat", pcm, rate, []float64{outsideHz}, nil)
	expectTones(t, "the callee (center truth)", s.heard(s.callOf(string(cr.C)), callcenter.SimulatedCustomer), 8000, []float64{agentHz}, nil)
	a.ok(wire.CmdTerminate, wire.CcData{C: cr.C})
	if d := a.callEvent(wire.EndPBXCall); d.C != cr.C || d.Talk() < 1 {
		t.Fatalf("endPBXCall %+v", d)
	}
	a.waitState(own, phone.Ended)

	// Busy: 486 from the callee is the seed's 503.
	cr = a.place("13900000486", "")
	own = a.ownLeg(cr.C)
	if d := a.callEvent(wire.CalloutResponse); d.A != wire.StatusRinging {
		t.Fatalf("calloutResponse %+v", d)
	}
	if d := a.callEvent(wire.CalloutResponse); d.A != "503" || d.C != cr.C {
		t.Fatalf("busy callee: %+v", d)
	}
	if d := a.callEvent(wire.EndPBXCall); d.C != cr.C || d.Talk() != 0 {
		t.Fatalf("endPBXCall %+v", d)
	}
	a.waitState(own, phone.Ended)

	// An extension: callinResponse; it rings with newPBXCall, answers.
	cr = a.place("8002", "")
	if cr.CallType != wire.CallInternal {
		t.Fatalf("call() to an extension: %d", cr.CallType)
	}
	own = a.ownLeg(cr.C)
	if d := a.callEvent(wire.CallinResponse); d.A != wire.StatusRinging || d.N != "8002" {
		t.Fatalf("callinResponse %+v", d)
	}
	ring := b.callEvent(wire.NewPBXCall)
	if ring.C != cr.C || ring.N != "8001" {
		t.Fatalf("the extension's newPBXCall %+v", ring)
	}
	bcall := b.incoming()
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	if err := bcall.Answer(ctx); err != nil {
		t.Fatal(err)
	}
	if d := b.callEvent(wire.AnsweredPBXCall); d.C != cr.C {
		t.Fatalf("the extension's answeredPBXCall %+v", d)
	}
	if d := a.callEvent(wire.CallinResponse); d.A != wire.StatusAnswered {
		t.Fatalf("callinResponse %+v", d)
	}
	a.callEvent(wire.AnsweredPBXCall)
	settle(1500 * time.Millisecond)
	pcm, rate = a.ear.last(time.Second)
	expectTones(t, "8001", pcm, rate, []float64{colleagueHz}, nil)
	pcm, rate = b.ear.last(time.Second)
	expectTones(t, "8002", pcm, rate, []float64{agentHz}, nil)
	b.ok(wire.CmdTerminate, wire.CcData{C: cr.C})
	b.callEvent(wire.EndPBXCall)
	a.callEvent(wire.EndPBXCall)
	a.waitState(own, phone.Ended)
	b.waitState(bcall, phone.Ended)

	// An extension that rings and does not answer: callinFaildResponse 408.
	cr = a.place("8002", "")
	own = a.ownLeg(cr.C)
	a.callEvent(wire.CallinResponse)
	b.callEvent(wire.NewPBXCall)
	bcall = b.incoming()
	if d := a.callEvent(wire.CallinFaildResponse); d.A != "408" || d.C != cr.C {
		t.Fatalf("callinFaildResponse %+v", d)
	}
	a.callEvent(wire.EndPBXCall)
	b.callEvent(wire.CancelPBXCall)
	a.waitState(own, phone.Ended)
	b.waitState(bcall, phone.Ended)
	if st := b.status(); st != wire.SeatBusy {
		t.Fatalf("8002 after not answering: %d", st)
	}

	// The platform's own rules: no call reaches the center.
	hours := HoursSetting{From: Duration(0), To: Duration(time.Nanosecond)}
	now := s.cc.Clock().Now()
	if since := now.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())); since < time.Second {
		t.Skip("too close to midnight for the working-hours case")
	}
	limit := 1
	rules := []struct {
		name   string
		set    func()
		number string
		typ    string
		a      wire.CallFailure
	}{
		{"suspended", func() { must(t, s.front.SetEnterprise(testSwitch, EnterpriseSettings{Suspended: ptr(true)})) }, quietNumber, wire.CalloutResponse, wire.FailSuspended},
		{"off hours", func() {
			must(t, s.front.SetEnterprise(testSwitch, EnterpriseSettings{Suspended: ptr(false), Hours: &hours}))
		}, quietNumber, wire.CalloutResponse, wire.FailOffHours},
		{"daily limit", func() {
			must(t, s.front.SetEnterprise(testSwitch, EnterpriseSettings{Hours: &HoursSetting{Always: true}, DailyLimit: &limit}))
		}, quietNumber, wire.CalloutResponse, wire.FailDailyLimit}, // one call to quietNumber today already
		{"protected seat", func() { s.front.SetProtected("8002", true) }, "8002", wire.CallinResponse, wire.FailNoPermission},
	}
	for _, r := range rules {
		r.set()
		cr := a.place(r.number, "")
		if d := a.callEvent(r.typ); d.A != wire.FlexString(strconv.Itoa(int(r.a))) || d.C != cr.C || d.N != wire.FlexString(r.number) {
			t.Fatalf("%s: %+v, want a=%d", r.name, d, r.a)
		}
		if d := a.callEvent(wire.EndPBXCall); d.C != cr.C {
			t.Fatalf("%s: endPBXCall %+v", r.name, d)
		}
		if _, ok := s.cc.CallOf("8001"); ok {
			t.Fatalf("%s: a call reached the center", r.name)
		}
	}
	// A supervisor may call the protected seat.
	if code := s.front.rule(s.front.ents[0], callcenter.AgentInfo{Supervisor: true}, "8002", true, now); code != 0 {
		t.Errorf("a supervisor calling a protected seat: %d", code)
	}
	a.quiet()
	b.quiet()
}

// TestEncryptedNumbers: call(number, 'encrypt'): the client decrypts, the
// platform checks it against the agreed key and echoes the encrypted n.
func TestEncryptedNumbers(t *testing.T) {
	key := []byte("0123456789abcdef")
	o := simOptions()
	o.Enterprises[0].EncryptKey = key
	s := newSim(t, simConfig(), o)
	a := s.signIn("8001", clientOpts{})
	enc, err := wire.Encrypt(key, quietNumber)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := wire.Decrypt(key, enc)
	if err != nil || plain != quietNumber {
		t.Fatal(plain, err)
	}
	cr := a.place(plain, enc)
	own := a.ownLeg(cr.C)
	for _, typ := range []string{wire.CalloutResponse, wire.CalloutResponse, wire.AnsweredPBXCall} {
		if d := a.callEvent(typ); string(d.N) != enc {
			t.Fatalf("%s n %q, want the encrypted %q", typ, d.N, enc)
		}
	}
	a.ok(wire.CmdTerminate, wire.CcData{C: cr.C})
	a.callEvent(wire.EndPBXCall)
	a.waitState(own, phone.Ended)
	other, _ := wire.Encrypt(key, "13900000001")
	if r := a.cmd(wire.CmdCall, wire.CallData{Number: quietNumber, N: wire.FlexString(other)}); r.Code != wire.ResultBadRequest {
		t.Errorf("n that is not number encrypted: %+v", r)
	}
	if r := a.cmd(wire.CmdCall, wire.CallData{Number: "1380013800x"}); r.Code != wire.ResultBadRequest {
		t.Errorf("a number with a letter: %+v", r)
	}
	a.quiet()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
