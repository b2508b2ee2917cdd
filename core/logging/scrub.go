package logging

import "strings"

// Mask replaces every redacted value.
const Mask = "[redacted]"

// quotedMask replaces a non-string JSON value under a secret key, so that
// the JSON stays valid.
const quotedMask = `"` + Mask + `"`

// fullWidthColon is how Chinese text writes "密码：123456".
const fullWidthColon = "："

// maxKeyScan bounds how far a key or a URL's user:password is looked for
// around a separator, which keeps scrubbing linear in hostile text.
const maxKeyScan = 128

// maxPasswordScan bounds the search for the "@" after a URL's password.
// Longer passwords are left to the registered-secret rule.
const maxPasswordScan = 64

// scrubPatterns masks the values of secret-looking key/value pairs, header
// lines, bearer tokens and URL passwords in s (rule 2 of the package doc).
// It returns s itself, without allocating, when nothing matched.
func scrubPatterns(s string) string {
	w := rewriter{src: s}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '=' || c == ':':
			if next, ok := w.pair(i, 1); ok {
				i = next
				continue
			}
		case c == 0xEF && strings.HasPrefix(s[i:], fullWidthColon):
			if next, ok := w.pair(i, len(fullWidthColon)); ok {
				i = next
				continue
			}
		case c == 'b' || c == 'B':
			if next, ok := w.bearer(i); ok {
				i = next
				continue
			}
		}
		i++
	}
	return w.result()
}

// rewriter builds the scrubbed copy of src lazily: out stays nil until the
// first replacement.
type rewriter struct {
	src    string
	out    []byte
	copied int // src[:copied] has been handled
}

// replace substitutes mask for src[start:end]. Replacements must come in
// increasing, non-overlapping order.
func (w *rewriter) replace(start, end int, mask string) {
	if start < w.copied || end < start {
		return // overlapping a span already replaced: keep the first
	}
	if w.out == nil {
		w.out = make([]byte, 0, len(w.src)+len(Mask))
	}
	w.out = append(w.out, w.src[w.copied:start]...)
	w.out = append(w.out, mask...)
	w.copied = end
}

func (w *rewriter) result() string {
	if w.out == nil {
		return w.src
	}
	return string(append(w.out, w.src[w.copied:]...))
}

