package phone

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// wsRelay is the smallest SIP-over-WebSocket server two phones need to
// call each other: a registrar that remembers each user's socket and a
// record-routing relay that forwards every request to the socket of the
// Request-URI's user. Real sockets (sipgo's own WS and WSS transports),
// fault knobs for the tests: drop every socket, go silent (read and answer
// nothing), stop.
type wsRelay struct {
	t      testing.TB
	addr   string // host:port
	scheme string // ws or wss
	ua     *sipgo.UserAgent
	srv    *sipgo.Server
	client *sipgo.Client
	ln     net.Listener
	served chan struct{}

	mu        sync.Mutex
	users     map[string]string // user → source address of its socket
	registers []string          // user@source of every REGISTER, in order
	regHeads  []headerFields    // the headers of every REGISTER, in order
	changed   chan struct{}

	silenced   sync.Map      // source address → struct{}: sockets whose reads are dropped (a dead server that keeps them open)
	keepAlives chan struct{} // one per CRLF keep-alive read
	started    time.Time

	pbx *testPBX // answers the MESSAGEs to users that are not registered here
}

// startWSRelay serves WS on a free loopback port (WSS when tlsConf is set).
func startWSRelay(t testing.TB, tlsConf *tls.Config) *wsRelay {
	t.Helper()
	return startWSRelayAt(t, "127.0.0.1:0", tlsConf)
}

func startWSRelayAt(t testing.TB, addr string, tlsConf *tls.Config) *wsRelay {
	t.Helper()
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	r := &wsRelay{t: t, addr: ln.Addr().String(), scheme: "ws", users: map[string]string{}, changed: make(chan struct{}), served: make(chan struct{}),
		keepAlives: make(chan struct{}, 1000), started: time.Now()}
	log := slog.New(slog.DiscardHandler)
	r.ua, err = sipgo.NewUA(sipgo.WithUserAgent("wsrelay"),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(log), sip.WithTransportLayerReadFilter(r.filter)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(log)))
	if err != nil {
		t.Fatal(err)
	}
	r.srv, err = sipgo.NewServer(r.ua, sipgo.WithServerLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(r.addr)
	var p int
	fmt.Sscan(port, &p)
	r.client, err = sipgo.NewClient(r.ua, sipgo.WithClientHostname(host), sipgo.WithClientPort(p), sipgo.WithClientLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	r.srv.OnRegister(r.onRegister)
	for _, m := range []sip.RequestMethod{sip.INVITE, sip.BYE, sip.INFO, sip.REFER, sip.NOTIFY, sip.UPDATE, sip.OPTIONS} {
		r.srv.OnRequest(m, r.relay)
	}
	r.srv.OnAck(r.relayAck)
	r.pbx = newTestPBX("agentbar.test", "", "s3cret")
	r.srv.OnMessage(r.onMessage)
	r.ln = ln
	serve := r.srv.ServeWS
	if tlsConf != nil {
		r.scheme = "wss"
		r.ln = tls.NewListener(ln, tlsConf)
		serve = r.srv.ServeWSS
	}
	go func() {
		defer close(r.served)
		serve(r.ln)
	}()
	t.Cleanup(r.stop)
	return r
}

// url is where phones connect.
func (r *wsRelay) url() string { return r.scheme + "://" + r.addr + "/ws" }

// aor is user's address of record at this server.
func (r *wsRelay) aor(user string) string { return "sip:" + user + "@" + r.addr }

// stop closes the listener and every socket, like a server going down.
func (r *wsRelay) stop() {
	r.ln.Close()
	<-r.served
	r.ua.Close()
}

// dropSockets closes every socket the server has and keeps listening.
func (r *wsRelay) dropSockets() {
	r.ua.TransportLayer().Pool(r.scheme).Clear()
}

// silence makes the server deaf and mute on user's current socket: what
// comes in on it is dropped, so nothing is answered.
func (r *wsRelay) silence(user string) {
	r.mu.Lock()
	src := r.users[user]
	r.mu.Unlock()
	r.silenced.Store(src, struct{}{})
}

// filter counts keep-alives and plays dead on silenced sockets.
func (r *wsRelay) filter(props sip.TransportReadProps, data []byte) ([]byte, error) {
	if props.RemoteAddr != nil {
		if _, dead := r.silenced.Load(props.RemoteAddr.String()); dead {
			return nil, nil
		}
	}
	if bytes.Equal(data, []byte("\r\n\r\n")) {
		select {
		case r.keepAlives <- struct{}{}:
		default:
		}
	}
	return data, nil
}

func (r *wsRelay) onRegister(req *sip.Request, tx sip.ServerTransaction) {
	user := req.To().Address.User
	expires := "600"
	if h := req.GetHeader("Expires"); h != nil {
		expires = h.Value()
	}
	r.mu.Lock()
	if expires == "0" {
		delete(r.users, user)
	} else {
		r.users[user] = req.Source()
	}
	r.registers = append(r.registers, user+"@"+req.Source())
	r.regHeads = append(r.regHeads, snapshotHeaders(req))
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	res := sip.NewResponseFromRequest(req, 200, "OK", nil)
	if c := req.Contact(); c != nil {
		ct := c.Clone()
		ct.Params = sip.NewParams()
		ct.Params.Add("expires", expires)
		res.AppendHeader(ct)
	}
	tx.Respond(res)
}

// waitRegisters waits until n REGISTERs have arrived and returns them.
func (r *wsRelay) waitRegisters(n int, within time.Duration) []string {
	r.t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		regs, changed := append([]string(nil), r.registers...), r.changed
		r.mu.Unlock()
		if len(regs) >= n {
			return regs
		}
		select {
		case <-changed:
		case <-deadline.C:
			r.t.Fatalf("%d REGISTERs within %v, want %d: %v", len(regs), within, n, regs)
		}
	}
}

