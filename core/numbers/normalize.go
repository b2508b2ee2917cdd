package numbers

import (
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Limits Normalize enforces.
const (
	// MaxInputBytes bounds what Normalize reads at all: a whole pasted
	// document is refused before it is scanned.
	MaxInputBytes = 256
	// MaxDigits is the most digits a number may have (dial prefixes and
	// extensions included).
	MaxDigits = 20
	// MaxE164Digits is the most digits after "+" (ITU-T E.164).
	MaxE164Digits = 15
	// MinDigits is the fewest digits of a number without "*" or "#":
	// three, so that 110 and short extensions such as 801 pass.
	MinDigits = 3
	// MinInternationalDigits is the fewest digits after "+", country code
	// included (the shortest national numbers have 4 digits).
	MinInternationalDigits = 7
	// MaxShortCodeLen is the longest code that may contain "*" or "#".
	MaxShortCodeLen = 12
)

// chinaCode is China's country calling code.
const chinaCode = "86"

// labels are the words a pasted number may be introduced with, followed by
// ":" or "：". They are dropped; anything else before a colon is an error.
var labels = map[string]bool{
	"tel": true, "callto": true, "phone": true, "mobile": true, "mob": true, "cell": true,
	"电话": true, "手机": true, "座机": true, "固话": true, "号码": true, "分机": true,
	"手机号": true, "手机号码": true, "电话号码": true, "联系电话": true, "联系方式": true,
	"来电": true, "主叫": true, "被叫": true,
}

// Normalize returns the canonical dial string for what an agent typed or
// pasted. See the package documentation for the accepted forms and the
// three output forms. Errors are *InputError values wrapping ErrEmpty,
// ErrNotANumber, ErrSIPURI, ErrTooLong, ErrTooShort, ErrMisplacedPlus,
// ErrBadCountryCode or ErrBadShortCode.
func Normalize(raw string) (string, error) {
	if len(raw) > MaxInputBytes {
		return "", &InputError{Err: ErrTooLong, Input: shorten(raw)}
	}
	s := strings.TrimFunc(raw, isTrimmable)
	if s == "" {
		return "", &InputError{Err: ErrEmpty}
	}
	s, err := dropLabel(s)
	if err != nil {
		return "", err
	}

	p, err := scan(s)
	if err != nil {
		return "", err
	}
	return p.canonical(s)
}

// dropLabel removes a "tel:" scheme or a "手机：" label, and refuses SIP
// URIs.
func dropLabel(s string) (string, error) {
	if strings.ContainsRune(s, '@') {
		return "", &InputError{Err: ErrSIPURI, Input: shorten(s), Fragment: shorten(s)}
	}
	i, width := strings.IndexByte(s, ':'), 1
	if j := strings.Index(s, "："); j >= 0 && (i < 0 || j < i) {
		i, width = j, len("：")
	}
	if i < 0 {
		return s, nil
	}
	label := strings.ToLower(strings.TrimSpace(s[:i]))
	switch {
	case label == "sip" || label == "sips":
		return "", &InputError{Err: ErrSIPURI, Input: shorten(s), Fragment: shorten(s)}
	case labels[label]:
		rest := strings.TrimFunc(s[i+width:], isTrimmable)
		rest = strings.TrimPrefix(rest, "//") // callto://+1…
		if rest == "" {
			return "", &InputError{Err: ErrEmpty}
		}
		return rest, nil
	}
	// Not a label we know: let scan name the offending characters.
	return s, nil
}

// parsed is the result of scanning the input: the digits, "*" and "#"
// in order, and where a "+" was.
type parsed struct {
	body     [MaxDigits + MaxShortCodeLen]byte
	n        int  // bytes used in body
	digits   int  // how many of them are digits
	overflow bool // more characters than body holds
	plus     bool // a leading "+"
	starHash bool // a "*" or "#" was seen
}

func (p *parsed) add(c byte) {
	if c >= '0' && c <= '9' {
		p.digits++
	} else {
		p.starHash = true
	}
	if p.n == len(p.body) {
		p.overflow = true
		return
	}
	p.body[p.n] = c
	p.n++
}

// scan reads s once, keeping digits, "*" and "#", dropping separators,
// and reports the first characters that do not belong in a number.
func scan(s string) (parsed, error) {
	var p parsed
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		class, c := classify(r)
		switch class {
		case classDigit, classStarHash:
			p.add(c)
		case classPlus:
			if p.plus || p.n > 0 {
				return parsed{}, &InputError{Err: ErrMisplacedPlus, Input: shorten(s)}
			}
			p.plus = true
		case classOpen:
			// "+44 (0)20 …": the "(0)" is the trunk prefix dialled inside
			// that country, not part of the international number.
			if next, ok := trunkZero(s[i+size:]); ok && p.international() {
				i += size + next
				continue
			}
		case classBad:
			return parsed{}, &InputError{Err: ErrNotANumber, Input: shorten(s), Fragment: badRun(s[i:])}
		}
		i += size
	}
	return p, nil
}

// international reports whether the digits so far carry a country code
// ("+" or "00" and at least one digit of the code).
func (p *parsed) international() bool {
	if p.plus {
		return p.n > 0
	}
	return p.n > 2 && p.body[0] == '0' && p.body[1] == '0'
}

