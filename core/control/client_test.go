package control

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestClientDo(t *testing.T) {
	h := newHarness(t, loggedIn)
	c := newClient(t, h.dir)
	if c.Endpoint().Addr != h.srv.Addr() {
		t.Errorf("endpoint %+v", c.Endpoint())
	}
	for _, path := range []string{"status", "/v1/status"} {
		raw, err := c.Do(h.ctx, http.MethodGet, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			OK       bool `json:"ok"`
			LoggedIn bool `json:"logged_in"`
		}
		if err := json.Unmarshal(raw, &st); err != nil || !st.OK || !st.LoggedIn {
			t.Errorf("%s: %s", path, raw)
		}
	}
	raw, err := c.Do(h.ctx, http.MethodPost, "dial", json.RawMessage(`{"target":"139"}`))
	if err != nil || !strings.Contains(string(raw), `"call":"c1"`) {
		t.Errorf("dial: %s %v", raw, err)
	}
	_, err = c.Do(h.ctx, http.MethodPost, "hold", callRequest{Call: "nope"})
	var api *APIError
	if !errors.As(err, &api) {
		t.Fatalf("hold: %v", err)
	}
	if api.Status != 404 || api.Code != CodeNoSuchCall || api.MessageZH != "这通电话已经结束或不存在。" ||
		api.MessageEN != "That call has ended or does not exist." || api.Message != api.MessageZH || api.Technical == "" {
		t.Errorf("APIError %+v", api)
	}
	if api.Sentence("en") != api.MessageEN || api.Sentence("zh") != api.MessageZH {
		t.Errorf("sentences %q %q", api.Sentence("en"), api.Sentence("zh"))
	}
}

func TestClientNotRunning(t *testing.T) {
	t.Run("no endpoint file", func(t *testing.T) {
		if _, err := NewClient(t.TempDir()); !errors.Is(err, ErrNotRunning) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("stale file, port closed, process alive", func(t *testing.T) {
		dir := staleDir(t)
		c, err := NewClient(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Do(context.Background(), http.MethodGet, "status", nil)
		var nr *NotRunningError
		if !errors.As(err, &nr) {
			t.Fatalf("err %v", err)
		}
		msgs, errc := c.Events(context.Background())
		for range msgs {
		}
		if err := <-errc; !errors.Is(err, ErrNotRunning) {
			t.Errorf("events: %v", err)
		}
	})
	t.Run("token file missing", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeEndpoint(dir, Endpoint{Addr: "127.0.0.1:9", PID: os.Getpid()}); err != nil {
			t.Fatal(err)
		}
		if _, err := NewClient(dir); !errors.Is(err, ErrBadToken) {
			t.Fatalf("err %v", err)
		}
	})
}

// staleDir is a config directory whose endpoint names a port nobody
// listens on any more, written by a process that is still alive (us).
func staleDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if err := writeEndpoint(dir, Endpoint{Addr: addr, PID: os.Getpid()}); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCreateToken(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestClientForeignServer: something else answers on the port.
func TestClientForeignServer(t *testing.T) {
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>nginx</html>", http.StatusBadGateway)
	}))
	defer foreign.Close()
	dir := t.TempDir()
	if err := writeEndpoint(dir, Endpoint{Addr: foreign.Listener.Addr().String(), PID: os.Getpid()}); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCreateToken(dir); err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Do(context.Background(), http.MethodGet, "status", nil)
	var api *APIError
	if !errors.As(err, &api) || api.Status != 502 || api.Code != "http_502" || !strings.Contains(api.Technical, "nginx") {
		t.Fatalf("err %#v", err)
	}
	if s := api.Sentence("en"); !strings.Contains(s, "502") {
		t.Errorf("sentence %q", s)
	}
}
