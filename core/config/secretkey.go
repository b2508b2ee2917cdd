package config

import (
	"strings"
	"unicode"
)

// secretWords are whole words of a key that mark it as a secret.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "passwort": true, "pwd": true, "pass": true,
	"passphrase": true, "passcode": true, "pin": true,
	"secret": true, "token": true, "credential": true, "credentials": true,
	"authorization": true, "apikey": true, "privatekey": true, "accesskey": true,
	"secretkey": true, "signature": true, "cookie": true,
	"mima": true, "口令": true, "密码": true, "密钥": true, "令牌": true,
}

// secretPairs are two adjacent words that together name a secret:
// "api_key", "private key", "AccessKey".
var secretPairs = map[[2]string]bool{
	{"api", "key"}: true, {"private", "key"}: true, {"access", "key"}: true,
	{"secret", "key"}: true, {"app", "key"}: true, {"auth", "key"}: true,
	{"session", "id"}: true, {"auth", "code"}: true,
}

// publicTails end keys that are about a secret without holding one:
// "token_url", "password_policy", "token_expires".
var publicTails = map[string]bool{
	"url": true, "uri": true, "endpoint": true, "host": true, "domain": true,
	"path": true, "mode": true, "type": true, "policy": true, "expires": true,
	"expiry": true, "ttl": true, "length": true, "len": true, "hint": true,
}

// secretFragments catch run-together keys without word breaks
// ("sippassword", "accounttoken").
var secretFragments = []string{
	"password", "passwd", "pwd", "secret", "token", "passphrase", "credential",
	"apikey", "privatekey", "accesskey", "密码", "口令", "密钥", "令牌",
}

// LooksLikeSecret reports whether an account field key names a password,
// token or other secret, which must go to the keyring instead of
// accounts.toml. It splits the key into words (camelCase, snake_case,
// kebab-case, dots, spaces) and errs on the side of "secret": a false alarm
// costs a rename, a miss leaks a password to disk. Keys that end in a word
// such as url, host, type or expires ("token_url") are about a secret, not
// one, and pass.
func LooksLikeSecret(key string) bool {
	words := keyWords(key)
	if len(words) > 1 && publicTails[words[len(words)-1]] {
		return false
	}
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		if i > 0 && secretPairs[[2]string{words[i-1], w}] {
			return true
		}
	}
	joined := strings.Join(words, "")
	for _, f := range secretFragments {
		if strings.Contains(joined, f) {
			return true
		}
	}
	return false
}

// keyWords splits a key into lower-case words: "sipPwd" → [sip pwd],
// "AccountSID" → [account sid], "api_key" → [api key], "X-Auth-Token" →
// [x auth token].
func keyWords(key string) []string {
	var (
		words []string
		cur   []rune
	)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(key)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0:
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			// "sipPwd": a lower letter before the capital starts a word;
			// "SIPPwd": a capital followed by a lower one starts a word.
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}
