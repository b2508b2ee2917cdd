package sipfront

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// registrations reports every successful REGISTER (agent id).
func (c *center) registrations() <-chan string {
	ch := make(chan string, 64)
	c.front.mu.Lock()
	c.front.registered = func(agent string) {
		select {
		case ch <- agent:
		default:
		}
	}
	c.front.mu.Unlock()
	return ch
}

func waitRegistration(t *testing.T, ch <-chan string, agent string, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case a := <-ch:
			if a == agent {
				return
			}
		case <-deadline:
			t.Fatalf("no REGISTER from %s within %v", agent, within)
		}
	}
}

// setFault turns a knob; a one-shot fault is waited for until the front
// has carried it out (it arrives as an event).
func setFault(t *testing.T, c *center, f callcenter.Fault) {
	t.Helper()
	done := make(chan struct{})
	c.front.mu.Lock()
	c.front.faulted = func(got callcenter.Fault) {
		if got == f {
			close(done)
		}
	}
	c.front.mu.Unlock()
	if err := c.cc.Faults().Set(f); err != nil {
		t.Fatal(err)
	}
	switch f.Kind() {
	case callcenter.FaultDelay, callcenter.FaultRefuseLogin, callcenter.FaultSlowAnswer, callcenter.FaultKick:
		return // read by the center itself, or carried out through its own event
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("the front did not carry out %s", f.Kind())
	}
}

func TestFaultDelaySlowsSignIn(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	setFault(t, c, callcenter.Delay{Method: "REGISTER", For: callcenter.Duration(600 * time.Millisecond)})
	start := time.Now()
	c.agent("8001", "agent-pw", agentHz, nil)
	// Two REGISTERs (challenge, then credentials), each held 0.6 s.
	if took := time.Since(start); took < 1200*time.Millisecond {
		t.Fatalf("sign-in took %v with REGISTER delayed 0.6 s", took)
	}
}

func TestFaultRefuseLogin(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	setFault(t, c, callcenter.RefuseLogin{Agent: "8001"})
	_, err := c.signIn("8001", "agent-pw", agentHz, nil)
	if err == nil {
		t.Fatal("login succeeded while refused")
	}
	if core.Sentence(err, "en") == "" {
		t.Fatalf("no sentence for %v", err)
	}
	c.cc.Faults().Clear(callcenter.FaultRefuseLogin)
	c.agent("8001", "agent-pw", agentHz, nil)
}

// Restart: registrations are lost and come back; the call in progress keeps
// its audio (its RTP never stopped) and ends cleanly through the new stack.
func TestFaultRestartKeepsCallAudio(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{MaxExpiry: 3 * time.Second})
	regs := c.registrations()
	a := c.agent("8001", "agent-pw", agentHz, map[string]string{"expiry": "3"})
	id, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	ring := a.waitCall(core.CallRinging)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	c.waitAgent("8001", callcenter.Talking) // the center has the answer too
	// Restart right after a refresh, so the next one falls after the downtime.
	waitRegistration(t, regs, "8001", 5*time.Second)
	oldPort := c.front.Port()
	restarted := make(chan struct{})
	c.front.mu.Lock()
	c.front.restarted = func() { close(restarted) }
	c.front.mu.Unlock()
	setFault(t, c, callcenter.Restart{Downtime: callcenter.Duration(300 * time.Millisecond)})
	select {
	case <-restarted:
	case <-time.After(5 * time.Second):
		t.Fatal("no restart")
	}
	if b := c.front.Bindings(); len(b) != 0 {
		t.Fatalf("registrations survived the restart: %+v", b)
	}
	waitRegistration(t, regs, "8001", 6*time.Second)
	if c.front.Port() != oldPort {
		t.Fatalf("restarted on port %d, was %d", c.front.Port(), oldPort)
	}
	settle(1200 * time.Millisecond)
	expectTones(t, "agent after the restart", a.ear.last(time.Second), []float64{customerHz}, nil)
	expectTones(t, "customer after the restart", c.heard(id, callcenter.SimulatedCustomer), []float64{agentHz}, nil)
	if err := a.e.Hangup(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	ended := c.waitEvent("end", func(ev callcenter.Event) bool { e, ok := ev.(callcenter.CallEnded); return ok && e.Call.ID == id }).(callcenter.CallEnded)
	if ended.CDR.HangupBy != callcenter.RoleAgent {
		t.Fatalf("CDR %+v", ended.CDR)
	}
	c.waitAgent("8001", callcenter.Ready)
}

