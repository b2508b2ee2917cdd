package sipfront

import (
	"context"
	"crypto/x509"
	"net"
	"os"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
)

// agentbar's own SIP user agent over WSS (custom CA, WebRTC media), as the
// Emicnet adapter uses it, against the platform hooks: X- headers on its
// REGISTER, MESSAGE commands and events both ways, and the call id header
// on the INVITE of an offer.
func TestPhoneOverWSSWithPlatformHooks(t *testing.T) {
	gids := make(chan string, 4)
	c := newWSCenter(t, centerConfig(), Options{
		OnRegister: func(agent string, req *sip.Request) error {
			if h := req.GetHeader("X-Emic-Gid"); h != nil {
				notify(gids)(agent + " " + h.Value())
			}
			return nil
		},
		OnMessage: func(agent string, req *sip.Request) (int, string, []byte) {
			return 200, "application/emicnet-result+json", []byte(`{"seq":1,"code":200,"cmd":` + string(req.Body()) + `}`)
		},
		OfferHeaders: func(ev callcenter.LegOffer) []sip.Header {
			return []sip.Header{sip.NewHeader("X-Emic-CcNumber", string(ev.Call.ID))}
		},
	})
	pem, err := os.ReadFile(c.caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	inbox := make(chan phone.Message, 4)
	p, err := phone.New(phone.Config{URI: "sip:8001@127.0.0.1", Password: "agent-pw", Register: true, Expiry: time.Minute,
		Transport: phone.TransportWSS, WebSocketURL: c.front.WSSURL(), TLSRootCAs: roots, Media: phone.MediaWebRTC,
		LocalIP: net.IPv4(127, 0, 0, 1), RegisterHeaders: map[string]string{"X-Emic-Gid": "2033"},
		OnMessage: func(m phone.Message) int { inbox <- m; return 200 }, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	})
	waitFor(t, "REGISTER with X-Emic-Gid", gids, "8001 2033", 10*time.Second)
	c.waitAgent("8001", callcenter.Ready)
	if b := c.binding("8001"); b.Transport != "wss" {
		t.Fatalf("binding %+v", b)
	}

	res, err := p.SendMessage(ctx, "sip:pbx@127.0.0.1", "application/emicnet-cmd+json", []byte(`{"cmd":"changeStaus"}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != 200 || res.ContentType != "application/emicnet-result+json" || string(res.Body) != `{"seq":1,"code":200,"cmd":{"cmd":"changeStaus"}}` {
		t.Errorf("command answered %d %s %s", res.Code, res.ContentType, res.Body)
	}

	event := `{"event":"statusChanged","data":{"status":1}}`
	if err := c.front.SendMessage(ctx, "8001", "application/emicnet-event+json", []byte(event)); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-inbox:
		if m.ContentType != "application/emicnet-event+json" || string(m.Body) != event {
			t.Errorf("phone got %s %s", m.ContentType, m.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the event MESSAGE did not reach the phone")
	}

	id, err := c.cc.CustomerCall(customer("13800000001", customerHz), "02512345678")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-p.Events():
			in, ok := ev.(phone.IncomingCall)
			if !ok {
				continue
			}
			if got := in.Call.Header("X-Emic-CcNumber"); got != string(id) {
				t.Errorf("INVITE's X-Emic-CcNumber %q, want %s", got, id)
			}
			if err := in.Call.Reject(ctx, 486); err != nil {
				t.Fatal(err)
			}
			c.waitAgent("8001", callcenter.Busy)
			return
		case <-deadline:
			t.Fatal("no incoming call")
		}
	}
}