// trunkZero reports whether s starts with "0)" (after an opening bracket),
// and how many bytes that is.
func trunkZero(s string) (int, bool) {
	r, size := utf8.DecodeRuneInString(s)
	if class, c := classify(r); class != classDigit || c != '0' {
		return 0, false
	}
	r2, size2 := utf8.DecodeRuneInString(s[size:])
	if class, _ := classify(r2); class != classClose {
		return 0, false
	}
	return size + size2, true
}

// badRun returns the run of unacceptable characters that s starts with,
// cut to 16 characters, for the agent to see what is wrong.
func badRun(s string) string {
	end, count := 0, 0
	for end < len(s) && count < 16 {
		r, size := utf8.DecodeRuneInString(s[end:])
		if class, _ := classify(r); class != classBad {
			break
		}
		end += size
		count++
	}
	return s[:end]
}

// canonical turns the scanned characters into one of the output forms.
func (p *parsed) canonical(input string) (string, error) {
	if p.digits > MaxDigits || p.overflow {
		return "", &InputError{Err: ErrTooLong, Input: shorten(input), Count: p.digits, Limit: MaxDigits}
	}
	body := string(p.body[:p.n])
	if p.starHash {
		if p.plus || p.n > MaxShortCodeLen {
			return "", &InputError{Err: ErrBadShortCode, Input: shorten(input)}
		}
		if p.digits == 0 {
			return "", &InputError{Err: ErrTooShort, Input: shorten(input), Count: 0, Limit: 1}
		}
		return body, nil
	}
	if p.digits == 0 {
		if p.plus {
			return "", &InputError{Err: ErrTooShort, Input: shorten(input), Count: 0, Limit: MinInternationalDigits}
		}
		return "", &InputError{Err: ErrEmpty, Input: shorten(input)}
	}
	switch {
	case p.plus:
		return international(body, input)
	case strings.HasPrefix(body, "00"):
		return international(body[2:], input)
	case len(body) == 13 && strings.HasPrefix(body, chinaCode) && isMobile(body[2:]):
		// "8613912345678": the country code without its "+", which CRMs
		// exporting E.164 numbers as integers produce.
		return body[2:], nil
	case len(body) < MinDigits:
		return "", &InputError{Err: ErrTooShort, Input: shorten(input), Count: len(body), Limit: MinDigits}
	}
	return body, nil
}

// international handles the digits after "+" or "00".
func international(digits, input string) (string, error) {
	if len(digits) == 0 {
		return "", &InputError{Err: ErrTooShort, Input: shorten(input), Count: 0, Limit: MinInternationalDigits}
	}
	if strings.HasPrefix(digits, chinaCode) {
		return domestic(digits[len(chinaCode):], input)
	}
	if len(digits) > MaxE164Digits {
		return "", &InputError{Err: ErrTooLong, Input: shorten(input), Count: len(digits), Limit: MaxE164Digits}
	}
	if !hasCountryCode(digits) {
		return "", &InputError{Err: ErrBadCountryCode, Input: shorten(input), Fragment: digits[:min(3, len(digits))]}
	}
	if len(digits) < MinInternationalDigits {
		return "", &InputError{Err: ErrTooShort, Input: shorten(input), Count: len(digits), Limit: MinInternationalDigits}
	}
	return "+" + digits, nil
}

// hasCountryCode reports whether digits start with a country calling code
// that exists. Calling codes are prefix-free, so at most one of the 1-, 2-
// and 3-digit prefixes matches.
func hasCountryCode(digits string) bool {
	if digits[0] == '0' {
		return false
	}
	code := 0
	for i := 0; i < 3 && i < len(digits); i++ {
		code = code*10 + int(digits[i]-'0')
		if phonenumbers.GetRegionCodeForCountryCode(code) != phonenumbers.UNKNOWN_REGION {
			return true
		}
	}
	return false
}

// domestic turns the national part of a +86 number into the form dialled
// inside China.
func domestic(national, input string) (string, error) {
	switch {
	case len(national) < MinDigits:
		return "", &InputError{Err: ErrTooShort, Input: shorten(input), Count: len(national), Limit: MinDigits}
	case strings.HasPrefix(national, "00"):
		// "+86 00…": two international prefixes in a row.
		return "", &InputError{Err: ErrBadCountryCode, Input: shorten(input), Fragment: chinaCode}
	case len(national) == 13 && strings.HasPrefix(national, chinaCode) && isMobile(national[2:]):
		// "+86 86 139…": the country code written twice.
		return national[2:], nil
	case national[0] == '0', // "+86 (0)21 …" or "+86 021 …": the trunk 0 is already there
		isMobile(national),
		len(national) <= 6, // service and short numbers: 95555, 10086
		isNationalService(national):
		return national, nil
	}
	// A fixed line: area code without its trunk 0 (10, 21, 571 …).
	return "0" + national, nil
}

// isMobile reports whether s is a Chinese mobile number: 11 digits, 13x to
// 19x.
func isMobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && allDigits(s)
}

// isNationalService reports whether s is a 400 or 800 number, which are
// dialled without a trunk 0.
func isNationalService(s string) bool {
	return len(s) == 10 && (strings.HasPrefix(s, "400") || strings.HasPrefix(s, "800"))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// shorten cuts s to 64 characters for error messages.
func shorten(s string) string {
	count := 0
	for i := range s {
		if count == 64 {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
