package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// newJSONLogger returns a logger writing JSON lines into buf through a
// redacting Handler.
func newJSONLogger(buf *bytes.Buffer, r *Redactor) *slog.Logger {
	inner := slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(NewHandler(inner, r))
}

// decodeLines parses each JSON line of buf.
func decodeLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, line)
		}
		out = append(out, m)
	}
	return out
}

type account struct {
	User     string
	Password string
	Realm    string
}

type secretValuer struct{ token string }

func (v secretValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", "8001"), slog.String("note", "uses "+v.token))
}

type sipDump struct{ text string }

func (d sipDump) String() string { return d.text }

type textID struct{ s string }

func (x textID) MarshalText() ([]byte, error) { return []byte("id:" + x.s), nil }

type panicky struct{}

func (panicky) String() string { panic("boom") }

func TestHandlerRedactsEveryShape(t *testing.T) {
	const pw, tok = "Hunter2-pw", "tok-5b1c9e77"
	r := NewRedactor()
	r.AddSecret(pw)
	r.AddSecret(tok)
	r.AddSecret("80018001") // a numeric password

	var buf bytes.Buffer
	log := newJSONLogger(&buf, r)
	log.Info("login as 8001 with "+pw,
		"password", "anything",
		"user", "8001",
		"note", "token is "+tok,
		"err", fmt.Errorf("register: %w", errors.New("401 for "+pw)),
		"body", []byte(`{"password":"`+pw+`"}`),
		"raw", json.RawMessage(`{"token":"`+tok+`","ok":true}`),
		"acct", account{User: "8001", Password: pw, Realm: "pbx"},
		"valuer", secretValuer{token: tok},
		"sip", sipDump{text: "REGISTER\r\nAuthorization: Bearer " + tok + "\r\n"},
		"id", textID{s: tok},
		"n", 80018001,
		"count", 3,
		slog.Group("creds", "user", "8001", "pass", pw),
		slog.Group("credentials", "user", "8001"),
		slog.Group("ctx", slog.Group("deep", "secret", "x", "ok", "yes")),
		"bad", panicky{},
	)

	out := buf.String()
	for _, leak := range []string{pw, tok, "80018001", "anything"} {
		if strings.Contains(out, leak) {
			t.Errorf("%q leaked:\n%s", leak, out)
		}
	}
	m := decodeLines(t, &buf)[0]
	checks := []struct {
		path string
		want any
	}{
		{"msg", "login as 8001 with [redacted]"},
		{"password", Mask},
		{"user", "8001"},
		{"note", "token is [redacted]"},
		{"err", "register: 401 for [redacted]"},
		{"body", `{"password":"[redacted]"}`},
		{"raw.token", Mask}, // still JSON, not a string
		{"raw.ok", true},
		{"acct.User", "8001"},
		{"acct.Password", Mask},
		{"acct.Realm", "pbx"},
		{"valuer.user", "8001"},
		{"valuer.note", "uses [redacted]"},
		{"sip", "REGISTER\r\nAuthorization: Bearer [redacted]\r\n"},
		{"id", "id:[redacted]"},
		{"n", Mask},
		{"count", float64(3)},
		{"creds.user", "8001"},
		{"creds.pass", Mask},
		{"credentials", Mask},
		{"ctx.deep.secret", Mask},
		{"ctx.deep.ok", "yes"},
		{"bad", "!PANIC while formatting logging.panicky"},
	}
	for _, c := range checks {
		if got := lookupPath(m, c.path); got != c.want {
			t.Errorf("%s = %#v, want %#v", c.path, got, c.want)
		}
	}
}

func lookupPath(m map[string]any, path string) any {
	var cur any = m
	for part := range strings.SplitSeq(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[part]
	}
	return cur
}

