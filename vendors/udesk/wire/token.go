package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Token is what the customer's own backend returns to GetToken: the SDK
// resolves `response.data = {appId, timestamp, token}`. The body is either
// {"data": {...}} (the SDK's response.data) or the bare object.
type Token struct {
	AppId     FlexString `json:"appId"`
	Timestamp FlexString `json:"timestamp"`
	Token     string     `json:"token"`
}

// TokenResponse is the wrapped form.
type TokenResponse struct {
	Data *Token `json:"data"`
}

// DecodeToken reads the token backend's body, wrapped or bare.
func DecodeToken(b []byte) (Token, error) {
	if len(b) > MaxFrameSize {
		return Token{}, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, len(b))
	}
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return Token{}, fmt.Errorf("%w: not a JSON object", ErrMalformedToken)
	}
	var wrapped TokenResponse
	if err := json.Unmarshal(t, &wrapped); err != nil {
		return Token{}, fmt.Errorf("%w: %v", ErrMalformedToken, err)
	}
	tok := Token{}
	if wrapped.Data != nil {
		tok = *wrapped.Data
	} else if err := json.Unmarshal(t, &tok); err != nil {
		return Token{}, fmt.Errorf("%w: %v", ErrMalformedToken, err)
	}
	if tok.AppId == "" || tok.Timestamp == "" || tok.Token == "" {
		return Token{}, fmt.Errorf("%w: appId, timestamp and token are required", ErrMalformedToken)
	}
	return tok, nil
}
