package phone

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

func isReg(state RegistrationState) func(Event) bool {
	return func(e Event) bool { r, ok := e.(RegistrationChanged); return ok && r.State == state }
}

func TestRegisterDigestRefreshUnregister(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			reg := newTestRegistrar(t, tr)
			p := newTestPhone(t, "1001", tr, func(c *Config) {
				reg.account(c)
				c.Expiry = 4 * time.Second
			})
			e := p.ev.wait("Registered", isReg(Registered)).(RegistrationChanged)
			if e.Expires != 4*time.Second {
				t.Fatalf("granted %v, want 4s", e.Expires)
			}
			if p.Registration() != Registered {
				t.Fatalf("Registration() = %v", p.Registration())
			}
			// The refresh comes at 75 % of 4 s.
			recs := reg.waitFor("a refresh", 6*time.Second, func(r []regRecord) bool { return len(successes(r)) >= 2 })
			ok := successes(recs)
			// The refresh starts with its own challenge: measure from the
			// first success to the first REGISTER after it.
			var next time.Time
			for _, r := range recs {
				if r.at.After(ok[0].at) {
					next = r.at
					break
				}
			}
			if gap := next.Sub(ok[0].at); gap < 2700*time.Millisecond || gap > 3500*time.Millisecond {
				t.Fatalf("refresh after %v, want about 3 s (75 %% of 4 s)", gap)
			}
			if p.ev.count(isReg(Registering)) != 1 {
				t.Fatalf("a refresh reported Registering again:\n%s", p.ev.dump())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := p.Close(ctx); err != nil {
				t.Fatalf("Close: %v", err)
			}
			recs = reg.waitFor("an unregister", 2*time.Second, func(r []regRecord) bool {
				last := r[len(r)-1]
				return last.expires == 0 && last.status == 200
			})
			if !strings.Contains(strings.Join(recs[len(recs)-1].contacts, ","), "127.0.0.1") {
				t.Fatalf("unregister without our contact: %+v", recs[len(recs)-1])
			}
			p.ev.wait("Unregistered", isReg(Unregistered))
		})
	}
}

