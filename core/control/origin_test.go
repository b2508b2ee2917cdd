package control

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

func TestOriginPolicy(t *testing.T) {
	h := newHarness(t, withOrigins("https://CRM.example.com", "http://localhost:8080", "https://crm2.example.com:443"))
	tests := []struct {
		name   string
		origin string
		want   int
	}{
		{"no origin: programs are judged by the token", "", http.StatusOK},
		{"listed origin", "https://crm.example.com", http.StatusOK},
		{"listed origin with port", "http://localhost:8080", http.StatusOK},
		{"default port left out, as browsers send it", "https://crm2.example.com", http.StatusOK},
		{"foreign origin", "https://evil.example.com", http.StatusForbidden},
		{"listed host, other scheme", "http://crm.example.com", http.StatusForbidden},
		{"listed host, other port", "https://crm.example.com:8443", http.StatusForbidden},
		{"lookalike suffix", "https://crm.example.com.evil.net", http.StatusForbidden},
		{"sandboxed page", "null", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.origin != "" {
				hdr = []string{"Origin", tt.origin}
			}
			r := h.do("GET", "status", "", hdr...)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			acao := r.header.Get("Access-Control-Allow-Origin")
			switch {
			case tt.want == http.StatusForbidden:
				if r.str("code") != CodeForbiddenOrigin || acao != "" {
					t.Errorf("code %q, ACAO %q", r.str("code"), acao)
				}
			case tt.origin != "":
				if acao != tt.origin || !strings.Contains(r.header.Get("Vary"), "Origin") {
					t.Errorf("ACAO %q, Vary %q", acao, r.header.Get("Vary"))
				}
			default:
				if acao != "" {
					t.Errorf("ACAO %q without an Origin", acao)
				}
			}
		})
	}
}

func TestForbiddenOriginBeatsMissingToken(t *testing.T) {
	h := newHarness(t, withOrigins("https://crm.example.com"))
	r := h.send("POST", "dial", `{"target":"1"}`, "Origin", "https://evil.example.com")
	if r.status != http.StatusForbidden || r.str("code") != CodeForbiddenOrigin {
		t.Fatalf("%d %s", r.status, r.raw)
	}
}

func TestCORSPreflight(t *testing.T) {
	h := newHarness(t, withOrigins("https://crm.example.com"))
	r := h.send("OPTIONS", "dial", "",
		"Origin", "https://crm.example.com",
		"Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization, content-type",
		"Access-Control-Request-Private-Network", "true")
	if r.status != http.StatusNoContent {
		t.Fatalf("preflight %d %s", r.status, r.raw)
	}
	for k, want := range map[string]string{
		"Access-Control-Allow-Origin":          "https://crm.example.com",
		"Access-Control-Allow-Headers":         "Authorization, Content-Type",
		"Access-Control-Allow-Methods":         "GET, POST, OPTIONS",
		"Access-Control-Allow-Private-Network": "true",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	r = h.send("OPTIONS", "dial", "", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST")
	if r.status != http.StatusForbidden {
		t.Errorf("foreign preflight %d", r.status)
	}
	// An allowed page's error replies are readable by it (CORS headers on errors too).
	r = h.send("POST", "hold", `{}`, "Origin", "https://crm.example.com")
	if r.status != http.StatusUnauthorized || r.header.Get("Access-Control-Allow-Origin") != "https://crm.example.com" {
		t.Errorf("error reply %d, ACAO %q", r.status, r.header.Get("Access-Control-Allow-Origin"))
	}
}

func TestWebSocketOrigin(t *testing.T) {
	h := newHarness(t, withOrigins("https://crm.example.com"))
	url := "ws://" + h.srv.Addr() + "/v1/events?token=" + h.token
	_, resp, err := websocket.DefaultDialer.DialContext(h.ctx, url, http.Header{"Origin": {"https://evil.example.com"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign page opened the stream: %v %v", err, resp)
	}
	conn, _, err := websocket.DefaultDialer.DialContext(h.ctx, url, http.Header{"Origin": {"https://crm.example.com"}})
	if err != nil {
		t.Fatalf("listed page: %v", err)
	}
	conn.Close()
}

func TestDNSRebindingHostRefused(t *testing.T) {
	h := newHarness(t)
	for _, host := range []string{"evil.example.com", "evil.example.com:" + strings.Split(h.srv.Addr(), ":")[1], "10.0.0.1"} {
		r := h.do("GET", "status", "", "Host", host)
		if r.status != http.StatusForbidden || r.str("code") != CodeForbiddenHost {
			t.Errorf("Host %q: %d %s", host, r.status, r.raw)
		}
	}
	for _, host := range []string{"localhost:1", "127.0.0.1", "[::1]:5"} {
		if r := h.do("GET", "status", "", "Host", host); r.status != http.StatusOK {
			t.Errorf("Host %q: %d %s", host, r.status, r.raw)
		}
	}
}

func TestAllowedOriginsAreChecked(t *testing.T) {
	for _, bad := range []string{"*", "https://*", "https://*.com", "https://a.*.example.com", "https://*example.com", "crm.example.com", "https://crm.example.com/app", "ftp://crm.example.com", "null", "https://", "https://u:p@crm.example.com", "https://x?y"} {
		_, err := parseOrigins([]string{bad})
		if !errors.Is(err, ErrBadOrigin) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	p, err := parseOrigins([]string{"HTTPS://Crm.Example.com:443/", "http://[::1]:8080", "http://a.example:80", "https://*.corp.example.com", "http://*.dev.example:3000"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://crm.example.com", true},
		{"https://CRM.example.com", true},
		{"https://crm.example.com:443", false}, // browsers never send the default port
		{"http://[::1]:8080", true},
		{"http://a.example", true},
		{"https://x.corp.example.com", true},
		{"https://a.b.corp.example.com", true},
		{"https://corp.example.com", false},
		{"https://evilcorp.example.com", false},
		{"http://x.corp.example.com", false},
		{"https://x.corp.example.com:8443", false},
		{"http://x.dev.example:3000", true},
		{"http://x.dev.example", false},
		{"https://x.corp.example.com/", false},
		{"null", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := p.allows(tt.origin); got != tt.want {
			t.Errorf("allows(%q) = %v", tt.origin, got)
		}
	}
}

func FuzzOriginAllows(f *testing.F) {
	p, err := parseOrigins([]string{"https://crm.example.com", "https://*.corp.example.com", "http://localhost:3000"})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"https://crm.example.com", "https://a.corp.example.com", "null", "http://localhost:3000", "https://crm.example.com.evil", "HTTPS://CRM.EXAMPLE.COM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, origin string) {
		if !p.allows(origin) {
			return
		}
		o := strings.ToLower(origin)
		if o != "https://crm.example.com" && o != "http://localhost:3000" &&
			!(strings.HasPrefix(o, "https://") && strings.HasSuffix(o, ".corp.example.com") && !strings.ContainsAny(o[len("https://"):], ":/?#@")) {
			t.Fatalf("allowed %q", origin)
		}
	})
}
