package wire

import "errors"

var (
	// ErrMalformed: a body is not JSON of the contract's shape.
	ErrMalformed = errors.New("emicnet wire: malformed body")
	// ErrTooLarge: a body is over its size limit (MaxHTTPBody, MaxMessageBody).
	ErrTooLarge = errors.New("emicnet wire: body too large")
	// ErrBadKey: an encryption key is not 16, 24 or 32 bytes.
	ErrBadKey = errors.New("emicnet wire: encryption key must be 16, 24 or 32 bytes")
	// ErrUndecryptable: an encrypted number is not base64 of whole AES blocks
	// with valid PKCS#7 padding.
	ErrUndecryptable = errors.New("emicnet wire: number does not decrypt")
	// ErrNotDigits: a number decrypted, but the result holds something other
	// than digits (the seed: the call is not placed; the SDK returns the
	// decrypted string). A *DecryptError carries the string.
	ErrNotDigits = errors.New("emicnet wire: decrypted number is not all digits")
)
