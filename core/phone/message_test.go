package phone

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
)

// msgSink is an OnMessage that keeps what it gets. The status answered is
// 400 for a body "bad", 200 otherwise; hold, while set, makes it wait.
type msgSink struct {
	mu      sync.Mutex
	got     []Message
	changed chan struct{}
	hold    chan struct{}
}

func newMsgSink() *msgSink { return &msgSink{changed: make(chan struct{})} }

func (s *msgSink) onMessage(m Message) int {
	s.mu.Lock()
	s.got = append(s.got, m)
	close(s.changed)
	s.changed = make(chan struct{})
	hold := s.hold
	s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if string(m.Body) == "bad" {
		return 400
	}
	return 200
}

// wait returns the first n messages once they are in.
func (s *msgSink) wait(t testing.TB, n int) []Message {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, changed := append([]Message(nil), s.got...), s.changed
		s.mu.Unlock()
		if len(got) >= n {
			return got[:n]
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("OnMessage got %d messages in %v, want %d", len(got), waitTimeout, n)
		}
	}
}

func (s *msgSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

// messageServer is a server that sends MESSAGEs to one phone over the
// phone's transport: the probe over UDP, the relay's socket over WS.
type messageServer struct {
	phone *testPhone
	// send sends one MESSAGE and returns the final response.
	send func(contentType string, body []byte, headers ...sip.Header) *sip.Response
	// burst sends n MESSAGEs back to back, without waiting for answers,
	// bodies "0".."n-1", and returns the final status of each.
	burst func(n int) []int
	// raw sends a request as written (the phone's address filled in) and
	// returns the final status.
	raw  func(build func(ruri string) *sip.Request) int
	from string // the URI the phone sees the MESSAGEs come from
}

func udpMessageServer(t *testing.T, onMessage func(Message) int) *messageServer {
	pr := newProbe(t) // first: cleaned up last
	phone := newTestPhone(t, "alice", TransportUDP, func(c *Config) { c.OnMessage = onMessage })
	build := func(contentType string, body []byte, cseq uint32, headers ...sip.Header) *sip.Request {
		req := pr.request(t, sip.MESSAGE, phone.Contact(), body, headers...)
		req.RemoveHeader("Contact")
		if contentType != "" {
			req.AppendHeader(sip.NewHeader("Content-Type", contentType))
		}
		req.AppendHeader(&sip.CSeqHeader{SeqNo: cseq, MethodName: sip.MESSAGE})
		return req
	}
	return &messageServer{
		phone: phone,
		from:  "sip:probe@127.0.0.1",
		send: func(contentType string, body []byte, headers ...sip.Header) *sip.Response {
			return pr.do(t, build(contentType, body, 1, headers...))
		},
		burst: func(n int) []int {
			txs := make([]sip.ClientTransaction, n)
			for i := range txs {
				tx, err := pr.client.TransactionRequest(ctxT(t), build("text/plain", []byte(itoa(i)), uint32(i+1)))
				if err != nil {
					t.Fatal(err)
				}
				txs[i] = tx
			}
			return finalStatuses(t, txs)
		},
		raw: func(build func(string) *sip.Request) int {
			return pr.do(t, build(phone.Contact())).StatusCode
		},
	}
}

func wsMessageServer(t *testing.T, onMessage func(Message) int) *messageServer {
	relay := startWSRelay(t, nil)
	phone := wsPhone(t, "alice", relay, func(c *Config) { c.OnMessage = onMessage }, nil)
	return &messageServer{
		phone: phone,
		from:  "sip:pbx@127.0.0.1",
		send: func(contentType string, body []byte, headers ...sip.Header) *sip.Response {
			return relay.sendMessage("alice", contentType, body, headers...)
		},
		burst: func(n int) []int {
			txs := make([]sip.ClientTransaction, n)
			for i := range txs {
				tx, err := relay.client.TransactionRequest(ctxT(t), relay.message("alice", "text/plain", []byte(itoa(i)), uint32(i+1)))
				if err != nil {
					t.Fatal(err)
				}
				txs[i] = tx
			}
			return finalStatuses(t, txs)
		},
		raw: func(build func(string) *sip.Request) int {
			req := build(relay.aor("alice"))
			req.SetDestination(relay.message("alice", "", nil, 1).Destination())
			req.SetTransport("WS")
			res, err := relay.client.Do(ctxT(t), req)
			if err != nil {
				t.Fatal(err)
			}
			return res.StatusCode
		},
	}
}

// finalStatuses waits for the final response of each transaction.
func finalStatuses(t *testing.T, txs []sip.ClientTransaction) []int {
	t.Helper()
	out := make([]int, len(txs))
	for i, tx := range txs {
		func() {
			defer tx.Terminate()
			for {
				select {
				case res := <-tx.Responses():
					if res.IsProvisional() {
						continue
					}
					out[i] = res.StatusCode
					return
				case <-tx.Done():
					t.Fatalf("MESSAGE %d: %v", i, tx.Err())
				case <-time.After(waitTimeout):
					t.Fatalf("MESSAGE %d: no answer", i)
				}
			}
		}()
	}
	return out
}

var messageServers = []struct {
	name  string
	start func(*testing.T, func(Message) int) *messageServer
}{
	{"udp", udpMessageServer},
	{"ws", wsMessageServer},
}

// A MESSAGE from the server reaches OnMessage whole, and what OnMessage
// returns is the answer.
func TestMessageFromServer(t *testing.T) {
	for _, srv := range messageServers {
		t.Run(srv.name, func(t *testing.T) {
			sink := newMsgSink()
			s := srv.start(t, sink.onMessage)
			body := []byte(`{"event":"statusChanged","data":{"status":1}}`)
			res := s.send("application/emicnet-event+json", body, sip.NewHeader("X-Emic-Test", "yes"))
			if res.StatusCode != 200 {
				t.Fatalf("MESSAGE answered %d, want 200", res.StatusCode)
			}
			if allow := s.phone.allowedMethods(); !strings.Contains(allow, "MESSAGE") {
				t.Errorf("Allow %q lacks MESSAGE", allow)
			}
			m := sink.wait(t, 1)[0]
			if string(m.Body) != string(body) || m.ContentType != "application/emicnet-event+json" {
				t.Errorf("got %q (%s)", m.Body, m.ContentType)
			}
			if m.From != s.from || !strings.HasPrefix(m.To, "sip:alice@") {
				t.Errorf("From %q To %q", m.From, m.To)
			}
			if m.Header("x-emic-test") != "yes" || m.Header("X-Absent") != "" || m.CallID == "" || m.Source == "" {
				t.Errorf("headers: X-Emic-Test %q, X-Absent %q, Call-ID %q, source %q", m.Header("x-emic-test"), m.Header("X-Absent"), m.CallID, m.Source)
			}
			if res := s.send("text/plain", []byte("bad")); res.StatusCode != 400 {
				t.Errorf("OnMessage said 400, the server got %d", res.StatusCode)
			}
		})
	}
}

// MESSAGEs read back to back reach OnMessage in the order they were sent,
// though sipgo hands each to a goroutine of its own.
func TestMessageOrder(t *testing.T) {
	const n = 60
	for _, srv := range messageServers {
		t.Run(srv.name, func(t *testing.T) {
			sink := newMsgSink()
			s := srv.start(t, sink.onMessage)
			statuses := s.burst(n)
			for i, code := range statuses {
				if code != 200 {
					t.Fatalf("MESSAGE %d answered %d", i, code)
				}
			}
			got := sink.wait(t, n)
			var order []string
			for _, m := range got {
				order = append(order, string(m.Body))
			}
			for i, body := range order {
				if body != itoa(i) {
					t.Fatalf("OnMessage saw them in the order %v", order)
				}
			}
		})
	}
}

// What must not reach OnMessage: a body above MaxMessageBody (413), a
// MESSAGE inside a dialog we do not have (481), one without From (400).
func TestMessageRefused(t *testing.T) {
	big := []byte(strings.Repeat("x", MaxMessageBody+4000))
	tests := []struct {
		name  string
		build func(ruri string) *sip.Request
		want  int
	}{
		{"body too large", func(ruri string) *sip.Request { return rawMessage(ruri, big, "") }, 413},
		{"in an unknown dialog", func(ruri string) *sip.Request { return rawMessage(ruri, []byte("hi"), "nosuchtag") }, 481},
		{"largest body taken", func(ruri string) *sip.Request {
			return rawMessage(ruri, []byte(strings.Repeat("y", MaxMessageBody)), "")
		}, 200},
	}
	for _, srv := range messageServers {
		t.Run(srv.name, func(t *testing.T) {
			sink := newMsgSink()
			s := srv.start(t, sink.onMessage)
			delivered := 0
			for _, tt := range tests {
				if srv.name == "udp" && len(tt.build("sip:a@127.0.0.1").Body()) > 1000 {
					// sipgo will not send it over UDP: write the datagram ourselves.
					if got := rawUDP(t, s.phone, tt.build(s.phone.Contact())); got != tt.want {
						t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
					}
				} else if got := s.raw(tt.build); got != tt.want {
					t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
				}
				if tt.want == 200 {
					delivered++
				}
			}
			// A last one that gets through: nothing refused before it did.
			if res := s.send("text/plain", []byte("last")); res.StatusCode != 200 {
				t.Fatalf("last MESSAGE: %d", res.StatusCode)
			}
			got := sink.wait(t, delivered+1)
			if last := got[len(got)-1]; string(last.Body) != "last" || sink.count() != delivered+1 {
				t.Fatalf("OnMessage got %d messages, the last %q; want %d", sink.count(), last.Body, delivered+1)
			}
		})
	}
}

// rawMessage is a MESSAGE to ruri; toTag puts it inside a dialog.
func rawMessage(ruri string, body []byte, toTag string) *sip.Request {
	var u sip.Uri
	if err := sip.ParseUri(ruri, &u); err != nil {
		panic(err)
	}
	req := sip.NewRequest(sip.MESSAGE, u)
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "pbx", Host: "127.0.0.1"}, Params: sip.NewParams()}
	from.Params.Add("tag", "pbxtag")
	to := &sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: u.User, Host: u.Host}, Params: sip.NewParams()}
	if toTag != "" {
		to.Params.Add("tag", toTag)
	}
	req.AppendHeader(from)
	req.AppendHeader(to)
	id := sip.CallIDHeader("raw-" + sip.GenerateTagN(8))
	req.AppendHeader(&id)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: 1, MethodName: sip.MESSAGE})
	req.AppendHeader(sip.NewHeader("Content-Type", "text/plain"))
	req.SetBody(body)
	return req
}

