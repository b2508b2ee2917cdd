package gui

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/app"
	"github.com/godbus/dbus/v5"

	"agentbar/core"
)

// The real-window test re-executes this test binary as the app: TestMain
// sees childEnv and runs childMain on the main goroutine, as a real main
// would, with the real GLFW driver on the X display the test runs under.
const (
	childEnv      = "AGENTBAR_GUI_CHILD"
	childLangEnv  = "AGENTBAR_GUI_CHILD_LANG"
	childTitleEnv = "AGENTBAR_GUI_CHILD_TITLE"
	// childOfflineEnv starts the app signed out (for measuring it idle).
	childOfflineEnv = "AGENTBAR_GUI_CHILD_OFFLINE"
	childStarted    = "agentbar-child: started"
	childRinging    = "agentbar-child: ringing call shown"
	childQuit       = "agentbar-child: on-quit"
	childExited     = "agentbar-child: clean exit"
)

// childMain is the app under test: a real engine signed in to the fake
// platform, with a customer ringing, shown by gui.Run.
func childMain() int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fake := newFakePlatform()
	reg := fake.registry()
	e := core.New(core.Options{Registry: reg, Logger: log})
	if os.Getenv(childOfflineEnv) == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := e.Login(ctx, core.LoginRequest{Account: "demo-agent", Platform: "fake"})
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "agentbar-child: login:", err)
			return 3
		}
		fake.report(core.SessionUpdate{AgentID: "1001", DisplayName: "王小明", Extension: "8001"})
		fake.report(core.AgentStateUpdate{State: core.ReadyState()})
		fake.ring("demo-1", "13800138000", "广东 深圳")
	}

	a := app.NewWithID("cn.agentbar.desktop.guitest")
	a.Lifecycle().SetOnStarted(func() { fmt.Println(childStarted) })
	announced := false // UI thread only
	err := Run(a, Options{
		Engine: e, Lang: os.Getenv(childLangEnv), Title: os.Getenv(childTitleEnv), Demo: true,
		CloseToTray: true, Logger: log, Registry: reg,
		OnQuit: func() { fmt.Println(childQuit) },
		settled: func(shown board) {
			if !announced && shown.ringing() {
				announced = true
				fmt.Println(childRinging)
			}
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentbar-child: run:", err)
		return 4
	}
	closeCtx, cancelClose := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelClose()
	if err := e.Close(closeCtx); err != nil {
		fmt.Fprintln(os.Stderr, "agentbar-child: engine close:", err)
		return 5
	}
	fmt.Println(childExited)
	return 0
}

// TestRealWindowUnderXvfb runs the real app on the X display, takes a
// screenshot of its first window, watches the tray register on the session
// bus, quits through the tray's own menu, and checks that the app also
// starts and quits cleanly with no session bus at all.
//
// Gate: AGENTBAR_GUI_IT=1 (scripts/test.sh runs it under Xvfb inside
// dbus-run-session). Needs xwininfo (x11-utils), import (imagemagick) and
// dbus-monitor (dbus).
func TestRealWindowUnderXvfb(t *testing.T) {
	if os.Getenv("AGENTBAR_GUI_IT") != "1" {
		t.Skip("set AGENTBAR_GUI_IT=1 (and DISPLAY) to run the real window")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("AGENTBAR_GUI_IT=1 but DISPLAY is not set")
	}
	for _, tool := range []string{"xwininfo", "import", "dbus-monitor"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}

	t.Run("with session bus", func(t *testing.T) {
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
			t.Fatal("run under dbus-run-session: DBUS_SESSION_BUS_ADDRESS is not set")
		}
		monitor := startBusMonitor(t)
		title := fmt.Sprintf("agentbar-it-%d", os.Getpid())
		child := startChild(t, "zh", title, nil)
		child.waitLine(t, childStarted, 30*time.Second)
		child.waitLine(t, childRinging, 10*time.Second)
		id := waitMapped(t, title, 10*time.Second)
		shot := screenshot(t, id, "first-window.png")
		t.Logf("screenshot %s", shot)

		monitor.waitLine(t, "RegisterStatusNotifierItem", 10*time.Second)
		item := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", child.cmd.Process.Pid)
		checkTrayIcon(t, item)
		clickTrayItem(t, item, "退出")

		if code := child.wait(t, 15*time.Second); code != 0 {
			t.Fatalf("app exited %d after tray Quit\n%s", code, child.stderr())
		}
		child.mustHave(t, childQuit, childExited)
		if strings.Contains(child.stderr(), "icon format") {
			t.Errorf("the tray could not read its icon:\n%s", child.stderr())
		}
	})

	t.Run("without session bus", func(t *testing.T) {
		title := fmt.Sprintf("agentbar-it-nobus-%d", os.Getpid())
		child := startChild(t, "en", title, []string{"DBUS_SESSION_BUS_ADDRESS=disabled:"})
		child.waitLine(t, childStarted, 30*time.Second)
		waitMapped(t, title, 10*time.Second)
		if err := child.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := child.wait(t, 15*time.Second); code != 0 {
			t.Fatalf("app exited %d on SIGTERM without a bus\n%s", code, child.stderr())
		}
		child.mustHave(t, childQuit, childExited)
		if !strings.Contains(child.stderr(), "no system tray") {
			t.Errorf("no warning about the missing tray in the log:\n%s", child.stderr())
		}
	})
}