// Kick: the binding goes and a MESSAGE tells the endpoint why; agentbar
// signs out as kicked (it does not retry into the refusal). Sign-ins are
// refused "logged in elsewhere" for the hold-off, then accepted again.
func TestFaultKick(t *testing.T) {
	cfg := centerConfig()
	const holdOff = 2 * time.Second
	cfg.KickHoldOff = holdOff
	c := newCenter(t, cfg, Options{MaxExpiry: 3 * time.Second})
	a := c.agent("8001", "agent-pw", agentHz, map[string]string{"expiry": "3"})
	kicked := time.Now()
	setFault(t, c, callcenter.Kick{Agent: "8001", Reason: "test"})
	c.waitAgent("8001", callcenter.Offline)
	ev := a.waitEvent("kicked", func(ev core.Event) bool {
		lo, ok := ev.(core.LoggedOut)
		return ok && lo.Kicked
	}).(core.LoggedOut)
	t.Logf("the agent reads: %s", core.Sentence(ev.Err, "zh"))
	if len(c.front.Bindings()) != 0 {
		t.Errorf("bindings after the kick: %+v", c.front.Bindings())
	}
	_, err := c.signIn("8001", "agent-pw", agentHz, map[string]string{"expiry": "3"})
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("sign-in during the hold-off: %v, want refused with 403", err)
	}
	settle(time.Until(kicked.Add(holdOff + 200*time.Millisecond)))
	c.agent("8001", "agent-pw", agentHz, map[string]string{"expiry": "3"})
}

// Drop: TCP connections are closed (the endpoint reconnects), and requests
// are ignored for the silence.
func TestFaultDrop(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{MaxExpiry: 3 * time.Second})
	regs := c.registrations()
	a := c.agent("8001", "agent-pw", agentHz, map[string]string{"transport": "tcp", "expiry": "3"})
	waitRegistration(t, regs, "8001", 5*time.Second)
	before := c.front.Bindings()[0].Source
	setFault(t, c, callcenter.Drop{})
	waitRegistration(t, regs, "8001", 5*time.Second)
	if after := c.front.Bindings()[0].Source; after == before {
		t.Errorf("REGISTER still from %s after the drop: the connection was not closed", after)
	}
	// The agent still takes calls over its new connection.
	if _, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678"); err != nil {
		t.Fatal(err)
	}
	ring := a.waitCall(core.CallRinging)
	if err := a.e.Reject(context.Background(), ring.ID); err != nil {
		t.Fatal(err)
	}

	// Silence: a SIP client gets no answer until it ends.
	ua, err := sipgo.NewUA(sipgo.WithUserAgentHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer ua.Close()
	client, err := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	options := func(timeout time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		req := sip.NewRequest(sip.OPTIONS, sip.Uri{Scheme: "sip", Host: "127.0.0.1", Port: c.front.Port()})
		req.SetTransport("TCP")
		res, err := client.Do(ctx, req)
		if err == nil && res.StatusCode != 200 {
			err = fmt.Errorf("OPTIONS: %d", res.StatusCode)
		}
		return err
	}
	if err := options(2 * time.Second); err != nil {
		t.Fatalf("OPTIONS before the silence: %v", err)
	}
	setFault(t, c, callcenter.Drop{Silence: callcenter.Duration(1500 * time.Millisecond)})
	if err := options(700 * time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("OPTIONS during the silence: %v, want no answer", err)
	}
	<-time.After(time.Second)
	if err := options(2 * time.Second); err != nil {
		t.Fatalf("OPTIONS after the silence: %v", err)
	}
}

