package emicnet_test

import (
	"errors"
	"strings"
	"testing"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet"
	"agentbar/vendors/emicnet/emicsim"
	"agentbar/vendors/emicnet/wire"
)

// seatState is the platform's view of a seat.
func (r *rig) seatState(un string) emicsim.SeatState {
	for _, s := range r.front.State().Seats {
		if s.Un == un {
			return s
		}
	}
	return emicsim.SeatState{}
}

// TestSignInPerCallintype: getUser for voip (the audio here: the WebSocket
// registration is also the softphone's), getUser2 for the callback (4)
// and SIP (5) phones (control only); REGISTER carries the group and the
// device; statusChanged makes the seat online (checkLogin 1).
func TestSignInPerCallintype(t *testing.T) {
	r := newRig(t, rigOptions{})
	cases := []struct {
		name       string
		id         string
		callintype wire.CallInType
		number     string
		media      bool
	}{
		{"voip", callcenter.DemoAgent, "", "", true},
		{"callback phone", "8002", wire.CallInCallback, "13955550001", false},
		{"sip phone", "8003", wire.CallInSIPPhone, "6003", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := r.seat(t, tc.id, seatOptions{callintype: tc.callintype, number: tc.number})
			st, err := s.e.Status(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if !st.LoggedIn || st.Connection != core.ConnConnected || st.Session.Extension != tc.id || st.Session.DisplayName == "" || len(st.Session.Groups) == 0 {
				t.Fatalf("status %+v", st)
			}
			if st.MediaOK != tc.media {
				t.Errorf("media registered %v, want %v (%s)", st.MediaOK, tc.media, st.MediaDetail)
			}
			if !tc.media && !strings.Contains(st.MediaDetail, tc.number) {
				t.Errorf("media detail %q does not name the phone %s", st.MediaDetail, tc.number)
			}
			want := tc.callintype
			if want == "" {
				want = wire.CallInVoIP
			}
			ps := r.seatState(tc.id)
			if !ps.Registered || ps.Callintype != want || ps.Gid == "" || ps.Gid == "0" {
				t.Errorf("the platform sees %+v", ps)
			}
			a := s.adapterNow()
			if a.CheckLogin() != wire.LoginOnline || a.CheckSeatState() != wire.StateIdle || a.Callintype() != want {
				t.Errorf("checkLogin %d checkSeatState %d callintype %s", a.CheckLogin(), a.CheckSeatState(), a.Callintype())
			}
			// Busy and back: changeStaus, reflected by statusChanged.
			if err := s.e.SetAgentState(ctx(t), core.BusyState()); err != nil {
				t.Fatal(err)
			}
			s.waitState("busy")
			r.waitAgent(tc.id, callcenter.Busy)
			if a.CheckSeatState() != wire.StateBusy {
				t.Errorf("checkSeatState %d while busy", a.CheckSeatState())
			}
			if err := s.e.SetAgentState(ctx(t), core.ReadyState()); err != nil {
				t.Fatal(err)
			}
			s.waitState("ready")
			if err := s.e.Logout(ctx(t)); err != nil {
				t.Fatal(err)
			}
			if r.front.Registered(tc.id) {
				t.Error("still registered after logout")
			}
		})
	}
}

