package gui

import (
	"strings"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00"},
		{999 * time.Millisecond, "00:00"},
		{65 * time.Second, "01:05"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour, "1:00:00"},
		{26*time.Hour + 3*time.Minute + 4*time.Second, "26:03:04"},
		{-5 * time.Second, "00:00"},
	}
	for _, tt := range tests {
		if got := clock(tt.d); got != tt.want {
			t.Errorf("clock(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if since(time.Time{}, time.Now()) != "" {
		t.Error("since a zero time should be empty")
	}
}

func TestGroupNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "138 0013 8000"},
		{" 13800138000 ", "138 0013 8000"},
		{"+8613800138000", "+86 138 0013 8000"},
		{"008613800138000", "0086 138 0013 8000"},
		{"02150001234", "02150001234"},   // landline: left alone
		{"138****8000", "138****8000"},   // masked by the platform
		{"1380013800", "1380013800"},     // ten digits: not a mobile
		{"23800138000", "23800138000"},   // does not start with 1
		{"sip:1001@pbx", "sip:1001@pbx"}, // URI
		{"+86021500012", "+86021500012"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := groupNumber(tt.in); got != tt.want {
			t.Errorf("groupNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzGroupNumber: numbers come from platforms; grouping must never lose,
// add or reorder a character, only insert spaces.
func FuzzGroupNumber(f *testing.F) {
	for _, s := range []string{"13800138000", "+8613800138000", "0086139", "sip:a@b", "138****8000", "\x00\xff", "１３８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := groupNumber(s)
		if strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(strings.TrimSpace(s), " ", "") {
			t.Fatalf("groupNumber(%q) = %q changes the number", s, got)
		}
	})
}
