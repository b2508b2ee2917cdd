package core

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEventStringsAndTypes(t *testing.T) {
	m := EventMeta{Seq: 7, At: mustTime("2026-11-21T10:00:00Z")}
	call := Call{ID: "c1", Direction: Inbound, RemoteNumber: "13912345678", State: CallRinging}
	ended := call
	ended.State, ended.EndReason = CallEnded, EndMissed
	tests := []struct {
		ev   Event
		typ  string
		str  string
		json map[string]any
	}{
		{ConnectionChanged{EventMeta: m, State: ConnConnected}, "connection_changed", "#7 connection connected", map[string]any{"conn": "connected"}},
		{ConnectionChanged{EventMeta: m, State: ConnReconnecting, Err: errors.New("eof")}, "connection_changed", "#7 connection reconnecting: eof", map[string]any{"error": "eof"}},
		{LoggedIn{EventMeta: m, Account: "a", Platform: "sip"}, "logged_in", "#7 logged in a (sip)", map[string]any{"platform": "sip"}},
		{LoggedOut{EventMeta: m}, "logged_out", "#7 logged out", map[string]any{"kicked": false}},
		{LoggedOut{EventMeta: m, Kicked: true, Err: ErrKicked}, "logged_out", "#7 kicked: core: signed out by the platform", map[string]any{"message_zh": "已被平台登出。"}},
		{AgentStateChanged{EventMeta: m, From: ReadyState(), To: BreakState("101", "午饭")}, "agent_state_changed", "#7 agent ready → break(101 午饭)", nil},
		{CallAdded{EventMeta: m, Call: call}, "call_added", "#7 call c1 added: in 13912345678 ringing", nil},
		{CallChanged{EventMeta: m, From: CallRinging, Call: ended}, "call_changed", "#7 call c1 ringing → ended(missed)", nil},
		{CallQualityChanged{EventMeta: m, CallID: "c1", Quality: Quality{MOS: 4.2}}, "call_quality", "#7 call c1 quality MOS 4.2", nil},
		{BreakReasonsChanged{EventMeta: m, Reasons: []BreakReason{{"1", "x"}}}, "break_reasons_changed", "#7 1 break reasons", nil},
		{AgentsChanged{EventMeta: m, Full: true}, "agents_changed", "#7 0 agents changed (full=true)", nil},
		{Notice{EventMeta: m, Level: "warning", Text: "麦克风已切换"}, "notice", "#7 warning: 麦克风已切换", map[string]any{"message_zh": "麦克风已切换"}},
		{EventsDropped{EventMeta: m, Count: 3}, "events_dropped", "#7 3 events dropped", map[string]any{"count": float64(3)}},
		{MediaChanged{EventMeta: m, Registered: true, Detail: "1001"}, "media_changed", "#7 media registered 1001", nil},
		{SessionChanged{EventMeta: m, Session: SessionUpdate{AgentID: "8001"}}, "session_changed", "#7 session agent=8001", nil},
	}
	for _, tt := range tests {
		if got := tt.ev.Type(); got != tt.typ {
			t.Errorf("Type = %q, want %q", got, tt.typ)
		}
		if got := tt.ev.String(); got != tt.str {
			t.Errorf("String = %q, want %q", got, tt.str)
		}
		b, err := MarshalEvent(tt.ev)
		if err != nil {
			t.Fatalf("%s: %v", tt.typ, err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got["type"] != tt.typ || got["seq"] != float64(7) {
			t.Errorf("%s: JSON %s lacks type/seq", tt.typ, b)
		}
		for k, v := range tt.json {
			if got[k] != v {
				t.Errorf("%s: JSON[%s] = %v, want %v (%s)", tt.typ, k, got[k], v, b)
			}
		}
	}
}

func TestSentence(t *testing.T) {
	err := &NotAllowedError{Action: ActHold, State: "ringing"}
	if got := Sentence(err, "zh"); got != "现在不能保持（当前状态：来电振铃）。" {
		t.Errorf("zh = %q", got)
	}
	if got := Sentence(err, "en"); got != "You cannot hold right now (the call is ringing)." {
		t.Errorf("en = %q", got)
	}
	wrapped := &OpError{Op: "dial", Err: ErrTimeout}
	if got := Sentence(wrapped, "zh"); got != "平台没有及时响应。请检查网络后重试。" {
		t.Errorf("timeout zh = %q", got)
	}
	if Sentence(nil, "zh") != "" {
		t.Error("nil error has a sentence")
	}
	if !errors.Is(&UnsupportedError{Action: ActHold}, ErrNotSupported) {
		t.Error("UnsupportedError is not ErrNotSupported")
	}
}
