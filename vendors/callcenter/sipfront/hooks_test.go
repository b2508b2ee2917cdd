package sipfront

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
)

// The hooks a platform's front-end (Emicnet's) builds on, driven by a bare
// SIP-over-WebSocket endpoint: registration refused or accepted with X-
// headers, MESSAGE both ways, headers on offers, the kick notice, and the
// binding going with its socket.
func TestPlatformHooksOverWebSocket(t *testing.T) {
	unregistered := make(chan string, 8)
	registered := make(chan string, 8)
	opts := Options{
		OnRegister: func(agent string, req *sip.Request) error {
			gid := ""
			if h := req.GetHeader("X-Emic-Gid"); h != nil {
				gid = h.Value()
			}
			if gid == "bad" {
				return errors.New("no such group")
			}
			notify(registered)(agent + " gid " + gid)
			return nil
		},
		OnUnregister: notify(unregistered),
		OnMessage: func(agent string, req *sip.Request) (int, string, []byte) {
			return 200, "application/emicnet-result+json", []byte(`{"agent":"` + agent + `","echo":` + string(req.Body()) + `}`)
		},
		OfferHeaders: func(ev callcenter.LegOffer) []sip.Header {
			return []sip.Header{sip.NewHeader("X-Emic-CcNumber", string(ev.Call.ID))}
		},
		KickMessage: func(agent, reason string) (string, []byte) {
			return "application/emicnet-event+json", []byte(`{"event":"kickedOffLine","data":{"r":895},"why":"` + reason + `"}`)
		},
	}
	c := newWSCenter(t, centerConfig(), opts)
	// A client that connects and never speaks must not keep the others out.
	stallWS(t, c.front.WSURL())
	e := newWSEndpoint(t, c.front.WSURL(), "8001")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("OnRegister refuses", func(t *testing.T) {
		res := e.register("agent-pw", sip.NewHeader("X-Emic-Gid", "bad"))
		if res.StatusCode != 403 || res.Reason != "no such group" {
			t.Fatalf("REGISTER answered %d %q, want 403 \"no such group\"", res.StatusCode, res.Reason)
		}
		if c.front.Registered("8001") {
			t.Fatal("refused REGISTER bound the agent")
		}
	})

	t.Run("register", func(t *testing.T) {
		c := c.in(t)
		if res := e.register("agent-pw", sip.NewHeader("X-Emic-Gid", "2033")); res.StatusCode != 200 {
			t.Fatalf("REGISTER answered %d %s", res.StatusCode, res.Reason)
		}
		waitFor(t, "OnRegister", registered, "8001 gid 2033", 5*time.Second)
		if b := c.binding("8001"); b.Transport != "ws" || !strings.Contains(b.Contact, ".invalid") {
			t.Fatalf("binding %+v", b)
		}
		c.waitAgent("8001", callcenter.Ready)
	})

	t.Run("MESSAGE to the platform", func(t *testing.T) {
		res := e.message("", "application/emicnet-cmd+json", `{"cmd":"changeStaus","seq":7}`)
		if res.StatusCode != 200 {
			t.Fatalf("MESSAGE over the registered socket answered %d %s", res.StatusCode, res.Reason)
		}
		if ct := res.ContentType(); ct == nil || ct.Value() != "application/emicnet-result+json" {
			t.Errorf("answer's content type %v", ct)
		}
		if got, want := string(res.Body()), `{"agent":"8001","echo":{"cmd":"changeStaus","seq":7}}`; got != want {
			t.Errorf("answer %s, want %s", got, want)
		}
		// Another socket is not the binding: it has to prove who it is.
		other := newWSEndpoint(t, c.front.WSURL(), "8001")
		if res := other.message("", "text/plain", `"x"`); res.StatusCode != 401 {
			t.Errorf("MESSAGE from another socket without credentials answered %d, want 401", res.StatusCode)
		}
		if res := other.message("agent-pw", "text/plain", `"x"`); res.StatusCode != 200 {
			t.Errorf("MESSAGE from another socket with credentials answered %d, want 200", res.StatusCode)
		}
		other.close()
	})

	t.Run("SendMessage", func(t *testing.T) {
		body := `{"event":"statusChanged","data":{"status":1}}`
		if err := c.front.SendMessage(ctx, "8001", "application/emicnet-event+json", []byte(body)); err != nil {
			t.Fatal(err)
		}
		m := next(t, "MESSAGE", e.messages)
		if string(m.Body()) != body || m.ContentType().Value() != "application/emicnet-event+json" || m.Transport() != "WS" {
			t.Errorf("endpoint got %s %q over %s", m.ContentType().Value(), m.Body(), m.Transport())
		}
		e.messageCode.Store(488)
		err := c.front.SendMessage(ctx, "8001", "text/plain", []byte("x"))
		var se *StatusError
		if !errors.Is(err, ErrRefused) || !errors.As(err, &se) || se.Code != 488 {
			t.Errorf("SendMessage answered 488: %v", err)
		}
		next(t, "MESSAGE", e.messages)
		e.messageCode.Store(200)
		if err := c.front.SendMessage(ctx, "8002", "text/plain", []byte("x")); !errors.Is(err, ErrNotRegistered) {
			t.Errorf("SendMessage to an agent without binding: %v", err)
		}
	})

	t.Run("offer headers", func(t *testing.T) {
		c := c.in(t)
		id, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678")
		if err != nil {
			t.Fatal(err)
		}
		inv := next(t, "INVITE", e.invites)
		if h := inv.GetHeader("X-Emic-CcNumber"); h == nil || h.Value() != string(id) {
			t.Errorf("INVITE's X-Emic-CcNumber %v, want %s", h, id)
		}
		if !isWebRTCSDP(inv.Body()) || inv.Transport() != "WS" {
			t.Errorf("offer over %s is not WebRTC:\n%s", inv.Transport(), inv.Body())
		}
		c.waitAgent("8001", callcenter.Busy) // it answered 486
	})

	t.Run("kick", func(t *testing.T) {
		if err := c.cc.Kick("8001", "test"); err != nil {
			t.Fatal(err)
		}
		m := next(t, "kick MESSAGE", e.messages)
		if m.ContentType().Value() != "application/emicnet-event+json" || !strings.Contains(string(m.Body()), `"r":895`) {
			t.Errorf("kick notice %s %s", m.ContentType().Value(), m.Body())
		}
		waitFor(t, "OnUnregister after the kick", unregistered, "8001", 5*time.Second)
		if c.front.Registered("8001") {
			t.Error("kicked agent still registered")
		}
	})

	t.Run("socket closed", func(t *testing.T) {
		c := c.in(t)
		e3 := newWSEndpoint(t, c.front.WSURL(), "8003")
		if res := e3.register("agent-pw"); res.StatusCode != 200 {
			t.Fatalf("REGISTER answered %d", res.StatusCode)
		}
		waitFor(t, "OnRegister", registered, "8003 gid ", 5*time.Second)
		e3.close()
		waitFor(t, "OnUnregister after the socket closed", unregistered, "8003", 5*time.Second)
		if c.front.Registered("8003") {
			t.Error("binding outlived its socket")
		}
		c.waitAgent("8003", callcenter.Offline)
	})
}
