package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// readBody reads a request body, at most MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, errTooLarge()
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errTooLarge()
	case err != nil:
		return nil, &RequestError{Status: http.StatusBadRequest, Code: CodeMalformedRequest,
			Detail: "reading body: " + err.Error(),
			ZH:     "请求没有完整送达。", EN: "The request did not arrive completely."}
	}
	return b, nil
}

func errTooLarge() *RequestError {
	return &RequestError{Status: http.StatusRequestEntityTooLarge, Code: CodeBodyTooLarge,
		Detail: fmt.Sprintf("body larger than %d bytes", MaxBodyBytes),
		ZH:     "请求太大（上限 1 MiB）。", EN: "The request is too large (the limit is 1 MiB)."}
}

// decodeStrict reads one JSON object into v. An empty body or null is an
// empty object. Unknown fields, wrong types and anything after the object
// are refused with a sentence that says what is wrong.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, v)
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("trailing data after the JSON object",
			"请求体在 JSON 对象之后还有多余内容。", "The request body has extra data after the JSON object.")
	}
	return nil
}

func malformed(detail, zh, en string) *RequestError {
	return &RequestError{Status: http.StatusBadRequest, Code: CodeMalformedRequest, Detail: detail, ZH: zh, EN: en}
}

// decodeError explains a json error in words an integrator can act on.
func decodeError(err error, v any) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		return malformed(err.Error(),
			fmt.Sprintf("请求不是合法的 JSON（第 %d 个字节附近）。", syntax.Offset),
			fmt.Sprintf("The request body is not valid JSON (near byte %d).", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed(err.Error(), "请求的 JSON 不完整。", "The request JSON is incomplete.")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return malformed(err.Error(), "请求体必须是一个 JSON 对象。", "The request body must be a JSON object.")
		}
		zh, en := jsonKind(typ.Type)
		return malformed(err.Error(),
			fmt.Sprintf("参数“%s”的类型不对：应为%s，收到的是 %s。", typ.Field, zh, typ.Value),
			fmt.Sprintf("The argument \"%s\" must be %s, not %s.", typ.Field, en, typ.Value))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		known := strings.Join(jsonFields(v), ", ")
		return malformed(err.Error(),
			fmt.Sprintf("请求里有未知参数“%s”（可用的参数：%s）。", name, known),
			fmt.Sprintf("The request has an unknown argument \"%s\" (known: %s).", name, known))
	}
	return malformed(err.Error(), "请求无法解析："+err.Error(), "The request cannot be read: "+err.Error())
}

// jsonKind names a Go type the way a JSON writer thinks of it, in Chinese
// and English.
func jsonKind(t reflect.Type) (zh, en string) {
	if t == nil {
		return "其他类型", "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "字符串", "a string"
	case reflect.Bool:
		return " true 或 false", "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "数字", "a number"
	case reflect.Map, reflect.Struct:
		return "对象", "an object"
	case reflect.Slice, reflect.Array:
		return "列表", "a list"
	}
	return t.String(), t.String()
}

// jsonFields lists the JSON names of a request struct's fields.
func jsonFields(v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		names = append(names, name)
	}
	return names
}
