package emicsim

import (
	"errors"
	"testing"
	"time"

	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// TestKicks: every kickedOffLine reason from its real cause. 895: another
// sign-in takes the seat (the new one keeps it); 897: the registration was
// not refreshed in time; 898: the account, then the enterprise, disabled.
func TestKicks(t *testing.T) {
	o := simOptions()
	o.MaxExpiry = 4 * time.Second
	s := newSim(t, simConfig(), o)

	first := s.signIn("8001", clientOpts{})
	second := s.signIn("8001", clientOpts{})
	if r := first.kicked(); r != wire.KickOtherLogin {
		t.Fatalf("the first sign-in got %d, want 895", r)
	}
	// The first client stays up (closing it would unregister, and the SIP
	// front removes a seat's binding on any Expires: 0): its refreshes are
	// refused from now on.
	second.ok(wire.CmdChangeStaus, wire.StatusData{Status: wire.SeatBusy})
	if st := second.status(); st != wire.SeatBusy {
		t.Fatalf("the new sign-in: %d", st)
	}
	second.quiet()

	// 897: the seat's refreshes are held (the center's delay knob on
	// REGISTER) past 90 % of the 4 s granted.
	if err := s.cc.Faults().Set(callcenter.Delay{Method: "REGISTER", For: callcenter.Duration(6 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if r := second.kicked(); r != wire.KickRegTimeout {
		t.Fatalf("held refreshes: %d, want 897", r)
	}
	s.cc.Faults().Clear(callcenter.FaultDelay)
	second.close()
	if a, _ := s.cc.Agent("8001"); a.State.Kind != callcenter.Offline {
		t.Fatalf("after 897 the seat is %v", a.State)
	}

	// 898: the account is disabled; getUser and REGISTER refuse it then.
	c := s.signIn("8002", clientOpts{})
	must(t, s.front.SetAccountDisabled("8002", true))
	if r := c.kicked(); r != wire.KickInvalid {
		t.Fatalf("disabled account: %d, want 898", r)
	}
	c.close()
	if r := s.getUser("8002", agentPW, testSwitch); r.Code != wire.FlexInt(wire.AccountLoginInfo) {
		t.Errorf("getUser of a disabled account: %+v", r)
	}
	again, reg := s.connect("8002", clientOpts{})
	if reg.State != phone.RegistrationFailed {
		t.Errorf("REGISTER of a disabled account: %v", reg)
	}
	again.close()
	must(t, s.front.SetAccountDisabled("8002", false))

	// 898: the enterprise stops (企业停止使用).
	c = s.signIn("8003", clientOpts{})
	sup := s.signIn("8000", clientOpts{pwd: superPW})
	must(t, s.front.SetEnterprise(testSwitch, EnterpriseSettings{Disabled: ptr(true)}))
	for _, k := range []*client{c, sup} {
		if r := k.kicked(); r != wire.KickInvalid {
			t.Fatalf("%s in a disabled enterprise: %d, want 898", k.un, r)
		}
	}
	if r := s.getUser("8003", agentPW, testSwitch); r.Code != wire.FlexInt(wire.AccountNoEnterprise) {
		t.Errorf("getUser in a disabled enterprise: %+v", r)
	}
	if err := s.front.Kick("8003", wire.KickOtherLogin); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("kick of a seat not signed in: %v", err)
	}
}

// TestAdminKick: the admin's kick carries any reason; the center's own kick
// knob (logged in elsewhere) is 895.
func TestAdminKick(t *testing.T) {
	s := newSim(t, simConfig(), simOptions())
	a := s.signIn("8001", clientOpts{})
	var out map[string]any
	s.post("/emicsim/kick", map[string]any{"un": "8001", "r": 897}, &out)
	if r := a.kicked(); r != wire.KickRegTimeout {
		t.Fatalf("admin kick 897: %d", r)
	}
	a.close()
	b := s.signIn("8002", clientOpts{})
	must(t, s.cc.Faults().Set(callcenter.Kick{Agent: "8002", Reason: "test"}))
	if r := b.kicked(); r != wire.KickOtherLogin {
		t.Fatalf("the center's kick knob: %d", r)
	}
	var st State
	s.post("/emicsim/enterprise", map[string]any{"switchnumber": testSwitch, "suspended": true, "daily_limit": 2,
		"hours": map[string]string{"from": "9h", "to": "18h"}}, &out)
	st = s.front.State()
	e := st.Enterprises[0]
	if !e.Suspended || e.DailyLimit != 2 || e.Hours == nil || e.Hours.From != 9*time.Hour || e.Hours.To != 18*time.Hour {
		t.Fatalf("enterprise knobs %+v", e)
	}
	s.post("/emicsim/force", map[string]any{"path": wire.PathGetUser, "code": 50002, "count": 1}, &out)
	if r := s.getUser("8001", agentPW, testSwitch); r.Code != 50002 {
		t.Errorf("forced 50002: %+v", r)
	}
	if r := s.getUser("8001", agentPW, testSwitch); !r.OK() {
		t.Errorf("after the forced answer: %+v", r)
	}
}
