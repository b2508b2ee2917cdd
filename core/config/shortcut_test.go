package config

import (
	"errors"
	"testing"
	"unicode"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestParseShortcut(t *testing.T) {
	tests := []struct {
		in, want string // want "" means an error
	}{
		{"Ctrl+Alt+A", "Ctrl+Alt+A"},
		{"alt + ctrl + a", "Ctrl+Alt+A"},
		{"Control+Option+7", "Ctrl+Alt+7"},
		{"cmd+shift+m", "Shift+Super+M"},
		{"F5", "F5"},
		{"shift+f12", "Shift+F12"},
		{"Ctrl+PgUp", "Ctrl+PageUp"},
		{"Pause", "Pause"},
		{"Ctrl+Esc", "Ctrl+Escape"},
		{"A", ""},
		{"Shift+A", ""},
		{"Ctrl+Ctrl+A", ""},
		{"Hyper+A", ""},
		{"Ctrl+", ""},
		{"Ctrl+Alt+AB", ""},
		{"Ctrl+F25", ""},
		{"Ctrl+中", ""},
		{"", ""},
	}
	for _, tt := range tests {
		k, err := ParseShortcut(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseShortcut(%q) = %v, want an error", tt.in, k)
		case tt.want == "" && (!errors.Is(err, ErrInvalid) || !hasHan(err.(interface{ Sentence(string) string }).Sentence("zh"))):
			t.Errorf("ParseShortcut(%q) error %v lacks ErrInvalid or a Chinese sentence", tt.in, err)
		case tt.want != "" && err != nil:
			t.Errorf("ParseShortcut(%q): %v", tt.in, err)
		case tt.want != "" && k.String() != tt.want:
			t.Errorf("ParseShortcut(%q) = %s, want %s", tt.in, k, tt.want)
		}
		if err == nil {
			// The canonical form parses to itself.
			if again, err := ParseShortcut(k.String()); err != nil || again != k {
				t.Errorf("%s does not parse back: %v, %v", k, again, err)
			}
		}
	}
}
