package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"agentbar/audio"
)

// These tests run the real binary, as an agent or a CRM would.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "agentbar-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "agentbar")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// instance is one agentbar with its own XDG directories.
type instance struct {
	t   *testing.T
	dir string
	env []string
}

func newInstance(t *testing.T) *instance {
	t.Helper()
	dir := t.TempDir()
	in := &instance{t: t, dir: dir}
	in.env = append(os.Environ(),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"),
		"AGENTBAR_AUDIO_BACKEND=null",
	)
	return in
}

// run runs a command to completion and returns stdout, stderr, exit code.
func (in *instance) run(stdin string, args ...string) (string, string, int) {
	in.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(in.env, "LANG=zh_CN.UTF-8")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		in.t.Fatalf("%v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// headless starts `agentbar headless` and waits for its ready line. The
// returned stop interrupts it and waits for a clean exit; it also runs at
// cleanup.
func (in *instance) headless(args ...string) (stop func()) {
	in.t.Helper()
	cmd := exec.Command(binary, append([]string{"headless"}, args...)...)
	cmd.Env = in.env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		in.t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	exited := make(chan error, 1)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case err := <-exited:
				if err != nil {
					in.t.Errorf("headless exited: %v\n%s", err, stderr.String())
				}
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				in.t.Errorf("headless did not stop on SIGINT")
			}
		})
	}
	in.t.Cleanup(stop)
	ready := make(chan map[string]any, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil && m["ready"] == true {
				ready <- m
			}
		}
		exited <- cmd.Wait()
	}()
	select {
	case m := <-ready:
		if addr, _ := m["control"].(string); !strings.HasPrefix(addr, "127.0.0.1:") {
			in.t.Fatalf("control API on %q, want loopback", addr)
		}
	case <-time.After(20 * time.Second):
		in.t.Fatalf("headless not ready: %s", stderr.String())
	}
	return stop
}

