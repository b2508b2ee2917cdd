package emicnet

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"agentbar/core"
	"agentbar/vendors/emicnet/wire"
)

const goldenCc = "1564717108763414conf_1564717149723"

// TestGoldenEvents: every event payload of the contract (the wire
// package's golden files) reaches the engine as the model says.
func TestGoldenEvents(t *testing.T) {
	type step struct {
		file string
		want func(t *testing.T, us []core.Update)
	}
	state := func(want core.AgentState) func(t *testing.T, us []core.Update) {
		return func(t *testing.T, us []core.Update) {
			if len(us) != 1 {
				t.Fatalf("updates %+v", us)
			}
			if s, ok := us[0].(core.AgentStateUpdate); !ok || !s.State.Equal(want) {
				t.Fatalf("update %+v, want %v", us[0], want)
			}
		}
	}
	call := func(want core.CallUpdate) func(t *testing.T, us []core.Update) {
		return func(t *testing.T, us []core.Update) {
			cs := callUpdates(us)
			if len(cs) != 1 {
				t.Fatalf("call updates %+v", us)
			}
			got := cs[0]
			got.Authority = nil
			if got.PlatformCallID != want.PlatformCallID || got.State != want.State || got.Direction != want.Direction ||
				got.RemoteNumber != want.RemoteNumber || got.EndReason != want.EndReason || !strings.Contains(got.EndDetail, want.EndDetail) {
				t.Fatalf("update %+v\nwant %+v", got, want)
			}
		}
	}
	none := func(t *testing.T, us []core.Update) {
		if len(us) != 0 {
			t.Fatalf("updates %+v, want none", us)
		}
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"seat states", []step{
			{"statusChanged.1", state(core.ReadyState())},
			{"statusChanged.2", state(core.BusyState())},
			{"statusChanged.0", state(core.OfflineState())},
		}},
		{"inbound answered and ended", []step{
			{"callEvent.newPBXCall", call(core.CallUpdate{PlatformCallID: goldenCc, State: core.CallRinging, Direction: core.Inbound, RemoteNumber: "10010"})},
			{"callEvent.answeredPBXCall", call(core.CallUpdate{PlatformCallID: goldenCc, State: core.CallTalking, RemoteNumber: "10010"})},
			{"callEvent.endPBXCall", call(core.CallUpdate{PlatformCallID: goldenCc, State: core.CallEnded, EndReason: core.EndRemoteHangup})},
			{"callEvent.endPBXCall", none}, // a repeat is nothing
		}},
		{"inbound cancelled", []step{
			{"callEvent.newPBXCall", call(core.CallUpdate{PlatformCallID: goldenCc, State: core.CallRinging, Direction: core.Inbound, RemoteNumber: "10010"})},
			{"callEvent.cancelPBXCall", call(core.CallUpdate{PlatformCallID: goldenCc, State: core.CallEnded})},
		}},
		{"events of unknown calls", []step{
			{"callEvent.answeredPBXCall", none},
			{"callEvent.calloutResponse", none},
			{"callEvent.endPBXCall", none},
			{"callEvent.cancelPBXCall", none},
		}},
		{"kick 897", []step{{"kickedOffLine.897", func(t *testing.T, us []core.Update) {
			k, ok := us[0].(core.KickedUpdate)
			var ke *KickError
			if len(us) != 1 || !ok || !k.CanRelogin || !errors.As(k.Err, &ke) || ke.Reason != wire.KickRegTimeout || !errors.Is(k.Err, core.ErrKicked) {
				t.Fatalf("updates %+v", us)
			}
		}}}},
		{"repCallStatus is not a call", []step{
			{"repCallStatus.start", func(t *testing.T, us []core.Update) {
				if len(callUpdates(us)) != 0 {
					t.Fatalf("updates %+v", us)
				}
			}},
			{"repCallStatus.end", func(t *testing.T, us []core.Update) {
				if len(callUpdates(us)) != 0 {
					t.Fatalf("updates %+v", us)
				}
			}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, sink := unitAdapter(t, wire.CallInVoIP)
			for _, s := range tc.steps {
				if code := feed(a, goldenEvent(t, s.file)); code != 200 {
					t.Fatalf("%s answered %d", s.file, code)
				}
				s.want(t, sink.take())
			}
		})
	}
}