// TestAccountErrors: every getUser error code reaches the agent as its
// sentence, and the sign-in stops there.
func TestAccountErrors(t *testing.T) {
	r := newRig(t, rigOptions{})
	for _, code := range wire.AccountCodes {
		t.Run(code.Meaning(), func(t *testing.T) {
			r.front.ForceAccountCode(wire.PathGetUser, code, 1)
			_, err := r.signIn(t, callcenter.DemoAgent, seatOptions{})
			var ae *wire.AccountError
			if !errors.As(err, &ae) || ae.Code != code {
				t.Fatalf("login error %v, want code %d", err, code)
			}
			zh, en := core.Sentence(err, "zh"), core.Sentence(err, "en")
			if !strings.Contains(zh, "5000") || zh == en {
				t.Errorf("sentences %q / %q", zh, en)
			}
			if r.front.Registered(callcenter.DemoAgent) {
				t.Error("registered after a refused getUser")
			}
		})
	}
	t.Run("getUser2 too", func(t *testing.T) {
		r.front.ForceAccountCode(wire.PathGetUser2, wire.AccountServerError, 1)
		_, err := r.signIn(t, "8002", seatOptions{callintype: wire.CallInSIPPhone, number: "6002"})
		var ae *wire.AccountError
		if !errors.As(err, &ae) || ae.Code != wire.AccountServerError {
			t.Fatalf("login error %v", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		_, err := r.signIn(t, callcenter.DemoAgent, seatOptions{secret: "nope"})
		var ae *wire.AccountError
		if !errors.As(err, &ae) || ae.Code != wire.AccountBadCredentials {
			t.Fatalf("login error %v", err)
		}
	})
	t.Run("unknown enterprise", func(t *testing.T) {
		_, err := r.signIn(t, callcenter.DemoAgent, seatOptions{fields: map[string]string{"switchnumber": "01000000000"}})
		var ae *wire.AccountError
		if !errors.As(err, &ae) || ae.Code != wire.AccountNoEnterprise {
			t.Fatalf("login error %v", err)
		}
	})
	t.Run("register refused", func(t *testing.T) {
		// A group the seat is not in: the platform answers REGISTER 403.
		_, err := r.signIn(t, "8002", seatOptions{fields: map[string]string{"gid": groupService}})
		var re *wire.RegisterError
		if !errors.As(err, &re) || re.Code != wire.RegisterForbidden {
			t.Fatalf("login error %v", err)
		}
		if s := core.Sentence(err, "zh"); !strings.Contains(s, "注册") {
			t.Errorf("sentence %q", s)
		}
	})
	t.Run("no number for a SIP phone", func(t *testing.T) {
		_, err := r.signIn(t, "8002", seatOptions{callintype: wire.CallInSIPPhone})
		var fe *core.FieldError
		if !errors.As(err, &fe) || fe.Key != "number" {
			t.Fatalf("login error %v", err)
		}
	})
}

// TestKicks: every kickedOffLine reason ends the session with its
// sentence; only 897 offers signing in again; nothing signs in by itself.
func TestKicks(t *testing.T) {
	r := newRig(t, rigOptions{})
	for _, reason := range wire.KickReasons {
		t.Run(reason.Meaning(), func(t *testing.T) {
			s := r.seat(t, callcenter.DemoAgent, seatOptions{callintype: wire.CallInCallback, number: "13955550001"})
			if err := r.front.Kick(callcenter.DemoAgent, reason); err != nil {
				t.Fatal(err)
			}
			ev := s.waitEvent("signed out", func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
			var ke *emicnet.KickError
			if !errors.As(ev.Err, &ke) || ke.Reason != reason || !ev.Kicked {
				t.Fatalf("logged out %+v", ev)
			}
			if ev.CanRelogin != (reason == wire.KickRegTimeout) {
				t.Errorf("can relogin %v for %d", ev.CanRelogin, reason)
			}
			if zh := core.Sentence(ev.Err, "zh"); !strings.Contains(zh, reasonCode(reason)) {
				t.Errorf("sentence %q", zh)
			}
			st, _ := s.e.Status(ctx(t))
			if st.LoggedIn || r.front.Registered(callcenter.DemoAgent) {
				t.Fatalf("still signed in after the kick: %+v", st)
			}
		})
	}
	t.Run("another sign-in takes the seat", func(t *testing.T) {
		first := r.seat(t, "8002", seatOptions{})
		second, err := r.signIn(t, "8002", seatOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ev := first.waitEvent("signed out", func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
		var ke *emicnet.KickError
		if !errors.As(ev.Err, &ke) || ke.Reason != wire.KickOtherLogin || ev.CanRelogin {
			t.Fatalf("logged out %+v", ev)
		}
		if st, _ := second.e.Status(ctx(t)); !st.LoggedIn {
			t.Fatalf("the new sign-in was signed out: %+v", st)
		}
		// Whether the platform keeps the new binding once the kicked client
		// has unregistered its own contact (as the SDK's logout() does) is
		// the registrar's business: sipfront today drops the agent's binding
		// on any Expires: 0, so it is not asserted here.
	})
}

func reasonCode(r wire.KickReason) string {
	return map[wire.KickReason]string{895: "895", 897: "897", 898: "898"}[r]
}
