package phone

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// testRegistrar is a small registrar on loopback (sipgo server) with digest
// auth and knobs for failures and NAT, recording every REGISTER.
type testRegistrar struct {
	t        testing.TB
	addr     string // host:port
	realm    string
	user     string
	password string

	mu        sync.Mutex
	records   []regRecord
	changed   chan struct{}
	failNext  int // answer the next REGISTERs with 503
	grant     int // seconds granted; 0 = what was asked
	minExpiry int // 423 below this
	natHost   string
	natPort   int
	nonce     int

	pbx *testPBX // answers the MESSAGEs sent to the registrar
}

type regRecord struct {
	at       time.Time
	contacts []string
	expires  int
	headers  headerFields
	status   int
}

func newTestRegistrar(t testing.TB, transport string) *testRegistrar {
	t.Helper()
	r := &testRegistrar{t: t, realm: "agentbar.test", user: "1001", password: "s3cret", changed: make(chan struct{})}
	ua, err := testUA(t, "test-registrar")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	srv.OnRegister(r.onRegister)
	r.pbx = newTestPBX(r.realm, r.user, r.password)
	srv.OnMessage(r.pbx.onMessage)
	done := make(chan struct{})
	switch transport {
	case TransportTCP:
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		r.addr = l.Addr().String()
		go func() { defer close(done); srv.ServeTCP(l) }()
		t.Cleanup(func() { ua.Close(); l.Close(); <-done; ua.TransportLayer().Close() })
	default:
		conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		r.addr = conn.LocalAddr().String()
		serving := &servingConn{PacketConn: conn, reading: make(chan struct{})}
		go func() { defer close(done); srv.ServeUDP(serving) }()
		<-serving.reading
		t.Cleanup(func() { ua.Close(); conn.Close(); <-done; ua.TransportLayer().Close() })
	}
	return r
}

func (r *testRegistrar) onRegister(req *sip.Request, tx sip.ServerTransaction) {
	rec := regRecord{at: time.Now(), expires: -1, headers: snapshotHeaders(req)}
	for _, h := range req.GetHeaders("Contact") {
		rec.contacts = append(rec.contacts, h.Value())
	}
	if h := req.GetHeader("Expires"); h != nil {
		rec.expires, _ = strconv.Atoi(h.Value())
	}
	res := r.answer(req, &rec)
	r.mu.Lock()
	r.records = append(r.records, rec)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	tx.Respond(res)
}

func (r *testRegistrar) answer(req *sip.Request, rec *regRecord) *sip.Response {
	r.mu.Lock()
	defer r.mu.Unlock()
	reply := func(code int, reason string) *sip.Response {
		rec.status = code
		res := sip.NewResponseFromRequest(req, code, reason, nil)
		if via := res.Via(); via != nil && r.natHost != "" {
			via.Params.Add("received", r.natHost)
			via.Params.Add("rport", strconv.Itoa(r.natPort))
		}
		return res
	}
	if r.failNext > 0 {
		r.failNext--
		return reply(503, "Service Unavailable")
	}
	if !r.authorized(req) {
		r.nonce++
		res := reply(401, "Unauthorized")
		chal := digest.Challenge{Realm: r.realm, Nonce: fmt.Sprintf("nonce%d", r.nonce), Algorithm: "MD5"}
		res.AppendHeader(sip.NewHeader("WWW-Authenticate", chal.String()))
		return res
	}
	if rec.expires > 0 && rec.expires < r.minExpiry {
		res := reply(423, "Interval Too Brief")
		res.AppendHeader(sip.NewHeader("Min-Expires", strconv.Itoa(r.minExpiry)))
		return res
	}
	res := reply(200, "OK")
	granted := rec.expires
	if r.grant > 0 && granted > 0 {
		granted = r.grant
	}
	if granted > 0 {
		for _, c := range req.GetHeaders("Contact") {
			if ch, ok := c.(*sip.ContactHeader); ok && !ch.Params.Has("expires") {
				bound := ch.Clone()
				bound.Params = sip.NewParams()
				bound.Params.Add("expires", strconv.Itoa(granted))
				res.AppendHeader(bound)
			}
		}
	}
	return res
}

func (r *testRegistrar) authorized(req *sip.Request) bool {
	h := req.GetHeader("Authorization")
	if h == nil {
		return false
	}
	cred, err := digest.ParseCredentials(h.Value())
	if err != nil || cred.Username != r.user || cred.Nonce != fmt.Sprintf("nonce%d", r.nonce) {
		return false
	}
	want, err := digest.Digest(&digest.Challenge{Realm: r.realm, Nonce: cred.Nonce, Algorithm: "MD5"},
		digest.Options{Method: "REGISTER", URI: cred.URI, Username: r.user, Password: r.password, Cnonce: cred.Cnonce, Count: cred.Nc})
	return err == nil && want.Response == cred.Response
}

// waitRecords waits until n REGISTERs have arrived and returns them.
func (r *testRegistrar) waitRecords(n int, within time.Duration) []regRecord {
	r.t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		if len(r.records) >= n {
			out := append([]regRecord(nil), r.records...)
			r.mu.Unlock()
			return out
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			r.mu.Lock()
			defer r.mu.Unlock()
			r.t.Fatalf("registrar got %d REGISTERs in %v, want %d: %+v", len(r.records), within, n, r.records)
		}
	}
}

// successes are the REGISTERs answered 200.
func successes(recs []regRecord) []regRecord {
	var out []regRecord
	for _, r := range recs {
		if r.status == 200 {
			out = append(out, r)
		}
	}
	return out
}

func (r *testRegistrar) account(c *Config) {
	c.URI = "sip:1001@" + r.addr
	c.Password = r.password
	c.Register = true
}

// waitFor waits until match holds for the records so far.
func (r *testRegistrar) waitFor(what string, within time.Duration, match func([]regRecord) bool) []regRecord {
	r.t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		recs := append([]regRecord(nil), r.records...)
		changed := r.changed
		r.mu.Unlock()
		if match(recs) {
			return recs
		}
		select {
		case <-changed:
		case <-deadline.C:
			r.t.Fatalf("registrar: no %s within %v; records: %+v", what, within, recs)
		}
	}
}
