package numbers

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Normalize and Lookup return them wrapped in an
// *InputError; check them with errors.Is.
var (
	// ErrEmpty: nothing that could be dialled was given (blank input, or
	// only separators such as "--" or "()").
	ErrEmpty = errors.New("numbers: empty number")

	// ErrNotANumber: the input contains characters that are neither digits
	// nor accepted separators (letters, "@"-less words, ";", …).
	// InputError.Fragment holds the first run of such characters.
	ErrNotANumber = errors.New("numbers: not a number")

	// ErrSIPURI: the input is a SIP address ("sip:", "sips:", or anything
	// with "@"). The dialer should dial it as a URI, not as a number.
	ErrSIPURI = errors.New("numbers: a SIP URI, not a number")

	// ErrTooLong: more than MaxDigits digits, more than MaxE164Digits for a
	// number with a country code, or an input longer than MaxInputBytes.
	ErrTooLong = errors.New("numbers: number too long")

	// ErrTooShort: fewer than MinDigits digits, or an international number
	// with fewer than MinInternationalDigits digits.
	ErrTooShort = errors.New("numbers: number too short")

	// ErrMisplacedPlus: a "+" that is not the very first character, or
	// more than one "+".
	ErrMisplacedPlus = errors.New("numbers: misplaced plus sign")

	// ErrBadCountryCode: "+" or "00" is followed by digits that start no
	// country calling code (for example "+0…" or "+999…").
	ErrBadCountryCode = errors.New("numbers: unknown country code")

	// ErrBadShortCode: "*" or "#" in something that is not a short or
	// feature code: too long, or with a country code.
	ErrBadShortCode = errors.New("numbers: '*' or '#' outside a short code")
)

// InputError explains why an input is not a dialable number. Error() keeps
// the technical detail for the log; Sentence gives the agent a sentence in
// their language.
type InputError struct {
	// Err is one of the package's sentinel errors.
	Err error
	// Input is the agent's input, trimmed and cut to 64 characters.
	Input string
	// Fragment is the offending part, when there is one: the characters
	// that are not digits, the SIP URI, the country code digits.
	Fragment string
	// Count is the number of digits found, for ErrTooLong and ErrTooShort.
	Count int
	// Limit is the bound that Count broke, for ErrTooLong and ErrTooShort.
	Limit int
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if e.Fragment != "" {
		fmt.Fprintf(&b, ": %q", e.Fragment)
	}
	if e.Limit != 0 {
		fmt.Fprintf(&b, " (%d digits, limit %d)", e.Count, e.Limit)
	}
	if e.Input != "" {
		fmt.Fprintf(&b, " in %q", e.Input)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrNotANumber) and the like work.
func (e *InputError) Unwrap() error { return e.Err }

// Sentence returns what the agent reads. lang "en" (or any "en-…") gives
// English; anything else gives Chinese, the product's first language.
func (e *InputError) Sentence(lang string) string {
	en := isEnglish(lang)
	switch e.Err {
	case ErrEmpty:
		if en {
			return "No number was entered. Type the number to call."
		}
		return "没有输入号码。请输入要拨打的号码。"
	case ErrNotANumber:
		if en {
			return fmt.Sprintf("The number contains characters that are not digits: “%s”. Check it and type it again.", e.Fragment)
		}
		return fmt.Sprintf("号码里有不是数字的字符：“%s”。请检查后重新输入。", e.Fragment)
	case ErrSIPURI:
		if en {
			return fmt.Sprintf("“%s” is a SIP address, not a phone number. Dial it as a SIP address, or enter just the number.", e.Fragment)
		}
		return fmt.Sprintf("“%s”是 SIP 地址，不是电话号码。请按 SIP 地址拨打，或只输入号码。", e.Fragment)
	case ErrTooLong:
		if e.Limit == 0 {
			if en {
				return "What was pasted is far too long to be a phone number. Check that nothing extra was copied."
			}
			return "粘贴的内容太长，不像电话号码。请检查是否多复制了内容。"
		}
		if en {
			return fmt.Sprintf("The number is too long (%d digits; at most %d). Check that nothing extra was pasted.", e.Count, e.Limit)
		}
		return fmt.Sprintf("号码太长（%d 位，最多 %d 位）。请检查是否多粘贴了内容。", e.Count, e.Limit)
	case ErrTooShort:
		if en {
			return fmt.Sprintf("The number is too short (%d digits; at least %d). Enter the whole number.", e.Count, e.Limit)
		}
		return fmt.Sprintf("号码太短（%d 位，至少 %d 位）。请输入完整的号码。", e.Count, e.Limit)
	case ErrMisplacedPlus:
		if en {
			return "A plus sign “+” may appear only once, at the start of the number."
		}
		return "加号“+”只能出现一次，而且必须写在号码最前面。"
	case ErrBadCountryCode:
		if en {
			return fmt.Sprintf("There is no country code “+%s”. Check the start of the number.", e.Fragment)
		}
		return fmt.Sprintf("国家代码“+%s”不存在。请检查号码开头的国家代码。", e.Fragment)
	case ErrBadShortCode:
		if en {
			return "“*” and “#” can only be used in short or feature codes (at most 12 characters, no country code)."
		}
		return "“*”和“#”只能用在短号或功能码里（最多 12 位，不能带国家代码）。"
	}
	if en {
		return "This is not a number that can be dialled."
	}
	return "这不是可以拨打的号码。"
}

// isEnglish reports whether lang asks for English ("en", "en-US", "en_GB").
func isEnglish(lang string) bool {
	return len(lang) >= 2 && strings.EqualFold(lang[:2], "en")
}
