package sipfront

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// wsEndpoint is a bare SIP-over-WebSocket endpoint on sipgo, speaking as
// JsSIP does: one socket to the front carries its REGISTER and MESSAGEs and
// brings it the front's requests; its Contact is "<x>.invalid;transport=ws".
// It answers INVITEs with inviteCode and MESSAGEs with messageCode, and
// hands both to the test.
type wsEndpoint struct {
	t        *testing.T
	agent    string
	host     string // our .invalid host
	server   sip.Uri
	ua       *sipgo.UserAgent
	client   *sipgo.Client
	invites  chan *sip.Request
	messages chan *sip.Request

	inviteCode, messageCode atomic.Int32
}

func newWSEndpoint(t *testing.T, wsURL, agent string) *wsEndpoint {
	t.Helper()
	u, err := url.Parse(wsURL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	e := &wsEndpoint{t: t, agent: agent, host: "e" + agent + ".invalid",
		server:  sip.Uri{Scheme: "sip", Host: u.Hostname(), Port: port},
		invites: make(chan *sip.Request, 8), messages: make(chan *sip.Request, 8)}
	e.inviteCode.Store(486)
	e.messageCode.Store(200)
	path := u.Path
	e.ua, err = sipgo.NewUA(sipgo.WithUserAgent("wsendpoint"), sipgo.WithUserAgentHostname(e.host),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerTransports(sip.TransportsConfig{
			WS: &sip.TransportWS{DialURI: func(addr string) string { return "ws://" + addr + path }}})))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sipgo.NewServer(e.ua)
	if err != nil {
		t.Fatal(err)
	}
	srv.OnInvite(func(req *sip.Request, tx sip.ServerTransaction) {
		e.invites <- req
		_ = tx.Respond(sip.NewResponseFromRequest(req, int(e.inviteCode.Load()), "Busy Here", nil))
	})
	srv.OnMessage(func(req *sip.Request, tx sip.ServerTransaction) {
		e.messages <- req
		_ = tx.Respond(sip.NewResponseFromRequest(req, int(e.messageCode.Load()), "Answer", nil))
	})
	srv.OnAck(func(*sip.Request, sip.ServerTransaction) {})
	e.client, err = sipgo.NewClient(e.ua, sipgo.WithClientHostname(e.host))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	return e
}

// close drops the endpoint and its socket.
func (e *wsEndpoint) close() {
	_ = e.client.Close()
	_ = e.ua.Close()
}

// request builds a request of the agent to the front over the socket.
func (e *wsEndpoint) request(method sip.RequestMethod, user string) *sip.Request {
	to := e.server
	to.User = user
	req := sip.NewRequest(method, to)
	req.SetTransport("WS")
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: e.agent, Host: e.server.Host}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(10))
	req.AppendHeader(from)
	return req
}

// do sends req, answering one digest challenge with password.
func (e *wsEndpoint) do(req *sip.Request, password string, opts ...sipgo.ClientRequestOption) *sip.Response {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := e.client.Do(ctx, req, opts...)
	if err == nil && res.StatusCode == 401 && password != "" {
		res, err = e.client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: e.agent, Password: password})
	}
	if err != nil {
		e.t.Fatalf("%s over WS: %v", req.Method, err)
	}
	return res
}

// register binds the agent with extra headers; it returns the answer.
func (e *wsEndpoint) register(password string, headers ...sip.Header) *sip.Response {
	e.t.Helper()
	req := e.request(sip.REGISTER, e.agent)
	contact := &sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: e.agent, Host: e.host, UriParams: sip.NewParams()}}
	contact.Address.UriParams.Add("transport", "ws")
	req.AppendHeader(contact)
	req.AppendHeader(sip.NewHeader("Expires", "60"))
	for _, h := range headers {
		req.AppendHeader(h)
	}
	return e.do(req, password, sipgo.ClientRequestRegisterBuild)
}

// message sends an out-of-dialog MESSAGE (no credentials unless password).
func (e *wsEndpoint) message(password, contentType, body string) *sip.Response {
	e.t.Helper()
	req := e.request(sip.MESSAGE, "pbx")
	req.AppendHeader(sip.NewHeader("Content-Type", contentType))
	req.SetBody([]byte(body))
	return e.do(req, password)
}

// next waits for a request on ch.
func next(t *testing.T, what string, ch <-chan *sip.Request) *sip.Request {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s", what)
		return nil
	}
}

// stallWS opens a TCP connection to the WebSocket port and says nothing.
func stallWS(t *testing.T, wsURL string) net.Conn {
	t.Helper()
	u, _ := url.Parse(wsURL)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// unregister removes the agent's binding (Expires: 0 with our Contact, or
// "*" when wildcard); it returns the answer.
func (e *wsEndpoint) unregister(password string, wildcard bool) *sip.Response {
	e.t.Helper()
	req := e.request(sip.REGISTER, e.agent)
	contact := &sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: e.agent, Host: e.host, UriParams: sip.NewParams()}}
	contact.Address.UriParams.Add("transport", "ws")
	if wildcard {
		contact = &sip.ContactHeader{Address: sip.Uri{Wildcard: true}}
	}
	req.AppendHeader(contact)
	req.AppendHeader(sip.NewHeader("Expires", "0"))
	return e.do(req, password, sipgo.ClientRequestRegisterBuild)
}
