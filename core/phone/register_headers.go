package phone

import (
	"fmt"
	"slices"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// writtenByRegister tells whether a REGISTER gets the header called name
// (lower case; compact forms too) from this package: Config.RegisterHeaders
// cannot replace those.
func writtenByRegister(name string) bool {
	switch name {
	case "via", "v", "from", "f", "to", "t", "call-id", "i", "cseq", "contact", "m",
		"expires", "max-forwards", "route", "record-route", "content-length", "l",
		"content-type", "c", "authorization", "proxy-authorization", "allow",
		"supported", "k", "user-agent":
		return true
	}
	return false
}

// checkRegisterHeaders validates Config.RegisterHeaders and sorts them by
// name, so that every REGISTER carries them in the same order.
func checkRegisterHeaders(h map[string]string) ([]headerField, error) {
	out := make([]headerField, 0, len(h))
	for name, value := range h {
		if !isToken(name) {
			return nil, fmt.Errorf("%w: register header name %q is not a SIP token", ErrInvalidConfig, name)
		}
		if writtenByRegister(strings.ToLower(name)) {
			return nil, fmt.Errorf("%w: register header %q is written by the phone itself", ErrInvalidConfig, name)
		}
		if strings.ContainsFunc(value, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }) {
			return nil, fmt.Errorf("%w: register header %s: value %q holds a control character", ErrInvalidConfig, name, value)
		}
		out = append(out, headerField{name, strings.TrimSpace(value)})
	}
	slices.SortFunc(out, func(a, b headerField) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// isToken tells whether s is an RFC 3261 token (§25.1), what a header
// name is made of.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-.!%*_+`'~", r):
		default:
			return false
		}
	}
	return true
}

// appendRegisterHeaders puts Config.RegisterHeaders on a REGISTER.
func (p *Phone) appendRegisterHeaders(req *sip.Request) {
	for _, h := range p.cfg.registerHeaders {
		req.AppendHeader(sip.NewHeader(h.name, h.value))
	}
}
