package secrets

import (
	"errors"
	"strings"
	"testing"
)

func TestUserKey(t *testing.T) {
	tests := []struct {
		account, kind string
		want          string
		wantErr       error
	}{
		{"office", KindPassword, "office/password", nil},
		{"客服一组", KindToken, "客服一组/token", nil},
		{"a b", "sip-password", "a b/sip-password", nil},
		{"", KindPassword, "", ErrInvalidKey},
		{"office", "", "", ErrInvalidKey},
		{"a/b", KindPassword, "", ErrInvalidKey},
		{"office", "pass/word", "", ErrInvalidKey},
		{"off\nice", KindPassword, "", ErrInvalidKey},
		{"office", "pass\x00", "", ErrInvalidKey},
		{"\xff\xfe", KindPassword, "", ErrInvalidKey},
		{strings.Repeat("a", MaxNameLen), KindPassword, strings.Repeat("a", MaxNameLen) + "/password", nil},
		{strings.Repeat("a", MaxNameLen+1), KindPassword, "", ErrInvalidKey},
	}
	for _, tt := range tests {
		got, err := UserKey(tt.account, tt.kind)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("UserKey(%q, %q) error = %v, want %v", tt.account, tt.kind, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("UserKey(%q, %q) = %q, want %q", tt.account, tt.kind, got, tt.want)
		}
	}
}

// FuzzUserKey checks that an accepted key is unambiguous: it splits back
// into exactly the account and kind it was made from.
func FuzzUserKey(f *testing.F) {
	f.Add("office", "password")
	f.Add("a/b", "c")
	f.Add("客服", "token")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, account, kind string) {
		key, err := UserKey(account, kind)
		if err != nil {
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("error %v does not match ErrInvalidKey", err)
			}
			return
		}
		a, k, ok := strings.Cut(key, "/")
		if !ok || a != account || k != kind || strings.Count(key, "/") != 1 {
			t.Fatalf("UserKey(%q, %q) = %q does not split back", account, kind, key)
		}
	})
}
