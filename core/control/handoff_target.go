package control

import (
	"net/url"
	"strings"
	"unicode"
)

// maxHandoffTarget bounds a handed-off number or URI.
const maxHandoffTarget = 256

// HandoffTarget turns what `agentbar dial`, a tel:/callto: link or a sip:
// link gave into a dial target: tel: and callto: (with or without "//")
// are stripped along with their ;parameters and ?query, and the rest is
// URL-decoded ("%2B86" → "+86"; '+' stays '+'); sip: and sips: URIs are
// kept whole. Anything else is taken as typed. Normalising the number
// is the engine's job.
func HandoffTarget(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "sip:"), strings.HasPrefix(lower, "sips:"):
		// a URI: its parameters and escapes belong to it
	case strings.HasPrefix(lower, "tel:"), strings.HasPrefix(lower, "callto:"):
		_, s, _ = strings.Cut(s, ":")
		s = strings.TrimPrefix(s, "//")
		s, _, _ = strings.Cut(s, "?")
		s, _, _ = strings.Cut(s, ";")
		s = strings.TrimSuffix(s, "/")
		dec, err := url.PathUnescape(s)
		if err != nil {
			return "", &ArgumentError{Field: "target",
				ZH: "号码链接的编码有误。", EN: "The number link is not properly encoded."}
		}
		s = strings.TrimSpace(dec)
	}
	if s == "" {
		return "", missingArg("target")
	}
	if len(s) > maxHandoffTarget {
		return "", &ArgumentError{Field: "target",
			ZH: "号码太长（最多 256 个字符）。", EN: "The number is too long (at most 256 characters)."}
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) {
		return "", &ArgumentError{Field: "target",
			ZH: "号码里有无法识别的字符。", EN: "The number contains characters that cannot be dialled."}
	}
	return s, nil
}
