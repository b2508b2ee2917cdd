package app

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/core/config"
	"agentbar/core/secrets"
)

// testPlatform is a minimal in-process adapter: what is under test here is
// the application's wiring (keyring, history, logs), not a platform.
type testPlatform struct {
	mu   sync.Mutex
	cfg  core.Config
	sink core.Sink
}

func (p *testPlatform) Login(ctx context.Context, sink core.Sink) error {
	p.mu.Lock()
	p.sink = sink
	p.mu.Unlock()
	log := p.cfg.Logger
	// An adapter that is careless with its secret, in every shape a real
	// one might leak it: the redacting log must catch them all.
	log.Info("connecting", "password", p.cfg.Secret)
	log.Info("login request " + `{"agentId":"8001","password":"` + p.cfg.Secret + `"}`)
	log.Info("token fetched", "reply", `{"appId":"a1","timestamp":1700000000,"token":"tok-`+p.cfg.Secret+`"}`)
	log.Info("sip", "msg", "REGISTER sip:pbx SIP/2.0\r\nAuthorization: Digest username=\"1001\", response=\"0123456789abcdef\"\r\n")
	log.Info("url", "u", "https://cc.example.com/login?user=8001&pwd="+url.QueryEscape(p.cfg.Secret))
	log.Warn("failed once", "err", fmt.Errorf("server said: bad credentials %s", p.cfg.Secret))
	log.Info("nested", slog.Group("auth", slog.String("secret_value", p.cfg.Secret)))
	log.Info("agreed key", "k", p.cfg.ExtraSecrets["key"])
	if p.cfg.Secret == "wrong" {
		return errors.New("401 bad password")
	}
	return nil
}
func (p *testPlatform) Logout(context.Context) error                         { return nil }
func (p *testPlatform) SetAgentState(context.Context, core.AgentState) error { return nil }
func (p *testPlatform) Dial(context.Context, core.DialRequest) error         { return nil }
func (p *testPlatform) Answer(context.Context, string) error                 { return nil }
func (p *testPlatform) Hangup(context.Context, string) error                 { return nil }
func (p *testPlatform) report(u core.Update)                                 { p.mu.Lock(); s := p.sink; p.mu.Unlock(); s.Report(u) }

// testEnv points every XDG directory into a temp dir and builds a registry
// with the test platform.
func testEnv(t *testing.T) (*core.Registry, *testPlatform) {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	p := &testPlatform{}
	reg := core.NewRegistry()
	reg.Register(core.Info{
		ID: "testp", Name: core.Text{ZH: "测试", EN: "Test"},
		Fields: []core.Field{{Key: "server", Kind: core.FieldText, Required: true}, {Key: "password", Kind: core.FieldSecret, Required: true}, {Key: "key", Kind: core.FieldSecret}},
		New: func(cfg core.Config) (core.Vendor, error) {
			p.mu.Lock()
			p.cfg = cfg
			p.mu.Unlock()
			return p, nil
		},
	})
	return reg, p
}

