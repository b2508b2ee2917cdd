package numbers

import (
	"errors"
	"strings"
	"testing"
)

// Forms numbers take when agents paste them from CRMs, spreadsheets,
// e-mail signatures and web pages.
var normalizeCases = []struct {
	name, in, want string
}{
	// Chinese mobiles.
	{"plain mobile", "13912345678", "13912345678"},
	{"mobile 3-4-4 spaces", "139 1234 5678", "13912345678"},
	{"mobile dashes", "139-1234-5678", "13912345678"},
	{"mobile dots", "139.1234.5678", "13912345678"},
	{"mobile +86", "+86 139 1234 5678", "13912345678"},
	{"mobile +86 no space", "+8613912345678", "13912345678"},
	{"mobile +86 dashes", "+86-139-1234-5678", "13912345678"},
	{"mobile +86 brackets", "(+86) 139 1234 5678", "13912345678"},
	{"mobile 0086", "0086 13912345678", "13912345678"},
	{"mobile 0086 dashes", "0086-139-1234-5678", "13912345678"},
	{"mobile 86 prefix 13 digits", "8613912345678", "13912345678"},
	{"mobile 86 prefix spaced", "86 139 1234 5678", "13912345678"},
	{"mobile +86 86 doubled", "+86 86 139 1234 5678", "13912345678"},
	{"full-width mobile", "１３９１２３４５６７８", "13912345678"},
	{"full-width plus and spaces", "＋８６　１３９　１２３４　５６７８", "13912345678"},
	{"full-width dashes", "１３９－１２３４－５６７８", "13912345678"},
	{"ideographic space", "139\u30001234\u30005678", "13912345678"},
	{"non-breaking spaces", "139\u00a01234\u00a05678", "13912345678"},
	{"zero-width spaces from a web page", "\u200b139\u200b1234\u200b5678\ufeff", "13912345678"},
	{"trailing newline from a spreadsheet cell", "13912345678\r\n", "13912345678"},
	{"tabs", "\t13912345678\t", "13912345678"},
	{"excel text apostrophe", "'13912345678", "13912345678"},
	{"quoted", "\"13912345678\"", "13912345678"},
	{"chinese quotes", "“13912345678”", "13912345678"},
	{"trailing chinese full stop", "13912345678。", "13912345678"},
	{"trailing comma from a list", "13912345678,", "13912345678"},
	{"trailing full-width comma", "13912345678，", "13912345678"},
	{"tel scheme", "tel:13912345678", "13912345678"},
	{"TEL scheme upper case", "TEL:+86-139-1234-5678", "13912345678"},
	{"tel with space", "Tel: 139 1234 5678", "13912345678"},
	{"callto scheme", "callto://+8613912345678", "13912345678"},
	{"label 手机", "手机：139 1234 5678", "13912345678"},
	{"label 电话 ascii colon", "电话:13912345678", "13912345678"},
	{"label 联系电话", "联系电话：139-1234-5678", "13912345678"},
	{"middle dot separators", "139·1234·5678", "13912345678"},
	{"slash separators", "139/1234/5678", "13912345678"},

	// Chinese fixed lines keep their trunk 0 and area code.
	{"beijing dashed", "010-12345678", "01012345678"},
	{"beijing brackets", "(010) 1234-5678", "01012345678"},
	{"beijing full-width brackets", "（010）12345678", "01012345678"},
	{"beijing +86", "+86 10 12345678", "01012345678"},
	{"beijing +86 dashes", "+86-10-1234-5678", "01012345678"},
	{"beijing +86 with trunk 0", "+86 010 12345678", "01012345678"},
	{"beijing +86 (0)", "+86 (0)10 1234 5678", "01012345678"},
	{"beijing 0086", "0086 10 1234 5678", "01012345678"},
	{"shanghai", "021-1234 5678", "02112345678"},
	{"shanghai tel uri", "tel:+86-21-1234-5678", "02112345678"},
	{"hangzhou 3-digit area code", "0571-8888 8888", "057188888888"},
	{"hangzhou +86", "+86 571 8888 8888", "057188888888"},
	{"changzhou 7-digit subscriber", "+86 519 8123456", "05198123456"},
	{"full-width fixed line", "０１０－１２３４５６７８", "01012345678"},
	{"local fixed line without area code", "8888 8888", "88888888"},

	// Service numbers.
	{"bank service number", "95555", "95555"},
	{"carrier service number", "10086", "10086"},
	{"railway", "12306", "12306"},
	{"emergency", "110", "110"},
	{"400 dashed", "400-810-8888", "4008108888"},
	{"400 spaced", "400 810 8888", "4008108888"},
	{"400 +86", "+86 400 810 8888", "4008108888"},
	{"800 dashed", "800-810-1234", "8008101234"},
	{"service +86", "+86 95555", "95555"},

	// Extensions and feature codes.
	{"extension", "8001", "8001"},
	{"3-digit extension", "801", "801"},
	{"6-digit extension", "600123", "600123"},
	{"feature code star", "*72", "*72"},
	{"feature code hash", "#31#", "#31#"},
	{"feature code with digits", "*8001#", "*8001#"},
	{"full-width star", "＊８００１＃", "*8001#"},
	{"dial prefix for outside line", "9 013912345678", "9013912345678"},

	// International numbers become E.164.
	{"US", "+1 (415) 555-0100", "+14155550100"},
	{"US 00", "001 415 555 0100", "+14155550100"},
	{"US dots", "+1.415.555.0100", "+14155550100"},
	{"UK trunk (0)", "+44 (0)20 7123 4567", "+442071234567"},
	{"UK trunk full-width", "+44（0）20 7123 4567", "+442071234567"},
	{"UK 00 trunk (0)", "0044 (0)20 7123 4567", "+442071234567"},
	{"Hong Kong", "+852 2345 6789", "+85223456789"},
	{"Hong Kong 00", "00852-2345-6789", "+85223456789"},
	{"Taiwan", "+886 2 2345 6789", "+886223456789"},
	{"Japan", "+81 3-1234-5678", "+81312345678"},
	{"Germany slash", "+49 30/1234567", "+49301234567"},
	{"international freephone", "+800 1234 5678", "+80012345678"},
	{"tel uri US", "tel:+1-415-555-0100", "+14155550100"},
	{"exactly 20 digits", "12345678901234567890", "12345678901234567890"},
	{"E.164 15 digits", "+1 41555501001234", "+141555501001234"},
}

