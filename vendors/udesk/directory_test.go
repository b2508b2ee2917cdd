package udesk_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk"
	"agentbar/vendors/udesk/wire"
)

func TestDirectory(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	agents, err := a.e.Targets(ctx(t), core.TargetAgent)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, x := range agents {
		ids = append(ids, x.ID)
	}
	if !slices.Equal(ids, []string{"8000", "8002", "8003"}) {
		t.Fatalf("agents %v, want the colleagues without 8001", ids)
	}
	queues, err := a.e.Targets(ctx(t), core.TargetQueue)
	if err != nil || len(queues) != 2 || queues[0].Label == "" {
		t.Fatalf("queues %+v %v", queues, err)
	}
	ivr, err := a.e.Targets(ctx(t), core.TargetIVR)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(ivr, func(x core.Target) bool { return x.ID == "main/menu" }) {
		t.Fatalf("IVR targets %+v lack main/menu", ivr)
	}
	if nums, err := a.e.Targets(ctx(t), core.TargetNumber); err != nil || len(nums) != 0 {
		t.Fatalf("numbers %v %v", nums, err)
	}
}

// TestCallerIDChoice: trunk numbers and number pools; the chosen one is what
// the callee sees.
func TestCallerIDChoice(t *testing.T) {
	r := newRig(t, rigOptions{})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	ids, err := a.e.CallerIDs(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, c := range ids {
		have = append(have, c.ID)
	}
	if !slices.Equal(have, []string{"sp:4008001234", "sp:02512345678", "pool:outbound"}) {
		t.Fatalf("caller ids %v", have)
	}
	if !ids[0].Current {
		t.Fatalf("the tenant's default should be current: %+v", ids)
	}
	dialShows := func(want string) {
		t.Helper()
		id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13800138000"})
		if err != nil {
			t.Fatal(err)
		}
		a.waitCallID(id, core.CallTalking)
		ci, _ := r.cc.CallOf(callcenter.DemoAgent)
		if ci.Display != want {
			t.Errorf("callee sees %q, want %q", ci.Display, want)
		}
		if err := a.e.Hangup(ctx(t), id); err != nil {
			t.Fatal(err)
		}
		a.waitCallID(id, core.CallEnded)
		r.waitAgent(callcenter.DemoAgent, callcenter.Ready)
	}
	if err := a.e.SetCallerID(ctx(t), "sp:02512345678"); err != nil {
		t.Fatal(err)
	}
	dialShows("02512345678")
	if err := a.e.SetCallerID(ctx(t), "pool:outbound"); err != nil {
		t.Fatal(err)
	}
	dialShows("02566660001")
	ids, _ = a.e.CallerIDs(ctx(t))
	if !ids[2].Current || ids[1].Current {
		t.Fatalf("the pool should be current: %+v", ids)
	}
	// A per-call choice (DialOptions.CallerID) is set before the call.
	id, err := a.e.Dial(ctx(t), core.DialOptions{Target: "13800138001", CallerID: "sp:4008001234"})
	if err != nil {
		t.Fatal(err)
	}
	a.waitCallID(id, core.CallTalking)
	if ci, _ := r.cc.CallOf(callcenter.DemoAgent); ci.Display != "4008001234" {
		t.Errorf("callee sees %q", ci.Display)
	}
	var pe *udesk.PlatformError
	if err := a.e.SetCallerID(ctx(t), "sp:999"); !errors.As(err, &pe) || !pe.Visible {
		t.Fatalf("unknown trunk: %v", err)
	}
}

// TestDeviceModes: the platform's modes; switching to voip starts the IP
// phone (registered over UDP with the terminal account), to webrtc the web
// phone (over WSS, GetWebPhoneInfoAsync's account), to cellphone neither;
// the center rings the mobile then.
func TestDeviceModes(t *testing.T) {
	r := newRig(t, rigOptions{voip: true})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	modes, err := a.e.DeviceModes(ctx(t))
	if err != nil || len(modes) != 3 {
		t.Fatalf("modes %+v %v", modes, err)
	}
	for _, m := range modes {
		if m.Current != (m.ID == wire.ModeCellphone) {
			t.Errorf("mode %s current %v", m.ID, m.Current)
		}
	}
	if err := a.e.SetDeviceMode(ctx(t), wire.ModeVoip); err != nil {
		t.Fatal(err)
	}
	a.waitEvent("softphone registered", func(ev core.Event) bool {
		m, ok := ev.(core.MediaChanged)
		return ok && m.Registered
	})
	if r.front.Mode(callcenter.DemoAgent) != wire.ModeVoip {
		t.Fatal("the platform did not switch")
	}
	if b := r.binding(callcenter.DemoAgent); b.Transport != "udp" {
		t.Fatalf("the IP phone registered over %q", b.Transport)
	}
	if err := a.e.SetDeviceMode(ctx(t), wire.ModeWebRTC); err != nil {
		t.Fatal(err)
	}
	a.waitEvent("web phone registered", func(ev core.Event) bool {
		m, ok := ev.(core.MediaChanged)
		return ok && m.Registered && strings.Contains(m.Detail, "网页电话")
	})
	if b := r.binding(callcenter.DemoAgent); b.Transport != "wss" {
		t.Fatalf("the web phone registered over %q", b.Transport)
	}
	if err := a.e.SetDeviceMode(ctx(t), wire.ModeCellphone); err != nil {
		t.Fatal(err)
	}
	a.waitEvent("softphone gone", func(ev core.Event) bool {
		m, ok := ev.(core.MediaChanged)
		return ok && !m.Registered
	})
	if info, _ := r.cc.Agent(callcenter.DemoAgent); info.Device.Kind != callcenter.DeviceCallback || info.Device.Number != "13800008001" {
		t.Fatalf("cellphone mode rings %+v, want the mobile", info.Device)
	}
}

// TestWrapUp: after a queue call with wrap-up time the platform says
// neaten; the engine shows wrap-up until the platform's time is over.
func TestWrapUp(t *testing.T) {
	r := newRig(t, rigOptions{tweak: func(c *callcenter.Config) { c.Queues[1].WrapUp = time.Second }})
	a := r.agent(callcenter.DemoAgent, wire.ModeCellphone, agentHz)
	r.customer("13912345678", customerHz)
	ringing := a.waitCall(core.CallRinging)
	if err := a.e.Answer(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	a.waitCall(core.CallTalking)
	if err := a.e.Hangup(ctx(t), ringing.ID); err != nil {
		t.Fatal(err)
	}
	w := a.waitState("wrapup", "")
	if w.WrapUpUntil.IsZero() || time.Until(w.WrapUpUntil) > 2*time.Second {
		t.Fatalf("wrap-up until %v", w.WrapUpUntil)
	}
	a.waitState("ready", "")
}