func TestRegisterBackoffWhileRegistrarFails(t *testing.T) {
	reg := newTestRegistrar(t, TransportUDP)
	reg.mu.Lock()
	reg.failNext = 3
	reg.mu.Unlock()
	var mu sync.Mutex
	var attempts []int
	p, err := New(Config{URI: "sip:1001@" + reg.addr, Password: reg.password, Register: true, LocalIP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	p.hooks.backoff = func(attempt int) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		attempts = append(attempts, attempt)
		return time.Duration(attempt+1) * 10 * time.Millisecond
	}
	ev := record(t, "1001", p)
	if err := p.Start(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	defer func() { p.Close(ctxT(t)); <-ev.closed }()
	ev.wait("Registered", isReg(Registered))
	var failed []RegistrationChanged
	ev.mu.Lock()
	for _, e := range ev.events {
		if r, ok := e.(RegistrationChanged); ok && r.State == RegistrationFailed {
			failed = append(failed, r)
		}
	}
	ev.mu.Unlock()
	if len(failed) != 3 {
		t.Fatalf("%d failures reported, want 3:\n%s", len(failed), ev.dump())
	}
	for i, f := range failed {
		var re *RegistrationError
		if !errors.As(f.Err, &re) || re.Code != 503 {
			t.Fatalf("failure %d: %v, want a 503 RegistrationError", i, f.Err)
		}
		if want := time.Duration(i+1) * 10 * time.Millisecond; f.RetryIn != want {
			t.Fatalf("failure %d: retry in %v, want %v", i, f.RetryIn, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(attempts) != 3 || attempts[0] != 0 || attempts[2] != 2 {
		t.Fatalf("backoff asked for attempts %v, want [0 1 2]", attempts)
	}
}

func TestRegisterFailures(t *testing.T) {
	t.Run("nobody listening (tcp)", func(t *testing.T) {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		p := newTestPhone(t, "1001", TransportTCP, func(c *Config) { c.URI = "sip:1001@" + addr; c.Register = true })
		e := p.ev.wait("Failed", isReg(RegistrationFailed)).(RegistrationChanged)
		var re *RegistrationError
		if !errors.As(e.Err, &re) || re.Code != 0 || re.Sentence("zh") != "无法连接到服务器" {
			t.Fatalf("failure %v, want a transport RegistrationError", e.Err)
		}
		if e.RetryIn < 800*time.Millisecond || e.RetryIn > 1200*time.Millisecond {
			t.Fatalf("first retry in %v, want 1 s ±20%%", e.RetryIn)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		reg := newTestRegistrar(t, TransportUDP)
		p := newTestPhone(t, "1001", TransportUDP, func(c *Config) { reg.account(c); c.Password = "wrong" })
		e := p.ev.wait("Failed", isReg(RegistrationFailed)).(RegistrationChanged)
		var re *RegistrationError
		if !errors.As(e.Err, &re) || re.Code != 401 || re.Sentence("en") != "Sign-in failed: wrong user name or password." {
			t.Fatalf("failure %v, want 401", e.Err)
		}
	})
	t.Run("423 interval too brief", func(t *testing.T) {
		reg := newTestRegistrar(t, TransportUDP)
		reg.mu.Lock()
		reg.minExpiry = 120
		reg.mu.Unlock()
		p := newTestPhone(t, "1001", TransportUDP, func(c *Config) { reg.account(c); c.Expiry = 60 * time.Second })
		e := p.ev.wait("Registered", isReg(Registered)).(RegistrationChanged)
		if e.Expires != 120*time.Second {
			t.Fatalf("granted %v, want the 120 s Min-Expires", e.Expires)
		}
	})
}

func TestRegisterFollowsNAT(t *testing.T) {
	reg := newTestRegistrar(t, TransportUDP)
	reg.mu.Lock()
	reg.natHost, reg.natPort = "127.0.0.2", 5999
	reg.mu.Unlock()
	p := newTestPhone(t, "1001", TransportUDP, reg.account)
	p.ev.waitN(2, "second Registered", isReg(Registered))
	recs := successes(reg.waitFor("a re-register with the public address", 5*time.Second, func(r []regRecord) bool { return len(successes(r)) >= 2 }))
	second := strings.Join(recs[1].contacts, " | ")
	if !strings.Contains(second, "127.0.0.2:5999") || !strings.Contains(second, "expires=0") {
		t.Fatalf("second REGISTER contacts %q: want the public address and the old one removed", second)
	}
	if got := p.Contact(); got != "sip:1001@127.0.0.2:5999" {
		t.Fatalf("Contact() = %q", got)
	}
}

func TestRegisterAgainOnNetworkChangeAndWake(t *testing.T) {
	reg := newTestRegistrar(t, TransportUDP)
	tick := make(chan time.Time)
	var mu sync.Mutex
	addrs := []net.Addr{&net.IPNet{IP: net.IPv4(192, 0, 2, 1), Mask: net.CIDRMask(24, 32)}}
	wall := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	p, err := New(Config{URI: "sip:1001@" + reg.addr, Password: reg.password, Register: true, LocalIP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	p.hooks.netTick = tick
	p.hooks.interfaceAddrs = func() ([]net.Addr, error) { mu.Lock(); defer mu.Unlock(); return addrs, nil }
	p.hooks.wallNow = func() time.Time { mu.Lock(); defer mu.Unlock(); return wall }
	ev := record(t, "1001", p)
	if err := p.Start(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	defer func() { p.Close(ctxT(t)); <-ev.closed }()
	ev.wait("Registered", isReg(Registered))
	count := func() int {
		return len(successes(reg.waitFor("", time.Second, func([]regRecord) bool { return true })))
	}
	before := count()

	send := func() {
		select {
		case tick <- time.Now():
		case <-time.After(waitTimeout):
			t.Fatal("network watcher not ticking")
		}
	}
	send() // nothing changed: no REGISTER
	mu.Lock()
	addrs = append(addrs, &net.IPNet{IP: net.IPv4(198, 51, 100, 7), Mask: net.CIDRMask(24, 32)})
	wall = wall.Add(3 * time.Second)
	mu.Unlock()
	send()
	reg.waitFor("a REGISTER after the network change", 5*time.Second, func(r []regRecord) bool { return len(successes(r)) == before+1 })

	mu.Lock()
	wall = wall.Add(time.Hour) // the laptop slept for an hour
	mu.Unlock()
	send()
	reg.waitFor("a REGISTER after waking up", 5*time.Second, func(r []regRecord) bool { return len(successes(r)) == before+2 })
}