func openApp(t *testing.T, reg *core.Registry, sec secrets.Store) *App {
	t.Helper()
	a, err := Open(Options{Registry: reg, Secrets: sec, Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoginWithKeyringAndRedactedLog(t *testing.T) {
	reg, p := testEnv(t)
	sec := secrets.NewMemory()
	a := openApp(t, reg, sec)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const password, extraKey = "Pa55-w0rd_known", "Extra-K3y_agreed"
	if err := a.Config.PutAccount(config.Account{Name: "office", Platform: "testp", Fields: map[string]string{"server": "cc.example.com"}, RememberPassword: true}); err != nil {
		t.Fatal(err)
	}
	// No password saved yet: a sentence that says so.
	err := a.LoginAccount(ctx, "office", "")
	if !errors.Is(err, ErrNeedPassword) || !strings.Contains(core.Sentence(err, "zh"), "office") {
		t.Fatalf("without password: %v", err)
	}
	if err := sec.Set("office", "password", password); err != nil {
		t.Fatal(err)
	}
	if err := sec.Set("office", "key", extraKey); err != nil {
		t.Fatal(err)
	}
	if err := a.LoginAccount(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	gotKey := p.cfg.ExtraSecrets["key"]
	p.mu.Unlock()
	if gotKey != extraKey {
		t.Errorf("the adapter got extra secret %q", gotKey)
	}
	st, _ := a.Engine().Status(ctx)
	if !st.LoggedIn || st.Account != "office" {
		t.Fatalf("status %+v", st)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	logDir := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "agentbar", "logs")
	b, err := os.ReadFile(filepath.Join(logDir, "agentbar.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("connecting")) {
		t.Fatalf("the log lacks the adapter's lines:\n%s", b)
	}
	for _, secret := range []string{password, url.QueryEscape(password), "0123456789abcdef", extraKey} {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("log file contains secret %q:\n%s", secret, b)
		}
	}
	// The config files hold no secret either.
	cfgDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "agentbar")
	entries, _ := os.ReadDir(cfgDir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(cfgDir, e.Name()))
		if bytes.Contains(data, []byte(password)) {
			t.Errorf("%s contains the password", e.Name())
		}
	}
}

func TestPickAccountSentences(t *testing.T) {
	reg, _ := testEnv(t)
	a := openApp(t, reg, secrets.NewMemory())
	defer a.Close(context.Background())
	ctx := context.Background()
	err := a.LoginAccount(ctx, "", "x")
	if !errors.Is(err, ErrNoAccount) || !strings.Contains(core.Sentence(err, "en"), "No account is saved") {
		t.Errorf("no accounts: %v / %s", err, core.Sentence(err, "en"))
	}
	err = a.LoginAccount(ctx, "ghost", "x")
	if !errors.Is(err, ErrNoAccount) || !strings.Contains(core.Sentence(err, "zh"), "ghost") {
		t.Errorf("unknown account: %v", err)
	}
	for _, n := range []string{"a", "b"} {
		if err := a.Config.PutAccount(config.Account{Name: n, Platform: "testp", Fields: map[string]string{"server": "s"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.LoginAccount(ctx, "", "x"); !errors.Is(err, ErrAmbiguousAccount) {
		t.Errorf("two accounts: %v", err)
	}
}

// TestHistorySurvivesSIGKILL: a child process signs in, takes a call to
// Talking and is killed with SIGKILL mid-call. Reopening the history shows
// the call as interrupted and the database is intact.
func TestHistorySurvivesSIGKILL(t *testing.T) {
	if os.Getenv("AGENTBAR_APP_CHILD") == "1" {
		childMidCall()
		return
	}
	reg, _ := testEnv(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHistorySurvivesSIGKILL$")
	cmd.Env = append(os.Environ(), "AGENTBAR_APP_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		buf := make([]byte, 4096)
		var got []byte
		for {
			n, err := out.Read(buf)
			got = append(got, buf[:n]...)
			if bytes.Contains(got, []byte("READY")) || err != nil {
				ready <- string(got)
				return
			}
		}
	}()
	select {
	case s := <-ready:
		if !strings.Contains(s, "READY") {
			t.Fatalf("child said %q", s)
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("child never got mid-call")
	}
	if err := cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	a := openApp(t, reg, secrets.NewMemory())
	defer a.Close(context.Background())
	if n := a.HistoryStore().RecoveredInterrupted(); n != 1 {
		t.Errorf("recovered %d interrupted calls, want 1", n)
	}
	rows, err := a.History(context.Background(), historyQueryAll())
	if err != nil {
		t.Fatal(err)
	}
	list := rows.([]HistoryRow)
	if len(list) != 1 || list[0].State != "ended" || list[0].EndReason != "interrupted" || list[0].RemoteNumber != "13912345678" {
		t.Fatalf("history %+v", list)
	}
	if list[0].Answered == nil {
		t.Error("the answer time was lost")
	}
	db, err := sql.Open("sqlite", a.HistoryStore().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
}

func childMidCall() {
	reg, p := testEnvChild()
	a, err := Open(Options{Registry: reg, Secrets: secrets.NewMemory()})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	ctx := context.Background()
	if err := a.Engine().Login(ctx, core.LoginRequest{Account: "x", Platform: "testp", Fields: map[string]string{"server": "s"}, Secret: "pw"}); err != nil {
		fmt.Println("login:", err)
		os.Exit(1)
	}
	sub := a.Engine().Subscribe("child", 64)
	p.report(core.CallUpdate{PlatformCallID: "k1", Direction: core.Inbound, RemoteNumber: "13912345678", State: core.CallRinging})
	p.report(core.CallUpdate{PlatformCallID: "k1", State: core.CallTalking})
	for ev := range sub.C {
		if c, ok := ev.(core.CallChanged); ok && c.Call.State == core.CallTalking {
			break
		}
	}
	if err := a.FlushHistory(ctx); err != nil {
		fmt.Println("flush:", err)
		os.Exit(1)
	}
	fmt.Println("READY")
	select {} // wait for SIGKILL
}

// testEnvChild is testEnv for the child process, whose environment the
// parent already set.
func testEnvChild() (*core.Registry, *testPlatform) {
	p := &testPlatform{}
	reg := core.NewRegistry()
	reg.Register(core.Info{
		ID: "testp", Fields: []core.Field{{Key: "server", Kind: core.FieldText}, {Key: "password", Kind: core.FieldSecret}},
		New: func(cfg core.Config) (core.Vendor, error) { p.cfg = cfg; return p, nil },
	})
	return reg, p
}