// TestOutboundFailures: a call the platform named, then each failure code
// of the seed: the call ends with its reason and the seed's sentence.
func TestOutboundFailures(t *testing.T) {
	cases := []struct {
		file   string
		reason core.EndReason
		detail string
	}{
		{"callEvent.calloutResponse.503", core.EndBusy, "对方忙碌"},
		{"callEvent.calloutResponse.507", core.EndFailed, "总机号已停机"},
		{"callEvent.calloutResponse.508", core.EndFailed, "非工作时间"},
		{"callEvent.calloutResponse.512", core.EndFailed, "该客户今日被呼叫次数已达上限"},
		{"callEvent.calloutResponse.1000", core.EndFailed, "禁止拨打无权限坐席"},
		{"callEvent.callinFaildResponse", core.EndNoAnswer, "被叫超时未接听"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			a, sink := unitAdapter(t, wire.CallInVoIP)
			var fs followups
			a.mu.Lock()
			r := a.newRecLocked(goldenCc, core.Outbound, true, &fs)
			a.setStateLocked(r, core.CallDialing, core.CallUpdate{Tag: "t1"})
			a.mu.Unlock()
			sink.take()
			feed(a, goldenEvent(t, "callEvent.calloutResponse"))
			if cs := callUpdates(sink.take()); len(cs) != 1 || cs[0].State != core.CallRemoteRinging {
				t.Fatalf("after 180: %+v", cs)
			}
			feed(a, goldenEvent(t, tc.file))
			cs := callUpdates(sink.take())
			if len(cs) != 1 || cs[0].State != core.CallEnded || cs[0].EndReason != tc.reason || !strings.Contains(cs[0].EndDetail, tc.detail) {
				t.Fatalf("updates %+v, want ended %s %q", cs, tc.reason, tc.detail)
			}
			feed(a, goldenEvent(t, "callEvent.endPBXCall")) // the platform's end that follows
			if cs := callUpdates(sink.take()); len(cs) != 0 {
				t.Fatalf("after the end: %+v", cs)
			}
		})
	}
}

// TestEarlyEventsWaitForTheDial: events of a call the call command's
// result has not named yet belong to the dial in flight and are replayed
// after its first update, in order.
func TestEarlyEventsWaitForTheDial(t *testing.T) {
	a, sink := unitAdapter(t, wire.CallInVoIP)
	a.mu.Lock()
	a.pending = &pendingDial{tag: "t1", shown: "10010"}
	a.mu.Unlock()
	feed(a, goldenEvent(t, "callEvent.calloutResponse"))
	feed(a, goldenEvent(t, "callEvent.answeredPBXCall"))
	if us := sink.take(); len(us) != 0 {
		t.Fatalf("reported before the call was named: %+v", us)
	}
	a.mu.Lock()
	pd := a.pending
	a.pending = nil
	var fs followups
	r := a.newRecLocked(goldenCc, core.Outbound, true, &fs)
	a.setStateLocked(r, core.CallDialing, core.CallUpdate{Tag: pd.tag})
	for _, e := range pd.early {
		a.callEventLocked(e.typ, e.d, &fs)
	}
	a.mu.Unlock()
	var states []core.CallState
	for _, c := range callUpdates(sink.take()) {
		states = append(states, c.State)
	}
	want := []core.CallState{core.CallDialing, core.CallRemoteRinging, core.CallTalking}
	if len(states) != len(want) || states[0] != want[0] || states[1] != want[1] || states[2] != want[2] {
		t.Fatalf("states %v, want %v", states, want)
	}
}

