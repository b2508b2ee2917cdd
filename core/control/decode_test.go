package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		body   string
		ok     bool
		zh, en string
	}{
		{"", true, "", ""},
		{"  \n", true, "", ""},
		{"null", true, "", ""},
		{"{}", true, "", ""},
		{`{"call":"c1","digits":"1"}`, true, "", ""},
		{`{`, false, "不完整", "incomplete"},
		{`{"call":}`, false, "第 9 个字节附近", "near byte 9"},
		{`[]`, false, "JSON 对象", "must be a JSON object"},
		{`"x"`, false, "JSON 对象", "must be a JSON object"},
		{`{"call":1}`, false, "“call”的类型不对：应为字符串", `"call" must be a string, not number`},
		{`{"digits":true}`, false, "“digits”", `"digits" must be a string, not bool`},
		{`{"x":1}`, false, "未知参数“x”（可用的参数：call, digits）", `unknown argument "x" (known: call, digits)`},
		{`{} {}`, false, "多余内容", "extra data"},
		{`{}x`, false, "多余内容", "extra data"},
	}
	for _, tt := range tests {
		var req dtmfRequest
		err := decodeStrict([]byte(tt.body), &req)
		if tt.ok {
			if err != nil {
				t.Errorf("%q: %v", tt.body, err)
			}
			continue
		}
		var re *RequestError
		if !errors.As(err, &re) || re.Status != http.StatusBadRequest || re.Code != CodeMalformedRequest {
			t.Errorf("%q: %v", tt.body, err)
			continue
		}
		if !strings.Contains(re.ZH, tt.zh) || !strings.Contains(re.EN, tt.en) {
			t.Errorf("%q: sentences %q / %q, want %q / %q", tt.body, re.ZH, re.EN, tt.zh, tt.en)
		}
	}
}

func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{"", "{}", `{"call":"c1","kind":"agent","target":"1"}`, `{"call":1}`, `{"x":1}`, "[", `{"target":"\u0000"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range []any{&targetRequest{}, &dialRequest{}, &callDataRequest{}, &handoffRequest{}, &emptyRequest{}} {
			err := decodeStrict(body, v)
			if err == nil {
				continue
			}
			var re *RequestError
			if !errors.As(err, &re) || re.Status != http.StatusBadRequest || re.ZH == "" || re.EN == "" {
				t.Fatalf("%q: %v", body, err)
			}
		}
	})
}

// FuzzCommandBody sends garbage to every command through the server's
// handler: it must never panic and never answer 5xx (the engine and
// platform behind it work; only the body is garbage).
func FuzzCommandBody(f *testing.F) {
	h := newHarness(f, loggedIn)
	names := slices.Sorted(maps.Keys(h.srv.routes))
	seeds := []string{"", "{}", "null", "[]", `{"call":""}`, `{"target":"13912345678"}`, `{"state":"break","code":"101"}`,
		`{"kind":"agent","target":"1"}`, `{"data":{"a":"b"}}`, `{"x":1}`, "{", `{"digits":"1"}`, `{"target":"tel:%zz"}`}
	for i := range names {
		for _, s := range seeds {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		name := names[int(which)%len(names)]
		rt := h.srv.routes[name]
		req := httptest.NewRequest(rt.method, "http://127.0.0.1:1/v1/"+name, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+h.token)
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", name, body, rec.Code, rec.Body)
		}
		var reply struct {
			OK      *bool  `json:"ok"`
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &reply); err != nil || reply.OK == nil {
			t.Fatalf("%s %q: reply %q", name, body, rec.Body)
		}
		if !*reply.OK && (reply.Code == "" || reply.Message == "") {
			t.Fatalf("%s %q: error without code or sentence: %s", name, body, rec.Body)
		}
	})
}

func FuzzParseHistoryQuery(f *testing.F) {
	for _, s := range []string{"", "direction=in&missed=1&limit=5", "before=1700000000", "before=2026-11-21T10:00:00Z", "limit=99999999999999999999", "before=-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		hq, err := parseHistoryQuery(q)
		if err != nil {
			var ae *ArgumentError
			if !errors.As(err, &ae) {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		if hq.Limit < 1 || hq.Limit > MaxHistoryLimit {
			t.Fatalf("%q: limit %d", raw, hq.Limit)
		}
	})
}