// rawUDP writes req as one datagram to the phone and returns the status
// of the answer (sipgo refuses to send more than 1300 bytes over UDP).
func rawUDP(t *testing.T, p *testPhone, req *sip.Request) int {
	t.Helper()
	var u sip.Uri
	if err := sip.ParseUri(p.Contact(), &u); err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: u.Port})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	local := conn.LocalAddr().(*net.UDPAddr)
	via := &sip.ViaHeader{ProtocolName: "SIP", ProtocolVersion: "2.0", Transport: "UDP", Host: "127.0.0.1", Port: local.Port, Params: sip.NewParams()}
	via.Params.Add("branch", sip.GenerateBranch())
	req.PrependHeader(via)
	mf := sip.MaxForwardsHeader(70)
	req.AppendHeader(&mf)
	if _, err := conn.Write([]byte(req.String())); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(waitTimeout))
	buf := make([]byte, 65535)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no answer to a %d-byte MESSAGE: %v", len(req.Body()), err)
		}
		msg, err := sip.ParseMessage(buf[:n])
		if err != nil {
			t.Fatalf("answer %q: %v", buf[:n], err)
		}
		if res, ok := msg.(*sip.Response); ok && res.StatusCode >= 200 {
			return res.StatusCode
		}
	}
}

// Without OnMessage, MESSAGE is refused as before: 405, and Allow does not
// offer it.
func TestMessageWithoutHandler(t *testing.T) {
	pr := newProbe(t)
	bob := newTestPhone(t, "bob", TransportUDP, nil)
	res := pr.do(t, rawMessageFrom(t, pr, bob.Contact()))
	if res.StatusCode != 405 {
		t.Fatalf("MESSAGE answered %d, want 405", res.StatusCode)
	}
	if allow := res.GetHeader("Allow"); allow == nil || strings.Contains(allow.Value(), "MESSAGE") {
		t.Fatalf("Allow %v", allow)
	}
}

