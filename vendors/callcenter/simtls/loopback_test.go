package simtls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// serve accepts TLS connections on loopback and answers each with "ok".
func serve(t *testing.T, network, addr string, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen(network, addr, cfg)
	if err != nil {
		t.Skipf("no %s loopback: %v", network, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			_, _ = c.Write([]byte("ok"))
			_ = c.Close()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
	})
	return ln.Addr().String()
}

func dial(addr, serverName string, pool *x509.CertPool) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{RootCAs: pool, ServerName: serverName, MinVersion: tls.VersionTLS12}}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	return string(b), err
}

func TestLoopbackTLSVerifiesEveryLoopbackName(t *testing.T) {
	cfg, pool, err := LoopbackTLS("simtls-test")
	if err != nil {
		t.Fatal(err)
	}
	v4 := serve(t, "tcp4", "127.0.0.1:0", cfg)
	_, port, _ := net.SplitHostPort(v4)
	for _, tc := range []struct{ name, network, addr, serverName string }{
		{"IPv4", "tcp4", v4, "127.0.0.1"},
		{"localhost", "tcp4", v4, "localhost"},
		{"IPv6", "tcp6", "", "::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := tc.addr
			if addr == "" {
				addr = serve(t, tc.network, "[::1]:0", cfg)
			}
			got, err := dial(addr, tc.serverName, pool)
			if err != nil {
				t.Fatalf("handshake as %s: %v", tc.serverName, err)
			}
			if got != "ok" {
				t.Fatalf("read %q, want ok", got)
			}
		})
	}
	// Another name is not covered.
	if _, err := dial(net.JoinHostPort("127.0.0.1", port), "example.com", pool); err == nil {
		t.Fatal("example.com verified against a loopback certificate")
	}
}

func TestLoopbackTLSPoolTrustsOnlyItsOwnCertificate(t *testing.T) {
	cfg, _, err := LoopbackTLS("one")
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := LoopbackTLS("two")
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, "tcp4", "127.0.0.1:0", cfg)
	_, err = dial(addr, "127.0.0.1", other)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("dial with another session's pool: %v, want an unknown authority", err)
	}
}

func TestLoopbackTLSCertificate(t *testing.T) {
	cfg, _, err := LoopbackTLS("emicsim")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS12 {
		t.Errorf("MinVersion %x, want TLS 1.2", cfg.MinVersion)
	}
	if len(cfg.Certificates) != 1 || cfg.Certificates[0].Leaf == nil {
		t.Fatalf("certificates %+v, want one with its leaf", cfg.Certificates)
	}
	leaf := cfg.Certificates[0].Leaf
	if leaf.Subject.CommonName != "emicsim" {
		t.Errorf("subject %q, want the simulator's name", leaf.Subject.CommonName)
	}
	now := time.Now()
	if !leaf.NotBefore.Before(now) || leaf.NotAfter.Before(now.Add(23*time.Hour)) || leaf.NotAfter.After(now.Add(25*time.Hour)) {
		t.Errorf("valid %v to %v, want from before now for about a day", leaf.NotBefore, leaf.NotAfter)
	}
}
