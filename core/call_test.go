package core

import (
	"encoding/json"
	"testing"
)

// TestCanTransition checks every pair of states against the model's
// diagram, written out here independently of the implementation's table.
func TestCanTransition(t *testing.T) {
	legal := map[[2]CallState]bool{
		{CallDialing, CallRemoteRinging}: true, {CallDialing, CallTalking}: true,
		{CallRemoteRinging, CallTalking}: true, {CallRinging, CallTalking}: true,
		{CallTalking, CallHeld}: true, {CallHeld, CallTalking}: true,
		{CallTalking, CallConsulting}: true, {CallTalking, CallConference}: true,
		{CallHeld, CallConsulting}: true, {CallHeld, CallConference}: true,
		{CallConsulting, CallTalking}: true, {CallConsulting, CallHeld}: true,
		{CallConsulting, CallConference}: true,
		{CallConference, CallTalking}:    true, {CallConference, CallHeld}: true,
	}
	all := []CallState{CallDialing, CallRemoteRinging, CallRinging, CallTalking, CallHeld, CallConsulting, CallConference, CallEnded}
	for _, from := range all {
		for _, to := range all {
			want := legal[[2]CallState{from, to}] || (to == CallEnded && from != CallEnded)
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestCallStateAndDirectionJSON(t *testing.T) {
	c := Call{ID: "c1", Direction: Inbound, State: CallRemoteRinging, Allowed: Actions(ActHangup, ActAnswer)}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["state"] != "remote_ringing" || m["direction"] != "in" {
		t.Errorf("JSON = %s", b)
	}
	var back Call
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.State != CallRemoteRinging || back.Direction != Inbound || back.Allowed != c.Allowed {
		t.Errorf("round trip = %+v", back)
	}
}

func TestAgentStateNamesAndJSON(t *testing.T) {
	tests := []struct {
		s      AgentState
		name   string
		str    string
		zh, en string
	}{
		{OfflineState(), "offline", "offline", "离线", "Offline"},
		{ReadyState(), "ready", "ready", "空闲", "Ready"},
		{BusyState(), "busy", "busy", "忙碌", "Busy"},
		{BreakState("101", "午饭"), "break", "break(101 午饭)", "午饭", "午饭"},
		{BreakState("7", ""), "break", "break(7)", "小休", "Break"},
		{WrapUpState(mustTime("2026-11-21T10:00:05Z")), "wrapup", "wrapup(until 10:00:05)", "话后处理", "Wrap-up"},
	}
	for _, tt := range tests {
		if got := tt.s.Name(); got != tt.name {
			t.Errorf("%v Name = %q, want %q", tt.s, got, tt.name)
		}
		if got := tt.s.String(); got != tt.str {
			t.Errorf("String = %q, want %q", got, tt.str)
		}
		if got := tt.s.Label("zh"); got != tt.zh {
			t.Errorf("Label zh = %q, want %q", got, tt.zh)
		}
		if got := tt.s.Label("en"); got != tt.en {
			t.Errorf("Label en = %q, want %q", got, tt.en)
		}
		b, _ := json.Marshal(tt.s)
		var back AgentState
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !back.Equal(tt.s) || back.BreakLabel != tt.s.BreakLabel {
			t.Errorf("round trip %s = %+v", b, back)
		}
	}
	if _, err := ParseAgentState("break", ""); err == nil {
		t.Error("break without a code parsed")
	}
	if _, err := ParseAgentState("sleepy", ""); err == nil {
		t.Error("unknown state parsed")
	}
}

func TestActionSet(t *testing.T) {
	s := Actions(ActHold, ActHangup)
	if !s.Has(ActHold) || s.Has(ActResume) || s.Len() != 2 {
		t.Fatalf("set %v", s)
	}
	if s.With(ActResume).Without(ActHold) != Actions(ActHangup, ActResume) {
		t.Error("With/Without")
	}
	if got := s.String(); got != `["hangup","hold"]` {
		t.Errorf("String = %s", got)
	}
	for a := Action(0); a < numActions; a++ {
		back, err := ParseAction(a.String())
		if err != nil || back != a {
			t.Errorf("ParseAction(%s) = %v, %v", a, back, err)
		}
		if a.Label("zh") == "" || a.Label("en") == "" {
			t.Errorf("%s has no label", a)
		}
	}
	if AllActions.Len() != int(numActions) {
		t.Error("AllActions")
	}
}
