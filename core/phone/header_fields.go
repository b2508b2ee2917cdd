package phone

import "github.com/emiago/sipgo/sip"

// headerField is one header of a message, kept as text.
type headerField struct {
	name, value string
}

// headerFields is a copy of a message's headers, taken when it arrived:
// sipgo goes on changing its own message (a dialog adds our To tag), and
// whoever asks later must not race with it.
type headerFields []headerField

func snapshotHeaders(m interface{ Headers() []sip.Header }) headerFields {
	hs := m.Headers()
	out := make(headerFields, 0, len(hs))
	for _, h := range hs {
		out = append(out, headerField{h.Name(), h.Value()})
	}
	return out
}

// get is the value of the first header called name (any case), "" when
// there is none.
func (f headerFields) get(name string) string {
	for _, h := range f {
		if equalFoldASCII(h.name, name) {
			return h.value
		}
	}
	return ""
}

// equalFoldASCII compares header names as SIP does: ASCII letters in any
// case, every other byte as is (strings.EqualFold would take any two
// invalid UTF-8 bytes as equal).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Header is a header of the call's first message from the other side: the
// INVITE of an incoming call (e.g. "X-Emic-CcNumber", "X-Callcenter-Call"),
// the answer (2xx) of an outgoing one. The name is matched in any case; the
// first value counts when the header is repeated; "" when it is absent or
// the outgoing call is not answered yet.
func (c *Call) Header(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.firstHeaders.get(name)
}
