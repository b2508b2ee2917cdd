package sipfront

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"agentbar/vendors/callcenter"
)

// testTLS makes a CA and a certificate for 127.0.0.1 signed by it: the
// server side of WSS, and the CA as a PEM file agentbar trusts.
func testTLS(t *testing.T) (*tls.Config, string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sipfront test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "callcenter"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, caFile
}

// newWSCenter is a center whose front also listens for WS and WSS.
func newWSCenter(t *testing.T, cfg callcenter.Config, opts Options) *center {
	t.Helper()
	serverTLS, caFile := testTLS(t)
	opts.WSAddr, opts.WSSAddr, opts.TLS = "127.0.0.1:0", "127.0.0.1:0", serverTLS
	c := newCenter(t, cfg, opts)
	c.caFile = caFile
	return c
}

// webRTCFields are a plain SIP account of agentbar speaking SIP over
// transport ("ws" or "wss") to the front, with WebRTC media.
func (c *center) webRTCFields(transport string, extra map[string]string) map[string]string {
	fields := map[string]string{"transport": transport, "media": "webrtc", "ca_file": c.caFile}
	if transport == "wss" {
		fields["ws_url"] = c.front.WSSURL()
	} else {
		fields["ws_url"] = c.front.WSURL()
	}
	for k, v := range extra {
		fields[k] = v
	}
	return fields
}

// leg is the front's live leg of an agent.
func (c *center) leg(agent string) LegInfo {
	c.t.Helper()
	for _, l := range c.front.Legs() {
		if l.Agent == agent {
			return l
		}
	}
	c.t.Fatalf("no leg of %s among %+v", agent, c.front.Legs())
	return LegInfo{}
}

// binding is the agent's registration, failing the test without one.
func (c *center) binding(agent string) Binding {
	c.t.Helper()
	for _, b := range c.front.Bindings() {
		if b.Agent == agent {
			return b
		}
	}
	c.t.Fatalf("%s is not registered: %+v", agent, c.front.Bindings())
	return Binding{}
}

// waitFor waits for want on ch.
func waitFor[T comparable](t *testing.T, what string, ch <-chan T, want T, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case got := <-ch:
			if got == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %s within %v", what, within)
		}
	}
}

// notify is a hook that reports what it is given on a channel.
func notify[T any](ch chan<- T) func(T) {
	return func(v T) {
		select {
		case ch <- v:
		default:
		}
	}
}

// in is the center as seen from a subtest: its helpers fail t.
func (c *center) in(t *testing.T) *center {
	cc := *c
	cc.t = t
	return &cc
}

// in is the agent as seen from a subtest: its helpers fail t.
func (a *agentSide) in(t *testing.T) *agentSide {
	aa := *a
	aa.t = t
	return &aa
}

// waitLegUp waits until the front has the agent's leg of call up. The
// center's events only pace the checks (an old AgentStateChanged may still
// be queued): the front's own state decides.
func (c *center) waitLegUp(agent string, call callcenter.CallID) {
	c.t.Helper()
	up := func() bool {
		for _, l := range c.front.Legs() {
			if l.Agent == agent && l.Call == call && l.Up {
				return true
			}
		}
		return false
	}
	if up() {
		return
	}
	c.waitEvent(fmt.Sprintf("%s's leg of %s up", agent, call), func(callcenter.Event) bool { return up() })
}
