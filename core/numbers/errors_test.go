package numbers

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

func hasHanText(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestInputErrorSentences(t *testing.T) {
	cases := []struct {
		in       string
		sentinel error
		zh, en   string // a part each sentence must contain
	}{
		{"", ErrEmpty, "没有输入号码", "No number"},
		{"139abc", ErrNotANumber, "号码里有不是数字的字符：“abc”。请检查后重新输入。", "“abc”"},
		{"sip:8001@pbx", ErrSIPURI, "“sip:8001@pbx”是 SIP 地址", "is a SIP address"},
		{"123456789012345678901", ErrTooLong, "21 位，最多 20 位", "21 digits; at most 20"},
		{strings.Repeat("9", 300), ErrTooLong, "太长", "too long"},
		{"12", ErrTooShort, "2 位，至少 3 位", "2 digits; at least 3"},
		{"1+1", ErrMisplacedPlus, "加号", "plus sign"},
		{"+999 1234567", ErrBadCountryCode, "“+999”", "“+999”"},
		{"139123456789#", ErrBadShortCode, "功能码", "feature codes"},
	}
	for _, tc := range cases {
		_, err := Normalize(tc.in)
		if !errors.Is(err, tc.sentinel) {
			t.Fatalf("Normalize(%q) = %v, want %v", tc.in, err, tc.sentinel)
		}
		var ie *InputError
		errors.As(err, &ie)
		zh, en := ie.Sentence("zh"), ie.Sentence("en")
		if !strings.Contains(zh, tc.zh) || !hasHanText(zh) {
			t.Errorf("%v: zh sentence %q lacks %q", tc.sentinel, zh, tc.zh)
		}
		if !strings.Contains(en, tc.en) || hasHanText(strings.ReplaceAll(en, ie.Fragment, "")) {
			t.Errorf("%v: en sentence %q lacks %q or has Chinese", tc.sentinel, en, tc.en)
		}
		if got := ie.Sentence("zh-CN"); got != zh {
			t.Errorf("zh-CN sentence %q differs from zh %q", got, zh)
		}
		if got := ie.Sentence("en_GB"); got != en {
			t.Errorf("en_GB sentence %q differs from en %q", got, en)
		}
		if !strings.HasPrefix(err.Error(), "numbers: ") {
			t.Errorf("Error() = %q lacks the package prefix", err.Error())
		}
		if ie.Fragment != "" && !strings.Contains(err.Error(), ie.Fragment) {
			t.Errorf("Error() = %q lacks the fragment %q", err.Error(), ie.Fragment)
		}
	}
}

func TestInputErrorKeepsInputShort(t *testing.T) {
	_, err := Normalize("1" + strings.Repeat("x", 200))
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatal(err)
	}
	if n := len([]rune(ie.Input)); n > 65 {
		t.Fatalf("Input kept %d characters", n)
	}
	if n := len([]rune(ie.Fragment)); n > 16 {
		t.Fatalf("Fragment kept %d characters", n)
	}
}
