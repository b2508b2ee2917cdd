package emicnet

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/emicnet/wire"
)

func TestSeatState(t *testing.T) {
	on, off := wire.LoginOnline, wire.LoginOffline
	cases := []struct {
		login wire.LoginState
		seat  wire.SeatStatus
		calls []core.CallState
		want  wire.SeatState
	}{
		{off, wire.SeatIdle, nil, wire.StateOffline}, // right after register: 0 until statusChanged
		{on, wire.SeatIdle, nil, wire.StateIdle},
		{on, wire.SeatBusy, nil, wire.StateBusy},
		{on, wire.SeatIdle, []core.CallState{core.CallRinging}, wire.StateRinging},
		{on, wire.SeatBusy, []core.CallState{core.CallDialing}, wire.StateRinging},
		{on, wire.SeatIdle, []core.CallState{core.CallTalking}, wire.StateTalking},
		{on, wire.SeatIdle, []core.CallState{core.CallHeld}, wire.StateHeld},
		{on, wire.SeatIdle, []core.CallState{core.CallHeld, core.CallRinging}, wire.StateHeld},
		{on, wire.SeatIdle, []core.CallState{core.CallRinging, core.CallTalking, core.CallHeld}, wire.StateTalking},
	}
	for _, tc := range cases {
		if got := seatStateOf(tc.login, tc.seat, tc.calls); got != tc.want {
			t.Errorf("seatStateOf(%v, %v, %v) = %v, want %v", tc.login, tc.seat, tc.calls, got, tc.want)
		}
	}
}

func TestAgentStates(t *testing.T) {
	for s, want := range map[wire.SeatStatus]string{wire.SeatOffline: "offline", wire.SeatIdle: "ready", wire.SeatBusy: "busy"} {
		got, ok := agentStateOfSeat(s)
		if !ok || got.Name() != want {
			t.Errorf("status %d: %v", s, got)
		}
	}
	if _, ok := agentStateOfSeat(3); ok {
		t.Error("status 3 accepted")
	}
	for st, want := range map[string]wire.SeatStatus{"ready": wire.SeatIdle, "busy": wire.SeatBusy} {
		s, _ := core.ParseAgentState(st, "")
		if got, ok := seatOfAgentState(s); !ok || got != want {
			t.Errorf("%s → %v", st, got)
		}
	}
	for _, s := range []core.AgentState{core.BreakState("1", ""), core.OfflineState(), core.WrapUpState(time.Time{})} {
		if _, ok := seatOfAgentState(s); ok {
			t.Errorf("%v has a changeStaus", s)
		}
	}
	for k, want := range map[wire.KefuStatus]string{0: "offline", 1: "ready", 2: "busy", 9: "offline"} {
		if got := agentStateOfKefu(k).Name(); got != want {
			t.Errorf("kefuStatus %d → %s", k, got)
		}
	}
}

func TestCallSteps(t *testing.T) {
	ev := func(a string) wire.CallEventData { return wire.CallEventData{A: wire.FlexString(a), C: "c"} }
	cases := []struct {
		typ      string
		a        string
		answered bool
		want     callStep
	}{
		{wire.NewPBXCall, "180", false, callStep{state: core.CallRinging}},
		{wire.CalloutResponse, "180", false, callStep{state: core.CallRemoteRinging}},
		{wire.CallinResponse, "180", false, callStep{state: core.CallRemoteRinging}},
		{wire.CalloutResponse, "200", false, callStep{state: core.CallTalking}},
		{wire.CalloutResponse, "183", false, callStep{}},
		{wire.CalloutResponse, "503", false, callStep{ends: true, reason: core.EndBusy, failure: wire.FailBusy}},
		{wire.CalloutResponse, "507", false, callStep{ends: true, reason: core.EndFailed, failure: wire.FailSuspended}},
		{wire.CalloutResponse, "508", false, callStep{ends: true, reason: core.EndFailed, failure: wire.FailOffHours}},
		{wire.CalloutResponse, "512", false, callStep{ends: true, reason: core.EndFailed, failure: wire.FailDailyLimit}},
		{wire.CallinResponse, "1000", false, callStep{ends: true, reason: core.EndFailed, failure: wire.FailNoPermission}},
		{wire.CallinResponse, "486", false, callStep{ends: true, reason: core.EndBusy, failure: wire.FailBusyHere}},
		{wire.CallinResponse, "480", false, callStep{ends: true, reason: core.EndNoAnswer, failure: wire.FailUnavailable}},
		{wire.CallinResponse, "487", false, callStep{ends: true, reason: core.EndCancelled, failure: wire.FailCancelled}},
		{wire.CallinResponse, "404", false, callStep{ends: true, reason: core.EndFailed, failure: wire.FailNotFound}},
		{wire.CallinFaildResponse, "408", false, callStep{ends: true, reason: core.EndNoAnswer, failure: wire.FailNoAnswer}},
		{wire.CallinFaildResponse, "", false, callStep{ends: true, reason: core.EndNoAnswer, failure: wire.FailNoAnswer}},
		{wire.AnsweredPBXCall, "200", false, callStep{state: core.CallTalking}},
		{wire.CancelPBXCall, "", false, callStep{ends: true}},
		{wire.EndPBXCall, "", false, callStep{ends: true}},
		{wire.EndPBXCall, "", true, callStep{ends: true, reason: core.EndRemoteHangup}},
	}
	for _, tc := range cases {
		got, ok := stepOf(tc.typ, ev(tc.a), tc.answered)
		if !ok || got != tc.want {
			t.Errorf("%s a=%s answered=%v: %+v, want %+v", tc.typ, tc.a, tc.answered, got, tc.want)
		}
	}
	if _, ok := stepOf("holdPBXCall", ev("200"), false); ok {
		t.Error("an unknown type has a step")
	}
	if directionOfCallType(wire.CallInternal) != core.Internal || directionOfCallType(wire.CallOutside) != core.Outbound {
		t.Error("call() 2/3 directions")
	}
}

