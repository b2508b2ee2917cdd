package emicnet_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet"
	"agentbar/vendors/emicnet/emicsim"
	"agentbar/vendors/emicnet/wire"
)

// digitsOf collects the digits the center receives from an agent, one
// DTMF request each.
func digitsOf(t *testing.T, r *rig, agent string, want int, send func()) []string {
	t.Helper()
	sub := r.cc.Subscribe()
	defer sub.Close()
	send()
	var got []string
	timeout := time.NewTimer(8 * time.Second)
	defer timeout.Stop()
	for len(got) < want {
		select {
		case ev := <-sub.C:
			if d, ok := ev.(callcenter.DTMFReceived); ok && d.From == agent {
				got = append(got, d.Digits)
			}
		case <-timeout.C:
			t.Fatalf("the center received %q", got)
		}
	}
	return got
}

// TestInboundVoipWithAudio: newPBXCall rings the seat, its INVITE (bound
// by X-Emic-CcNumber) is answered by Answer; the tones cross both ways;
// mute is the softphone's; DTMF goes one digit per request; hold and
// unhold are the platform's; the seat states follow (checkSeatState).
func TestInboundVoipWithAudio(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{})
	adapter := a.adapterNow()
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall("", core.CallRinging)
	if ringing.RemoteNumber != "13912345678" || ringing.Direction != core.Inbound || ringing.PlatformCallID == "" {
		t.Fatalf("ringing %+v", ringing)
	}
	if adapter.CheckSeatState() != wire.StateRinging {
		t.Errorf("checkSeatState %d while ringing", adapter.CheckSeatState())
	}
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	talking := a.waitCall(ringing.ID, core.CallTalking)
	if adapter.CheckSeatState() != wire.StateTalking {
		t.Errorf("checkSeatState %d while talking", adapter.CheckSeatState())
	}
	customer := r.heard(call, callcenter.SimulatedCustomer)
	waitHears(t, "agent", customerHz, a.heard())
	waitHears(t, "customer", agentHz, customer)

	// Mute: the softphone's microphone.
	if err := a.e.Mute(ctx(t), talking.ID, true); err != nil {
		t.Fatal(err)
	}
	waitTones(t, "customer, agent muted", customer, map[float64]bool{agentHz: false})
	if err := a.e.Mute(ctx(t), talking.ID, false); err != nil {
		t.Fatal(err)
	}
	waitHears(t, "customer after unmute", agentHz, customer)

	// DTMF: one request per digit, in order.
	got := digitsOf(t, r, callcenter.DemoAgent, 3, func() {
		if err := a.e.SendDTMF(ctx(t), talking.ID, "12#"); err != nil {
			t.Fatal(err)
		}
	})
	if strings.Join(got, ",") != "1,2,#" {
		t.Fatalf("digits %q, want one request per digit 1,2,#", got)
	}
	var de *emicnet.DTMFError
	if err := a.e.SendDTMF(ctx(t), talking.ID, "A"); !errors.As(err, &de) {
		t.Fatalf("DTMF A: %v", err)
	}

	// Hold: the customer no longer hears the agent; unhold: again.
	if err := a.e.Hold(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(talking.ID, core.CallHeld)
	if adapter.CheckSeatState() != wire.StateHeld {
		t.Errorf("checkSeatState %d while held", adapter.CheckSeatState())
	}
	if ci, _ := r.cc.Call(call); !ci.Held {
		t.Error("the center's call is not held")
	}
	waitTones(t, "customer on hold", customer, map[float64]bool{agentHz: false})
	if err := a.e.Resume(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(talking.ID, core.CallTalking)
	waitHears(t, "customer after unhold", agentHz, customer)

	if err := a.e.Hangup(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCall(talking.ID, core.CallEnded); ended.EndReason != core.EndLocalHangup {
		t.Errorf("ended %s", ended.EndReason)
	}
	if adapter.CheckSeatState() != wire.StateIdle {
		t.Errorf("checkSeatState %d after the call", adapter.CheckSeatState())
	}
}

// TestInboundReject: terminate while ringing refuses the call (voip: the
// platform withdraws its INVITE too); the platform takes it back
// (cancelPBXCall) and the customer waits on.
func TestInboundReject(t *testing.T) {
	for name, ct := range map[string]wire.CallInType{"voip": "", "sip phone": wire.CallInSIPPhone} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, rigOptions{})
			a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: ct, number: "6001"})
			call := r.customer("13912345678", customerHz)
			ringing := a.waitCall("", core.CallRinging)
			if err := a.e.Reject(ctx(t), ringing.ID); err != nil {
				t.Fatal(err)
			}
			if ended := a.waitCall(ringing.ID, core.CallEnded); ended.EndReason != core.EndRejected {
				t.Errorf("ended %s", ended.EndReason)
			}
			if ci, ok := r.cc.Call(call); !ok || ci.Agent == callcenter.DemoAgent {
				t.Fatalf("the customer's call after the reject: %+v %v", ci, ok)
			}
			if !sample(5*time.Second, func() bool { return len(r.front.SIP().Legs()) == 0 }) {
				t.Errorf("legs left at the platform: %+v", r.front.SIP().Legs())
			}
		})
	}
}

