package control

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

func TestTokenIsRequired(t *testing.T) {
	h := newHarness(t)
	wrong := strings.Repeat("0", 64)
	tests := []struct {
		name   string
		method string
		path   string
		hdr    []string
		want   int
	}{
		{"no token", "GET", "status", nil, http.StatusUnauthorized},
		{"wrong token", "GET", "status", []string{"Authorization", "Bearer " + wrong}, http.StatusUnauthorized},
		{"token prefix only", "GET", "status", []string{"Authorization", "Bearer " + h.token[:32]}, http.StatusUnauthorized},
		{"basic scheme", "GET", "status", []string{"Authorization", "Basic " + h.token}, http.StatusUnauthorized},
		{"query token is for the event stream only", "GET", "status?token=" + h.token, nil, http.StatusUnauthorized},
		{"no token on a command", "POST", "dial", nil, http.StatusUnauthorized},
		{"no token on an unknown path: 401, not 404", "GET", "nope", nil, http.StatusUnauthorized},
		{"no token outside /v1", "GET", "/", nil, http.StatusUnauthorized},
		{"no token on events", "GET", "events", nil, http.StatusUnauthorized},
		{"wrong query token on events", "GET", "events?token=" + wrong, nil, http.StatusUnauthorized},
		{"right token", "GET", "status", []string{"Authorization", "Bearer " + h.token}, http.StatusOK},
		{"scheme is case-insensitive", "GET", "status", []string{"Authorization", "bearer " + h.token}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.send(tt.method, tt.path, "", tt.hdr...)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			if tt.want != http.StatusUnauthorized {
				return
			}
			if r.str("code") != CodeUnauthorized || r.body["ok"] != false {
				t.Errorf("body %s", r.raw)
			}
			if !strings.Contains(r.str("message_zh"), "令牌") || !strings.Contains(r.str("message_en"), "token") {
				t.Errorf("sentences %q / %q", r.str("message_zh"), r.str("message_en"))
			}
			if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate %q", got)
			}
		})
	}
}

func TestEventStreamAcceptsQueryToken(t *testing.T) {
	h := newHarness(t)
	conn, resp, err := websocket.DefaultDialer.DialContext(h.ctx, "ws://"+h.srv.Addr()+"/v1/events?token="+h.token, nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	defer conn.Close()
	var hello map[string]any
	if err := conn.ReadJSON(&hello); err != nil || hello["type"] != "hello" {
		t.Fatalf("first message %v, %v", hello, err)
	}
}

func TestTokenMatches(t *testing.T) {
	tok := strings.Repeat("ab", 32)
	tests := []struct {
		got  string
		want bool
	}{
		{tok, true},
		{strings.ToUpper(tok), false},
		{tok[:63], false},
		{tok + "a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := tokenMatches(tt.got, tok); got != tt.want {
			t.Errorf("tokenMatches(%q) = %v", tt.got, got)
		}
	}
}