func TestKicks(t *testing.T) {
	for _, r := range wire.KickReasons {
		u := kickUpdate(r)
		if u.CanRelogin != (r == wire.KickRegTimeout) {
			t.Errorf("%d: CanRelogin %v", r, u.CanRelogin)
		}
		if !errors.Is(u.Err, core.ErrKicked) || !errors.Is(u.Err, ErrKicked) {
			t.Errorf("%d: %v is not a kick", r, u.Err)
		}
		zh, en := core.Sentence(u.Err, "zh"), core.Sentence(u.Err, "en")
		if zh == en || zh == "" || en == "" {
			t.Errorf("%d: sentences %q / %q", r, zh, en)
		}
	}
}

func TestMonitorPlan(t *testing.T) {
	none := wire.MonitorState{}
	listen := wire.MonitorState{Status: wire.MonitorListen, CcNumber: "c1"}
	joined := wire.MonitorState{Status: wire.MonitorJoined, CcNumber: "c1"}
	cases := []struct {
		cur   wire.MonitorState
		cc    string
		mode  core.MonitorMode
		plan  []string
		fails bool
	}{
		{none, "c1", core.MonitorListen, []string{wire.CmdStartCallMonitor}, false},
		{none, "c1", core.MonitorBarge, []string{wire.CmdStartCallMonitor, wire.CmdJoinFromMonitor}, false},
		{none, "c1", core.MonitorEnd, nil, true},
		{none, "c1", core.MonitorHangup, []string{wire.CmdTerminateCall}, false},
		{listen, "c1", core.MonitorListen, nil, false},
		{listen, "c1", core.MonitorBarge, []string{wire.CmdJoinFromMonitor}, false},
		{listen, "c1", core.MonitorEnd, []string{wire.CmdStopCallMonitor}, false},
		{listen, "c1", core.MonitorHangup, []string{wire.CmdEndCallMonitor}, false},
		{joined, "c1", core.MonitorListen, []string{wire.CmdExitJoinMonitor}, false},
		{joined, "c1", core.MonitorBarge, nil, false},
		{joined, "c1", core.MonitorEnd, []string{wire.CmdExitJoinMonitor, wire.CmdStopCallMonitor}, false},
		{joined, "c1", core.MonitorHangup, []string{wire.CmdEndCallMonitor}, false},
		{listen, "c2", core.MonitorListen, nil, true}, // monitoring another call
		{none, "c1", core.MonitorWhisper, nil, true},
		{none, "c1", core.MonitorTakeOver, nil, true},
	}
	for _, tc := range cases {
		plan, err := monitorPlan(tc.cur, tc.cc, tc.mode)
		if (err != nil) != tc.fails || !slices.Equal(plan, tc.plan) {
			t.Errorf("%+v %s %s: plan %v err %v, want %v fails=%v", tc.cur, tc.cc, tc.mode, plan, err, tc.plan, tc.fails)
		}
		if err != nil && core.Sentence(err, "zh") == core.Sentence(err, "en") {
			t.Errorf("%v: no sentence", err)
		}
	}
	// Walking the plans moves the state as §7 says.
	if s := monitorAfter(wire.CmdStartCallMonitor, "c1"); s != listen {
		t.Errorf("start → %+v", s)
	}
	if s := monitorAfter(wire.CmdJoinFromMonitor, "c1"); s != joined {
		t.Errorf("join → %+v", s)
	}
	if s := monitorAfter(wire.CmdExitJoinMonitor, "c1"); s != listen {
		t.Errorf("exit → %+v", s)
	}
	for _, cmd := range []string{wire.CmdStopCallMonitor, wire.CmdEndCallMonitor, wire.CmdTerminateCall} {
		if s := monitorAfter(cmd, "c1"); s != none {
			t.Errorf("%s → %+v", cmd, s)
		}
	}
}

