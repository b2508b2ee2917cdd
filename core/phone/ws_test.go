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
	"strings"
	"testing"
	"time"
)

// wsPhone is a phone registered over WebSocket to relay.
func wsPhone(t *testing.T, user string, relay *wsRelay, mod func(*Config), hooks func(*testHooks)) *testPhone {
	t.Helper()
	p := newTestPhoneWith(t, user, "", func(c *Config) {
		c.URI = relay.aor(user)
		c.Transport = ""
		c.WebSocketURL = relay.url()
		c.Register = true
		c.Expiry = 60 * time.Second
		if mod != nil {
			mod(c)
		}
	}, hooks)
	p.ev.wait("Registered", isReg(Registered))
	return p
}

func TestWebSocketRegisterAndCall(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	for _, media := range []string{MediaRTP, MediaWebRTC} {
		t.Run(media, func(t *testing.T) {
			relay := startWSRelay(t, nil)
			aliceAudio, bobAudio := newAudioRig(t, 1000), newAudioRig(t, 440)
			alice := wsPhone(t, "alice", relay, func(c *Config) { c.Media = media; c.NewPort = aliceAudio.newPort }, nil)
			bob := wsPhone(t, "bob", relay, func(c *Config) { c.Media = media; c.NewPort = bobAudio.newPort }, nil)
			if c := alice.Contact(); !strings.HasSuffix(c, ".invalid;transport=ws") {
				t.Errorf("Contact %s, want JsSIP's <random>.invalid;transport=ws", c)
			}
			res := alice.dialAsync(ctxT(t), "bob")
			in := bob.nextIncoming()
			if err := in.Call.Answer(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			r := waitDial(t, res)
			if r.err != nil {
				t.Fatalf("Dial over WebSocket: %v", r.err)
			}
			out := r.call
			aliceAudio.listen(t, 300*time.Millisecond)
			checkHears(t, "bob", bobAudio.listen(t, time.Second), aliceAudio)
			checkHears(t, "alice", aliceAudio.listen(t, time.Second), bobAudio)
			// In-dialog requests both ways through the relay's route.
			if err := in.Call.Hold(ctxT(t)); err != nil {
				t.Fatalf("Hold over WebSocket: %v", err)
			}
			alice.ev.waitState(out.ID(), RemoteHeld)
			if err := in.Call.Resume(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			alice.ev.waitState(out.ID(), Talking)
			aliceAudio.listen(t, 300*time.Millisecond)
			checkHears(t, "alice after resume", aliceAudio.listen(t, 600*time.Millisecond), bobAudio)
			if err := out.Hangup(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			if e := bob.ev.waitState(in.Call.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
				t.Errorf("bob's call ended with %v", e.Reason)
			}
		})
	}
}

// CRLF keep-alives go out; a server that closes the socket (or stops
// answering keep-alives) is noticed and the phone registers again over a
// new socket.
func TestWebSocketKeepAliveAndReconnect(t *testing.T) {
	relay := startWSRelay(t, nil)
	fast := func(h *testHooks) { h.wsWatchEvery = 50 * time.Millisecond }
	alice := wsPhone(t, "alice", relay, func(c *Config) { c.KeepAlive = 150 * time.Millisecond }, fast)
	first := relay.waitRegisters(1, waitTimeout)

	for i := range 2 {
		select {
		case <-relay.keepAlives:
		case <-time.After(waitTimeout):
			t.Fatalf("%d keep-alives in %v", i, waitTimeout)
		}
	}

	// The server closes every socket.
	dropped := time.Now()
	relay.dropSockets()
	regs := relay.waitRegisters(2, 5*time.Second)
	if took := time.Since(dropped); took > 2*time.Second {
		t.Errorf("registered again %v after the socket closed, want within 2 s", took)
	}
	if regs[1] == first[0] {
		t.Errorf("registered again over the same socket: %v", regs)
	}
	alice.ev.waitN(2, "Registered again", isReg(Registered))
	// The loss itself was announced (once at start-up, once for the loss).
	alice.ev.waitN(2, "Registering after the socket closed", isReg(Registering))

	// The server goes silent on the socket it has been answering keep-alives
	// on: the phone drops it and opens a new one.
	drain(relay.keepAlives)
	for i := range 2 {
		select {
		case <-relay.keepAlives:
		case <-time.After(waitTimeout):
			t.Fatalf("%d keep-alives on the new socket in %v", i, waitTimeout)
		}
	}
	relay.silence("alice")
	relay.waitRegisters(3, 5*time.Second)
	alice.ev.waitN(3, "Registered over a third socket", isReg(Registered))
}

// A server restarted on the same address: the phone is registered again
// within about 2 s of its return.
func TestWebSocketServerRestart(t *testing.T) {
	relay := startWSRelay(t, nil)
	alice := wsPhone(t, "alice", relay, nil, func(h *testHooks) { h.wsWatchEvery = 50 * time.Millisecond })
	addr := relay.addr
	relay.stop()
	// The server stays down through three attempts to reach it.
	alice.ev.waitN(3, "registration failing", isReg(RegistrationFailed))
	back := startWSRelayAt(t, addr, nil)
	back.waitRegisters(1, 5*time.Second)
	alice.ev.waitN(2, "Registered after the restart", isReg(Registered))
	took := time.Since(back.started)
	if took > 2*time.Second {
		t.Errorf("registered %v after the server came back, want 2 s at most", took)
	}
	t.Logf("registered again %v after the server came back", took)
}

// selfSigned is a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "agentbar test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func TestWebSocketSecure(t *testing.T) {
	serverTLS, trusted := selfSigned(t)
	_, other := selfSigned(t)
	relay := startWSRelay(t, serverTLS)

	t.Run("custom CA", func(t *testing.T) {
		wsPhone(t, "alice", relay, func(c *Config) { c.TLSRootCAs = trusted }, nil)
	})
	t.Run("certificate not from the CA", func(t *testing.T) {
		p := newTestPhone(t, "mallory", "", func(c *Config) {
			c.URI = relay.aor("mallory")
			c.Transport = ""
			c.WebSocketURL = relay.url()
			c.Register = true
			c.TLSRootCAs = other
		})
		e := p.ev.wait("registration failure", isReg(RegistrationFailed)).(RegistrationChanged)
		var re *RegistrationError
		if !errors.As(e.Err, &re) {
			t.Fatalf("failure %v is not a RegistrationError", e.Err)
		}
		if s := re.Sentence("zh"); !strings.Contains(s, "证书") {
			t.Errorf("sentence %q does not say the certificate is not trusted (%v)", s, e.Err)
		}
		if s := re.Sentence("en"); !strings.Contains(s, "certificate") {
			t.Errorf("sentence %q", s)
		}
	})
}

// The WebSocket drops in the middle of a WebRTC call: the phone registers
// again over a new socket, the call keeps its audio (it never went through
// the socket), and hanging up still reaches the other side.
func TestWebSocketDroppedMidCall(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	relay := startWSRelay(t, nil)
	aliceAudio, bobAudio := newAudioRig(t, 1000), newAudioRig(t, 440)
	fast := func(h *testHooks) { h.wsWatchEvery = 50 * time.Millisecond }
	alice := wsPhone(t, "alice", relay, func(c *Config) { c.Media = MediaWebRTC; c.NewPort = aliceAudio.newPort }, fast)
	bob := wsPhone(t, "bob", relay, func(c *Config) { c.Media = MediaWebRTC; c.NewPort = bobAudio.newPort }, fast)
	res := alice.dialAsync(ctxT(t), "bob")
	in := bob.nextIncoming()
	if err := in.Call.Answer(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	r := waitDial(t, res)
	if r.err != nil {
		t.Fatal(r.err)
	}
	aliceAudio.listen(t, 300*time.Millisecond)

	relay.dropSockets()
	alice.ev.waitN(2, "alice registered again", isReg(Registered))
	bob.ev.waitN(2, "bob registered again", isReg(Registered))
	checkHears(t, "bob after the socket dropped", bobAudio.listen(t, time.Second), aliceAudio)
	checkHears(t, "alice after the socket dropped", aliceAudio.listen(t, time.Second), bobAudio)
	if s := r.call.State(); s != Talking {
		t.Fatalf("alice's call is %v", s)
	}
	if err := r.call.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if e := bob.ev.waitState(in.Call.ID(), Ended); !errors.Is(e.Reason, ErrRemoteHangup) {
		t.Errorf("bob's call ended with %v", e.Reason)
	}
}

func TestWebSocketReconnectDelay(t *testing.T) {
	for attempt, want := range []time.Duration{500 * time.Millisecond, time.Second, 1500 * time.Millisecond, 1500 * time.Millisecond, 1500 * time.Millisecond} {
		for range 50 {
			d := wsReconnectDelay(attempt)
			if d < want*8/10 || d > want*12/10 {
				t.Fatalf("attempt %d: %v, want %v ±20 %%", attempt, d, want)
			}
		}
	}
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}