func TestVersion(t *testing.T) {
	out, _, code := newInstance(t).run("", "--version")
	if code != 0 || !strings.HasPrefix(out, "agentbar ") {
		t.Errorf("--version: %q %d", out, code)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	_, errOut, code := newInstance(t).run("", "frobnicate")
	if code != 2 || !strings.Contains(errOut, "frobnicate") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestAccountAddListRemove(t *testing.T) {
	in := newInstance(t)
	_, errOut, code := in.run("", "account", "add", "--name", "office", "--platform", "sip", "--set", "transport=sctp", "--set", "uri=sip:1001@pbx")
	if code != 1 || !strings.Contains(errOut, "transport") {
		t.Fatalf("bad transport: exit %d, %q", code, errOut)
	}
	_, errOut, code = in.run("", "account", "add", "--name", "office", "--platform", "nosuch")
	if code != 1 || errOut == "" {
		t.Fatalf("unknown platform: exit %d, %q", code, errOut)
	}
	out, errOut, code := in.run("", "account", "add", "--name", "office", "--platform", "sip", "--set", "uri=sip:1001@pbx.example.com", "--set", "transport=tcp")
	if code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	out, _, _ = in.run("", "account", "list")
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0]["platform"] != "sip" {
		t.Fatalf("list %s (%v)", out, err)
	}
	if _, _, code := in.run("", "account", "remove", "office"); code != 0 {
		t.Fatal("remove failed")
	}
	if _, errOut, code := in.run("", "account", "remove", "office"); code != 1 || !strings.Contains(errOut, "office") {
		t.Errorf("second remove: %d %q", code, errOut)
	}
}

// TestPasswordGoesToTheKeyringOnly runs against a real gnome-keyring (the
// Makefile starts one); the account file must not contain the password.
func TestPasswordGoesToTheKeyringOnly(t *testing.T) {
	if os.Getenv("AGENTBAR_KEYRING_IT") != "1" {
		t.Skip("needs a running Secret Service: set AGENTBAR_KEYRING_IT=1 (make test does)")
	}
	in := newInstance(t)
	const password = "k3yring-0nly-Secret"
	out, errOut, code := in.run(password+"\n", "account", "add", "--name", "kr", "--platform", "sip", "--set", "uri=sip:1001@127.0.0.1", "--password-stdin")
	if code != 0 || !strings.Contains(out, `"remember_password": true`) {
		t.Fatalf("add: %d %s %s", code, out, errOut)
	}
	err := filepath.Walk(in.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		if bytes.Contains(data, []byte(password)) {
			t.Errorf("%s contains the password", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command("secret-tool", "lookup", "service", "agentbar", "username", "kr/password").Output()
	if err != nil || strings.TrimSpace(string(got)) != password {
		t.Errorf("keyring holds %q (%v)", got, err)
	}
	in.run("", "account", "remove", "kr")
	if got, _ := exec.Command("secret-tool", "lookup", "service", "agentbar", "username", "kr/password").Output(); len(got) > 0 {
		t.Error("removing the account left its password in the keyring")
	}
}

// TestFurtherSecretGoesToTheKeyringOnly: a platform's second secret
// (Emicnet's encrypt_key) is read from the next stdin line, filed in the
// keyring under its own key, absent from every file, and removed with the
// account.
func TestFurtherSecretGoesToTheKeyringOnly(t *testing.T) {
	if os.Getenv("AGENTBAR_KEYRING_IT") != "1" {
		t.Skip("needs a running Secret Service: set AGENTBAR_KEYRING_IT=1 (make test does)")
	}
	in := newInstance(t)
	const password, key = "emic-Pa55", "0123456789abcdef-agreed"
	args := []string{"account", "add", "--name", "em", "--platform", "emicnet",
		"--set", "api_url=https://127.0.0.1:1", "--set", "socket_uri=wss://127.0.0.1:2",
		"--set", "switchnumber=02566699734", "--set", "un=1023", "--password-stdin"}
	if _, errOut, code := in.run(password+"\n"+key+"\n", append(args, "--secret-stdin", "nosuch")...); code != 1 || !strings.Contains(errOut, "nosuch") {
		t.Fatalf("unknown further secret: %d %q", code, errOut)
	}
	out, errOut, code := in.run(password+"\n"+key+"\n", append(args, "--secret-stdin", "encrypt_key")...)
	if code != 0 {
		t.Fatalf("add: %d %s %s", code, out, errOut)
	}
	_ = filepath.Walk(in.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		if data, _ := os.ReadFile(path); bytes.Contains(data, []byte(key)) || bytes.Contains(data, []byte(password)) {
			t.Errorf("%s contains a secret", path)
		}
		return nil
	})
	for kind, want := range map[string]string{"pwd": password, "encrypt_key": key} {
		got, err := exec.Command("secret-tool", "lookup", "service", "agentbar", "username", "em/"+kind).Output()
		if err != nil || strings.TrimSpace(string(got)) != want {
			t.Errorf("keyring %s holds %q (%v)", kind, got, err)
		}
	}
	in.run("", "account", "remove", "em")
	for _, kind := range []string{"pwd", "encrypt_key"} {
		if got, _ := exec.Command("secret-tool", "lookup", "service", "agentbar", "username", "em/"+kind).Output(); len(got) > 0 {
			t.Errorf("removing the account left %s in the keyring", kind)
		}
	}
}

func TestHeadlessAndCtl(t *testing.T) {
	in := newInstance(t)
	if _, errOut, code := in.run("", "ctl", "status"); code != 3 || errOut == "" {
		t.Fatalf("ctl before start: %d %q", code, errOut)
	}
	in.headless()
	out, errOut, code := in.run("", "ctl", "status")
	var st map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st["connection"] != "offline" {
		t.Fatalf("status: %d %s %s", code, out, errOut)
	}
	_, errOut, code = in.run("", "ctl", "hold")
	if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "登录") {
		t.Errorf("hold while logged out: %d %q", code, errOut)
	}
	if _, _, code := in.run("", "ctl", "state", "sleepy"); code == 0 {
		t.Error("bad state accepted")
	}
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

func writeTone(t *testing.T, path string, hz float64, d time.Duration) {
	t.Helper()
	w := &audio.WAV{Format: audio.WAVFormat{SampleRate: 8000, Channels: 1}, Samples: audio.SineWave(8000, hz, 0.3, d)}
	if err := audio.WriteWAVFile(path, w); err != nil {
		t.Fatal(err)
	}
}

// TestHeadlessCallWithAudio is the product's promise in one test: two
// headless agentbars with plain SIP accounts, WAV files as microphones;
// `ctl dial` connects them and each records the other's tone.
func TestHeadlessCallWithAudio(t *testing.T) {
	alice, bob := newInstance(t), newInstance(t)
	pa, pb := freeUDPPort(t), freeUDPPort(t)
	for _, c := range []struct {
		in   *instance
		user string
		port int
		more []string
	}{{alice, "alice", pa, nil}, {bob, "bob", pb, []string{"--set", "auto_answer=true"}}} {
		args := append([]string{"account", "add", "--name", "me", "--platform", "sip",
			"--set", "uri=sip:" + c.user + "@127.0.0.1", "--set", "register=false",
			"--set", "local_ip=127.0.0.1", "--set", fmt.Sprintf("port=%d", c.port)}, c.more...)
		if _, errOut, code := c.in.run("", args...); code != 0 {
			t.Fatalf("account add: %s", errOut)
		}
	}
	writeTone(t, filepath.Join(alice.dir, "in.wav"), 1000, 10*time.Second)
	writeTone(t, filepath.Join(bob.dir, "in.wav"), 600, 10*time.Second)
	var stops []func()
	for _, in := range []*instance{alice, bob} {
		stops = append(stops, in.headless("--account", "me", "--audio-in", filepath.Join(in.dir, "in.wav"), "--audio-out", filepath.Join(in.dir, "out.wav")))
	}
	out, errOut, code := alice.run("", "ctl", "dial", fmt.Sprintf("sip:bob@127.0.0.1:%d", pb))
	if code != 0 {
		t.Fatalf("dial: %s %s", out, errOut)
	}
	<-time.After(4 * time.Second)
	if _, errOut, code := alice.run("", "ctl", "hangup"); code != 0 {
		t.Fatalf("hangup: %s", errOut)
	}
	out, _, _ = alice.run("", "ctl", "history")
	if !strings.Contains(out, `"end_reason": "local_hangup"`) && !strings.Contains(out, `"end_reason":"local_hangup"`) {
		t.Errorf("history: %s", out)
	}
	// Stop both so the recordings are complete, then measure.
	for _, stop := range stops {
		stop()
	}
	for _, c := range []struct {
		in   *instance
		want float64
	}{{alice, 600}, {bob, 1000}} {
		w, err := audio.ReadWAVFile(filepath.Join(c.in.dir, "out.wav"))
		if err != nil {
			t.Fatal(err)
		}
		got := audio.DominantFrequency(w.Samples, w.Format.SampleRate)
		if got < c.want*0.99 || got > c.want*1.01 {
			t.Errorf("recorded %.1f Hz, want %.0f Hz", got, c.want)
		}
	}
}

func TestSecondInstanceRefused(t *testing.T) {
	in := newInstance(t)
	in.headless()
	_, errOut, code := in.run("", "headless")
	if code != 1 || !strings.Contains(errOut, "已经在运行") {
		t.Errorf("second instance: exit %d, %q", code, errOut)
	}
}
