package udesk_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk"
	"agentbar/vendors/udesk/wire"
)

func TestBadTokens(t *testing.T) {
	r := newRig(t, rigOptions{requireKey: true})
	t.Run("wrong key at the token service", func(t *testing.T) {
		_, err := r.signIn(callcenter.DemoAgent, "wrong", wire.ModeCellphone, agentHz, testOptions(), nil)
		var te *udesk.TokenError
		if !errors.As(err, &te) || te.Status != http.StatusUnauthorized {
			t.Fatalf("err %v, want the token service's 401", err)
		}
		if s := core.Sentence(err, "en"); !strings.Contains(s, "token service") {
			t.Fatalf("sentence %q", s)
		}
	})
	t.Run("token the platform refuses", func(t *testing.T) {
		forged := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]string{"appId": "app-test", "timestamp": "1700000000", "token": "forged"}})
		}))
		defer forged.Close()
		_, err := r.signIn(callcenter.DemoAgent, password, wire.ModeCellphone, agentHz, testOptions(), map[string]string{"token_url": forged.URL})
		if !errors.Is(err, udesk.ErrTokenRejected) && !errors.Is(err, udesk.ErrTokenExpired) {
			t.Fatalf("err %v, want the platform's refusal", err)
		}
		if core.Sentence(err, "zh") == "" {
			t.Fatal("no sentence")
		}
	})
	t.Run("token service unreachable", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "http://" + l.Addr().String() + "/token"
		l.Close()
		_, err = r.signIn(callcenter.DemoAgent, password, wire.ModeCellphone, agentHz, testOptions(), map[string]string{"token_url": dead})
		if !errors.Is(err, udesk.ErrTokenService) || !strings.Contains(core.Sentence(err, "en"), "Cannot reach") {
			t.Fatalf("err %v (%s)", err, core.Sentence(err, "en"))
		}
	})
	t.Run("refused sign-in", func(t *testing.T) {
		r := newRig(t, rigOptions{}) // the customer's backend does not ask the platform
		if err := r.cc.Faults().Set(callcenter.RefuseLogin{Agent: "8003", Count: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := r.signIn("8003", password, wire.ModeCellphone, agentHz, testOptions(), nil)
		var pe *udesk.PlatformError
		if !errors.As(err, &pe) || !pe.Visible || core.Sentence(err, "zh") != pe.Message {
			t.Fatalf("err %v", err)
		}
	})
}

// TestTokenExpiry: mid-session the platform expires the token (close code
// 4002); the adapter fetches a new one and is back. A token past its TTL is
// refetched for HTTP queries too.
func TestTokenExpiry(t *testing.T) {
	r := newRig(t, rigOptions{tokenTTL: time.Second})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	if err := r.cc.Faults().Set(callcenter.ExpireToken{Agent: callcenter.DemoAgent}); err != nil {
		t.Fatal(err)
	}
	a.waitEvent("reconnecting", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnReconnecting
	})
	a.waitEvent("connected", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnConnected
	})
	// The TTL (1 s) passes: the next query's token is refused and renewed.
	expired := time.NewTimer(1100 * time.Millisecond)
	<-expired.C
	if _, err := a.e.BreakReasons(ctx(t)); err != nil {
		t.Fatalf("query after the TTL: %v", err)
	}
	if err := a.e.SetAgentState(ctx(t), core.BusyState()); err != nil {
		t.Fatal(err)
	}
	a.waitState("busy", "")
}

// TestSocketDropMidCallKeepsAudio: the control socket drops during a voip
// call; the SIP leg carries on, the adapter reconnects, GetState finds the
// call, and it can be hung up.
func TestSocketDropMidCallKeepsAudio(t *testing.T) {
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeVoip, agentHz)
	r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	waitHears(t, "agent", customerHz, func() []int16 { return a.ear.last(500 * time.Millisecond) })
	if err := r.cc.Faults().Set(callcenter.Drop{Agent: callcenter.DemoAgent, Silence: callcenter.Duration(time.Second)}); err != nil {
		t.Fatal(err)
	}
	a.waitEvent("reconnecting", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnReconnecting
	})
	// While the socket is down, both still hear each other.
	waitHears(t, "agent while reconnecting", customerHz, func() []int16 { return a.ear.last(300 * time.Millisecond) })
	waitHears(t, "customer while reconnecting", agentHz, r.centerHeard(call, callcenter.SimulatedCustomer))
	a.waitEvent("connected", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnConnected
	})
	st, _ := a.e.Status(ctx(t))
	if len(st.Calls) != 1 || st.Calls[0].ID != ringing.ID || st.Calls[0].State != core.CallTalking {
		t.Fatalf("after resync: %+v", st.Calls)
	}
	waitHears(t, "agent after reconnect", customerHz, func() []int16 { return a.ear.last(300 * time.Millisecond) })
	if err := a.e.Hangup(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallEnded)
}