func rawMessageFrom(t *testing.T, pr *probe, ruri string) *sip.Request {
	req := pr.request(t, sip.MESSAGE, ruri, []byte("hello"), sip.NewHeader("Content-Type", "text/plain"))
	req.RemoveHeader("Contact")
	return req
}

// A flood while OnMessage is stuck: beyond maxQueuedMessages waiting, the
// rest is answered 503 at once; the waiting ones are answered once it
// returns.
func TestMessageFlood(t *testing.T) {
	sink := newMsgSink()
	hold := make(chan struct{})
	sink.hold = hold
	relay := startWSRelay(t, nil)
	wsPhone(t, "alice", relay, func(c *Config) { c.OnMessage = sink.onMessage }, nil)
	const n = maxQueuedMessages + 40
	txs := make([]sip.ClientTransaction, n)
	for i := range txs {
		tx, err := relay.client.TransactionRequest(ctxT(t), relay.message("alice", "text/plain", []byte(itoa(i)), uint32(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		txs[i] = tx
	}
	sink.wait(t, 1)
	// The 503s come while OnMessage is still stuck.
	refused := 0
	for i := n - 1; i >= n-30; i-- {
		select {
		case res := <-txs[i].Responses():
			if res.StatusCode != 503 || res.GetHeader("Retry-After") == nil {
				t.Fatalf("MESSAGE %d of the flood: %v", i, res.StartLine())
			}
			refused++
		case <-time.After(waitTimeout):
			t.Fatalf("MESSAGE %d of the flood not refused while OnMessage is stuck", i)
		}
	}
	close(hold)
	sink.mu.Lock()
	sink.hold = nil
	sink.mu.Unlock()
	ok := 0
	for i, tx := range txs[:n-30] {
		select {
		case res := <-tx.Responses():
			switch res.StatusCode {
			case 200:
				ok++
			case 503:
				refused++
			default:
				t.Fatalf("MESSAGE %d: %d", i, res.StatusCode)
			}
		case <-time.After(waitTimeout):
			t.Fatalf("MESSAGE %d: no answer", i)
		}
		tx.Terminate()
	}
	for _, tx := range txs[n-30:] {
		tx.Terminate()
	}
	if ok < maxQueuedMessages || ok != sink.count() {
		t.Fatalf("%d answered 200, OnMessage got %d, %d refused; want at least %d through", ok, sink.count(), refused, maxQueuedMessages)
	}
}

// SendMessage to the server over the registration's transport: the result
// body comes back, a challenge is answered, silence ends at the deadline.
func TestSendMessage(t *testing.T) {
	type server struct {
		phone *testPhone
		pbx   *testPBX
	}
	servers := []struct {
		name  string
		start func(t *testing.T) server
	}{
		{"udp", func(t *testing.T) server {
			reg := newTestRegistrar(t, TransportUDP)
			p := newTestPhone(t, "1001", TransportUDP, func(c *Config) { reg.account(c) })
			p.ev.wait("Registered", isReg(Registered))
			return server{p, reg.pbx}
		}},
		{"ws", func(t *testing.T) server {
			relay := startWSRelay(t, nil)
			p := wsPhone(t, "alice", relay, func(c *Config) { c.Password = relay.pbx.password }, nil)
			return server{p, relay.pbx}
		}},
	}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			s := srv.start(t)
			for _, challenge := range []bool{false, true} {
				s.pbx.set(challenge, false)
				before := len(s.pbx.received())
				body := []byte(`{"cmd":"changeStaus","seq":7,"data":{"status":2}}`)
				res, err := s.phone.SendMessage(ctxT(t), "pbx", "application/emicnet-cmd+json", body)
				if err != nil {
					t.Fatalf("challenge %v: %v", challenge, err)
				}
				if res.Code != 200 || res.Reason != "OK" || res.ContentType != pbxResultType || string(res.Body) != "result:"+string(body) {
					t.Fatalf("challenge %v: %d %s (%s) %q", challenge, res.Code, res.Reason, res.ContentType, res.Body)
				}
				if res.Header("x-test-result") != "yes" {
					t.Errorf("result header %q", res.Header("X-Test-Result"))
				}
				got := s.pbx.received()[before:]
				want := 1
				if challenge {
					want = 2
				}
				if len(got) != want {
					t.Fatalf("challenge %v: the server got %d MESSAGEs, want %d", challenge, len(got), want)
				}
				last := got[len(got)-1]
				if last.Recipient.User != "pbx" || last.From().Address.User != s.phone.cfg.aor.User || last.Contact() != nil {
					t.Errorf("sent %s From %s, Contact %v", last.Recipient.String(), last.From().Address.String(), last.Contact())
				}
				if challenge && last.GetHeader("Authorization") == nil {
					t.Errorf("the challenge was not answered")
				}
			}

			// A refusal is a result, not an error.
			s.pbx.set(true, false)
			s.pbx.mu.Lock()
			s.pbx.password = "not the account's"
			s.pbx.mu.Unlock()
			res, err := s.phone.SendMessage(ctxT(t), "pbx", "text/plain", []byte("x"))
			if err != nil || res.Code != 401 {
				t.Fatalf("wrong password: %+v %v, want a 401 result", res, err)
			}

			// A server that never answers: the deadline ends it.
			s.pbx.set(false, true)
			ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err = s.phone.SendMessage(ctx, "pbx", "text/plain", []byte("anyone?"))
			if !errors.Is(err, ErrNoResponse) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("silent server: %v, want ErrNoResponse and DeadlineExceeded", err)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Fatalf("a 400 ms deadline took %v", took)
			}
		})
	}
}

