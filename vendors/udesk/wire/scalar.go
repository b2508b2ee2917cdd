package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The SDK is JavaScript: the same field may arrive as "101" or 101, true or
// "true". Decoding is lenient where the document itself is inconsistent;
// encoding is exact, so the simulator produces the document's examples.

// FlexString is a string on the wire that a server may also send as a number.
// It always encodes as a string.
type FlexString string

// UnmarshalJSON accepts a string, a number, or null ("").
func (s *FlexString) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	*s = FlexString(v)
	return nil
}

// NumOrString is a code the document writes as a number when it is one
// (sub-state 101, IVR node id 1) and as a string otherwise ("idle").
// Digits encode as a JSON number, anything else as a string.
type NumOrString string

// MarshalJSON writes digits as a number.
func (s NumOrString) MarshalJSON() ([]byte, error) {
	if isPlainInteger(string(s)) {
		return []byte(s), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON accepts a string, a number, or null ("").
func (s *NumOrString) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	*s = NumOrString(v)
	return nil
}

// FlexBool is a boolean a server may send as "true", 1 or "1".
type FlexBool bool

// UnmarshalJSON accepts true/false, "true"/"false", 1/0, "1"/"0", null (false).
func (f *FlexBool) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1":
		*f = true
	case "false", "0", "":
		*f = false
	default:
		return fmt.Errorf("%w: %q is not a boolean", ErrMalformedFrame, v)
	}
	return nil
}

// FlexInt is an integer a server may send as a string.
type FlexInt int64

// UnmarshalJSON accepts 60, "60", 60.0 and null (0).
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		*n = 0
		return nil
	}
	if i, err := strconv.ParseInt(v, 10, 64); err == nil {
		*n = FlexInt(i)
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != float64(int64(f)) {
		return fmt.Errorf("%w: %q is not an integer", ErrMalformedFrame, v)
	}
	*n = FlexInt(int64(f))
	return nil
}

// scalarText reads a JSON string, number, boolean or null as text.
func scalarText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return "", fmt.Errorf("%w: empty value", ErrMalformedFrame)
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", fmt.Errorf("%w: %v", ErrMalformedFrame, err)
		}
		return s, nil
	case string(b) == "null":
		return "", nil
	case string(b) == "true" || string(b) == "false":
		return string(b), nil
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		var num json.Number
		if err := json.Unmarshal(b, &num); err != nil {
			return "", fmt.Errorf("%w: %v", ErrMalformedFrame, err)
		}
		return num.String(), nil
	}
	return "", fmt.Errorf("%w: %.20s is not a scalar", ErrMalformedFrame, b)
}

func isPlainInteger(s string) bool {
	if s == "" || len(s) > 15 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
