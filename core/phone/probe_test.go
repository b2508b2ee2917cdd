package phone

import (
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// probe is a bare sipgo user agent on loopback UDP that sends hand-written
// requests at a phone, for what a Phone itself never sends.
type probe struct {
	ua     *sipgo.UserAgent
	client *sipgo.Client
	addr   *net.UDPAddr
	conn   *net.UDPConn
}

func newProbe(t testing.TB) *probe {
	t.Helper()
	ua, err := testUA(t, "probe", sipgo.WithUserAgentHostname("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	srv.OnBye(func(req *sip.Request, tx sip.ServerTransaction) {
		tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	})
	srv.OnAck(func(req *sip.Request, tx sip.ServerTransaction) {})
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	serving := &servingConn{PacketConn: conn, reading: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeUDP(serving)
	}()
	<-serving.reading
	client, err := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"), sipgo.WithClientConnectionAddr(conn.LocalAddr().String()))
	if err != nil {
		t.Fatal(err)
	}
	pr := &probe{ua: ua, client: client, conn: conn, addr: conn.LocalAddr().(*net.UDPAddr)}
	t.Cleanup(func() {
		ua.Close()
		conn.Close()
		<-done
		ua.TransportLayer().Close()
	})
	return pr
}

func (pr *probe) contact() sip.ContactHeader {
	return sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "probe", Host: "127.0.0.1", Port: pr.addr.Port}}
}

// request builds an out-of-dialog request to the phone's contact.
func (pr *probe) request(t testing.TB, method sip.RequestMethod, target string, body []byte, headers ...sip.Header) *sip.Request {
	t.Helper()
	var u sip.Uri
	if err := sip.ParseUri(target, &u); err != nil {
		t.Fatal(err)
	}
	req := sip.NewRequest(method, u)
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: "probe", Host: "127.0.0.1"}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(8))
	req.AppendHeader(from)
	c := pr.contact()
	req.AppendHeader(&c)
	for _, h := range headers {
		req.AppendHeader(h)
	}
	if body != nil {
		req.SetBody(body)
	}
	return req
}

// do sends req and returns its final response.
func (pr *probe) do(t testing.TB, req *sip.Request) *sip.Response {
	t.Helper()
	res, err := pr.client.Do(ctxT(t), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Method, err)
	}
	return res
}

// invite sends an INVITE and waits for its final response (2xx: ACKed).
func (pr *probe) invite(t testing.TB, target string, body []byte, headers ...sip.Header) (*sipgo.DialogClientSession, *sip.Response, error) {
	t.Helper()
	dua := sipgo.DialogUA{Client: pr.client, ContactHDR: pr.contact()}
	req := pr.request(t, sip.INVITE, target, body, headers...)
	if body != nil {
		req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	}
	s, err := dua.WriteInvite(ctxT(t), req)
	if err != nil {
		return nil, nil, err
	}
	err = s.WaitAnswer(ctxT(t), sipgo.AnswerOptions{})
	if err != nil {
		return s, s.InviteResponse, err
	}
	if err := s.Ack(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, s.InviteResponse, nil
}

// sdpOffer is a plain PCMU/PCMA offer from the probe.
func probeOffer(port int, extra string, formats string) []byte {
	if formats == "" {
		formats = "0 8 101"
	}
	return []byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
		"m=audio " + strconv.Itoa(port) + " RTP/AVP " + formats + "\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n" + extra)
}

func (pr *probe) dialogUA() *sipgo.DialogUA {
	return &sipgo.DialogUA{Client: pr.client, ContactHDR: pr.contact()}
}

func sipgoAnswerOptions() sipgo.AnswerOptions { return sipgo.AnswerOptions{} }

func itoa(n int) string { return strconv.Itoa(n) }

// testUA is a sipgo user agent for a test peer, logging like the phones.
func testUA(t testing.TB, name string, options ...sipgo.UserAgentOption) (*sipgo.UserAgent, error) {
	log := testLogger(t, name)
	return sipgo.NewUA(append([]sipgo.UserAgentOption{
		sipgo.WithUserAgent(name),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(log)),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(log)),
	}, options...)...)
}