func TestNormalize(t *testing.T) {
	for _, tc := range normalizeCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Fatalf("Normalize(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	cases := []struct {
		name, in string
		want     error
		fragment string
	}{
		{"empty", "", ErrEmpty, ""},
		{"blank", "  \t\u3000 ", ErrEmpty, ""},
		{"only separators", "--()--", ErrEmpty, ""},
		{"only a label", "tel:", ErrNotANumber, "tel"},
		{"label then nothing", "手机： ", ErrNotANumber, "手机"},
		{"letters", "139abc5678", ErrNotANumber, "abc"},
		{"letters first", "abc", ErrNotANumber, "abc"},
		{"vanity number", "1-800-FLOWERS", ErrNotANumber, "FLOWERS"},
		{"extension suffix", "010-12345678 ext 12", ErrNotANumber, "ext"},
		{"chinese words", "请拨13912345678", ErrNotANumber, "请拨"},
		{"unknown label", "fax: 12345678", ErrNotANumber, "fax:"},
		{"excel scientific notation", "1.39123E+10", ErrNotANumber, "E"},
		{"semicolon parameter", "tel:+14155550100;ext=12", ErrNotANumber, ";ext="},
		{"colon inside", "139:12345678", ErrNotANumber, ":"},
		{"sip uri", "sip:8001@pbx.example.com", ErrSIPURI, "sip:8001@pbx.example.com"},
		{"sips uri", "SIPS:8001@pbx", ErrSIPURI, "SIPS:8001@pbx"},
		{"address without scheme", "8001@10.0.0.1", ErrSIPURI, "8001@10.0.0.1"},
		{"21 digits", "123456789012345678901", ErrTooLong, ""},
		{"pasted essay", strings.Repeat("1", MaxInputBytes+1), ErrTooLong, ""},
		{"E.164 16 digits", "+1 415555010012345", ErrTooLong, ""},
		{"two digits", "12", ErrTooShort, ""},
		{"plus alone", "+", ErrTooShort, ""},
		{"plus with too few", "+1 234", ErrTooShort, ""},
		{"+86 and two digits", "+86 12", ErrTooShort, ""},
		{"00 alone", "00", ErrTooShort, ""},
		{"double plus", "++8613912345678", ErrMisplacedPlus, ""},
		{"plus in the middle", "139+12345678", ErrMisplacedPlus, ""},
		{"two numbers with plus", "+86139 +86139", ErrMisplacedPlus, ""},
		{"country code zero", "+0 123 4567 890", ErrBadCountryCode, "012"},
		{"country code 999", "+999 1234567", ErrBadCountryCode, "999"},
		{"000 prefix", "000 1234 5678", ErrBadCountryCode, "012"},
		{"+86 then 00", "+86 0086 139 1234 5678", ErrBadCountryCode, "86"},
		{"star in a mobile", "13912345678*1", ErrBadShortCode, ""},
		{"star with plus", "+*72", ErrBadShortCode, ""},
		{"only star and hash", "*#", ErrTooShort, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in)
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want error %v", tc.in, got, tc.want)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Normalize(%q) error = %v, want %v", tc.in, err, tc.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *InputError", err)
			}
			if ie.Fragment != tc.fragment {
				t.Fatalf("Fragment = %q, want %q", ie.Fragment, tc.fragment)
			}
			if got != "" {
				t.Fatalf("Normalize returned %q with an error", got)
			}
		})
	}
}

