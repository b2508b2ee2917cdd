package config

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateAccountName(t *testing.T) {
	good := []string{"office", "客服一组", "a b", "O'Brien (night)", strings.Repeat("名", MaxAccountNameLen), "x.y", "..."}
	bad := []string{"", " office", "office ", "a/b", `a\b`, "a\nb", "a\x00", "\u0085", ".", "..",
		strings.Repeat("a", MaxAccountNameLen+1), "\xff"}
	for _, n := range good {
		if err := ValidateAccountName(n); err != nil {
			t.Errorf("ValidateAccountName(%q) = %v", n, err)
		}
	}
	for _, n := range bad {
		err := ValidateAccountName(n)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateAccountName(%q) = %v, want ErrInvalid", n, err)
			continue
		}
		s := err.(interface{ Sentence(string) string })
		if !hasHan(s.Sentence("zh")) || hasHan(s.Sentence("en")) {
			t.Errorf("ValidateAccountName(%q) sentences: %q / %q", n, s.Sentence("zh"), s.Sentence("en"))
		}
	}
}

func TestAccountClone(t *testing.T) {
	a := Account{Name: "a", Platform: "p", Fields: map[string]string{"k": "v"}}
	b := a.Clone()
	b.Fields["k"] = "changed"
	if a.Fields["k"] != "v" {
		t.Fatal("Clone shares Fields")
	}
	if (Account{}).Clone().Fields != nil {
		t.Fatal("Clone of nil Fields is not nil")
	}
}
