package logging

import (
	"strings"
	"testing"
)

func TestScrubPatterns(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text untouched", "call 13912345678 answered after 3s", "call 13912345678 answered after 3s"},
		{"query string", "GET /login?user=8001&password=hunter2&x=1", "GET /login?user=8001&password=[redacted]&x=1"},
		{"query token", "wss://cti.example.com/ws?token=eyJhbGciOi.x-y_z&agent=8001", "wss://cti.example.com/ws?token=[redacted]&agent=8001"},
		{"pwd and passwd", "pwd=abc passwd=def", "pwd=[redacted] passwd=[redacted]"},
		{"access_token key", "access_token=t0k3n", "access_token=[redacted]"},
		{"json password", `{"username":"8001","password":"hunter2"}`, `{"username":"8001","password":"[redacted]"}`},
		{"json Token capitalised", `{"Token": "abc.def", "ok":true}`, `{"Token": "[redacted]", "ok":true}`},
		{"json escaped quote in value", `{"password":"a\"b","n":1}`, `{"password":"[redacted]","n":1}`},
		{"json number under secret key", `{"pin":1234,"n":1}`, `{"pin":"[redacted]","n":1}`},
		{"json object under secret key", `{"credentials":{"user":"u","pass":"p"},"n":1}`, `{"credentials":"[redacted]","n":1}`},
		{"json inside json string", `{"body":"{\"password\":\"hunter2\"}"}`, `{"body":"{\"password\":\"[redacted]\"}"}`},
		{"go struct %+v", "{User:8001 Password:hunter2 Realm:pbx}", "{User:8001 Password:[redacted] Realm:pbx}"},
		{"key colon space", "login password: hunter2 next", "login password: [redacted] next"},
		{"secret line", "Password: hunter 2\nnext", "Password: [redacted]\nnext"},
		{"full-width colon", "密码：hunter2", "密码：[redacted]"},
		{"single quotes", "secret='s3 cr3t' done", "secret='[redacted]' done"},
		{"bearer anywhere", "sent bearer abc.DEF-123_x== to server", "sent bearer [redacted] to server"},
		{"bearer header", "Authorization: Bearer abc.def\r\nX: y", "Authorization: Bearer [redacted]\r\nX: y"},
		{"basic header", "Authorization: Basic dXNlcjpwYXNz==\r\n", "Authorization: Basic [redacted]\r\n"},
		{"cookie line", "Cookie: sid=abc; lang=zh\nHost: x", "Cookie: [redacted]\nHost: x"},
		{"custom token header", "X-Auth-Token: abc def\r\n", "X-Auth-Token: [redacted]\r\n"},
		{"digest authorization",
			`Authorization: Digest username="8001", realm="pbx", nonce="n0nce", uri="sip:pbx", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="c", qop=auth, nc=00000001` + "\r\nVia: x",
			`Authorization: Digest username="8001", realm="pbx", nonce="[redacted]", uri="sip:pbx", response="[redacted]", algorithm=MD5, cnonce="[redacted]", qop=auth, nc=00000001` + "\r\nVia: x"},
		{"digest challenge",
			`WWW-Authenticate: Digest realm="pbx", nonce="abc", opaque="xyz", algorithm=MD5`,
			`WWW-Authenticate: Digest realm="pbx", nonce="[redacted]", opaque="[redacted]", algorithm=MD5`},
		{"proxy authorization lower case",
			`proxy-authorization: digest username="u",response="r1"`,
			`proxy-authorization: digest username="u",response="[redacted]"`},
		{"response param alone", `response="deadbeef"`, `response="[redacted]"`},
		{"url userinfo", "dial wss://8001:hunter2@pbx.example.com/ws now", "dial wss://8001:[redacted]@pbx.example.com/ws now"},
		{"sip userinfo", "<sip:8001:hunter2@pbx>", "<sip:8001:[redacted]@pbx>"},
		{"url with port untouched", "http://host:8080/path?a=1", "http://host:8080/path?a=1"},
		{"time untouched", "at 12:30:05 key2=v", "at 12:30:05 key2=v"},
		{"author is not auth", "author=lu", "author=lu"},
		{"header in json string", `{"h":"Authorization: Bearer tok","x":1}`, `{"h":"Authorization: Bearer [redacted]","x":1}`},
		{"escaped newlines in dump", `REGISTER sip:pbx SIP/2.0\r\nAuthorization: Basic Zm9v\r\nCSeq: 2`, `REGISTER sip:pbx SIP/2.0\r\nAuthorization: Basic [redacted]\r\nCSeq: 2`},
		{"blank after separator", "password = hunter2", "password = [redacted]"},
		{"empty value at end", "password=", "password="},
		{"unterminated quote hides the rest", "password=\"abc\nnext line", "password=\"[redacted]"},
		{"unterminated object hides the rest", `{"token":{"a":1` + "\nmore", `{"token":"[redacted]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scrubPatterns(tt.in); got != tt.want {
				t.Errorf("scrubPatterns(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// A SIP REGISTER as a SIP stack dumps it: CRLF lines, a Digest header.
const sipRegister = "REGISTER sip:pbx.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK776asdhds\r\n" +
	"From: <sip:8001@pbx.example.com>;tag=1928301774\r\n" +
	"To: <sip:8001@pbx.example.com>\r\n" +
	"Call-ID: a84b4c76e66710\r\n" +
	"CSeq: 2 REGISTER\r\n" +
	`Authorization: Digest username="8001", realm="pbx.example.com", nonce="84a4cc6f3082121f32b42a2187831a9e", uri="sip:pbx.example.com", response="7587245234b3434cc3412213e5f113a5432", algorithm=MD5` + "\r\n" +
	"Content-Length: 0\r\n\r\n"

func TestScrubSIPDumpKeepsWhatHelpsDebugging(t *testing.T) {
	got := scrubPatterns(sipRegister)
	for _, secret := range []string{"7587245234b3434cc3412213e5f113a5432", "84a4cc6f3082121f32b42a2187831a9e"} {
		if strings.Contains(got, secret) {
			t.Errorf("digest value %q survived:\n%s", secret, got)
		}
	}
	for _, kept := range []string{`username="8001"`, `realm="pbx.example.com"`, "Call-ID: a84b4c76e66710", "CSeq: 2 REGISTER", "Content-Length: 0\r\n\r\n"} {
		if !strings.Contains(got, kept) {
			t.Errorf("lost %q:\n%s", kept, got)
		}
	}
}

func TestScrubPatternsNoAllocWhenClean(t *testing.T) {
	s := "call 13912345678 from queue sales: answered, duration=35s"
	if n := testing.AllocsPerRun(100, func() { _ = scrubPatterns(s) }); n != 0 {
		t.Errorf("allocations = %v, want 0", n)
	}
}

func TestIsSensitiveKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"password", true}, {"Password", true}, {"PASSWORD", true}, {"user_password", true},
		{"passwd", true}, {"pwd", true}, {"secret", true}, {"client-secret", true},
		{"token", true}, {"access_token", true}, {"X-Auth-Token", true}, {"authToken", true},
		{"Authorization", true}, {"proxy-authorization", true}, {"WWW-Authenticate", true},
		{"credentials", true}, {"digest", true}, {"response", true}, {"api_key", true}, {"apiKey", true},
		{"auth", true}, {"pin", true}, {"key", true}, {"Cookie", true}, {"密码", true},
		{"user", false}, {"author", false}, {"spin", false}, {"monkey", false}, {"number", false},
		{"call_id", false}, {"status", false}, {"", false}, {"keyboard", false},
	}
	for _, tt := range tests {
		if got := isSensitiveKey(tt.key); got != tt.want {
			t.Errorf("isSensitiveKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}
