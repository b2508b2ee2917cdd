package control

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"agentbar/core"
)

func TestHandoffTarget(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13912345678", "13912345678", true},
		{"  139 1234 5678 ", "139 1234 5678", true},
		{"tel:+86-139-1234-5678", "+86-139-1234-5678", true},
		{"TEL:%2B8613912345678", "+8613912345678", true},
		{"tel:+8613912345678;phone-context=example.com", "+8613912345678", true},
		{"tel://13912345678/", "13912345678", true},
		{"callto:13912345678", "13912345678", true},
		{"callto://+8613912345678?call", "+8613912345678", true},
		{"tel:400%20800%208888", "400 800 8888", true},
		{"tel:+86 139", "+86 139", true},
		{"sip:1001@pbx.example.com;transport=tcp", "sip:1001@pbx.example.com;transport=tcp", true},
		{"SIPS:bob@example.com", "SIPS:bob@example.com", true},
		{"", "", false},
		{"tel:", "", false},
		{"callto://", "", false},
		{"tel:%zz", "", false},
		{"tel:1%0a23", "", false},
		{"tel:%0a123", "123", true},
		{"123\x00", "", false},
		{"\xff\xfe", "", false},
		{strings.Repeat("1", 257), "", false},
	}
	for _, tt := range tests {
		got, err := HandoffTarget(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("HandoffTarget(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, core.ErrInvalidArgument) {
			t.Errorf("HandoffTarget(%q): %v is not an invalid argument", tt.in, err)
		}
	}
}

func FuzzHandoffTarget(f *testing.F) {
	for _, s := range []string{"tel:+8613912345678", "callto://1", "sip:a@b", "tel:%2B1;x=y?z", "13912345678", "tel:%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := HandoffTarget(in)
		if err != nil {
			var ae *ArgumentError
			if !errors.As(err, &ae) || ae.Sentence("zh") == "" || ae.Sentence("en") == "" {
				t.Fatalf("error without sentences: %v", err)
			}
			return
		}
		if got == "" || len(got) > maxHandoffTarget || !utf8.ValidString(got) ||
			strings.ContainsFunc(got, unicode.IsControl) || got != strings.TrimSpace(got) {
			t.Fatalf("HandoffTarget(%q) = %q", in, got)
		}
	})
}

func TestRunHandoff(t *testing.T) {
	h := newHarness(t)
	var out, errb bytes.Buffer
	if code := RunHandoff(h.ctx, "tel:%2B8613912345678", h.dir, &out, &errb, "zh"); code != ExitOK || errb.Len() != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if code := RunHandoff(h.ctx, "sip:1001@pbx", h.dir, &out, &errb, "zh"); code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if _, handoffs, _ := h.be.recorded(); !slices.Equal(handoffs, []string{"+8613912345678/true", "sip:1001@pbx/true"}) {
		t.Errorf("handoffs %q", handoffs)
	}
	errb.Reset()
	if code := RunHandoff(h.ctx, "tel:", h.dir, &out, &errb, "en"); code != ExitUsage || oneLine(t, errb.String()) != `The argument "target" is missing.` {
		t.Errorf("empty: exit %d, stderr %q", code, errb.String())
	}
	errb.Reset()
	if code := RunHandoff(h.ctx, "123", t.TempDir(), &out, &errb, "zh"); code != ExitNotRunning || !strings.Contains(errb.String(), "没有在运行") {
		t.Errorf("not running: exit %d, stderr %q", code, errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q", out.String())
	}
}
