package phone

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// testCA makes a CA and a server certificate for 127.0.0.1.
func testCA(t *testing.T) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "agentbar test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "registrar"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsRegistrar accepts any REGISTER over TLS and can send requests back to
// the registered Contact over the same connection.
type tlsRegistrar struct {
	addr     string
	client   *sipgo.Client
	contacts chan sip.Uri
}

func newTLSRegistrar(t *testing.T, cert tls.Certificate) *tlsRegistrar {
	t.Helper()
	ua, err := testUA(t, "tls-registrar")
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := sipgo.NewServer(ua)
	client, _ := sipgo.NewClient(ua, sipgo.WithClientHostname("127.0.0.1"))
	r := &tlsRegistrar{client: client, contacts: make(chan sip.Uri, 4)}
	srv.OnRegister(func(req *sip.Request, tx sip.ServerTransaction) {
		res := sip.NewResponseFromRequest(req, 200, "OK", nil)
		if c := req.Contact(); c != nil {
			res.AppendHeader(sip.NewHeader("Contact", "<"+c.Address.String()+">;expires=600"))
			if h := req.GetHeader("Expires"); h != nil && h.Value() != "0" {
				select {
				case r.contacts <- c.Address:
				default:
				}
			}
		}
		tx.Respond(res)
	})
	l, err := tls.Listen("tcp4", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	r.addr = l.Addr().String()
	done := make(chan struct{})
	go func() { defer close(done); srv.ServeTLS(l) }()
	t.Cleanup(func() { ua.Close(); l.Close(); <-done; ua.TransportLayer().Close() })
	return r
}

func TestTLSRegistrationAndInbound(t *testing.T) {
	pool, cert := testCA(t)
	reg := newTLSRegistrar(t, cert)
	p := newTestPhone(t, "1001", TransportTLS, func(c *Config) {
		c.URI = "sip:1001@" + reg.addr
		c.Register = true
		c.TLSRootCAs = pool
	})
	p.ev.wait("Registered", isReg(Registered))
	var contact sip.Uri
	select {
	case contact = <-reg.contacts:
	case <-time.After(waitTimeout):
		t.Fatal("no registration with a contact")
	}
	if contact.Port == 0 {
		t.Fatalf("registered contact %s has no port", contact.String())
	}
	// The registrar reaches us over the connection we opened.
	req := sip.NewRequest(sip.OPTIONS, contact)
	req.SetTransport("TLS")
	res, err := reg.client.Do(ctxT(t), req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("OPTIONS back over TLS: %v %v", res, err)
	}
}

func TestTLSUntrustedServer(t *testing.T) {
	_, cert := testCA(t)
	reg := newTLSRegistrar(t, cert)
	p := newTestPhone(t, "1001", TransportTLS, func(c *Config) {
		c.URI = "sip:1001@" + reg.addr
		c.Register = true
		c.TLSRootCAs = x509.NewCertPool() // does not hold the registrar's CA
	})
	e := p.ev.wait("Failed", isReg(RegistrationFailed)).(RegistrationChanged)
	var re *RegistrationError
	if !errors.As(e.Err, &re) || re.Sentence("zh") != "服务器证书不受信任，无法安全连接" {
		t.Fatalf("failure %v (%q), want the untrusted-certificate sentence", e.Err, sentenceOf(e.Err))
	}
}

func sentenceOf(err error) string {
	var s interface{ Sentence(string) string }
	if errors.As(err, &s) {
		return s.Sentence("zh")
	}
	return ""
}
