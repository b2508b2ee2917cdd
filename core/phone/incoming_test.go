package phone

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

func TestOptionsAnswered(t *testing.T) {
	pr := newProbe(t) // first: cleaned up last, after bob said goodbye
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	res := pr.do(t, pr.request(t, sip.OPTIONS, bob.Contact(), nil))
	if res.StatusCode != 200 {
		t.Fatalf("OPTIONS: %d", res.StatusCode)
	}
	allow := res.GetHeader("Allow")
	for _, m := range []string{"INVITE", "BYE", "REFER", "INFO", "UPDATE"} {
		if allow == nil || !strings.Contains(allow.Value(), m) {
			t.Fatalf("Allow %v lacks %s", allow, m)
		}
	}
	if a := res.GetHeader("Accept"); a == nil || !strings.Contains(a.Value(), "application/sdp") {
		t.Fatalf("Accept = %v", a)
	}
}

func TestIncomingBadInput(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        int
	}{
		{"malformed SDP", []byte("v=0\r\nthis is not sdp\r\n"), "application/sdp", 400},
		{"no common codec", []byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"), "application/sdp", 488},
		{"SRTP only", []byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 0\r\n"), "application/sdp", 488},
		{"IPv6 media", []byte("v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"), "application/sdp", 488},
		{"not SDP", []byte("hello"), "text/plain", 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := newProbe(t) // first: cleaned up last, after bob said goodbye
			bob := newTestPhone(t, "bob", TransportUDP, nil)
			req := pr.request(t, sip.INVITE, bob.Contact(), tt.body, sip.NewHeader("Content-Type", tt.contentType))
			res := pr.do(t, req)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
			if n := bob.ev.count(func(e Event) bool { _, ok := e.(IncomingCall); return ok }); n != 0 {
				t.Fatalf("%d IncomingCall events for a refused INVITE", n)
			}
		})
	}
}

func TestGarbageOnSIPPort(t *testing.T) {
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	var u sip.Uri
	if err := sip.ParseUri(bob.Contact(), &u); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("udp4", net.JoinHostPort(u.Host, itoa(u.Port)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	junk := [][]byte{
		[]byte("\x00\x01\x02garbage"),
		[]byte("INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: broken\r\n\r\n"),
		[]byte("SIP/2.0 200 OK\r\nCSeq: x\r\n\r\n"),
		[]byte(strings.Repeat("A", 1400)),
		[]byte("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nContent-Length: 99999\r\n\r\nshort"),
	}
	for _, j := range junk {
		if _, err := conn.Write(j); err != nil {
			t.Fatal(err)
		}
	}
	pr := newProbe(t)
	if res := pr.do(t, pr.request(t, sip.OPTIONS, bob.Contact(), nil)); res.StatusCode != 200 {
		t.Fatalf("OPTIONS after garbage: %d", res.StatusCode)
	}
}

func TestAutoAnswer(t *testing.T) {
	tests := []struct {
		name    string
		honour  bool
		auto    bool
		headers []sip.Header
		want    time.Duration
	}{
		{"Call-Info answer-after=0", true, false, []sip.Header{sip.NewHeader("Call-Info", "<sip:127.0.0.1>;answer-after=0")}, 0},
		{"Alert-Info autoanswer", true, false, []sip.Header{sip.NewHeader("Alert-Info", "<http://127.0.0.1/x>;info=alert-autoanswer")}, 0},
		{"Config.AutoAnswer", false, true, nil, 0},
		{"header ignored without HonourAnswerAfter", false, false, []sip.Header{sip.NewHeader("Call-Info", "<sip:127.0.0.1>;answer-after=0")}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := newProbe(t) // first: cleaned up last, after bob said goodbye
			bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) {
				c.HonourAnswerAfter, c.AutoAnswer = tt.honour, tt.auto
			})
			done := make(chan error, 1)
			go func() {
				_, _, err := pr.invite(t, bob.Contact(), probeOffer(40000, "", ""), tt.headers...)
				done <- err
			}()
			in := bob.nextIncoming()
			if in.AutoAnswerAfter != tt.want {
				t.Fatalf("AutoAnswerAfter %v, want %v", in.AutoAnswerAfter, tt.want)
			}
			if tt.want < 0 {
				if err := in.Call.Answer(ctxT(t)); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("INVITE: %v", err)
				}
			case <-time.After(waitTimeout):
				t.Fatal("not answered")
			}
			bob.ev.waitState(in.Call.ID(), Talking)
		})
	}
}

func TestOfferlessInvite(t *testing.T) {
	pr := newProbe(t) // first: cleaned up last, after bob said goodbye
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	done := make(chan *sip.Response, 1)
	go func() {
		dua := pr.dialogUA()
		req := pr.request(t, sip.INVITE, bob.Contact(), nil)
		s, err := dua.WriteInvite(ctxT(t), req)
		if err != nil {
			done <- nil
			return
		}
		if err := s.WaitAnswer(ctxT(t), sipgoAnswerOptions()); err != nil {
			done <- nil
			return
		}
		res := s.InviteResponse
		ack := sip.NewRequest(sip.ACK, res.Contact().Address)
		ack.SetBody(probeOffer(40002, "", "8"))
		ack.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
		if err := s.WriteRequest(ack); err != nil {
			done <- nil
			return
		}
		done <- res
	}()
	in := bob.nextIncoming()
	if err := in.Call.Answer(ctxT(t)); err != nil {
		t.Fatalf("Answer: %v", err)
	}
	var res *sip.Response
	select {
	case res = <-done:
	case <-time.After(waitTimeout):
		t.Fatal("probe stuck")
	}
	if res == nil || !strings.Contains(string(res.Body()), "m=audio") {
		t.Fatalf("our 200 should carry an offer: %v", res)
	}
	bob.ev.waitState(in.Call.ID(), Talking)
	in.Call.mu.Lock()
	codec := in.Call.codec.name
	in.Call.mu.Unlock()
	if codec != "PCMA" {
		t.Fatalf("codec from the ACK's answer: %q, want PCMA", codec)
	}
}
