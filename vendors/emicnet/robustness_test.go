package emicnet_test

import (
	"errors"
	"testing"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/emicnet/wire"
)

// TestMalformedEvents: what the platform sends that is not an event of
// the contract is answered (400, 413; 200 for an unknown event) and
// changes nothing: the seat goes on working.
func TestMalformedEvents(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	// Over the 16 KiB core/phone takes (sipgo itself drops, unanswered,
	// anything over 64 KiB on a stream).
	oversize := append(append([]byte(`{"event":"statusChanged","data":{"status":1},"pad":"`), make([]byte, 20<<10)...), '"', '}')
	cases := []struct {
		name string
		body []byte
		code int
	}{
		{"garbage", []byte("\x00\x01 not json {"), 400},
		{"an array", []byte(`[1,2]`), 400},
		{"event of the wrong shape", []byte(`{"event": 5, "data": []}`), 400},
		{"callEvent data of the wrong shape", []byte(`{"event":"callEvent","type":"newPBXCall","data":{"c":{"x":1},"a":[]}}`), 400},
		{"callEvent without c", []byte(`{"event":"callEvent","type":"newPBXCall","data":{"a":"180"}}`), 400},
		{"status 9", []byte(`{"event":"statusChanged","data":{"status":"9"}}`), 400},
		{"oversize", oversize, 413},
	}
	for _, tc := range cases {
		err := r.front.Inject(callcenter.DemoAgent, tc.body)
		var se *sipfront.StatusError
		if !errors.As(err, &se) || se.Code != tc.code {
			t.Errorf("%s: answered %v, want %d", tc.name, err, tc.code)
		}
	}
	mustNil(t, r.front.Inject(callcenter.DemoAgent, []byte(`{"event":"somethingNew","data":{}}`)))
	// Still signed in, still in step with the platform.
	if st, _ := a.e.Status(ctx(t)); !st.LoggedIn || st.Agent.Name() != "ready" {
		t.Fatalf("after malformed events: %+v", st)
	}
	mustNil(t, a.e.SetAgentState(ctx(t), core.BusyState()))
	a.waitState("busy")
	r.customer("13912345678", customerHz)
	mustNil(t, a.e.SetAgentState(ctx(t), core.ReadyState()))
	a.waitCall("", core.CallRinging)
}

// TestWebSocketDroppedMidCall: the platform closes the seat's WebSocket
// during a call. The user agent registers again over a new socket; the
// call's WebRTC media did not depend on it and the tones keep crossing;
// the call is then hung up as usual, over the new socket.
func TestWebSocketDroppedMidCall(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{})
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall("", core.CallRinging)
	mustNil(t, a.e.Answer(ctx(t), ringing.ID))
	a.waitCall(ringing.ID, core.CallTalking)
	customer := r.heard(call, callcenter.SimulatedCustomer)
	waitHears(t, "agent", customerHz, a.heard())
	waitHears(t, "customer", agentHz, customer)

	before := r.binding(callcenter.DemoAgent)
	// Every WebSocket of the platform closes (the SIP front drops a WSS
	// socket only this way).
	mustNil(t, r.cc.Faults().Set(callcenter.Drop{}))
	a.waitEvent("registered again", func(ev core.Event) bool {
		m, ok := ev.(core.MediaChanged)
		return ok && m.Registered
	})
	if after := r.binding(callcenter.DemoAgent); after == "" || after == before {
		t.Fatalf("registered from %q, before from %q", after, before)
	}
	waitHears(t, "agent after the drop", customerHz, a.heard())
	waitHears(t, "customer after the drop", agentHz, customer)
	if st, _ := a.e.Status(ctx(t)); len(st.Calls) != 1 || st.Calls[0].State != core.CallTalking {
		t.Fatalf("calls after the drop: %+v", st.Calls)
	}
	mustNil(t, a.e.Hangup(ctx(t), ringing.ID))
	if ended := a.waitCall(ringing.ID, core.CallEnded); ended.EndReason != core.EndLocalHangup {
		t.Errorf("ended %s", ended.EndReason)
	}
	if _, ok := r.cc.Call(call); ok {
		t.Error("the center's call goes on")
	}
}

// binding is the socket a seat is registered from, "" when none.
func (r *rig) binding(un string) string {
	for _, b := range r.front.SIP().Bindings() {
		if b.Agent == un {
			return b.Source
		}
	}
	return ""
}
