package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"agentbar/core"
)

// testBackend is the application side: a real engine on a private
// registry holding the test platforms, and recorders for the rest.
type testBackend struct {
	e        *core.Engine
	lang     string
	platform string // which platform LoginAccount signs in to

	mu       sync.Mutex
	logins   []string // "account/password"
	handoffs []string // "target/dial"
	queries  []HistoryQuery
}

func (b *testBackend) Engine() *core.Engine { return b.e }
func (b *testBackend) Lang() string         { return b.lang }

func (b *testBackend) LoginAccount(ctx context.Context, account, password string) error {
	b.mu.Lock()
	b.logins = append(b.logins, account+"/"+password)
	b.mu.Unlock()
	if account != "" && account != "office" {
		return fmt.Errorf("%w: no saved account %q", core.ErrInvalidArgument, account)
	}
	return b.e.Login(ctx, core.LoginRequest{Account: "office", Platform: b.platform, Secret: password})
}

func (b *testBackend) History(ctx context.Context, q HistoryQuery) (any, error) {
	b.mu.Lock()
	b.queries = append(b.queries, q)
	b.mu.Unlock()
	return []map[string]any{{"id": "h1", "remote_number": "13912345678", "direction": "in"}}, nil
}

func (b *testBackend) Handoff(ctx context.Context, target string, dial bool) error {
	b.mu.Lock()
	b.handoffs = append(b.handoffs, fmt.Sprintf("%s/%v", target, dial))
	b.mu.Unlock()
	return nil
}

func (b *testBackend) recorded() (logins, handoffs []string, queries []HistoryQuery) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.logins...), append([]string(nil), b.handoffs...), append([]HistoryQuery(nil), b.queries...)
}

// harness is a running Server over a real engine, on a real loopback port.
type harness struct {
	t     testing.TB
	ctx   context.Context
	dir   string
	plat  *testPlatform
	be    *testBackend
	e     *core.Engine
	srv   *Server
	token string
	hc    *http.Client
	sub   *core.Subscription // a direct engine subscriber, to wait on events
}

type harnessConfig struct {
	platform       string // "full" (default) or "basic"
	lang           string
	origins        []string
	commandTimeout time.Duration
	tune           func(*tuning)
	login          bool
	logs           *logRecorder
}

// logRecorder is a slog.Handler that hands each record, flattened to one
// line, to a channel: tests wait on what the server says it did.
type logRecorder struct {
	lines chan string
	attrs []slog.Attr
}

func newLogRecorder() *logRecorder { return &logRecorder{lines: make(chan string, 1024)} }

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	select {
	case l.lines <- b.String():
	default:
	}
	return nil
}
func (l *logRecorder) WithAttrs(as []slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler         { return l }

// waitLog waits for a log line containing all the given parts.
func (l *logRecorder) waitLog(t testing.TB, parts ...string) string {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	var seen []string
	for {
		select {
		case line := <-l.lines:
			seen = append(seen, line)
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return line
			}
		case <-timeout.C:
			t.Fatalf("no log line with %q; saw:\n%s", parts, strings.Join(seen, "\n"))
		}
	}
}

func newHarness(t testing.TB, opts ...func(*harnessConfig)) *harness {
	t.Helper()
	cfg := harnessConfig{platform: "full", lang: "zh", commandTimeout: 3 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	h := &harness{t: t, ctx: ctx, dir: filepath.Join(t.TempDir(), "config"), plat: newTestPlatform()}
	reg := core.NewRegistry()
	reg.Register(core.Info{ID: "basic", Name: core.Text{ZH: "基础", EN: "Basic"},
		New: func(core.Config) (core.Vendor, error) { return h.plat, nil }})
	reg.Register(core.Info{ID: "full", Name: core.Text{ZH: "全功能", EN: "Full"},
		New: func(core.Config) (core.Vendor, error) { return fullPlatform{h.plat}, nil }})
	ids := 0
	var idMu sync.Mutex
	h.e = core.New(core.Options{Registry: reg, CommandTimeout: cfg.commandTimeout,
		NewCallID: func() core.CallID {
			idMu.Lock()
			defer idMu.Unlock()
			ids++
			return core.CallID(fmt.Sprintf("c%d", ids))
		}})
	h.sub = h.e.Subscribe("test", 4096)
	h.be = &testBackend{e: h.e, lang: cfg.lang, platform: cfg.platform}
	tune := defaultTuning()
	if cfg.tune != nil {
		cfg.tune(&tune)
	}
	var logger *slog.Logger
	if cfg.logs != nil {
		logger = slog.New(cfg.logs)
	}
	srv, err := start(ctx, Options{Backend: h.be, Dir: h.dir, AllowedOrigins: cfg.origins, Version: "test-1", Logger: logger}, tune)
	if err != nil {
		cancel()
		t.Fatalf("start: %v", err)
	}
	h.srv = srv
	tok, err := os.ReadFile(filepath.Join(h.dir, TokenFile))
	if err != nil {
		t.Fatal(err)
	}
	h.token = strings.TrimSpace(string(tok))
	tr := &http.Transport{Proxy: nil}
	h.hc = &http.Client{Transport: tr}
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		if err := h.srv.Close(cctx); err != nil {
			t.Errorf("server close: %v", err)
		}
		tr.CloseIdleConnections()
		if err := h.e.Close(cctx); err != nil && !errors.Is(err, core.ErrNotLoggedIn) {
			t.Errorf("engine close: %v", err)
		}
		cancel()
	})
	if cfg.login {
		h.login()
	}
	return h
}