// TestLateEndOfAnEndedCallIsNotANewDialsEvent: the endPBXCall of a call
// that already ended (after its failure) arrives while the next dial waits
// for its result; it must not be taken for the new call's event (it would
// end the new call at once).
func TestLateEndOfAnEndedCallIsNotANewDialsEvent(t *testing.T) {
	a, sink := unitAdapter(t, wire.CallInVoIP)
	const old = "1795303983504001conf_1795303983504"
	a.mu.Lock()
	var fs followups
	r := a.newRecLocked(old, core.Outbound, true, &fs)
	a.setStateLocked(r, core.CallDialing, core.CallUpdate{Tag: "t0"})
	a.endRecLocked(r, core.EndBusy, "", &fs)
	a.pending = &pendingDial{tag: "t1", shown: "13800138000"}
	a.callEventLocked(wire.EndPBXCall, wire.CallEventData{C: old}, &fs)
	pd := a.pending
	a.mu.Unlock()
	sink.take()
	if pd.cc != "" || len(pd.early) != 0 {
		t.Fatalf("the old call's end was kept for the new dial: %+v", pd)
	}
	// The new call's own early event is still kept.
	a.mu.Lock()
	a.callEventLocked(wire.CalloutResponse, wire.CallEventData{A: "507", C: goldenCc}, &fs)
	a.mu.Unlock()
	if pd.cc != goldenCc || len(pd.early) != 1 {
		t.Fatalf("the new call's early event was not kept: %+v", pd)
	}
	var rc recentCalls
	for i := range recentCallsKept + 1 {
		rc.add(fmt.Sprint(i))
	}
	if rc.has("0") || !rc.has(fmt.Sprint(recentCallsKept)) || len(rc.ccs) != recentCallsKept {
		t.Errorf("recent calls not bounded: %d kept, has 0: %v", len(rc.ccs), rc.has("0"))
	}
}

// TestMalformedMessages: what does not decode is answered 400 (or 415 for
// another content type) and changes nothing; an unknown event is 200.
func TestMalformedMessages(t *testing.T) {
	a, sink := unitAdapter(t, wire.CallInVoIP)
	cases := []struct {
		body string
		code int
	}{
		{`not json`, 400},
		{`[]`, 400},
		{`{"event":""}`, 400},
		{`{"event":"callEvent","data":{"c":"x"}}`, 400},                             // no type
		{`{"event":"callEvent","type":"newPBXCall","data":{"a":"180"}}`, 400},       // no c
		{`{"event":"callEvent","type":"newPBXCall","data":{"c":"a b"}}`, 400},       // not a ccNumber
		{`{"event":"statusChanged","data":{"status":7}}`, 400},                      // no such status
		{`{"event":"statusChanged","data":{}}`, 400},                                // no status
		{`{"event":"repCallStatus","data":{"caller":"1"}}`, 400},                    // no ccNumber
		{`{"event":"somethingNew","data":{"x":1}}`, 200},                            // logged
		{`{"event":"callEvent","type":"holdPBXCall","data":{"c":"abc"}}`, 200},      // unknown type: logged
		{`{"event":"statusChanged","data":{"status":"1"}}`, 200},                    // a string, as the sample code
		{`{"event":"callEvent","type":"newPBXCall","data":{"c":123,"n":138}}`, 200}, // numbers as numbers
	}
	for _, tc := range cases {
		if got := feed(a, tc.body); got != tc.code {
			t.Errorf("%s answered %d, want %d", tc.body, got, tc.code)
		}
	}
	if got := a.onMessage(phoneMessage("text/plain", `hello`)); got != 415 {
		t.Errorf("text/plain answered %d, want 415", got)
	}
	us := sink.take()
	if len(us) != 2 {
		t.Fatalf("updates %+v, want the ready state and the call 123", us)
	}
	if c, ok := us[1].(core.CallUpdate); !ok || c.PlatformCallID != "123" || c.RemoteNumber != "138" {
		t.Fatalf("numbers as numbers: %+v", us[1])
	}
}

// TestAbandonedDial: the engine gave up a dial before the result named
// the call; the call's first event is not shown and the call is hung up
// (terminate, here failing without a phone), once.
func TestAbandonedDial(t *testing.T) {
	a, sink := unitAdapter(t, wire.CallInVoIP)
	a.mu.Lock()
	a.abandoned = &pendingDial{tag: "t1", abandoned: true}
	a.mu.Unlock()
	feed(a, goldenEvent(t, "callEvent.calloutResponse"))
	feed(a, goldenEvent(t, "callEvent.answeredPBXCall"))
	a.mu.Lock()
	pd := a.abandoned
	a.mu.Unlock()
	if pd == nil || pd.cc != goldenCc || !pd.terminated {
		t.Fatalf("abandoned dial %+v", pd)
	}
	feed(a, goldenEvent(t, "callEvent.endPBXCall"))
	a.mu.Lock()
	left := a.abandoned
	a.mu.Unlock()
	if left != nil {
		t.Fatalf("still abandoned after its end: %+v", left)
	}
	if us := sink.take(); len(us) != 0 {
		t.Fatalf("an abandoned dial reported %+v", us)
	}
}