// lineProcess is a child process whose stdout lines arrive on a channel.
type lineProcess struct {
	cmd    *exec.Cmd
	lines  chan string
	seen   []string
	errBuf *lockedBuffer
	exited chan error
}

func startLines(t *testing.T, cmd *exec.Cmd) *lineProcess {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &lineProcess{cmd: cmd, lines: make(chan string, 4096), errBuf: &lockedBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.errBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // a test that stopped reading does not block the child
			}
		}
	}()
	go func() {
		<-scanned
		p.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			select {
			case <-p.exited:
			case <-time.After(waitTimeout):
			}
		}
	})
	return p
}

// waitLine reads lines until one contains want.
func (p *lineProcess) waitLine(t *testing.T, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case l := <-p.lines:
			p.seen = append(p.seen, l)
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within %v; stdout so far %q\nstderr:\n%s", want, timeout, p.seen, p.stderr())
		}
	}
}

// wait returns the exit code, failing after timeout.
func (p *lineProcess) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case err := <-p.exited:
		for {
			select {
			case l := <-p.lines:
				p.seen = append(p.seen, l)
				continue
			default:
			}
			break
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(timeout):
		t.Fatalf("still running after %v\nstderr:\n%s", timeout, p.stderr())
	}
	return -1
}

func (p *lineProcess) mustHave(t *testing.T, lines ...string) {
	t.Helper()
	for _, want := range lines {
		found := false
		for _, l := range p.seen {
			found = found || l == want
		}
		if !found {
			t.Errorf("stdout lacks %q: %q", want, p.seen)
		}
	}
	if strings.Contains(p.stderr(), "panic") {
		t.Errorf("the app panicked:\n%s", p.stderr())
	}
}

func (p *lineProcess) stderr() string { return p.errBuf.String() }

// startChild runs this test binary as the app.
func startChild(t *testing.T, lang, title string, env []string) *lineProcess {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", childLangEnv+"="+lang, childTitleEnv+"="+title)
	cmd.Env = append(cmd.Env, env...)
	return startLines(t, cmd)
}

