package wire

import (
	"crypto/aes"
	"encoding/base64"
	"fmt"
	"strings"
)

// Encrypted numbers (§8). The seed leaves the scheme to an agreement
// between the customer and Emicnet; agentbar's choice (callNumType
// "encrypt"): AES with the account's key (16, 24 or 32 bytes) in ECB mode,
// PKCS#7 padding, base64url without padding (standard base64 and padding
// are accepted). An 11-digit number gives 22 characters, the shape of the
// seed's example 'opwmRvGhOcGMXRZSp_moOQ'.

// EncryptType is the callNumType agentbar passes for encrypted numbers.
const EncryptType = "encrypt"

// DecryptError is a number that did not decrypt to digits. Decrypted is
// the decrypted string when the AES step worked (the seed: call() returns
// it "便于调试查找问题"); it unwraps to ErrNotDigits or ErrUndecryptable.
type DecryptError struct {
	Decrypted string
	Err       error
}

func (e *DecryptError) Error() string {
	if e.Decrypted != "" || e.Err == ErrNotDigits {
		return fmt.Sprintf("%v: %q", e.Err, e.Decrypted)
	}
	return e.Err.Error()
}

func (e *DecryptError) Unwrap() error { return e.Err }

// Sentence tells the agent the number could not be used; the decrypted
// string stays in the log.
func (e *DecryptError) Sentence(lang string) string {
	return pick(lang, "加密号码解密失败，未呼出。请联系管理员核对加密密钥。",
		"The encrypted number did not decrypt; the call was not placed. Ask the administrator to check the encryption key.")
}

// Encrypt is the platform's (and the tests') side: number → base64url.
func Encrypt(key []byte, number string) (string, error) {
	block, err := newCipher(key)
	if err != nil {
		return "", err
	}
	size := block.BlockSize()
	pad := size - len(number)%size
	buf := make([]byte, len(number)+pad)
	copy(buf, number)
	for i := len(number); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	for i := 0; i < len(buf); i += size {
		block.Encrypt(buf[i:i+size], buf[i:i+size])
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// Decrypt turns an encrypted number into the digits to dial. When the
// result is not all digits it fails with a *DecryptError holding the
// decrypted string (ErrNotDigits); when the text is not base64 of whole
// blocks or the padding is wrong, with a *DecryptError for ErrUndecryptable
// (Decrypted then holds the raw text for a padding fault). A bad key is
// ErrBadKey.
func Decrypt(key []byte, s string) (string, error) {
	block, err := newCipher(key)
	if err != nil {
		return "", err
	}
	if len(s) > MaxNumberLength {
		return "", &DecryptError{Err: fmt.Errorf("%w: %d characters", ErrUndecryptable, len(s))}
	}
	raw, err := decodeBase64(s)
	size := block.BlockSize()
	if err != nil || len(raw) == 0 || len(raw)%size != 0 {
		return "", &DecryptError{Err: ErrUndecryptable}
	}
	for i := 0; i < len(raw); i += size {
		block.Decrypt(raw[i:i+size], raw[i:i+size])
	}
	pad := int(raw[len(raw)-1])
	if pad == 0 || pad > size || !allBytes(raw[len(raw)-pad:], byte(pad)) {
		return "", &DecryptError{Decrypted: strings.ToValidUTF8(string(raw), "\uFFFD"), Err: ErrUndecryptable}
	}
	plain := string(raw[:len(raw)-pad])
	if !IsDigits(plain) {
		return "", &DecryptError{Decrypted: strings.ToValidUTF8(plain, "\uFFFD"), Err: ErrNotDigits}
	}
	return plain, nil
}

func newCipher(key []byte) (interface {
	BlockSize() int
	Encrypt(dst, src []byte)
	Decrypt(dst, src []byte)
}, error) {
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, fmt.Errorf("%w (got %d)", ErrBadKey, len(key))
	}
	return aes.NewCipher(key)
}

// decodeBase64 accepts base64url or standard base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if strings.ContainsAny(s, "+/") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}

func allBytes(b []byte, v byte) bool {
	for _, c := range b {
		if c != v {
			return false
		}
	}
	return true
}
