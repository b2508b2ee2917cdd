package secrets

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Integration tests against a real gnome-keyring. They run only with
// AGENTBAR_KEYRING_IT=1, which scripts/keyring-it.sh sets inside a private
// D-Bus session with an unlocked keyring and a throwaway HOME.

const integrationEnv = "AGENTBAR_KEYRING_IT"

func integration(t testing.TB) {
	t.Helper()
	if os.Getenv(integrationEnv) != "1" {
		t.Skipf("%s=1 not set: run scripts/keyring-it.sh for the real-keyring tests", integrationEnv)
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no DBUS_SESSION_BUS_ADDRESS: run these inside scripts/keyring-it.sh")
	}
}

// isolatedKeyring is the real keyring under a service name of its own, so
// each test starts empty and leaves nothing for the next.
func isolatedKeyring(t testing.TB) *Keyring {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return newKeyring(osBackend{}, "agentbar-it-"+hex.EncodeToString(b[:]), 10*time.Second)
}

func TestIntegrationAvailable(t *testing.T) {
	integration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := Available(ctx); err != nil {
		t.Fatalf("Available on an unlocked gnome-keyring: %v", err)
	}
	// The probe cleans up after itself.
	if out, err := exec.Command("secret-tool", "lookup", "service", ServiceName, "username", probeUser).Output(); err == nil {
		t.Fatalf("probe secret left behind: %q", out)
	}
}

// TestIntegrationContract covers set, get, delete, replace, unicode and a
// 4 KiB value on gnome-keyring.
func TestIntegrationContract(t *testing.T) {
	integration(t)
	storeContract(t, func(t *testing.T) Store { return isolatedKeyring(t) })
}

// TestIntegrationOtherClientsAgree checks our entries are ordinary Secret
// Service items: secret-tool (libsecret) reads what we save, and we read
// what it saves.
func TestIntegrationOtherClientsAgree(t *testing.T) {
	integration(t)
	k := NewKeyring()
	const value = "口令 with spaces & ünïcödé"
	must(t, k.Set("office", KindPassword, value))
	defer k.Delete("office", KindPassword)

	out, err := exec.Command("secret-tool", "lookup", "service", ServiceName, "username", "office/password").Output()
	if err != nil {
		t.Fatalf("secret-tool lookup: %v", err)
	}
	if string(out) != value {
		t.Fatalf("secret-tool reads %q, want %q", out, value)
	}

	store := exec.Command("secret-tool", "store", "--label=agentbar test", "service", ServiceName, "username", "office/token")
	store.Stdin = strings.NewReader("tok-123")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}
	got, err := k.Get("office", KindToken)
	if err != nil || got != "tok-123" {
		t.Fatalf("Get of what secret-tool stored = %q, %v", got, err)
	}
	must(t, k.Delete("office", KindToken))
	if _, err := k.Get("office", KindToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
}

func TestIntegrationConcurrentCalls(t *testing.T) {
	integration(t)
	k := isolatedKeyring(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			account := fmt.Sprintf("agent%d", i)
			value := strings.Repeat(account, 10)
			if err := k.Set(account, KindPassword, value); err != nil {
				t.Error(err)
				return
			}
			if got, err := k.Get(account, KindPassword); err != nil || got != value {
				t.Errorf("Get(%s) = %q, %v", account, got, err)
			}
			if err := k.Delete(account, KindPassword); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// TestIntegrationNoSecretServiceOnBus runs against a bus where nothing
// provides org.freedesktop.secrets and nothing can be activated.
func TestIntegrationNoSecretServiceOnBus(t *testing.T) {
	integration(t)
	addr := startPrivateBus(t, "")
	for _, r := range runChild(t, addr, 5*time.Second) {
		checkUnavailable(t, r, ReasonNoService, 3*time.Second)
	}
}

// TestIntegrationLockedKeyring runs against a bus that activates a
// gnome-keyring nobody unlocked, with no prompter to ask the agent: the
// state of a desktop whose keyring stayed locked.
func TestIntegrationLockedKeyring(t *testing.T) {
	integration(t)
	daemon, err := exec.LookPath("gnome-keyring-daemon")
	if err != nil {
		t.Fatal(err)
	}
	addr := startPrivateBus(t, "[D-BUS Service]\nName=org.freedesktop.secrets\nExec="+daemon+" --start --foreground --components=secrets\n")
	for _, r := range runChild(t, addr, 10*time.Second) {
		checkUnavailable(t, r, ReasonLocked, 8*time.Second)
	}
}

// startPrivateBus starts a dbus-daemon of its own, with a fresh HOME, whose
// only activatable service is serviceFile (none if empty), and returns its
// address. The daemon and what it activated end with the test.
func startPrivateBus(t *testing.T, serviceFile string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "agentbar-bus-") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	services := filepath.Join(dir, "services")
	home := filepath.Join(dir, "home")
	for _, d := range []string{services, home} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if serviceFile != "" {
		if err := os.WriteFile(filepath.Join(services, "org.freedesktop.secrets.service"), []byte(serviceFile), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(privateBusConfig, dir, services)), 0o600); err != nil {
		t.Fatal(err)
	}

	// The address comes on fd 3, so that nothing dbus-daemon activates
	// inherits the pipe and keeps it open.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=3")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_RUNTIME_DIR="+dir, "DISPLAY=", "WAYLAND_DISPLAY=")
	cmd.ExtraFiles = []*os.File{w}
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		r.Close()
	})
	line := make(chan string, 1)
	go func() {
		defer close(line)
		s := bufio.NewScanner(r)
		if s.Scan() {
			line <- s.Text()
		}
	}()
	select {
	case addr := <-line:
		if addr == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return addr
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon did not start within 10s")
	}
	return ""
}

const privateBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <servicedir>%s</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// BenchmarkIntegrationRoundTrip measures one Set + Get + Delete on
// gnome-keyring: what remembering a password costs at sign-in.
func BenchmarkIntegrationRoundTrip(b *testing.B) {
	integration(b)
	k := isolatedKeyring(b)
	for b.Loop() {
		if err := k.Set("office", KindPassword, "pw"); err != nil {
			b.Fatal(err)
		}
		if _, err := k.Get("office", KindPassword); err != nil {
			b.Fatal(err)
		}
		if err := k.Delete("office", KindPassword); err != nil {
			b.Fatal(err)
		}
	}
}