// target is the socket of the Request-URI's user.
func (r *wsRelay) target(req *sip.Request) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	src, ok := r.users[req.Recipient.User]
	return src, ok
}

// forwardable is req for the next hop: our Route gone, Record-Route on a
// dialog-creating INVITE, sent over the target's socket with our Via.
func (r *wsRelay) forwardable(req *sip.Request, dest string) *sip.Request {
	fwd := req.Clone()
	if rt := fwd.Route(); rt != nil && rt.Address.HostPort() == r.addr {
		fwd.RemoveHeader("Route")
	}
	if req.IsInvite() && !req.To().Params.Has("tag") {
		fwd.PrependHeader(sip.NewHeader("Record-Route", "<sip:"+r.addr+";transport=ws;lr>"))
	}
	if mf := fwd.MaxForwards(); mf != nil {
		mf.Dec()
	}
	fwd.SetDestination(dest)
	fwd.SetTransport(strings.ToUpper(r.scheme))
	return fwd
}

func (r *wsRelay) relay(req *sip.Request, tx sip.ServerTransaction) {
	dest, ok := r.target(req)
	if !ok {
		tx.Respond(sip.NewResponseFromRequest(req, 404, "Not Found", nil))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	ctx = contextUntilTerminated(ctx, tx)
	client, err := r.client.TransactionRequest(ctx, r.forwardable(req, dest), sipgo.ClientRequestAddVia)
	if err != nil {
		tx.Respond(sip.NewResponseFromRequest(req, 503, "Service Unavailable", nil))
		return
	}
	defer client.Terminate()
	for {
		select {
		case res, ok := <-client.Responses():
			if !ok {
				return
			}
			back := res.Clone()
			back.RemoveHeader("Via")
			tx.Respond(back)
			if res.StatusCode >= 200 {
				return
			}
		case <-client.Done():
			if err := client.Err(); err != nil {
				tx.Respond(sip.NewResponseFromRequest(req, 408, "Request Timeout", nil))
			}
			return
		case <-ctx.Done():
			return
		}
	}
}

// contextUntilTerminated ends with the server transaction.
func contextUntilTerminated(ctx context.Context, tx sip.ServerTransaction) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-tx.Done():
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx
}

func (r *wsRelay) relayAck(req *sip.Request, _ sip.ServerTransaction) {
	dest, ok := r.target(req)
	if !ok {
		return
	}
	r.client.WriteRequest(r.forwardable(req, dest), sipgo.ClientRequestAddVia)
}

// onMessage relays a MESSAGE to a registered user; the others are for the
// server itself (a platform's command endpoint).
func (r *wsRelay) onMessage(req *sip.Request, tx sip.ServerTransaction) {
	if _, ok := r.target(req); ok {
		r.relay(req, tx)
		return
	}
	r.pbx.onMessage(req, tx)
}

// registerHeaders returns the headers of every REGISTER so far.
func (r *wsRelay) registerHeaders() []headerFields {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]headerFields(nil), r.regHeads...)
}

// message is a MESSAGE from the server to user, over user's socket.
func (r *wsRelay) message(user, contentType string, body []byte, cseq uint32, headers ...sip.Header) *sip.Request {
	r.mu.Lock()
	dest := r.users[user]
	r.mu.Unlock()
	if dest == "" {
		r.t.Fatalf("%s is not registered", user)
	}
	req := sip.NewRequest(sip.MESSAGE, sip.Uri{Scheme: "sip", User: user, Host: r.aorHost()})
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "pbx", Host: r.aorHost()}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(8))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{Address: req.Recipient})
	id := sip.CallIDHeader("relay-msg-" + sip.GenerateTagN(8))
	req.AppendHeader(&id)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: cseq, MethodName: sip.MESSAGE})
	if contentType != "" {
		req.AppendHeader(sip.NewHeader("Content-Type", contentType))
	}
	for _, h := range headers {
		req.AppendHeader(h)
	}
	req.SetBody(body)
	req.SetDestination(dest)
	req.SetTransport(strings.ToUpper(r.scheme))
	return req
}

func (r *wsRelay) aorHost() string {
	host, _, _ := net.SplitHostPort(r.addr)
	return host
}

// sendMessage sends a MESSAGE from the server to user and returns the
// final response.
func (r *wsRelay) sendMessage(user, contentType string, body []byte, headers ...sip.Header) *sip.Response {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	res, err := r.client.Do(ctx, r.message(user, contentType, body, 1, headers...))
	if err != nil {
		r.t.Fatalf("MESSAGE to %s: %v", user, err)
	}
	return res
}
