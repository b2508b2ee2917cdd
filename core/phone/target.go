package phone

import (
	"fmt"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// parseTarget turns what the agent typed into a Request-URI: a SIP URI as
// given ("sip:bob@host", "bob@host") or a number or user name, which goes
// to the account's domain ("138 0013-8000" → sip:13800138000@domain).
func parseTarget(target string, domain sip.Uri) (sip.Uri, error) {
	t := strings.TrimSpace(target)
	if t == "" {
		return sip.Uri{}, fmt.Errorf("%w: empty", ErrInvalidTarget)
	}
	lower := strings.ToLower(t)
	if !strings.HasPrefix(lower, "sip:") && !strings.HasPrefix(lower, "sips:") {
		if strings.Contains(t, "@") {
			t = "sip:" + t
		} else {
			user := dialString(t)
			if user == "" {
				return sip.Uri{}, fmt.Errorf("%w: %q", ErrInvalidTarget, target)
			}
			return sip.Uri{Scheme: "sip", User: user, Host: domain.Host, Port: domain.Port}, nil
		}
	}
	var u sip.Uri
	if err := sip.ParseUri(t, &u); err != nil || u.Host == "" {
		return sip.Uri{}, fmt.Errorf("%w: %q", ErrInvalidTarget, target)
	}
	if strings.ContainsAny(u.User, " \t<>\"") {
		return sip.Uri{}, fmt.Errorf("%w: %q", ErrInvalidTarget, target)
	}
	return u, nil
}

// dialString keeps what a phone number or a user name may hold, dropping the
// separators people type ("(010) 8888-1234"). Anything else makes it invalid.
func dialString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z',
			r == '+', r == '*', r == '#', r == '_', r == '.', r == '!', r == '~':
			b.WriteRune(r)
		case r == ' ', r == '-', r == '(', r == ')':
		default:
			return ""
		}
	}
	return b.String()
}