func TestHandlerWithAttrsScrubbedAgainAfterAddSecret(t *testing.T) {
	r := NewRedactor()
	var buf bytes.Buffer
	// The engine's logger is derived before login, with the account's
	// settings attached; the password becomes known at login.
	log := newJSONLogger(&buf, r).With("url", "wss://pbx/ws?x=late-secret-1").WithGroup("call").With("peer", "late-secret-1")
	log.Info("before")
	r.AddSecret("late-secret-1")
	log.Info("after")

	lines := decodeLines(t, &buf)
	if got := lookupPath(lines[0], "url"); got != "wss://pbx/ws?x=late-secret-1" {
		t.Errorf("before AddSecret url = %v (nothing to mask yet)", got)
	}
	if got := lookupPath(lines[1], "url"); got != "wss://pbx/ws?x=[redacted]" {
		t.Errorf("after AddSecret url = %v", got)
	}
	if got := lookupPath(lines[1], "call.peer"); got != Mask {
		t.Errorf("after AddSecret call.peer = %v", got)
	}
}

// A secret used as a key by mistake must not reach the disk either.
func TestHandlerMasksSecretsInNames(t *testing.T) {
	const pw = "Hunter2-pw"
	r := NewRedactor()
	r.AddSecret(pw)
	formats := map[string]func(io.Writer) slog.Handler{
		"json": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		"text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	}
	for name, newInner := range formats {
		var buf bytes.Buffer
		log := slog.New(NewHandler(newInner(&buf), r))
		log.Info("m", pw, "x", slog.Group(pw, "a", 1))
		log.WithGroup(pw).With("b", 2).Info("n", "c", 3)
		if strings.Contains(buf.String(), pw) {
			t.Errorf("%s: the secret was written as a name:\n%s", name, buf.String())
		}
		// JSON writes the WithGroup name once per record, text once per attribute.
		if n := strings.Count(buf.String(), Mask); n < 3 {
			t.Errorf("%s: %d masked names, want at least 3:\n%s", name, n, buf.String())
		}
	}
}

func TestHandlerSecretGroupMasksContents(t *testing.T) {
	var buf bytes.Buffer
	log := newJSONLogger(&buf, nil).WithGroup("auth").With("user", "8001")
	log.Info("x", "nonce", "abc")
	m := decodeLines(t, &buf)[0]
	if got := lookupPath(m, "auth.user"); got != Mask {
		t.Errorf("auth.user = %v", got)
	}
	if got := lookupPath(m, "auth.nonce"); got != Mask {
		t.Errorf("auth.nonce = %v", got)
	}
	if got := m["msg"]; got != "x" {
		t.Errorf("msg = %v", got)
	}
}

func TestHandlerTextFormat(t *testing.T) {
	r := NewRedactor()
	r.AddSecret("Hunter2-pw")
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil), r))
	log.Info("sent", "dump", "REGISTER\r\nAuthorization: Digest username=\"8001\", response=\"abc123\"\r\n", "pw", "Hunter2-pw")
	out := buf.String()
	for _, leak := range []string{"abc123", "Hunter2-pw"} {
		if strings.Contains(out, leak) {
			t.Errorf("%q leaked: %s", leak, out)
		}
	}
	if !strings.Contains(out, `username=\"8001\"`) {
		t.Errorf("lost the username: %s", out)
	}
}

func TestHandlerEnabledFollowsInner(t *testing.T) {
	var buf bytes.Buffer
	h := NewHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}), nil)
	ctx := context.Background()
	if h.Enabled(ctx, slog.LevelInfo) || !h.Enabled(ctx, slog.LevelError) {
		t.Error("Enabled does not follow the wrapped handler's level")
	}
	slog.New(h).Info("dropped")
	if buf.Len() != 0 {
		t.Errorf("info record written at warn level: %s", buf.String())
	}
}

func TestHandlerRedactorAccessor(t *testing.T) {
	r := NewRedactor()
	if NewHandler(slog.DiscardHandler, r).Redactor() != r {
		t.Error("Redactor() is not the one given")
	}
	if NewHandler(slog.DiscardHandler, nil).Redactor() == nil {
		t.Error("nil Redactor not replaced")
	}
}
