package control

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestTokenAndEndpointFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits")
	}
	h := newHarness(t)
	if m := mode(t, h.dir); m != 0o700 {
		t.Errorf("config dir mode %o", m)
	}
	tokPath := filepath.Join(h.dir, TokenFile)
	if m := mode(t, tokPath); m != 0o600 {
		t.Errorf("token file mode %o", m)
	}
	if b, err := hex.DecodeString(h.token); err != nil || len(b) != 32 {
		t.Errorf("token %q: %d bytes, %v", h.token, len(b), err)
	}
	epPath := filepath.Join(h.dir, EndpointFile)
	if m := mode(t, epPath); m != 0o600 {
		t.Errorf("endpoint file mode %o", m)
	}
	raw, err := os.ReadFile(epPath)
	if err != nil {
		t.Fatal(err)
	}
	var ep map[string]any
	if err := json.Unmarshal(raw, &ep); err != nil {
		t.Fatal(err)
	}
	if ep["addr"] != h.srv.Addr() || ep["pid"] != float64(os.Getpid()) || ep["version"] != "test-1" {
		t.Errorf("endpoint file %s", raw)
	}
	// No temp files left behind.
	entries, _ := os.ReadDir(h.dir)
	if len(entries) != 2 {
		t.Errorf("config dir holds %v", entries)
	}
	if err := h.srv.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(epPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("endpoint file after Close: %v", err)
	}
	if _, err := os.Stat(tokPath); err != nil {
		t.Errorf("token file after Close: %v", err)
	}
}

func TestTokenSurvivesRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	if err := ensureDir(dir); err != nil {
		t.Fatal(err)
	}
	first, err := loadOrCreateToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadOrCreateToken(dir)
	if err != nil || again != first {
		t.Fatalf("second load %q, %v; first %q", again, err, first)
	}
	path := filepath.Join(dir, TokenFile)
	if runtime.GOOS != "windows" {
		// Someone loosened the mode: it is narrowed again.
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := loadOrCreateToken(dir); err != nil {
			t.Fatal(err)
		}
		if m := mode(t, path); m != 0o600 {
			t.Errorf("mode after load %o", m)
		}
	}
	// A damaged file is replaced by a fresh token.
	if err := os.WriteFile(path, []byte("not a token"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh, err := loadOrCreateToken(dir)
	if err != nil || fresh == first || len(fresh) != 64 {
		t.Fatalf("after damage %q, %v", fresh, err)
	}
	if got, _ := readToken(path); got != fresh {
		t.Errorf("file holds %q, returned %q", got, fresh)
	}
}

func TestConcurrentStartsAgreeOnToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	if err := ensureDir(dir); err != nil {
		t.Fatal(err)
	}
	const n = 8
	toks := make(chan string, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			tok, err := loadOrCreateToken(dir)
			toks <- tok
			errs <- err
		}()
	}
	var first string
	for i := range n {
		tok, err := <-toks, <-errs
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = tok
		} else if tok != first {
			t.Fatalf("tokens differ: %q %q", first, tok)
		}
	}
}

func TestCloseKeepsAnotherInstancesEndpoint(t *testing.T) {
	h := newHarness(t)
	other := Endpoint{Addr: "127.0.0.1:1", PID: os.Getpid() + 1, Version: "other"}
	if err := writeEndpoint(h.dir, other); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := readEndpointFile(filepath.Join(h.dir, EndpointFile))
	if err != nil || got != other {
		t.Fatalf("endpoint after Close %+v, %v", got, err)
	}
}

func TestReadEndpointNotRunning(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" = no file
	}{
		{"no file", ""},
		{"damaged", "{"},
		{"dead process", `{"addr":"127.0.0.1:9","pid":2147483000}`},
		{"not loopback", `{"addr":"10.1.2.3:80","pid":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.content != "" {
				if err := os.WriteFile(filepath.Join(dir, EndpointFile), []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := ReadEndpoint(dir)
			var nr *NotRunningError
			if !errors.As(err, &nr) || !errors.Is(err, ErrNotRunning) {
				t.Fatalf("err %v", err)
			}
			if !strings.Contains(nr.Sentence("en"), "agentbar headless") || !strings.Contains(nr.Sentence("zh"), "没有在运行") {
				t.Errorf("sentences %q / %q", nr.Sentence("en"), nr.Sentence("zh"))
			}
		})
	}
}
