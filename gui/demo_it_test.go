package gui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/core/config"
	"agentbar/core/control"
)

// TestRealAppOnTheDemoUnderXvfb builds the real agentbar, runs it under
// Xvfb on the built-in demo call center (a saved demo account that signs
// in by itself, with the center's admin endpoint on a known port and no
// random callers), and drives it as an agent would:
//
//   - a customer calls (admin endpoint): the incoming-call popup comes up
//     (screenshot demo-popup.png), dbus-monitor sees the notification with
//     the caller's number and the tray's RegisterStatusNotifierItem;
//   - a click on the popup's answer button (xdotool) answers: the call
//     card shows (demo-call.png);
//   - hang up from the tray's menu (D-Bus), wrap-up, ready again from the
//     tray (demo-ready.png);
//   - idle CPU and memory of the app against a Fyne hello-world
//     (testdata/hello), both built without the race detector, measured
//     side by side from /proc (idle.txt in the artifacts);
//   - quit from the tray: exit status 0.
//
// The control API (the app's own, on loopback) reports the engine's state
// to the test; the GUI is driven only through X and D-Bus.
//
// Gate: AGENTBAR_GUI_IT=1 under Xvfb inside dbus-run-session
// (scripts/test.sh). Needs xwininfo, import, dbus-monitor and xdotool.
func TestRealAppOnTheDemoUnderXvfb(t *testing.T) {
	if os.Getenv("AGENTBAR_GUI_IT") != "1" {
		t.Skip("set AGENTBAR_GUI_IT=1 (and DISPLAY, under dbus-run-session) to run the real app on the demo")
	}
	for _, v := range []string{"DISPLAY", "DBUS_SESSION_BUS_ADDRESS"} {
		if os.Getenv(v) == "" {
			t.Fatalf("%s is not set: run under Xvfb inside dbus-run-session", v)
		}
	}
	for _, tool := range []string{"xwininfo", "import", "dbus-monitor", "xdotool", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}
	bin := buildProgram(t, "..", "agentbar")
	helloBin := buildProgram(t, "./testdata/hello", "hello")

	home := t.TempDir()
	env := append(os.Environ(),
		"HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"AGENTBAR_AUDIO_BACKEND=null", "LANG=zh_CN.UTF-8", "LC_ALL=", "LC_MESSAGES=", "AGENTBAR_LANG=")
	cfgDir := filepath.Join(home, ".config", "agentbar")
	store, err := config.Open(cfgDir)
	if err != nil {
		t.Fatal(err)
	}
	admin := freeLoopbackPort(t)
	if err := store.PutAccount(config.Account{Name: "demo-it", Platform: "demo", AutoLogin: true, Fields: map[string]string{
		"arrival_seconds": "0", "speech": "false", "colleagues": "false", "admin_port": strconv.Itoa(admin),
	}}); err != nil {
		t.Fatal(err)
	}

	monitor := startNotifyMonitor(t)
	started := time.Now()
	cmd := exec.Command(bin, "--account", "demo-it")
	cmd.Env = env
	agent := startLines(t, cmd)
	mainID := waitMapped(t, "坐席电话条", 30*time.Second)
	t.Logf("main window mapped %v after start", time.Since(started).Round(time.Millisecond))
	monitor.waitLine(t, "RegisterStatusNotifierItem", 10*time.Second)
	item := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", cmd.Process.Pid)

	api := newAppAPI(t, cfgDir)
	api.waitStatus(t, "signed in and ready", 30*time.Second, func(st core.Status) bool {
		return st.LoggedIn && st.Connection == core.ConnConnected && st.Agent.Kind == core.Ready
	})

	// A customer calls.
	rang := time.Now()
	adminPost(t, admin, "/admin/customer", `{"number":"13800138000","trunk":"02512345678"}`)
	popupID := waitMapped(t, "来电", 10*time.Second)
	t.Logf("popup mapped within %v of the customer's call (X polled every 100 ms)", time.Since(rang).Round(time.Millisecond))
	t.Logf("screenshot %s", screenshot(t, popupID, "demo-popup.png"))
	monitor.waitLine(t, "member=Notify", 10*time.Second)
	monitor.waitLine(t, "来电 138 0013 8000", 5*time.Second)

	// Answer from the popup: its answer button is the left half of the
	// bottom row.
	x, y := popupAnswerPoint(t, popupID)
	if out, err := exec.Command("xdotool", "mousemove", "--window", popupID, strconv.Itoa(x), strconv.Itoa(y),
		"click", "1").CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v: %s", err, out)
	}
	st := api.waitStatus(t, "talking", 10*time.Second, func(st core.Status) bool {
		return len(st.Calls) == 1 && st.Calls[0].State == core.CallTalking
	})
	if n := st.Calls[0].RemoteNumber; n != "13800138000" {
		t.Errorf("talking to %q", n)
	}
	waitUnmapped(t, popupID, 5*time.Second)
	t.Logf("screenshot %s", screenshot(t, mainID, "demo-call.png"))

	// Hang up from the tray, then ready from the tray after wrap-up.
	clickTrayItem(t, item, "挂断")
	api.waitStatus(t, "hung up, wrapping up", 10*time.Second, func(st core.Status) bool {
		return len(st.Calls) == 0 && st.Agent.Reason == core.ReasonWrapUp
	})
	clickTrayItem(t, item, "空闲")
	api.waitStatus(t, "ready again", 15*time.Second, func(st core.Status) bool {
		return len(st.Calls) == 0 && st.Agent.Kind == core.Ready
	})
	t.Logf("screenshot %s", screenshot(t, mainID, "demo-ready.png"))

	// Idle: the app signed in and waiting, beside a Fyne hello-world.
	hello := startHello(t, helloBin)
	waitMapped(t, "hello-"+strconv.Itoa(os.Getpid()), 20*time.Second)
	settle := time.NewTimer(3 * time.Second) // both past their start-up work
	<-settle.C
	report := measureIdle(t, 10*time.Second, map[string]int{"agentbar": cmd.Process.Pid, "fyne-hello": hello.cmd.Process.Pid})
	t.Log(report)
	writeArtifact(t, "idle.txt", report)

	clickTrayItem(t, item, "退出")
	if code := agent.wait(t, 20*time.Second); code != 0 {
		t.Fatalf("agentbar exited %d after tray Quit\n%s", code, agent.stderr())
	}
	for _, bad := range []string{"panic:", "call thread", "DATA RACE"} {
		if strings.Contains(agent.stderr(), bad) {
			t.Errorf("agentbar's stderr has %q:\n%s", bad, agent.stderr())
		}
	}
}

