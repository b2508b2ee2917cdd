package logging

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScrub: scrubbing never panics, never returns a registered secret that
// was in the input, and keeps valid UTF-8 valid.
func FuzzScrub(f *testing.F) {
	seeds := []struct{ in, secret string }{
		{sipRegister, "7587245234b3434cc3412213e5f113a5432"},
		{`{"user":"8001","password":"hunter2","nested":{"token":"abc"}}`, "hunter2"},
		{"GET /x?password=p%40ss&token=t HTTP/1.1\r\nAuthorization: Bearer t0k\r\n", "p@ss"},
		{"wss://8001:pw12@host/ws", "pw12"},
		{"]xyzwxyzw", "]xyzw"},
		{`{"body":"{\"password\":\"a\\\"b\"}"}`, `a"b1`},
		{"密码：秘密口令123", "秘密口令123"},
		{"Authorization: Digest response=\"", "response"},
		{"password={[\"", "{[\"x"},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add(s.in, s.secret)
	}
	f.Fuzz(func(t *testing.T, in, secret string) {
		r := NewRedactor()
		r.AddSecret(secret)
		out := r.Scrub(in)
		registered := r.generation() != 0
		if registered && strings.Contains(in, secret) && strings.Contains(out, secret) {
			t.Fatalf("secret %q survived:\n in %q\nout %q", secret, in, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("valid UTF-8 became invalid:\n in %q\nout %q", in, out)
		}
		if !registered && out != scrubPatterns(in) {
			t.Fatalf("with no secret, Scrub differs from the pattern pass")
		}
	})
}
