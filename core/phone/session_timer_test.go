package phone

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

func isQuality(c *Call) func(Event) bool {
	return func(e Event) bool { q, ok := e.(CallQuality); return ok && q.Call == c }
}

func TestSessionTimerRefreshKeepsCallUp(t *testing.T) {
	// 90 s scaled by 0.03: alice refreshes every 1.35 s, bob gives up 1.8 s
	// after the last refresh; margins that survive a loaded machine.
	fast := func(h *testHooks) { h.sessionTimerScale = 0.03; h.qualityEvery = 400 * time.Millisecond }
	alice := newTestPhoneWith(t, "alice", TransportUDP, func(c *Config) { c.SessionExpires = 90 * time.Second }, fast)
	bob := newTestPhoneWith(t, "bob", TransportUDP, nil, fast)
	out, in := connect(t, alice, bob)
	refreshes := func(c *Call) (bool, bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.timer != nil, c.timer != nil && c.timer.weRefresh
	}
	aliceHas, aliceRefreshes := refreshes(out)
	bobHas, bobRefreshes := refreshes(in)
	if !aliceHas || !bobHas || !aliceRefreshes || bobRefreshes {
		t.Fatalf("timers: alice %v/%v, bob %v/%v; want both on, alice (the caller) refreshing", aliceHas, aliceRefreshes, bobHas, bobRefreshes)
	}
	// Without refreshes bob would end the call after 1.8 s; wait for 4 s
	// of quality reports (two refreshes) instead.
	bob.ev.waitN(10, "10 quality reports", isQuality(in))
	if in.State() != Talking || out.State() != Talking {
		t.Fatalf("states %v/%v after several refresh intervals", out.State(), in.State())
	}
}

func TestSessionTimerExpiresWithoutRefresh(t *testing.T) {
	alice := newTestPhoneWith(t, "alice", TransportUDP, func(c *Config) { c.SessionExpires = 90 * time.Second },
		func(h *testHooks) { h.sessionTimerScale = 0.01; h.skipRefresh = true })
	bob := newTestPhoneWith(t, "bob", TransportUDP, nil, func(h *testHooks) { h.sessionTimerScale = 0.01 })
	out, in := connect(t, alice, bob)
	if e := bob.ev.waitState(in.ID(), Ended); !errors.Is(e.Reason, ErrSessionExpired) {
		t.Fatalf("bob's call ended with %v, want ErrSessionExpired", e.Reason)
	}
	if e := alice.ev.waitState(out.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
		t.Fatalf("alice's call ended with %v", e.Reason)
	}
}

func TestSessionTimerHeaders(t *testing.T) {
	pr := newProbe(t)
	bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) { c.AutoAnswer = true })
	_, res, err := pr.invite(t, bob.Contact(), probeOffer(40010, "", ""),
		sip.NewHeader("Session-Expires", "1800"), sip.NewHeader("Supported", "timer"))
	if err != nil {
		t.Fatal(err)
	}
	se := res.GetHeader("Session-Expires")
	if se == nil || se.Value() != "1800;refresher=uac" || res.GetHeader("Require") == nil {
		t.Fatalf("200 without the negotiated session timer: %v", res)
	}
	tooSmall := pr.do(t, pr.request(t, sip.INVITE, bob.Contact(), probeOffer(40012, "", ""),
		sip.NewHeader("Content-Type", "application/sdp"), sip.NewHeader("Session-Expires", "30")))
	if tooSmall.StatusCode != 422 || tooSmall.GetHeader("Min-SE") == nil || !strings.HasPrefix(tooSmall.GetHeader("Min-SE").Value(), "90") {
		t.Fatalf("Session-Expires 30: %d, want 422 with Min-SE 90", tooSmall.StatusCode)
	}
}

func TestUpdateRefreshAndHold(t *testing.T) {
	pr := newProbe(t)
	bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) { c.AutoAnswer = true })
	s, _, err := pr.invite(t, bob.Contact(), probeOffer(40020, "", ""), sip.NewHeader("Supported", "timer"))
	if err != nil {
		t.Fatal(err)
	}
	in := bob.nextIncoming()
	bob.ev.waitState(in.Call.ID(), Talking)

	refresh := sip.NewRequest(sip.UPDATE, s.InviteResponse.Contact().Address)
	refresh.AppendHeader(sip.NewHeader("Session-Expires", "120;refresher=uac"))
	res, err := s.Do(ctxT(t), refresh)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("UPDATE refresh: %v %v", res, err)
	}
	if se := res.GetHeader("Session-Expires"); se == nil || se.Value() != "120;refresher=uac" {
		t.Fatalf("UPDATE answer Session-Expires %v", se)
	}

	hold := sip.NewRequest(sip.UPDATE, s.InviteResponse.Contact().Address)
	hold.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	hold.SetBody(probeOffer(40020, "a=sendonly\r\n", ""))
	res, err = s.Do(ctxT(t), hold)
	if err != nil || res.StatusCode != 200 || !strings.Contains(string(res.Body()), "a=recvonly") {
		t.Fatalf("UPDATE hold: %v %v", res, err)
	}
	bob.ev.waitState(in.Call.ID(), RemoteHeld)
}