// TestAnswerOnPhoneElsewhere: with a SIP phone (5) the seat answers with
// answerPBXCall and the phone elsewhere carries the audio; DTMF goes by
// sendDTMF, one digit per command; mute is not offered here.
func TestAnswerOnPhoneElsewhere(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall("", core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	talking := a.waitCall(ringing.ID, core.CallTalking)
	if talking.Allowed.Has(core.ActMute) || !talking.Allowed.Has(core.ActDTMF) || !talking.Allowed.Has(core.ActHold) {
		t.Errorf("allowed %v", talking.Allowed)
	}
	waitHears(t, "customer hears the SIP phone", deviceHz, r.heard(call, callcenter.SimulatedCustomer))
	got := digitsOf(t, r, callcenter.DemoAgent, 2, func() {
		if err := a.e.SendDTMF(ctx(t), talking.ID, "9*"); err != nil {
			t.Fatal(err)
		}
	})
	if strings.Join(got, ",") != "9,*" {
		t.Fatalf("digits %q", got)
	}
	if err := a.e.Hold(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(talking.ID, core.CallHeld)
	if err := a.e.Resume(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(talking.ID, core.CallTalking)
	if err := a.e.Hangup(ctx(t), talking.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(talking.ID, core.CallEnded)
}

// TestOutboundVoipWithAudio: call() to an outside number (2 外线): the
// platform rings the softphone (answered by itself: the seat placed the
// call), then the callee; calloutResponse 180, 200; the tones cross.
func TestOutboundVoipWithAudio(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{})
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13800138000"})
	if err != nil {
		t.Fatal(err)
	}
	c := a.waitCall(id, core.CallTalking)
	if c.Direction != core.Outbound || c.PlatformCallID == "" || c.RemoteNumber != "13800138000" {
		t.Fatalf("call %+v", c)
	}
	ci, ok := r.cc.CallOf(callcenter.DemoAgent)
	if !ok {
		t.Fatal("no call at the center")
	}
	waitHears(t, "agent", customerHz, a.heard())
	waitHears(t, "callee", agentHz, r.heard(ci.ID, callcenter.SimulatedCustomer))
	if err := a.e.Hangup(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCall(id, core.CallEnded); ended.EndReason != core.EndLocalHangup {
		t.Errorf("ended %s", ended.EndReason)
	}
}

// TestOutboundInternal: call() to an extension (3 内线) reaches the other
// seat (a SIP phone there), which answers with answerPBXCall.
func TestOutboundInternal(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	b := r.seat(t, "8002", seatOptions{callintype: wire.CallInSIPPhone, number: "6002"})
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "8002"})
	if err != nil {
		t.Fatal(err)
	}
	rb := b.waitCall("", core.CallRinging)
	if ra := a.waitCall(id, core.CallRemoteRinging); ra.Direction != core.Internal {
		t.Fatalf("internal call %+v", ra)
	}
	if err := b.e.Answer(ctx(t), rb.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(id, core.CallTalking)
	b.waitCall(rb.ID, core.CallTalking)
	if err := b.e.Hangup(ctx(t), rb.ID); err != nil {
		t.Fatal(err)
	}
	if ended := a.waitCall(id, core.CallEnded); ended.EndReason != core.EndRemoteHangup {
		t.Errorf("caller's call ended %s", ended.EndReason)
	}
}

// TestCallFailures: every failure code of the seed ends the call with its
// sentence (the calls are placed from a SIP phone: control plane only).
func TestCallFailures(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	yes, no := true, false
	limit := 1
	cases := []struct {
		name   string
		target string
		setup  func(t *testing.T)
		undo   func(t *testing.T)
		reason core.EndReason
		detail string
	}{
		{"503 busy", "13900000486", nil, nil, core.EndBusy, "对方忙碌"},
		{"507 suspended", "13800138000",
			func(t *testing.T) {
				mustNil(t, r.front.SetEnterprise(switchnumber, emicsim.EnterpriseSettings{Suspended: &yes}))
			},
			func(t *testing.T) {
				mustNil(t, r.front.SetEnterprise(switchnumber, emicsim.EnterpriseSettings{Suspended: &no}))
			},
			core.EndFailed, "总机号已停机"},
		{"508 off hours", "13800138000",
			func(t *testing.T) {
				now := r.cc.Clock().Now()
				y, m, d := now.Date()
				since := now.Sub(time.Date(y, m, d, 0, 0, 0, 0, now.Location()))
				from := (since + 2*time.Hour) % (24 * time.Hour)
				mustNil(t, r.front.SetEnterprise(switchnumber, emicsim.EnterpriseSettings{Hours: &emicsim.HoursSetting{
					From: emicsim.Duration(from), To: emicsim.Duration((from + time.Hour) % (24 * time.Hour))}}))
			},
			func(t *testing.T) {
				mustNil(t, r.front.SetEnterprise(switchnumber, emicsim.EnterpriseSettings{Hours: &emicsim.HoursSetting{Always: true}}))
			},
			core.EndFailed, "非工作时间"},
		{"512 daily limit", "13800138000",
			func(t *testing.T) {
				mustNil(t, r.front.SetEnterprise(switchnumber, emicsim.EnterpriseSettings{DailyLimit: &limit}))
				// The one call the limit allows.
				id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13800138000"})
				mustNil(t, err)
				a.waitCall(id, core.CallTalking)
				mustNil(t, a.e.Hangup(ctx(t), id))
				a.waitCall(id, core.CallEnded)
			},
			func(t *testing.T) {
				zero := 0
				mustNil(t, r.front.SetEnterprise(switchnumber, emicsim.EnterpriseSettings{DailyLimit: &zero}))
			},
			core.EndFailed, "该客户今日被呼叫次数已达上限"},
		{"1000 protected seat", "8003",
			func(t *testing.T) { r.front.SetProtected("8003", true) },
			func(t *testing.T) { r.front.SetProtected("8003", false) },
			core.EndFailed, "禁止拨打无权限坐席"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			if tc.undo != nil {
				defer tc.undo(t)
			}
			id, err := a.e.Dial(ctx(t), core.DialOptions{Target: tc.target})
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			ended := a.waitCall(id, core.CallEnded)
			if ended.EndReason != tc.reason || !strings.Contains(ended.EndDetail, tc.detail) {
				t.Fatalf("ended %s %q, want %s %q", ended.EndReason, ended.EndDetail, tc.reason, tc.detail)
			}
		})
	}
}

// TestEncryptedNumbers: call(number, "encrypt") decrypts with the
// account's key; the platform gets the digits and the agent only the
// encrypted string. A number that does not decrypt to digits places no
// call and says why.
func TestEncryptedNumbers(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001",
		extra: map[string]string{"encrypt_key": encryptKey}})
	enc, err := wire.Encrypt([]byte(encryptKey), "13800138000")
	mustNil(t, err)
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: enc, NumType: wire.EncryptType})
	if err != nil {
		t.Fatal(err)
	}
	c := a.waitCall(id, core.CallTalking)
	if c.RemoteNumber != enc || strings.Contains(c.RemoteNumber, "13800138000") {
		t.Fatalf("the agent sees %q", c.RemoteNumber)
	}
	if ci, ok := r.cc.CallOf(callcenter.DemoAgent); !ok || ci.To != "13800138000" {
		t.Fatalf("the center dialled %+v", ci)
	}
	mustNil(t, a.e.Hangup(ctx(t), id))
	a.waitCall(id, core.CallEnded)

	bad, err := wire.Encrypt([]byte(encryptKey), "1380013800x")
	mustNil(t, err)
	_, err = a.e.Dial(ctx(t), core.DialOptions{Target: bad, NumType: wire.EncryptType})
	var ne *emicnet.NumberError
	if !errors.As(err, &ne) || !errors.Is(err, wire.ErrNotDigits) {
		t.Fatalf("dial of a bad number: %v", err)
	}
	if zh := core.Sentence(err, "zh"); !strings.Contains(zh, "解密") || strings.Contains(zh, "1380013800x") {
		t.Errorf("sentence %q", zh)
	}
	if _, ok := r.cc.CallOf(callcenter.DemoAgent); ok {
		t.Error("a call was placed")
	}
}

