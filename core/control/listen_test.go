package control

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"path/filepath"
	"testing"
	"time"
)

func TestListensOnLoopbackOnly(t *testing.T) {
	h := newHarness(t)
	ap, err := netip.ParseAddrPort(h.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if !ap.Addr().IsLoopback() || ap.Port() == 0 {
		t.Fatalf("listening on %s", ap)
	}
	if got := h.srv.ln.Addr().String(); got != h.srv.Addr() {
		t.Errorf("listener %s, Addr %s", got, h.srv.Addr())
	}
	// From this machine's other addresses, nothing answers on that port.
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, a := range addrs {
		pfx, err := netip.ParsePrefix(a.String())
		if err != nil || pfx.Addr().IsLoopback() || pfx.Addr().IsLinkLocalUnicast() {
			continue
		}
		tried++
		target := netip.AddrPortFrom(pfx.Addr(), ap.Port()).String()
		conn, err := net.DialTimeout("tcp", target, 2*time.Second)
		if err == nil {
			conn.Close()
			t.Errorf("the control port answers on %s", target)
		}
	}
	t.Logf("checked %d non-loopback addresses", tried)
}

func TestAddrMustBeLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
		want string // listen address, when ok
	}{
		{"", true, "127.0.0.1:0"},
		{"127.0.0.1:0", true, "127.0.0.1:0"},
		{"127.0.0.2:0", true, "127.0.0.2:0"},
		{"localhost:0", true, "127.0.0.1:0"},
		{"[::1]:0", true, "[::1]:0"},
		{"0.0.0.0:0", false, ""},
		{":0", false, ""},
		{"[::]:0", false, ""},
		{"192.0.2.1:0", false, ""},
		{"[::ffff:0.0.0.0]:0", false, ""},
		{"example.com:0", false, ""},
		{"127.0.0.1", false, ""},
	}
	for _, tt := range tests {
		got, err := listenAddr(tt.addr)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("listenAddr(%q) = %q, %v", tt.addr, got, err)
		}
		if !tt.ok && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("listenAddr(%q): %v does not match ErrNotLoopback", tt.addr, err)
		}
	}
}

func TestStartRefusesWildcardAddr(t *testing.T) {
	h := newHarness(t)
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0"} {
		dir := filepath.Join(t.TempDir(), "cfg")
		s, err := Start(context.Background(), Options{Backend: h.be, Dir: dir, Addr: addr})
		if !errors.Is(err, ErrNotLoopback) {
			if s != nil {
				s.Close(context.Background())
			}
			t.Errorf("Start(%q): %v", addr, err)
		}
	}
}

func TestStartNeedsDirAndBackend(t *testing.T) {
	h := newHarness(t)
	if _, err := Start(context.Background(), Options{Backend: h.be}); !errors.Is(err, ErrNoDir) {
		t.Errorf("no dir: %v", err)
	}
	if _, err := Start(context.Background(), Options{Dir: t.TempDir()}); !errors.Is(err, ErrNoBackend) {
		t.Errorf("no backend: %v", err)
	}
	if _, err := Start(context.Background(), Options{Backend: h.be, Dir: t.TempDir(), AllowedOrigins: []string{"*"}}); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("wildcard origin: %v", err)
	}
}
