package secrets

import (
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// These run go-keyring against real sockets in a child process; they need
// no daemon, so they run in every test run.

func TestRealNoSessionBus(t *testing.T) {
	results := runChild(t, "unix:path=/nonexistent", 5*time.Second)
	for _, r := range results {
		checkUnavailable(t, r, ReasonNoBus, 2*time.Second)
	}
}

// TestRealHungBus points the keyring at a socket that accepts and never
// answers, as a wedged dbus-daemon would: each call must give up at its
// timeout instead of hanging the sign-in.
func TestRealHungBus(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		conns    []net.Conn
		accepted = make(chan struct{}, 16)
		wg       sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
			accepted <- struct{}{}
		}
	}()
	defer func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()

	const limit = 500 * time.Millisecond
	results := runChild(t, "unix:path="+sock, limit)
	select {
	case <-accepted:
	default:
		t.Fatal("the child never connected to the bus socket, so it did not hang on D-Bus")
	}
	for _, r := range results {
		checkUnavailable(t, r, ReasonTimeout, limit+2*time.Second)
		if r.Elapsed < limit {
			t.Errorf("%s gave up after %v, before its %v timeout", r.Op, r.Elapsed, limit)
		}
	}
}