// pair handles the separator of width sepLen at p. It reports the index to
// continue scanning at and whether it consumed anything.
func (w *rewriter) pair(p, sepLen int) (int, bool) {
	s := w.src
	// The key, right to left: blanks, an optional (escaped) quote, key bytes.
	k1 := p
	for k1 > 0 && isBlank(s[k1-1]) {
		k1--
	}
	quotedKey := false
	if k1 > 0 && (s[k1-1] == '"' || s[k1-1] == '\'') {
		quotedKey = true
		k1--
		if k1 > 0 && s[k1-1] == '\\' {
			k1--
		}
	}
	k0 := k1
	for k0 > 0 && k1-k0 < maxKeyScan && isKeyByte(s[k0-1]) && !strings.HasSuffix(s[:k0], fullWidthColon) {
		k0--
	}
	if k0 > 0 && k0 < k1 && s[k0-1] == '\\' && (s[k0] == 'n' || s[k0] == 'r' || s[k0] == 't') {
		k0++ // an escaped "\n" before the key is a line break, not part of it
	}
	if k0 == k1 {
		return 0, false
	}
	key := s[k0:k1]
	v := p + sepLen

	if s[p] == ':' && !quotedKey {
		if strings.HasPrefix(s[v:], "//") {
			return 0, false // "scheme://": the userinfo check comes at the next ':'
		}
		if at := userinfoEnd(s, k0, v); at > v {
			w.replace(v, at, Mask)
			return at, true
		}
	}
	if !isSensitiveKey(key) {
		return 0, false
	}
	for v < len(s) && isBlank(s[v]) {
		v++
	}
	if v >= len(s) {
		return 0, false
	}
	inString := k0 > 0 && s[k0-1] == '"' // e.g. a header line inside a JSON string

	switch {
	case s[v] == '"' || s[v] == '\'':
		end := closingQuote(s, v+1, s[v])
		if end < 0 {
			// Unterminated: hide the rest (stopping at the line would make
			// many such lines cost quadratic time).
			w.replace(v+1, len(s), Mask)
			return len(s), true
		}
		w.replace(v+1, end, Mask)
		return end + 1, true
	case s[v] == '\\' && v+1 < len(s) && s[v+1] == '"':
		// JSON inside a JSON string: \"password\":\"x\"
		end := strings.Index(s[v+2:], `\"`)
		if end < 0 {
			w.replace(v+2, len(s), Mask)
			return len(s), true
		}
		end += v + 2
		w.replace(v+2, end, Mask)
		return end + 2, true
	case s[v] == '{' || s[v] == '[':
		end := matchBracket(s, v)
		if end < 0 {
			end = len(s) // unterminated: hide the rest
		}
		if quotedKey {
			w.replace(v, end, quotedMask)
		} else {
			w.replace(v, end, Mask)
		}
		return end, true
	}

	if s[p] != '=' && !quotedKey {
		if isAuthHeader(key) {
			return w.authValue(v, inString), true
		}
		if atLineStart(s, k0) {
			// "X-Auth-Token: abc", "Cookie: a=1; b=2": the whole line.
			end := lineEnd(s, v, inString)
			w.replace(v, end, Mask)
			return end, true
		}
	}
	end := v
	for end < len(s) && !isValueDelim(s[end]) {
		end++
	}
	if end == v {
		return 0, false
	}
	if quotedKey {
		w.replace(v, end, quotedMask) // a JSON number, true, null …
	} else {
		w.replace(v, end, Mask)
	}
	return end, true
}

// authValue masks the value of an Authorization-like header starting at v:
// a Digest header keeps its harmless parameters, any other scheme (Basic,
// Bearer, …) loses everything after the scheme name.
func (w *rewriter) authValue(v int, inString bool) int {
	s := w.src
	e := v
	for e < len(s) && isLetter(s[e]) {
		e++
	}
	if strings.EqualFold(s[v:e], "digest") {
		return w.digestParams(e)
	}
	start := e
	for start < len(s) && isBlank(s[start]) {
		start++
	}
	if start == e && e != v {
		start = v // no blank after the word: it was the credential itself
	}
	end := lineEnd(s, start, inString)
	if end > start {
		w.replace(start, end, Mask)
	}
	return end
}

// digestParams walks name=value parameters of a Digest header from i to the
// end of the line and masks every value but the harmless ones.
func (w *rewriter) digestParams(i int) int {
	s := w.src
	for {
		for i < len(s) && (isBlank(s[i]) || s[i] == ',') {
			i++
		}
		if i >= len(s) || isLineBreak(s, i) {
			return i
		}
		n0 := i
		for i < len(s) && isKeyByte(s[i]) {
			i++
		}
		name := s[n0:i]
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		if name == "" || i >= len(s) || s[i] != '=' {
			return i
		}
		i++
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		var vStart, vEnd, next int
		switch {
		case i < len(s) && s[i] == '"':
			vStart = i + 1
			vEnd = closingQuote(s, vStart, '"')
			if vEnd < 0 {
				w.replace(vStart, len(s), Mask)
				return len(s)
			}
			next = vEnd + 1
		case strings.HasPrefix(s[i:], `\"`):
			vStart = i + 2
			vEnd = strings.Index(s[vStart:], `\"`)
			if vEnd < 0 {
				w.replace(vStart, len(s), Mask)
				return len(s)
			}
			vEnd += vStart
			next = vEnd + 2
		default:
			vStart = i
			vEnd = i
			for vEnd < len(s) && s[vEnd] != ',' && !isBlank(s[vEnd]) && !isLineBreak(s, vEnd) && s[vEnd] != '"' {
				vEnd++
			}
			next = vEnd
		}
		if vEnd > vStart && !isHarmlessDigestParam(name) {
			w.replace(vStart, vEnd, Mask)
		}
		i = next
	}
}

