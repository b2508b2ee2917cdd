package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The SDK is JavaScript: the sample code compares `data.status == '1'`, the
// seed writes gid as a number and the sample passes '0'. Decoding accepts a
// number or a string wherever either may come; encoding is exact, so the
// simulator produces the contract's examples.

// FlexString is a string on the wire that a server may also send as a
// number (ids, codes such as `a`). It always encodes as a string.
type FlexString string

// UnmarshalJSON accepts a string, a number, a boolean or null ("").
func (s *FlexString) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	*s = FlexString(v)
	return nil
}

// FlexInt is an integer a peer may send as a string ("1", 1, 1.0, null → 0).
// It always encodes as a number.
type FlexInt int64

// UnmarshalJSON accepts 60, "60", 60.0, "" and null (0).
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	i, err := parseFlexInt(v)
	if err != nil {
		return err
	}
	*n = FlexInt(i)
	return nil
}

// FlexBool is a boolean a peer may send as "true", 1 or "1".
type FlexBool bool

// UnmarshalJSON accepts true/false, "true"/"false", 1/0, "1"/"0", "" and null (false).
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
		return fmt.Errorf("%w: %q is not a boolean", ErrMalformed, v)
	}
	return nil
}

// Timestamp is a time in Unix seconds that the seed writes as "" while it
// is not known yet (repCallStatus endTime "when the call starts"). Zero
// encodes as "", anything else as a number.
type Timestamp int64

// MarshalJSON writes 0 as "".
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t == 0 {
		return []byte(`""`), nil
	}
	return []byte(strconv.FormatInt(int64(t), 10)), nil
}

// UnmarshalJSON accepts a number, a numeric string, "" and null (0).
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	v, err := scalarText(b)
	if err != nil {
		return err
	}
	i, err := parseFlexInt(v)
	if err != nil {
		return err
	}
	*t = Timestamp(i)
	return nil
}

func parseFlexInt(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	if i, err := strconv.ParseInt(v, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, fmt.Errorf("%w: %q is not an integer", ErrMalformed, v)
	}
	return int64(f), nil
}

// scalarText reads a JSON string, number, boolean or null as text.
func scalarText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return "", fmt.Errorf("%w: empty value", ErrMalformed)
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return s, nil
	case string(b) == "null":
		return "", nil
	case string(b) == "true" || string(b) == "false":
		return string(b), nil
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		var num json.Number
		if err := json.Unmarshal(b, &num); err != nil {
			return "", fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return num.String(), nil
	}
	return "", fmt.Errorf("%w: %.20s is not a scalar", ErrMalformed, b)
}