// TestServerRestart: the platform goes away and comes back; the agent is
// signed in again within about a second of its return.
func TestServerRestart(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	if err := r.cc.Faults().Set(callcenter.Restart{Downtime: callcenter.Duration(500 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	a.waitEvent("reconnecting", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnReconnecting
	})
	a.waitEvent("connected", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnConnected
	})
	back := time.Since(down) - 500*time.Millisecond
	t.Logf("signed in again %v after the server's return", back.Round(time.Millisecond))
	if back > 2*time.Second {
		t.Fatalf("took %v after the server's return (want < 2 s)", back)
	}
	if err := a.e.SetAgentState(ctx(t), core.BusyState()); err != nil {
		t.Fatal(err)
	}
}

// TestSlowServer: a method answered after the request timeout fails with a
// clear sentence; the session goes on.
func TestSlowServer(t *testing.T) {
	r := newRig(t, rigOptions{})
	o := testOptions()
	o.RequestTimeout = 400 * time.Millisecond
	a, err := r.signIn(callcenter.DemoAgent, password, wire.ModeCellphone, agentHz, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cc.Faults().Set(callcenter.Delay{Method: wire.MethodSetAgentState, For: callcenter.Duration(700 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	err = a.e.SetAgentState(ctx(t), core.BusyState())
	var te *udesk.TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, core.ErrTimeout) {
		t.Fatalf("err %v, want a timeout", err)
	}
	if s := core.Sentence(err, "zh"); !strings.Contains(s, "秒内没有响应") {
		t.Fatalf("sentence %q", s)
	}
	r.cc.Faults().Clear(callcenter.FaultDelay)
	if _, err := a.e.BreakReasons(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

// TestMalformedAndUnknownFrames: garbage, frames of the wrong shape,
// unknown events and events with wrong types are logged and ignored; an
// oversized frame closes the socket and the adapter reconnects.
func TestMalformedAndUnknownFrames(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	for _, what := range []string{"garbage", "bad_header", "bad_sdp"} {
		if err := r.cc.Faults().Set(callcenter.Malformed{Agent: callcenter.DemoAgent, What: what}); err != nil {
			t.Fatal(err)
		}
	}
	for _, frame := range []string{
		`{"Event":"SomethingNew","Code":"0000","Data":{}}`,
		`{"Event":"AgentStateChanged","Code":"0000","Data":[{"CurState":"dancing"}]}`,
		`{"Event":"AdvancedCallStatusChanged","Code":"0000","Data":{"CallID":"x","CallAuthority":17}}`,
		`{"Id":99999,"Code":"0000"}`,
		`{"Event":"Held","Code":"2004","Message":"异步失败","Visible":true}`,
	} {
		if err := r.front.Inject(callcenter.DemoAgent, []byte(frame)); err != nil {
			t.Fatal(err)
		}
	}
	a.waitEvent("the visible asynchronous failure as a notice", func(ev core.Event) bool {
		n, ok := ev.(core.Notice)
		return ok && n.Err != nil && core.Sentence(n.Err, "zh") == "异步失败"
	})
	if err := a.e.SetAgentState(ctx(t), core.BusyState()); err != nil {
		t.Fatalf("after malformed frames: %v", err)
	}
	a.waitState("busy", "")
	huge := `{"Event":"Held","Code":"0000","Data":"` + strings.Repeat("x", wire.MaxFrameSize) + `"}`
	if err := r.front.Inject(callcenter.DemoAgent, []byte(huge)); err != nil {
		t.Fatal(err)
	}
	a.waitEvent("reconnecting after the oversized frame", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnReconnecting
	})
	a.waitEvent("connected", func(ev core.Event) bool {
		c, ok := ev.(core.ConnectionChanged)
		return ok && c.State == core.ConnConnected
	})
}

// TestSignedInElsewhere: a second sign-in of the same agent closes the
// first session (4001); the engine is signed out with the reason.
func TestSignedInElsewhere(t *testing.T) {
	r := newRig(t, rigOptions{})
	first := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	ev := first.waitEvent("signed out", func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
	if !ev.Kicked || !errors.Is(ev.Err, udesk.ErrSignedInElsewhere) {
		t.Fatalf("logged out %+v (%v)", ev, ev.Err)
	}
	if s := core.Sentence(ev.Err, "zh"); !strings.Contains(s, "别处登录") {
		t.Fatalf("sentence %q", s)
	}
}

// TestNoAutoConnect: with AutoConnect off a lost socket ends the session
// with a sentence, and nothing reconnects.
func TestNoAutoConnect(t *testing.T) {
	r := newRig(t, rigOptions{})
	a, err := r.signIn(callcenter.DemoAgent, password, wire.ModeCellphone, agentHz, testOptions(), map[string]string{"auto_connect": "false"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cc.Faults().Set(callcenter.Drop{Agent: callcenter.DemoAgent}); err != nil {
		t.Fatal(err)
	}
	ev := a.waitEvent("signed out", func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
	if !errors.Is(ev.Err, udesk.ErrConnectionLost) || !ev.CanRelogin {
		t.Fatalf("logged out %+v (%v)", ev, ev.Err)
	}
}
