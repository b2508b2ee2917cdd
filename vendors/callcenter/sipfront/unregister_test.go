package sipfront

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
)

// socketsDone reports every closed WebSocket (its remote address) once the
// front has dealt with it.
func (c *center) socketsDone() <-chan string {
	ch := make(chan string, 64)
	c.front.mu.Lock()
	c.front.socketDone = func(_, raddr string) { notify(ch)(raddr) }
	c.front.mu.Unlock()
	return ch
}

// An unregistration removes only the binding it names: over a WebSocket
// the socket it comes over, over UDP its Contact. A client replaced by a
// new sign-in that unregisters (core/phone does on Close) and closes does
// not sign the new one out.
func TestUnregisterRemovesOnlyItsBinding(t *testing.T) {
	unregistered := make(chan string, 8)
	c := newWSCenter(t, centerConfig(), Options{OnUnregister: notify(unregistered)})
	stillBound := func(t *testing.T, source string) {
		t.Helper()
		if b := c.in(t).binding("8001"); source != "" && b.Source != source {
			t.Fatalf("binding %+v, want the one from %s", b, source)
		}
		select {
		case a := <-unregistered:
			t.Fatalf("OnUnregister(%s) for a binding that stays", a)
		default:
		}
		if a, _ := c.cc.Agent("8001"); a.State.Kind != callcenter.Ready {
			t.Fatalf("8001 is %s", a.State)
		}
	}
	gone := func(t *testing.T) {
		t.Helper()
		if c.front.Registered("8001") {
			t.Fatalf("binding %+v stayed", c.front.Bindings())
		}
		waitFor(t, "OnUnregister", unregistered, "8001", 5*time.Second)
		c.in(t).waitAgent("8001", callcenter.Offline)
	}

	t.Run("websocket", func(t *testing.T) {
		closed := c.socketsDone()
		old := newWSEndpoint(t, c.front.WSURL(), "8001")
		if res := old.register("agent-pw"); res.StatusCode != 200 {
			t.Fatalf("REGISTER answered %d", res.StatusCode)
		}
		oldSocket := c.in(t).binding("8001").Source
		c.in(t).waitAgent("8001", callcenter.Ready)
		current := newWSEndpoint(t, c.front.WSURL(), "8001")
		if res := current.register("agent-pw"); res.StatusCode != 200 {
			t.Fatalf("REGISTER answered %d", res.StatusCode)
		}
		socket := c.in(t).binding("8001").Source
		if socket == oldSocket {
			t.Fatalf("both sign-ins over %s", socket)
		}
		for _, wildcard := range []bool{false, true} {
			if res := old.unregister("agent-pw", wildcard); res.StatusCode != 200 {
				t.Fatalf("unregistration (wildcard %v) answered %d", wildcard, res.StatusCode)
			}
			stillBound(t, socket)
		}
		old.close()
		waitFor(t, "the old socket dealt with", closed, oldSocket, 5*time.Second)
		stillBound(t, socket)
		if res := current.unregister("agent-pw", false); res.StatusCode != 200 || res.Contact() != nil {
			t.Fatalf("unregistration answered %d with contact %v", res.StatusCode, res.Contact())
		}
		gone(t)
	})

	t.Run("udp", func(t *testing.T) {
		ua, err := sipgo.NewUA(sipgo.WithUserAgentHostname("127.0.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		defer ua.Close()
		client, err := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		register := func(contact string, expires int) {
			t.Helper()
			req := sip.NewRequest(sip.REGISTER, sip.Uri{Scheme: "sip", User: "8001", Host: "127.0.0.1", Port: c.front.Port()})
			from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "8001", Host: "127.0.0.1"}, Params: sip.NewParams()}
			from.Params.Add("tag", sip.GenerateTagN(10))
			req.AppendHeader(from)
			req.AppendHeader(sip.NewHeader("Contact", contact))
			req.AppendHeader(sip.NewHeader("Expires", fmt.Sprint(expires)))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res, err := client.Do(ctx, req, sipgo.ClientRequestRegisterBuild)
			if err == nil && res.StatusCode == 401 {
				res, err = client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: "8001", Password: "agent-pw"})
			}
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("REGISTER %s expires %d: %v %v", contact, expires, res, err)
			}
		}
		const first, second = "<sip:8001@127.0.0.1:40001>", "<sip:8001@127.0.0.1:40002>"
		register(first, 60)
		c.in(t).waitAgent("8001", callcenter.Ready)
		register(second, 60)
		register(first, 0)
		stillBound(t, "")
		if b := c.in(t).binding("8001"); b.Contact != "sip:8001@127.0.0.1:40002" {
			t.Fatalf("binding %+v after the first contact's unregistration", b)
		}
		register(second, 0)
		gone(t)
		// "*" removes whatever binding the address has.
		register(first, 60)
		c.in(t).waitAgent("8001", callcenter.Ready)
		register("*", 0)
		gone(t)
	})
}