// bearer masks the token of "Bearer <token>" starting at i.
func (w *rewriter) bearer(i int) (int, bool) {
	s := w.src
	const word = "bearer"
	if i > 0 && isKeyByte(s[i-1]) || len(s)-i < len(word)+2 || !strings.EqualFold(s[i:i+len(word)], word) {
		return 0, false
	}
	j := i + len(word)
	if !isBlank(s[j]) {
		return 0, false
	}
	for j < len(s) && isBlank(s[j]) {
		j++
	}
	end := j
	for end < len(s) && isTokenByte(s[end]) {
		end++
	}
	if end == j {
		return 0, false
	}
	w.replace(j, end, Mask)
	return end, true
}

// userinfoEnd finds the "@" that ends a password in "scheme://user:pw@host"
// or "sip:user:pw@host", where the user name is s[k0:v-1]. It returns -1
// when there is none.
func userinfoEnd(s string, k0, v int) int {
	if !(k0 >= 2 && s[k0-2:k0] == "//" ||
		k0 >= 4 && strings.EqualFold(s[k0-4:k0], "sip:") ||
		k0 >= 5 && strings.EqualFold(s[k0-5:k0], "sips:")) {
		return -1
	}
	for i := v; i < len(s) && i-v < maxPasswordScan; i++ {
		switch s[i] {
		case '@':
			return i
		case '/', '?', '#', ' ', '\t', '\r', '\n', '"', '\'', '<', '>':
			return -1
		}
	}
	return -1
}

// closingQuote returns the index of the first q at or after from that is
// not escaped by a backslash, or -1.
func closingQuote(s string, from int, q byte) int {
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return -1
}

// matchBracket returns the index just after the bracket that closes the one
// at open, skipping JSON strings, or -1.
func matchBracket(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			end := closingQuote(s, i+1, '"')
			if end < 0 {
				return -1
			}
			i = end
		}
	}
	return -1
}

// lineEnd returns where the line that contains from ends: at CR, LF, an
// escaped "\r" or "\n", and, inside a quoted string, at the closing quote.
func lineEnd(s string, from int, inString bool) int {
	for i := from; i < len(s); i++ {
		if isLineBreak(s, i) || inString && s[i] == '"' {
			return i
		}
	}
	return len(s)
}

func isLineBreak(s string, i int) bool {
	switch s[i] {
	case '\r', '\n':
		return true
	case '\\':
		return i+1 < len(s) && (s[i+1] == 'r' || s[i+1] == 'n')
	}
	return false
}

// atLineStart reports whether the key starting at k0 begins a line.
func atLineStart(s string, k0 int) bool {
	return k0 == 0 || s[k0-1] == '\n' || s[k0-1] == '\r' ||
		k0 >= 2 && s[k0-2] == '\\' && (s[k0-1] == 'n' || s[k0-1] == 'r')
}

func isAuthHeader(key string) bool {
	return strings.EqualFold(key, "authorization") || strings.EqualFold(key, "proxy-authorization") ||
		strings.EqualFold(key, "www-authenticate") || strings.EqualFold(key, "proxy-authenticate")
}

// isHarmlessDigestParam names the Digest parameters kept in the log: what
// one needs to see why a registration is refused, nothing that helps to
// guess the password.
func isHarmlessDigestParam(name string) bool {
	switch strings.ToLower(name) {
	case "username", "realm", "uri", "algorithm", "qop", "nc", "stale", "domain":
		return true
	}
	return false
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isValueDelim ends an unquoted value: query strings, %+v structs, prose.
func isValueDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '&', ',', ';', '"', '\'', '}', ']', ')', '<', '>', '\\':
		return true
	}
	return false
}

// isTokenByte: RFC 6750 b64token characters.
func isTokenByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '='
}