// Two phones exchange MESSAGEs: over the WebSocket relay (the receiver gets
// it on its own socket) and straight over UDP.
func TestSendMessagePhoneToPhone(t *testing.T) {
	t.Run("ws", func(t *testing.T) {
		relay := startWSRelay(t, nil)
		sink := newMsgSink()
		wsPhone(t, "alice", relay, func(c *Config) { c.OnMessage = sink.onMessage }, nil)
		bob := wsPhone(t, "bob", relay, nil, nil)
		checkPhoneToPhone(t, bob, "alice", sink)
	})
	t.Run("udp", func(t *testing.T) {
		sink := newMsgSink()
		alice := newTestPhone(t, "alice", TransportUDP, func(c *Config) { c.OnMessage = sink.onMessage })
		bob := newTestPhone(t, "bob", TransportUDP, nil)
		checkPhoneToPhone(t, bob, alice.Contact(), sink)
	})
}

func checkPhoneToPhone(t *testing.T, from *testPhone, to string, sink *msgSink) {
	t.Helper()
	res, err := from.SendMessage(ctxT(t), to, "", []byte("hello"))
	if err != nil || res.Code != 200 {
		t.Fatalf("SendMessage: %+v %v", res, err)
	}
	res, err = from.SendMessage(ctxT(t), to, "text/plain", []byte("bad"))
	if err != nil || res.Code != 400 || res.Reason != "Bad Request" {
		t.Fatalf("SendMessage: %+v %v, want OnMessage's 400", res, err)
	}
	got := sink.wait(t, 2)
	if string(got[0].Body) != "hello" || !strings.HasPrefix(got[0].ContentType, "text/plain") || !strings.HasPrefix(got[0].From, "sip:bob@") {
		t.Fatalf("alice got %q (%s) from %s", got[0].Body, got[0].ContentType, got[0].From)
	}
}