func TestNormalizeErrorCounts(t *testing.T) {
	_, err := Normalize("123456789012345678901")
	var ie *InputError
	if !errors.As(err, &ie) || ie.Count != 21 || ie.Limit != MaxDigits {
		t.Fatalf("too long: %#v", err)
	}
	_, err = Normalize("12")
	if !errors.As(err, &ie) || ie.Count != 2 || ie.Limit != MinDigits {
		t.Fatalf("too short: %#v", err)
	}
}

// FuzzNormalize: Normalize never panics; what it accepts is canonical
// (Normalize of it is itself) and made only of the output alphabet; what
// it refuses is explained by a sentinel.
func FuzzNormalize(f *testing.F) {
	for _, tc := range normalizeCases {
		f.Add(tc.in)
	}
	for _, s := range []string{"", "+", "00", "+86", "0086", "+86 00", "+86 86 86", "(0)", "+44(0)", "+(0)1",
		"sip:", "@", "tel:", "*", "#", "+*", "８６１３９", "\xff\xfe", "+86 0", "86 0086", "1(0)2"} {
		f.Add(s)
	}
	sentinels := []error{ErrEmpty, ErrNotANumber, ErrSIPURI, ErrTooLong, ErrTooShort,
		ErrMisplacedPlus, ErrBadCountryCode, ErrBadShortCode}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Normalize(in)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Normalize(%q): error %T is not an *InputError", in, err)
			}
			known := false
			for _, s := range sentinels {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("Normalize(%q): unknown error %v", in, err)
			}
			if ie.Sentence("zh") == "" || ie.Sentence("en") == "" {
				t.Fatalf("Normalize(%q): %v has no sentence", in, err)
			}
			return
		}
		if out == "" {
			t.Fatalf("Normalize(%q) returned empty output without error", in)
		}
		for i := 0; i < len(out); i++ {
			c := out[i]
			if !(c >= '0' && c <= '9' || c == '*' || c == '#' || c == '+' && i == 0) {
				t.Fatalf("Normalize(%q) = %q: byte %q outside the output alphabet", in, out, c)
			}
		}
		again, err := Normalize(out)
		if err != nil || again != out {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", in, out, out, again, err)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	inputs := []string{"+86 139 1234 5678", "（010）1234-5678", "+1 (415) 555-0100", "8001", "１３９１２３４５６７８"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Normalize(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}
