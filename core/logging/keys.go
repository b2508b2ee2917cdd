package logging

// sensitiveParts are matched anywhere in a normalised key (lower case, no
// "_", "-", "." or spaces): "X-Auth-Token" → "xauthtoken" contains "token".
var sensitiveParts = []string{
	"password", "passwd", "pwd", "passphrase", "secret", "token",
	"authorization", "authenticate", "credential", "digest", "response",
	"apikey", "accesskey", "privatekey", "cookie", "signature",
	"密码", "口令", "令牌",
}

// sensitiveWholeKeys match only the whole normalised key: as parts they
// would hit "author", "spin", "design", "monkey".
var sensitiveWholeKeys = []string{"auth", "pass", "pin", "sig", "sign", "key"}

// partsByFirstByte indexes sensitiveParts by their first byte, so that a key
// is tested only against the words that can start at each of its bytes.
var partsByFirstByte = func() (t [256][]string) {
	for _, p := range sensitiveParts {
		t[p[0]] = append(t[p[0]], p)
	}
	return t
}()

// maxKeyLen bounds the work for absurd keys; longer keys are judged on their
// first maxKeyLen normalised bytes.
const maxKeyLen = 64

// isSensitiveKey reports whether an attribute, JSON, query or header key
// names a secret. It does not allocate.
func isSensitiveKey(key string) bool {
	var buf [maxKeyLen]byte
	n := 0
	for i := 0; i < len(key) && n < maxKeyLen; i++ {
		c := key[i]
		switch {
		case c == '_' || c == '-' || c == '.' || c == ' ':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	norm := buf[:n]
	if n < 3 {
		return false
	}
	for _, w := range sensitiveWholeKeys {
		if string(norm) == w {
			return true
		}
	}
	for i, c := range norm {
		for _, p := range partsByFirstByte[c] {
			if len(norm)-i >= len(p) && string(norm[i:i+len(p)]) == p {
				return true
			}
		}
	}
	return false
}

// isKeyByte reports whether c can be part of a key in text
// (query strings, JSON, headers, Go's %+v). Bytes of multi-byte UTF-8
// characters count, so that "密码=…" is seen.
func isKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '-' || c == '.' || c >= 0x80
}
