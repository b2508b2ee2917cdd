package gui

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestProbeSessionBusWithoutABus(t *testing.T) {
	tests := []struct{ name, address string }{
		{"disabled", "disabled:"},
		{"no such socket", "unix:path=" + t.TempDir() + "/nobody-listens"},
		{"unset: no autolaunch", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.address == "" {
				// godbus looks for /run/user/UID/bus when the variable is
				// unset (a systemd user session has one).
				if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
					t.Skip("this machine has a user bus in /run/user")
				}
			}
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tt.address)
			start := time.Now()
			err := probeSessionBus(sessionBusTimeout)
			if !errors.Is(err, ErrNoSessionBus) {
				t.Fatalf("probe: %v, want ErrNoSessionBus", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("the probe took %v to find no bus", d)
			}
		})
	}
}

// TestProbeSessionBusFindsARealBus starts a private dbus-daemon (Debian's
// dbus package) and probes it.
func TestProbeSessionBusFindsARealBus(t *testing.T) {
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus)")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	address := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		address <- strings.TrimSpace(line)
	}()
	select {
	case a := <-address:
		if a == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", a)
	case <-time.After(waitTimeout):
		t.Fatal("dbus-daemon did not print its address")
	}
	if err := probeSessionBus(sessionBusTimeout); err != nil {
		t.Fatalf("probe of a running bus: %v", err)
	}
}