func TestSendMessageErrors(t *testing.T) {
	t.Run("not started", func(t *testing.T) {
		p, err := New(Config{URI: "sip:1001@127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.SendMessage(ctxT(t), "pbx", "text/plain", nil); !errors.Is(err, ErrNotStarted) {
			t.Fatalf("%v, want ErrNotStarted", err)
		}
	})
	t.Run("input", func(t *testing.T) {
		p := newTestPhone(t, "alice", TransportUDP, nil)
		tests := []struct {
			target, contentType string
			body                []byte
			want                error
		}{
			{"", "text/plain", nil, ErrInvalidTarget},
			{"pbx<x>", "text/plain", nil, ErrInvalidTarget},
			{"pbx", "text/plain", make([]byte, MaxMessageBody+1), ErrMessageTooLarge},
			// Allowed by MaxMessageBody, too large for a UDP datagram.
			{p.Contact(), "text/plain", make([]byte, 2000), ErrMessageTooLarge},
		}
		for _, tt := range tests {
			if _, err := p.SendMessage(ctxT(t), tt.target, tt.contentType, tt.body); !errors.Is(err, tt.want) {
				t.Errorf("SendMessage(%q, %d bytes): %v, want %v", tt.target, len(tt.body), err, tt.want)
			}
		}
		if _, err := p.SendMessage(ctxT(t), "pbx", "text/plain\r\nX-Injected: 1", nil); err == nil {
			t.Errorf("a Content-Type with CRLF was sent")
		}
	})
	t.Run("websocket down", func(t *testing.T) {
		relay := startWSRelay(t, nil)
		p := wsPhone(t, "alice", relay, nil, func(h *testHooks) { h.wsWatchEvery = 50 * time.Millisecond })
		relay.stop()
		p.ev.wait("registration failing", isReg(RegistrationFailed))
		_, err := p.SendMessage(ctxT(t), "pbx", "text/plain", []byte("x"))
		if !errors.Is(err, ErrNoConnection) {
			t.Fatalf("%v, want ErrNoConnection", err)
		}
		var agentFacing interface{ Sentence(string) string }
		if !errors.As(err, &agentFacing) || agentFacing.Sentence("zh") == "" {
			t.Fatalf("%v has no sentence", err)
		}
	})
}

// REGISTER carries Config.RegisterHeaders every time: challenged and
// authorized, refreshed, and the unregister.
func TestRegisterHeaders(t *testing.T) {
	extra := map[string]string{"X-Emic-Gid": "2033", "X-Emic-Callintype": "2", "X-Emic-Number": " 8001 "}
	check := func(t *testing.T, what string, h headerFields) {
		t.Helper()
		for name, value := range extra {
			if got := h.get(name); got != strings.TrimSpace(value) {
				t.Errorf("%s: %s %q, want %q", what, name, got, strings.TrimSpace(value))
			}
		}
	}
	t.Run("udp", func(t *testing.T) {
		reg := newTestRegistrar(t, TransportUDP)
		p := newTestPhone(t, "1001", TransportUDP, func(c *Config) {
			reg.account(c)
			c.RegisterHeaders = extra
		})
		p.ev.wait("Registered", isReg(Registered))
		p.poke("test: register again")
		reg.waitFor("a second success", waitTimeout, func(r []regRecord) bool { return len(successes(r)) >= 2 })
		if err := p.Close(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		recs := reg.waitFor("the unregister", waitTimeout, func(r []regRecord) bool { return r[len(r)-1].expires == 0 })
		for i, r := range recs {
			check(t, fmt.Sprintf("REGISTER %d (%d, expires %d)", i, r.status, r.expires), r.headers)
		}
		if len(recs) < 5 || recs[0].status != 401 {
			t.Fatalf("want a challenge, a success, a refresh and an unregister: %+v", recs)
		}
	})
	t.Run("ws reconnect", func(t *testing.T) {
		relay := startWSRelay(t, nil)
		wsPhone(t, "alice", relay, func(c *Config) { c.RegisterHeaders = extra }, func(h *testHooks) { h.wsWatchEvery = 50 * time.Millisecond })
		relay.dropSockets()
		regs := relay.waitRegisters(2, 5*time.Second)
		if regs[0] == regs[1] {
			t.Fatalf("registered again over the same socket: %v", regs)
		}
		for i, h := range relay.registerHeaders() {
			check(t, fmt.Sprintf("REGISTER %d", i), h)
		}
	})
}

func TestRegisterHeadersInvalid(t *testing.T) {
	tests := []map[string]string{
		{"": "x"},
		{"X Bad": "x"},
		{"X-Bad:": "x"},
		{"Contact": "<sip:evil@example.com>"},
		{"expires": "0"},
		{"v": "SIP/2.0/UDP evil"},
		{"X-Inject": "a\r\nContact: <sip:evil@example.com>"},
		{"X-Nul": "a\x00b"},
	}
	for _, h := range tests {
		if _, err := New(Config{URI: "sip:1001@127.0.0.1", RegisterHeaders: h}); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("RegisterHeaders %q: %v, want ErrInvalidConfig", h, err)
		}
	}
	if _, err := New(Config{URI: "sip:1001@127.0.0.1", RegisterHeaders: map[string]string{"X-Emic-Gid": "2033", "P-Preferred-Identity": "<sip:1001@x>"}}); err != nil {
		t.Errorf("valid headers refused: %v", err)
	}
}

// Call.Header gives the INVITE's headers on an incoming call, the answer's
// on an outgoing one.
func TestCallHeader(t *testing.T) {
	pr := newProbe(t)
	bob := newTestPhone(t, "bob", TransportUDP, func(c *Config) { c.AutoAnswer = true })
	_, _, err := pr.invite(t, bob.Contact(), probeOffer(40030, "", ""),
		sip.NewHeader("X-Emic-CcNumber", "1564717108763414conf_1564717149723"),
		sip.NewHeader("X-Callcenter-Call", "call-42"))
	if err != nil {
		t.Fatal(err)
	}
	in := bob.nextIncoming().Call
	for name, want := range map[string]string{
		"X-Emic-CcNumber":   "1564717108763414conf_1564717149723",
		"x-callcenter-call": "call-42",
		"X-Absent":          "",
	} {
		if got := in.Header(name); got != want {
			t.Errorf("incoming Header(%q) = %q, want %q", name, got, want)
		}
	}
	if to := in.Header("To"); strings.Contains(to, "tag=") {
		t.Errorf("To %q: the INVITE as received has no To tag", to)
	}

	alice := newTestPhone(t, "alice", TransportUDP, nil)
	carol := newTestPhone(t, "carol", TransportUDP, nil)
	out, _ := connect(t, alice, carol)
	if ua := out.Header("User-Agent"); ua != "agentbar-test-carol" {
		t.Errorf("outgoing Header(User-Agent) = %q, want the answer's", ua)
	}
}