func (h *harness) url(path string) string { return "http://" + h.srv.Addr() + routePath(path) }

// reply is a decoded response.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r reply) str(k string) string { s, _ := r.body[k].(string); return s }

// do sends a request with the token and any extra headers.
func (h *harness) do(method, path, body string, hdr ...string) reply {
	h.t.Helper()
	return h.send(method, path, body, append([]string{"Authorization", "Bearer " + h.token}, hdr...)...)
}

// send sends a request with exactly the headers given (pairs).
func (h *harness) send(method, path, body string, hdr ...string) reply {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(h.ctx, method, h.url(path), rd)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Host") {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			h.t.Fatalf("%s %s: reply is not JSON: %q", method, path, raw)
		}
	}
	return r
}

// ok sends a command and fails the test unless it succeeds.
func (h *harness) ok(method, path, body string) reply {
	h.t.Helper()
	r := h.do(method, path, body)
	if r.status != http.StatusOK || r.body["ok"] != true {
		h.t.Fatalf("%s %s %s: %d %s", method, path, body, r.status, r.raw)
	}
	return r
}

// login signs in through the API and waits until the engine says so.
func (h *harness) login() {
	h.t.Helper()
	h.ok("POST", "login", `{}`)
	h.waitFor(func(ev core.Event) bool { _, ok := ev.(core.LoggedIn); return ok })
}

// waitFor reads the direct subscriber until an event matches.
func (h *harness) waitFor(match func(core.Event) bool) core.Event {
	h.t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case ev, ok := <-h.sub.C:
			if !ok {
				h.t.Fatal("engine subscription closed")
			}
			if match(ev) {
				return ev
			}
		case <-timeout.C:
			h.t.Fatal("timed out waiting for an engine event")
		}
	}
}

// waitCall waits until a call reaches a state.
func (h *harness) waitCall(id core.CallID, st core.CallState) {
	h.t.Helper()
	h.waitFor(func(ev core.Event) bool {
		switch ev := ev.(type) {
		case core.CallAdded:
			return ev.Call.ID == id && ev.Call.State == st
		case core.CallChanged:
			return ev.Call.ID == id && ev.Call.State == st
		}
		return false
	})
}

// ringing makes the platform offer an inbound call and returns its id.
func (h *harness) ringing(pid string) core.CallID {
	h.t.Helper()
	h.plat.report(core.CallUpdate{PlatformCallID: pid, Direction: core.Inbound, RemoteNumber: "13912345678", State: core.CallRinging})
	ev := h.waitFor(func(ev core.Event) bool {
		a, ok := ev.(core.CallAdded)
		return ok && a.Call.PlatformCallID == pid
	})
	return ev.(core.CallAdded).Call.ID
}

// talking brings an inbound call to Talking.
func (h *harness) talking(pid string) core.CallID {
	h.t.Helper()
	id := h.ringing(pid)
	h.plat.report(core.CallUpdate{PlatformCallID: pid, State: core.CallTalking})
	h.waitCall(id, core.CallTalking)
	return id
}

func withPlatform(p string) func(*harnessConfig)   { return func(c *harnessConfig) { c.platform = p } }
func withLang(l string) func(*harnessConfig)       { return func(c *harnessConfig) { c.lang = l } }
func withOrigins(o ...string) func(*harnessConfig) { return func(c *harnessConfig) { c.origins = o } }
func withLogs(l *logRecorder) func(*harnessConfig) { return func(c *harnessConfig) { c.logs = l } }
func loggedIn(c *harnessConfig)                    { c.login = true }
func withTuning(f func(*tuning)) func(*harnessConfig) {
	return func(c *harnessConfig) { c.tune = f }
}
func withCommandTimeout(d time.Duration) func(*harnessConfig) {
	return func(c *harnessConfig) { c.commandTimeout = d }
}
