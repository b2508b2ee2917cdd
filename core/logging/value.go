package logging

import (
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// redactAttr returns a with its value scrubbed: whole values under secret
// keys, text inside strings, errors, bytes and other values, recursively
// through groups and LogValuers. maskAll masks every value (we are inside a
// group named like a secret).
func (r *Redactor) redactAttr(set *secretSet, a slog.Attr, maskAll bool) slog.Attr {
	a.Key = scrubName(set, a.Key)
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		inner := v.Group()
		sensitive := maskAll || isSensitiveKey(a.Key)
		if a.Key != "" && sensitive && len(inner) > 0 {
			return slog.String(a.Key, Mask)
		}
		out := make([]slog.Attr, len(inner))
		for i, ia := range inner {
			out[i] = r.redactAttr(set, ia, sensitive)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	}
	if maskAll || isSensitiveKey(a.Key) {
		return slog.String(a.Key, Mask)
	}
	return slog.Attr{Key: a.Key, Value: r.redactValue(set, v)}
}

// scrubName masks registered secrets in an attribute or group name (a
// secret used as a key by mistake). Names get only the literal pass: the
// pattern rules are about values.
func scrubName(set *secretSet, name string) string {
	if set == nil || name == "" {
		return name
	}
	out := maskLiterals(name, set.needles)
	if out != name && containsAny(out, set.needles) {
		return Mask
	}
	return out
}

// redactValue scrubs a resolved, non-group value.
func (r *Redactor) redactValue(set *secretSet, v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		s := v.String()
		if t := r.scrubWith(set, s); t != s {
			return slog.StringValue(t)
		}
		return v
	case slog.KindInt64, slog.KindUint64:
		// A numeric password ("12345678") logged as a number.
		if set != nil && len(set.numeric) > 0 {
			var digits string
			if v.Kind() == slog.KindInt64 {
				digits = strconv.FormatInt(v.Int64(), 10)
			} else {
				digits = strconv.FormatUint(v.Uint64(), 10)
			}
			for _, n := range set.numeric {
				if strings.Contains(digits, n) {
					return slog.StringValue(Mask)
				}
			}
		}
		return v
	case slog.KindAny:
		return r.redactAny(set, v.Any())
	}
	return v // bool, float, time, duration: no text to hide
}

// redactAny turns a value of arbitrary type into scrubbed text, choosing the
// text a handler would print: Error() for errors, the bytes themselves,
// MarshalText, String(), else its JSON (kept as JSON), else %+v.
func (r *Redactor) redactAny(set *secretSet, x any) (out slog.Value) {
	defer func() {
		if p := recover(); p != nil {
			// A user type panicked while formatting: print nothing of it.
			out = slog.StringValue(fmt.Sprintf("!PANIC while formatting %T", x))
		}
	}()
	switch x := x.(type) {
	case nil:
		return slog.AnyValue(nil)
	case error:
		return slog.StringValue(r.scrubWith(set, x.Error()))
	case json.RawMessage:
		return r.scrubJSON(set, x)
	case []byte:
		return slog.StringValue(r.scrubWith(set, string(x)))
	case encoding.TextMarshaler:
		text, err := x.MarshalText()
		if err != nil {
			return slog.StringValue("!ERROR " + r.scrubWith(set, err.Error()))
		}
		return slog.StringValue(r.scrubWith(set, string(text)))
	case fmt.Stringer:
		return slog.StringValue(r.scrubWith(set, x.String()))
	}
	if b, err := json.Marshal(x); err == nil {
		return r.scrubJSON(set, b)
	}
	return slog.StringValue(r.scrubWith(set, fmt.Sprintf("%+v", x)))
}

// scrubJSON keeps scrubbed JSON as JSON (json.RawMessage, which the JSON
// handler embeds and the text handler prints), or as a string if masking a
// literal secret broke the syntax.
func (r *Redactor) scrubJSON(set *secretSet, b []byte) slog.Value {
	s := string(b)
	t := r.scrubWith(set, s)
	if json.Valid([]byte(t)) {
		return slog.AnyValue(json.RawMessage(t))
	}
	return slog.StringValue(t)
}