// buildProgram builds a program without the race detector, as users get
// it (warm: a few seconds).
func buildProgram(t *testing.T, pkg, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func adminPost(t *testing.T, port int, path, body string) {
	t.Helper()
	res, err := http.Post(fmt.Sprintf("http://127.0.0.1:%d%s", port, path), "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		t.Fatalf("POST %s: %d %s", path, res.StatusCode, b.String())
	}
}

// startNotifyMonitor watches notifications and tray registrations on the
// session bus, returning once attached.
func startNotifyMonitor(t *testing.T) *lineProcess {
	t.Helper()
	cmd := exec.Command("dbus-monitor", "--session",
		"type='method_call',interface='org.kde.StatusNotifierWatcher'",
		"type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
		"type='signal',member='NameAcquired'")
	p := startLines(t, cmd)
	p.waitLine(t, "NameAcquired", 10*time.Second)
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

// appAPI follows the app's engine through its control API.
type appAPI struct {
	client *control.Client
	events <-chan []byte
	cancel context.CancelFunc
}

func newAppAPI(t *testing.T, dir string) *appAPI {
	t.Helper()
	// The app publishes its endpoint at start; ask until it answers.
	deadline := time.Now().Add(30 * time.Second)
	var (
		client *control.Client
		err    error
	)
	for {
		if client, err = control.NewClient(dir); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, err = client.Do(ctx, "GET", "status", nil)
			cancel()
			if err == nil {
				break
			}
			client.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("the control API never answered: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	events, _ := client.Events(ctx)
	a := &appAPI{client: client, events: events, cancel: cancel}
	t.Cleanup(func() { cancel(); client.Close() })
	return a
}

// status asks for the engine's state.
func (a *appAPI) status(t *testing.T) core.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	raw, err := a.client.Do(ctx, "GET", "status", nil)
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	var st core.Status
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("status %s: %v", raw, err)
	}
	return st
}

// waitStatus asks for the state now and after each engine event until
// cond holds.
func (a *appAPI) waitStatus(t *testing.T, what string, timeout time.Duration, cond func(core.Status) bool) core.Status {
	t.Helper()
	deadline := time.After(timeout)
	for {
		st := a.status(t)
		if cond(st) {
			return st
		}
		select {
		case _, ok := <-a.events:
			if !ok {
				t.Fatalf("the event stream ended while waiting for %s", what)
			}
		case <-deadline:
			t.Fatalf("no %s within %v; last status: agent %s, calls %+v", what, timeout, st.Agent, st.Calls)
		}
	}
}

// popupAnswerPoint is where the popup's answer button is, in the
// window's coordinates.
func popupAnswerPoint(t *testing.T, id string) (int, int) {
	t.Helper()
	out, err := exec.Command("xwininfo", "-id", id).Output()
	if err != nil {
		t.Fatal(err)
	}
	w := xwininfoField(t, out, "Width")
	h := xwininfoField(t, out, "Height")
	return w / 4, h - 40
}

func xwininfoField(t *testing.T, out []byte, name string) int {
	t.Helper()
	m := regexp.MustCompile(name + `:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("xwininfo has no %s:\n%s", name, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// waitUnmapped waits until a window is no longer viewable.
func waitUnmapped(t *testing.T, id string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out, _ := exec.Command("xwininfo", "-id", id).Output()
		if !strings.Contains(string(out), "IsViewable") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("window %s still up after %v", id, timeout)
}

// startHello runs the Fyne hello-world (testdata/hello), titled with this
// process's pid.
func startHello(t *testing.T, bin string) *lineProcess {
	t.Helper()
	cmd := exec.Command(bin, "hello-"+strconv.Itoa(os.Getpid()))
	p := startLines(t, cmd)
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		p.wait(t, 10*time.Second)
	})
	return p
}

// measureIdle samples the processes' CPU time and resident memory over
// the same span, from /proc.
func measureIdle(t *testing.T, span time.Duration, pids map[string]int) string {
	t.Helper()
	before := map[string]int64{}
	for name, pid := range pids {
		before[name] = cpuTicks(t, pid)
	}
	timer := time.NewTimer(span)
	<-timer.C
	var b strings.Builder
	fmt.Fprintf(&b, "idle over %v (Xvfb, no window manager, signed in to the demo; CPU as %% of one core):\n", span)
	for _, name := range []string{"agentbar", "fyne-hello"} {
		pid, ok := pids[name]
		if !ok {
			continue
		}
		used := cpuTicks(t, pid) - before[name]
		pct := float64(used) / 100 / span.Seconds() * 100 // USER_HZ is 100 on Linux
		fmt.Fprintf(&b, "  %-10s pid %-7d CPU %5.2f %%  RSS %6.1f MB\n", name, pid, pct, float64(rssKB(t, pid))/1024)
	}
	return b.String()
}

// cpuTicks is a process's user plus system time, in clock ticks.
func cpuTicks(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// The command name may hold spaces: fields start after the last ')'.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}

// rssKB is a process's resident memory.
func rssKB(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no VmRSS in /proc/%d/status", pid)
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

// writeArtifact keeps a text next to the screenshots.
func writeArtifact(t *testing.T, name, text string) {
	t.Helper()
	dir := os.Getenv("AGENTBAR_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
