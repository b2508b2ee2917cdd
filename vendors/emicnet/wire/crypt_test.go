package wire

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
)

var testKeys = map[string][]byte{
	"aes128": []byte("0123456789abcdef"),
	"aes192": []byte("0123456789abcdef01234567"),
	"aes256": []byte("0123456789abcdef0123456789abcdef"),
}

func TestEncryptRoundTrip(t *testing.T) {
	for name, key := range testKeys {
		for _, n := range []string{"13800138000", "10010", "1", "0123456789012345", "01234567890123456789012345678901"} {
			enc, err := Encrypt(key, n)
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(enc, "+/=") {
				t.Errorf("%s: %q is not unpadded base64url", name, enc)
			}
			got, err := Decrypt(key, enc)
			if err != nil || got != n {
				t.Fatalf("%s %s: %q %v", name, n, got, err)
			}
		}
	}
}

// TestSeedEncryptedShape: the seed's example 'opwmRvGhOcGMXRZSp_moOQ' is 22
// base64url characters, one AES block: what an 11-digit mobile number
// encrypts to under the contract's scheme. Without the agreed key it must
// fail as the SDK does: not placed, the decrypted string in the error.
func TestSeedEncryptedShape(t *testing.T) {
	m := regexp.MustCompile(`call\('([^']+)', '([^']+)'\)`).FindStringSubmatch(seed(t, "call.encrypted.txt")[0])
	if m == nil || m[2] != EncryptType {
		t.Fatalf("no encrypted call in the seed excerpt: %v", m)
	}
	example := m[1]
	raw, err := base64.RawURLEncoding.DecodeString(example)
	if err != nil || len(raw) != 16 {
		t.Fatalf("seed example is not one base64url block: %d bytes %v", len(raw), err)
	}
	for name, key := range testKeys {
		enc, err := Encrypt(key, "18300000136")
		if err != nil {
			t.Fatal(err)
		}
		if len(enc) != len(example) {
			t.Errorf("%s: an 11-digit number encrypts to %d characters, the seed's example has %d", name, len(enc), len(example))
		}
		_, err = Decrypt(key, example)
		var de *DecryptError
		if !errors.As(err, &de) || !(errors.Is(err, ErrNotDigits) || errors.Is(err, ErrUndecryptable)) {
			t.Fatalf("%s: the seed's example with a test key: %v", name, err)
		}
	}
}

func TestDecryptFailures(t *testing.T) {
	key := testKeys["aes128"]
	notDigits, _ := Encrypt(key, "1380013800x")
	_, err := Decrypt(key, notDigits)
	var de *DecryptError
	if !errors.As(err, &de) || !errors.Is(err, ErrNotDigits) || de.Decrypted != "1380013800x" {
		t.Fatalf("%v", err)
	}
	if !strings.Contains(err.Error(), "1380013800x") {
		t.Errorf("the decrypted string is not in %q", err)
	}
	if strings.Contains(de.Sentence("zh"), "1380013800x") {
		t.Error("the sentence shows the decrypted string")
	}
	empty, _ := Encrypt(key, "")
	if _, err := Decrypt(key, empty); !errors.Is(err, ErrNotDigits) {
		t.Errorf("empty: %v", err)
	}
	good, _ := Encrypt(key, "10010")
	std := base64.StdEncoding.EncodeToString(mustB64(t, good))
	if n, err := Decrypt(key, std); err != nil || n != "10010" {
		t.Errorf("standard base64: %q %v", n, err)
	}
	for _, bad := range []string{"", "!!!", "abc", good[:len(good)-2], strings.Repeat("A", MaxNumberLength+1)} {
		if _, err := Decrypt(key, bad); !errors.Is(err, ErrUndecryptable) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := Decrypt(testKeys["aes256"], good); !errors.As(err, &de) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := Decrypt([]byte("short"), good); !errors.Is(err, ErrBadKey) {
		t.Errorf("bad key: %v", err)
	}
	if _, err := Encrypt(nil, "1"); !errors.Is(err, ErrBadKey) {
		t.Errorf("nil key: %v", err)
	}
}

func mustB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