// startBusMonitor watches tray registrations on the session bus. It returns
// once the monitor is attached (its first line), so nothing is missed.
func startBusMonitor(t *testing.T) *lineProcess {
	t.Helper()
	cmd := exec.Command("dbus-monitor", "--session",
		"type='method_call',interface='org.kde.StatusNotifierWatcher'",
		"type='signal',member='NameAcquired'")
	p := startLines(t, cmd)
	p.waitLine(t, "NameAcquired", 10*time.Second)
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

// waitMapped waits until a window whose name contains title is viewable
// and returns its id. X has no event a test can wait on without a window
// manager, so this asks xwininfo every 100 ms, for a bounded time.
func waitMapped(t *testing.T, title string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	idRe := regexp.MustCompile(`^\s*(0x[0-9a-f]+) "([^"]*)"`)
	var last string
	for time.Now().Before(deadline) {
		out, _ := exec.Command("xwininfo", "-root", "-tree").Output()
		last = string(out)
		for _, line := range strings.Split(last, "\n") {
			m := idRe.FindStringSubmatch(line)
			if m == nil || !strings.Contains(m[2], title) {
				continue
			}
			info, _ := exec.Command("xwininfo", "-id", m[1]).Output()
			if strings.Contains(string(info), "Map State: IsViewable") {
				return m[1]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no viewable window titled %q within %v:\n%s", title, timeout, last)
	return ""
}

// screenshot grabs the window until it shows a painted frame that stays
// the same on the next grab (the frame after the last change is drawn),
// saves it under the artifacts folder and returns the path.
func screenshot(t *testing.T, windowID, name string) string {
	t.Helper()
	dir := os.Getenv("AGENTBAR_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	var (
		problem  string
		previous image.Image
	)
	for try := 0; try < 30; try++ {
		if try > 0 {
			time.Sleep(150 * time.Millisecond)
		}
		out, err := exec.Command("import", "-window", windowID, "png:"+path).CombinedOutput()
		if err != nil {
			problem = fmt.Sprintf("import: %v: %s", err, out)
			continue
		}
		img, err := readPNG(path)
		if err != nil {
			problem = err.Error()
			continue
		}
		if problem = blankness(img); problem != "" {
			previous = nil
			continue
		}
		if previous != nil && samePixels(previous, img) {
			return path
		}
		previous, problem = img, "the picture kept changing"
	}
	t.Fatalf("screenshot %s: %s", path, problem)
	return ""
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// blankness says why an image looks unpainted, or "" when it does not:
// a painted window has text, so many pixels differ from the background
// and there are many distinct colours (anti-aliasing).
func blankness(img image.Image) string {
	b := img.Bounds()
	if b.Dx() < 200 || b.Dy() < 200 {
		return fmt.Sprintf("window only %v", b)
	}
	counts := map[[3]uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	total := b.Dx() * b.Dy()
	if other := total - most; other < total/50 || len(counts) < 16 {
		return fmt.Sprintf("looks blank: %d colours, %d of %d pixels off the background", len(counts), other, total)
	}
	return ""
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// checkTrayIcon asks the app's StatusNotifierItem for its icon, as a tray
// host would, and checks that it is a real picture.
func checkTrayIcon(t *testing.T, item string) {
	t.Helper()
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	v, err := conn.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.IconPixmap")
	if err != nil {
		t.Fatalf("tray icon: %v", err)
	}
	var pixmaps []struct {
		W, H int32
		Data []byte
	}
	if err := v.Store(&pixmaps); err != nil || len(pixmaps) == 0 {
		t.Fatalf("tray icon %v: %v", v, err)
	}
	if p := pixmaps[0]; p.W < 16 || len(p.Data) != int(p.W*p.H*4) {
		t.Errorf("tray icon pixmap %dx%d with %d bytes", p.W, p.H, len(p.Data))
	}
}

// clickTrayItem clicks the tray menu item labelled label through the
// com.canonical.dbusmenu interface, as a tray host does.
func clickTrayItem(t *testing.T, item, label string) {
	t.Helper()
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	menu := conn.Object(item, "/StatusNotifierMenu")
	var (
		revision uint32
		layout   struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
	)
	err = menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{"label"}).Store(&revision, &layout)
	if err != nil {
		t.Fatalf("tray menu layout: %v", err)
	}
	var labels []string
	id := int32(-1)
	for _, c := range layout.Children {
		fields, ok := c.Value().([]any)
		if !ok || len(fields) < 2 {
			continue
		}
		props, _ := fields[1].(map[string]dbus.Variant)
		l, _ := props["label"].Value().(string)
		labels = append(labels, l)
		if l == label {
			id, _ = fields[0].(int32)
		}
	}
	if id < 0 {
		t.Fatalf("tray menu has no %q: %q", label, labels)
	}
	call := menu.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(int32(0)), uint32(0))
	if call.Err != nil {
		t.Fatalf("clicking %q: %v", label, call.Err)
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var _ io.Writer = (*lockedBuffer)(nil)
