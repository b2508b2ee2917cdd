package udesk

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agentbar/core"
)

func TestSipTarget(t *testing.T) {
	cases := []struct {
		in, hostport, transport string
		ok                      bool
	}{
		{"127.0.0.1:5060", "127.0.0.1:5060", "", true},
		{"sip:pbx.example.com:5080;transport=TCP", "pbx.example.com:5080", "tcp", true},
		{" sips:pbx.example.com ", "pbx.example.com", "", true},
		{"", "", "", false},
		{"wss://x/ws", "", "", false},
		{"8001@pbx", "", "", false},
	}
	for _, c := range cases {
		hp, tr, err := sipTarget(c.in)
		if (err == nil) != c.ok || hp != c.hostport || tr != c.transport {
			t.Errorf("sipTarget(%q) = %q %q %v", c.in, hp, tr, err)
		}
		if err != nil && !errors.Is(err, ErrNoTerminal) {
			t.Errorf("sipTarget(%q): %v is not ErrNoTerminal", c.in, err)
		}
	}
}

func TestWebPhoneURL(t *testing.T) {
	cases := []struct {
		in, url, host string
		ok            bool
	}{
		{"wss://webphone.udesk.cn:7443/ws", "wss://webphone.udesk.cn:7443/ws", "webphone.udesk.cn", true},
		{"WSS://127.0.0.1:5443/ws", "wss://127.0.0.1:5443/ws", "127.0.0.1", true},
		{"ws://127.0.0.1:5066", "ws://127.0.0.1:5066", "127.0.0.1", true},
		{"webphone.example.com:443", "wss://webphone.example.com:443/", "webphone.example.com", true},
		{"https://webphone.example.com/ws", "", "", false},
		{"wss://user:pw@host/ws", "", "", false},
		{"wss:///ws", "", "", false},
		{"", "", "", false},
	}
	for _, c := range cases {
		u, err := webPhoneURL(c.in)
		if (err == nil) != c.ok {
			t.Errorf("webPhoneURL(%q): %v", c.in, err)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrNoTerminal) {
				t.Errorf("webPhoneURL(%q): %v is not ErrNoTerminal", c.in, err)
			}
			continue
		}
		if u.String() != c.url || u.Hostname() != c.host {
			t.Errorf("webPhoneURL(%q) = %s (host %s), want %s (host %s)", c.in, u, u.Hostname(), c.url, c.host)
		}
	}
}

// FuzzTerminalServers: the platform's SipServer strings never panic the
// readers, and what they accept is usable.
func FuzzTerminalServers(f *testing.F) {
	for _, s := range []string{"127.0.0.1:5060", "sip:a:1;transport=tcp", "wss://h:1/ws", "ws://[::1]:5066/", "h:443", "%zz", "wss://@/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if hp, _, err := sipTarget(s); err == nil && (hp == "" || strings.ContainsAny(hp, "@/ ")) {
			t.Fatalf("sipTarget(%q) accepted %q", s, hp)
		}
		if u, err := webPhoneURL(s); err == nil && (u.Hostname() == "" || (u.Scheme != "ws" && u.Scheme != "wss")) {
			t.Fatalf("webPhoneURL(%q) accepted %s", s, u)
		}
	})
}

func TestWebRTCAccountFields(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := func(extra map[string]string) map[string]string {
		f := map[string]string{fieldAppID: "app", fieldAgentID: "8001", fieldTokenURL: "http://127.0.0.1:1/token",
			fieldDomain: "ws://127.0.0.1:1/ws", fieldHTTPDomain: "http://127.0.0.1:1/backend", fieldPhoneMode: "webrtc"}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	cases := []struct {
		name  string
		extra map[string]string
		want  error // nil: accepted
	}{
		{"webrtc mode", nil, nil},
		{"stun servers", map[string]string{fieldSTUN: "stun:stun.example.com:3478, stuns:s.example.com"}, nil},
		{"not a stun URL", map[string]string{fieldSTUN: "turn:t.example.com"}, core.ErrInvalidArgument},
		{"missing CA file", map[string]string{fieldCAFile: filepath.Join(dir, "none.pem")}, ErrCAFile},
		{"CA file without PEM", map[string]string{fieldCAFile: notPEM}, ErrCAFile},
		{"unknown mode", map[string]string{fieldPhoneMode: "fax"}, core.ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewAdapter(core.Config{Fields: base(c.extra)}, Options{})
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if c.extra[fieldSTUN] != "" && (len(a.iceServers) != 1 || len(a.iceServers[0].URLs) != 2) {
					t.Fatalf("ICE servers %+v", a.iceServers)
				}
				return
			}
			var fe *core.FieldError
			if !errors.Is(err, c.want) && !(errors.Is(c.want, core.ErrInvalidArgument) && errors.As(err, &fe)) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
		})
	}
}
