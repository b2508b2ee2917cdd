package phone

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/core/webrtc"
)

func TestParseTarget(t *testing.T) {
	domain := sip.Uri{Scheme: "sip", User: "1001", Host: "pbx.example.com", Port: 5070}
	tests := []struct{ in, want string }{
		{"13800138000", "sip:13800138000@pbx.example.com:5070"},
		{" 138 0013-8000 ", "sip:13800138000@pbx.example.com:5070"},
		{"(010) 8888-1234", "sip:01088881234@pbx.example.com:5070"},
		{"*97#", "sip:*97#@pbx.example.com:5070"},
		{"bob", "sip:bob@pbx.example.com:5070"},
		{"bob@10.0.0.9", "sip:bob@10.0.0.9"},
		{"sip:bob@10.0.0.9:5080", "sip:bob@10.0.0.9:5080"},
		{"SIP:bob@10.0.0.9", "sip:bob@10.0.0.9"},
		{"sip:bob@10.0.0.9;transport=tcp", "sip:bob@10.0.0.9;transport=tcp"},
		{"", ""},
		{"12 34<script>", ""},
		{"sip:", ""},
		{"电话", ""},
	}
	for _, tt := range tests {
		got, err := parseTarget(tt.in, domain)
		if tt.want == "" {
			if !errors.Is(err, ErrInvalidTarget) {
				t.Errorf("parseTarget(%q) = %v, %v; want ErrInvalidTarget", tt.in, got.String(), err)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("parseTarget(%q) = %q, %v; want %q", tt.in, got.String(), err, tt.want)
		}
	}
}

func TestRegistrationBackoffSchedule(t *testing.T) {
	want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60}
	for attempt, base := range want {
		base *= time.Second
		for range 50 {
			d := registrationBackoff(attempt)
			if d < base*8/10 || d > base*12/10 {
				t.Fatalf("attempt %d: %v, want %v ±20%%", attempt, d, base)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[registrationBackoff(3)] = true
	}
	if len(seen) < 2 {
		t.Fatal("no jitter")
	}
}

func TestErrorSentences(t *testing.T) {
	tests := []struct {
		err    error
		zh, en string
	}{
		{&CallError{Code: 486, Reason: "Busy Here", Method: "INVITE"}, "对方忙", "The other side is busy."},
		{&CallError{Code: 404}, "号码不存在", "The number does not exist."},
		{&CallError{Code: 480}, "对方暂时无法接通", "The other side is temporarily unavailable."},
		{&CallError{Code: 408}, "无人应答", "No answer."},
		{&CallError{Code: 487}, "呼叫已取消", "The call was cancelled."},
		{&CallError{Code: 603}, "对方拒接", "The other side declined the call."},
		{&CallError{Code: 488}, "没有共同支持的语音编码", "The other side supports none of our voice codecs."},
		{&CallError{Code: 403}, "呼叫被拒绝：没有权限", "The call was refused: not allowed."},
		{&CallError{Code: 503}, "服务暂时不可用", "The service is temporarily unavailable."},
		{&CallError{Code: 502, Reason: "Bad Gateway"}, "服务器错误（502）", "The server failed (502 Bad Gateway)."},
		{&CallError{Code: 415, Reason: "Unsupported"}, "呼叫失败（415）", "The call failed (415 Unsupported)."},
		{&RegistrationError{Code: 403}, "注册失败：账号或密码错误", "Sign-in failed: wrong user name or password."},
		{&RegistrationError{Err: errors.New("dial tcp: refused")}, "无法连接到服务器", "Cannot reach the server."},
		{&RegistrationError{Err: fmt.Errorf("tls: %w", x509.UnknownAuthorityError{})}, "服务器证书不受信任，无法安全连接", "The server's certificate is not trusted; cannot connect securely."},
		{fmt.Errorf("wrapped: %w", ErrRemoteHangup), "对方已挂断", "The other side hung up."},
	}
	for _, tt := range tests {
		var s interface{ Sentence(string) string }
		if !errors.As(tt.err, &s) {
			t.Fatalf("%v has no Sentence", tt.err)
		}
		if got := s.Sentence("zh"); got != tt.zh {
			t.Errorf("%v zh: %q, want %q", tt.err, got, tt.zh)
		}
		if got := s.Sentence("en"); got != tt.en {
			t.Errorf("%v en: %q, want %q", tt.err, got, tt.en)
		}
		if strings.ContainsAny(tt.err.Error(), "对方忙") {
			t.Errorf("Error() should be technical, got %q", tt.err.Error())
		}
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"minimal", Config{URI: "sip:1001@pbx"}, true},
		{"no scheme", Config{URI: "1001@pbx"}, true},
		{"no user", Config{URI: "sip:pbx"}, false},
		{"wss to the domain", Config{URI: "sip:1001@pbx", Transport: "wss"}, true},
		{"transport from the WebSocket URL", Config{URI: "sip:1001@pbx", WebSocketURL: "wss://pbx:7443/ws"}, true},
		{"WebSocket URL of another scheme", Config{URI: "sip:1001@pbx", Transport: "ws", WebSocketURL: "wss://pbx/ws"}, false},
		{"WebSocket URL with UDP", Config{URI: "sip:1001@pbx", Transport: "udp", WebSocketURL: "ws://pbx/ws"}, false},
		{"WebSocket URL not a URL", Config{URI: "sip:1001@pbx", WebSocketURL: "ws://"}, false},
		{"negative keep-alive", Config{URI: "sip:1001@pbx", Transport: "ws", KeepAlive: -time.Second}, false},
		{"WebRTC media", Config{URI: "sip:1001@pbx", Transport: "wss", Media: "webrtc", Codecs: []string{"opus", "PCMA"}}, true},
		{"WebRTC over UDP", Config{URI: "sip:1001@pbx", Media: "webrtc"}, false},
		{"WebRTC with G722", Config{URI: "sip:1001@pbx", Transport: "tcp", Media: "webrtc", Codecs: []string{"G722"}}, false},
		{"opus over plain RTP", Config{URI: "sip:1001@pbx", Codecs: []string{"opus"}}, false},
		{"unknown media", Config{URI: "sip:1001@pbx", Media: "srtp"}, false},
		{"STUN with plain RTP", Config{URI: "sip:1001@pbx", ICEServers: []webrtc.ICEServer{{URLs: []string{"stun:stun.example.com"}}}}, false},
		{"TURN without credential", Config{URI: "sip:1001@pbx", Transport: "tls", Media: "webrtc", ICEServers: []webrtc.ICEServer{{URLs: []string{"turn:turn.example.com"}}}}, false},
		{"unknown transport", Config{URI: "sip:1001@pbx", Transport: "sctp"}, false},
		{"bad busy code", Config{URI: "sip:1001@pbx", BusyCode: 404}, false},
		{"603 busy code", Config{URI: "sip:1001@pbx", BusyCode: 603}, true},
		{"unknown codec", Config{URI: "sip:1001@pbx", Codecs: []string{"G729"}}, false},
		{"bad DTMF mode", Config{URI: "sip:1001@pbx", DTMFMode: "inband"}, false},
		{"tiny expiry", Config{URI: "sip:1001@pbx", Expiry: time.Second}, false},
		{"session expires below 90 s", Config{URI: "sip:1001@pbx", SessionExpires: 30 * time.Second}, false},
		{"proxy without scheme", Config{URI: "sip:1001@pbx", Proxy: "10.0.0.1:5060"}, true},
		{"RTP range upside down", Config{URI: "sip:1001@pbx", RTPPortMin: 20000, RTPPortMax: 10000}, false},
	}
	for _, tt := range tests {
		p, err := New(tt.cfg)
		if err == nil {
			p.Close(ctxT(t))
		}
		if (err == nil) != tt.ok {
			t.Errorf("%s: New = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: %v is not ErrInvalidConfig", tt.name, err)
		}
	}
}

func TestSmallParsers(t *testing.T) {
	for in, want := range map[string]rune{"Signal=5\r\nDuration=160\r\n": '5', "signal= #\r\n": '#', "Signal=11": '#', "Signal=12": 'A', "Duration=100": 0, "Signal=x": 0} {
		if got := parseDTMFRelay([]byte(in)); got != want {
			t.Errorf("parseDTMFRelay(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{"SIP/2.0 200 OK\r\n": 200, "SIP/2.0 100 Trying": 100, "SIP/2.0 503 Service Unavailable\r\n\r\n": 503, "hello": 0, "SIP/2.0 99 x": 0} {
		code, _, ok := parseSipfrag([]byte(in))
		if code != want || ok != (want != 0) {
			t.Errorf("parseSipfrag(%q) = %d %v, want %d", in, code, ok, want)
		}
	}
	for in, want := range map[string]string{"1800;refresher=uac": "30m0s uac", "90": "1m30s ", "600 ; Refresher = UAS": "10m0s uas", "x": "0s "} {
		d, r, _ := parseSessionExpires(in)
		if got := d.String() + " " + r; got != want {
			t.Errorf("parseSessionExpires(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEventStrings(t *testing.T) {
	c := &Call{id: "abc"}
	for _, e := range []Event{
		RegistrationChanged{State: Registered, Expires: time.Minute},
		RegistrationChanged{State: RegistrationFailed, Err: errors.New("x"), RetryIn: time.Second},
		IncomingCall{Call: c, From: "sip:a@b"},
		CallStateChanged{Call: c, State: Ended, Reason: ErrRemoteHangup},
		DTMFReceived{Call: c, Digit: '5'},
		TransferRequested{Call: c, Target: "sip:x@y"},
		TransferProgress{Call: c, Code: 200, Final: true},
		CallQuality{Call: c},
	} {
		if s := e.String(); s == "" || strings.Contains(s, "%!") {
			t.Errorf("%T.String() = %q", e, s)
		}
	}
}

// FuzzHeaderParsers feeds what peers put in INFO bodies, NOTIFY sipfrags
// and Session-Expires headers through our readers: no panics, and what
// they accept is in range.
func FuzzHeaderParsers(f *testing.F) {
	for _, s := range []string{"Signal=5\r\nDuration=160", "SIP/2.0 200 OK\r\n", "1800;refresher=uac", "Signal=15", "SIP/2.0 1000000000000000000000 X", ";;;=", "90;refresher"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := parseDTMFRelay([]byte(s)); d != 0 && !validDigit(d) {
			t.Fatalf("digit %q from %q", d, s)
		}
		if code, _, ok := parseSipfrag([]byte(s)); ok && (code < 100 || code > 699) {
			t.Fatalf("status %d from %q", code, s)
		}
		if d, _, ok := parseSessionExpires(s); ok && d <= 0 {
			t.Fatalf("session expires %v from %q", d, s)
		}
		if _, ok := parseRtpmap(s); ok {
			return
		}
		parseRTCPAttribute(s, nil)
	})
}