// ExpireToken: the SIP front's tokens are its digest nonces; a request
// with an expired one is challenged again with stale=true, and clients
// recover without the user.
func TestFaultExpireToken(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{MaxExpiry: 3 * time.Second})
	regs := c.registrations()
	c.agent("8001", "agent-pw", agentHz, map[string]string{"expiry": "3"})

	ua, err := sipgo.NewUA(sipgo.WithUserAgentHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer ua.Close()
	client, err := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// register sends a REGISTER for 8002 with auth (none: answer the
	// challenge) and returns the answer and the credentials it carried.
	register := func(auth sip.Header) (*sip.Response, sip.Header) {
		req := sip.NewRequest(sip.REGISTER, sip.Uri{Scheme: "sip", Host: "127.0.0.1", Port: c.front.Port()})
		req.SetTransport("UDP")
		aor := sip.Uri{Scheme: "sip", User: "8002", Host: "127.0.0.1"}
		from := &sip.FromHeader{Address: aor, Params: sip.NewParams()}
		from.Params.Add("tag", "x1")
		req.AppendHeader(from)
		req.AppendHeader(&sip.ToHeader{Address: aor})
		req.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "8002", Host: "127.0.0.1", Port: 5999}})
		exp := sip.ExpiresHeader(60)
		req.AppendHeader(&exp)
		if auth != nil {
			req.AppendHeader(sip.NewHeader("Authorization", auth.Value()))
		}
		res, err := client.Do(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode == 401 && auth == nil {
			if res, err = client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: "8002", Password: "agent-pw"}); err != nil {
				t.Fatal(err)
			}
		}
		return res, req.GetHeader("Authorization")
	}
	ok, cred := register(nil)
	if ok.StatusCode != 200 || cred == nil {
		t.Fatalf("REGISTER with digest: %d", ok.StatusCode)
	}
	// Replaying a live nonce's credentials works; after the expiry it is stale.
	if res, _ := register(cred); res.StatusCode != 200 {
		t.Fatalf("replay with a live nonce: %d", res.StatusCode)
	}
	setFault(t, c, callcenter.ExpireToken{})
	res, _ := register(cred)
	chal := res.GetHeader("WWW-Authenticate")
	if res.StatusCode != 401 || chal == nil || !strings.Contains(strings.ToLower(chal.Value()), "stale=true") {
		t.Fatalf("expired nonce answered %d %v, want 401 stale=true", res.StatusCode, chal)
	}
	// agentbar's own registration goes on by itself.
	waitRegistration(t, regs, "8001", 5*time.Second)
	if a, _ := c.cc.Agent("8001"); a.State.Kind != callcenter.Ready {
		t.Fatalf("8001 is %s after the nonces expired", a.State)
	}
}

// Malformed messages to agentbar's phone: it survives and still takes calls.
func TestFaultMalformedMessages(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	for _, what := range []string{"garbage", "bad_header", "bad_sdp"} {
		setFault(t, c, callcenter.Malformed{Agent: "8001", What: what})
	}
	reply, err := c.front.SendMalformed("8001", "bad_sdp")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(reply, "SIP/2.0 4") {
		t.Errorf("agentbar answered an INVITE with broken SDP with %q, want a 4xx", reply)
	}
	id, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	ring := a.waitCall(core.CallRinging)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	settle(1200 * time.Millisecond)
	expectTones(t, "agent", a.ear.last(time.Second), []float64{customerHz}, nil)
	_ = id
}

// SlowAnswer: simulated callees ring longer before answering.
func TestFaultSlowAnswer(t *testing.T) {
	c := newCenter(t, centerConfig(), Options{})
	a := c.agent("8001", "agent-pw", agentHz, nil)
	setFault(t, c, callcenter.SlowAnswer{Delay: callcenter.Duration(2 * time.Second)})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	id, err := a.e.Dial(ctx, core.DialOptions{Target: "13912345678"})
	if err != nil {
		t.Fatal(err)
	}
	a.waitCallID(id, core.CallTalking)
	if took := time.Since(start); took < 2500*time.Millisecond {
		t.Fatalf("answered after %v; answer after 0.5 s + 2 s slow", took)
	}
}