func TestTransferTargets(t *testing.T) {
	g := wire.Group{ID: "2033", Name: "售前咨询"}
	tg := memberTarget(g, wire.Member{Displayname: "李四", Number: "1024", KefuStatus: wire.KefuIdle})
	if tg.ID != "2033/1024" || tg.Kind != core.TargetAgent || tg.State != "ready" || tg.Label != "售前咨询 / 李四 (1024)" {
		t.Errorf("target %+v", tg)
	}
	if gid, n := transferTarget(tg, "9"); gid != "2033" || n != "1024" {
		t.Errorf("%s %s", gid, n)
	}
	if gid, n := transferTarget(core.Target{Kind: core.TargetAgent, ID: "1025"}, "2033"); gid != "2033" || n != "1025" {
		t.Errorf("own group: %s %s", gid, n)
	}
}

func TestAllowedByCallintype(t *testing.T) {
	if !allowedIn(wire.CallInVoIP, core.CallTalking).Has(core.ActMute) {
		t.Error("voip cannot mute")
	}
	for _, ct := range []wire.CallInType{wire.CallInCallback, wire.CallInSIPPhone} {
		s := allowedIn(ct, core.CallTalking)
		if s.Has(core.ActMute) || !s.Has(core.ActDTMF) || !s.Has(core.ActHold) {
			t.Errorf("%s: %v", ct, s)
		}
	}
}

// TestDialNumber: an encrypted number decrypts with the account's key; a
// failed decryption, a missing key and an unknown scheme place no call and
// say why; the decrypted text never reaches the sentence.
func TestDialNumber(t *testing.T) {
	a, _ := unitAdapter(t, wire.CallInVoIP)
	enc, err := wire.Encrypt([]byte(unitKey), "13800138000")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := a.dialNumber(core.DialRequest{Number: enc, NumType: wire.EncryptType}); err != nil || n != "13800138000" {
		t.Fatalf("decrypted %q %v", n, err)
	}
	if n, err := a.dialNumber(core.DialRequest{Number: "10010"}); err != nil || n != "10010" {
		t.Fatalf("plain %q %v", n, err)
	}
	notDigits, _ := wire.Encrypt([]byte(unitKey), "1380013800x")
	otherKey, _ := wire.Encrypt([]byte("fedcba9876543210"), "13800138000")
	cases := []struct {
		name, number, numType string
		key                   string
		is                    error
	}{
		{"not digits", notDigits, wire.EncryptType, unitKey, wire.ErrNotDigits},
		{"another key", otherKey, wire.EncryptType, unitKey, wire.ErrUndecryptable},
		{"not base64", "!!!", wire.EncryptType, unitKey, wire.ErrUndecryptable},
		{"no key", enc, wire.EncryptType, "", ErrNoEncryptKey},
		{"bad key", enc, wire.EncryptType, "short", wire.ErrBadKey},
		{"unknown scheme", enc, "rot13", unitKey, ErrUnknownNumType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a.acct.encryptKey = tc.key
			_, err := a.dialNumber(core.DialRequest{Number: tc.number, NumType: tc.numType})
			var ne *NumberError
			if !errors.As(err, &ne) || !errors.Is(err, tc.is) {
				t.Fatalf("error %v, want %v", err, tc.is)
			}
			zh, en := core.Sentence(err, "zh"), core.Sentence(err, "en")
			if zh == "" || en == "" || zh == en {
				t.Fatalf("sentences %q %q", zh, en)
			}
			if ne2 := new(wire.DecryptError); errors.As(err, &ne2) && ne2.Decrypted != "" && (strings.Contains(zh, ne2.Decrypted) || strings.Contains(en, ne2.Decrypted)) {
				t.Fatalf("the decrypted text reached the agent: %q", zh)
			}
		})
	}
}