// TestTransfer: transferPBXCall to a member of a group: success hands the
// call on (the agent's part ends as transferred, the member's phone
// speaks to the customer); a target outside the group fails and the call
// stays.
func TestTransfer(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInSIPPhone, number: "6001"})
	r.seat(t, "8002", seatOptions{callintype: wire.CallInCallback, number: "13955550002"})
	targets, err := a.e.Targets(ctx(t), core.TargetAgent)
	mustNil(t, err)
	var to core.Target
	for _, tg := range targets {
		if tg.ID == groupSales+"/8002" {
			to = tg
		}
	}
	if to.ID == "" || to.State != "ready" {
		t.Fatalf("targets %+v", targets)
	}
	call := r.customer("13912345678", customerHz)
	ringing := a.waitCall("", core.CallRinging)
	mustNil(t, a.e.Answer(ctx(t), ringing.ID))
	a.waitCall(ringing.ID, core.CallTalking)

	err = a.e.Transfer(ctx(t), ringing.ID, core.Target{Kind: core.TargetAgent, ID: groupSales + "/8003"})
	var te *emicnet.TransferError
	if !errors.As(err, &te) || core.Sentence(err, "zh") == "" {
		t.Fatalf("transfer outside the group: %v", err)
	}
	if st, _ := a.e.Status(ctx(t)); len(st.Calls) != 1 || st.Calls[0].State != core.CallTalking {
		t.Fatalf("after a failed transfer: %+v", st.Calls)
	}

	mustNil(t, a.e.Transfer(ctx(t), ringing.ID, to))
	if ended := a.waitCall(ringing.ID, core.CallEnded); ended.EndReason != core.EndTransferred {
		t.Errorf("ended %s", ended.EndReason)
	}
	r.waitAgentCall(t, "8002", call)
	waitHears(t, "customer hears 8002's phone", deviceHz, r.heard(call, callcenter.SimulatedCustomer))
}

// waitAgentCall waits until the center's call is served by agent.
func (r *rig) waitAgentCall(t *testing.T, agent string, call callcenter.CallID) {
	t.Helper()
	if !sample(8*time.Second, func() bool { ci, ok := r.cc.Call(call); return ok && ci.Agent == agent }) {
		ci, _ := r.cc.Call(call)
		t.Fatalf("call served by %q, want %s", ci.Agent, agent)
	}
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
