package control

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"agentbar/core"
)

// TestErrorReplies drives each refusal through the real server and checks
// status, code and that the sentences are the ones the agent should read.
func TestErrorReplies(t *testing.T) {
	type check struct {
		status int
		code   string
		zh, en string // substrings of message_zh / message_en
	}
	tests := []struct {
		name  string
		setup func(h *harness) // runs on a logged-out full-platform harness
		opts  []func(*harnessConfig)
		do    func(h *harness) reply
		want  check
	}{
		{"not logged in", nil, nil,
			func(h *harness) reply { return h.do("POST", "hold", `{}`) },
			check{409, CodeNotLoggedIn, "还没有登录", "not signed in"}},
		{"already logged in", (*harness).login, nil,
			func(h *harness) reply { return h.do("POST", "login", `{}`) },
			check{409, CodeAlreadyLoggedIn, "已经登录", "already signed in"}},
		{"no such call", (*harness).login, nil,
			func(h *harness) reply { return h.do("POST", "hold", `{"call":"nope"}`) },
			check{404, CodeNoSuchCall, "已经结束或不存在", "has ended or does not exist"}},
		{"no current call", (*harness).login, nil,
			func(h *harness) reply { return h.do("POST", "hangup", ``) },
			check{404, CodeNoSuchCall, "已经结束或不存在", "has ended or does not exist"}},
		{"not supported (call action)", func(h *harness) { h.login(); h.ringing("p1") }, []func(*harnessConfig){withPlatform("basic")},
			func(h *harness) reply { return h.do("POST", "hold", `{}`) },
			check{501, CodeNotSupported, "不支持", "does not support"}},
		{"not supported (list)", (*harness).login, []func(*harnessConfig){withPlatform("basic")},
			func(h *harness) reply { return h.do("GET", "agents", ``) },
			check{501, CodeNotSupported, "不支持", "does not support"}},
		{"not allowed now", func(h *harness) { h.login(); h.ringing("p1") }, nil,
			func(h *harness) reply { return h.do("POST", "hold", `{}`) },
			check{409, CodeNotAllowedNow, "现在不能保持", "cannot hold right now"}},
		{"invalid argument from the engine", func(h *harness) { h.login(); h.talking("p1") }, nil,
			func(h *harness) reply { return h.do("POST", "dtmf", `{"digits":"xyz"}`) },
			check{400, CodeInvalidArgument, "digits must be", "digits must be"}},
		{"missing argument", (*harness).login, nil,
			func(h *harness) reply { return h.do("POST", "dial", `{"caller_id":"1"}`) },
			check{400, CodeInvalidArgument, "缺少参数“target”", `"target" is missing`}},
		{"bad choice", (*harness).login, nil,
			func(h *harness) reply { return h.do("POST", "transfer", `{"kind":"moon","target":"1"}`) },
			check{400, CodeInvalidArgument, "agent, number, queue, ivr", "agent, number, queue, ivr"}},
		{"unknown break code", (*harness).login, nil,
			func(h *harness) reply { return h.do("POST", "state", `{"state":"break","code":"999"}`) },
			check{400, CodeInvalidArgument, "999", "999"}},
		{"backend refusal", nil, nil,
			func(h *harness) reply { return h.do("POST", "login", `{"account":"ghost"}`) },
			check{400, CodeInvalidArgument, "ghost", "ghost"}},
		{"platform error with the platform's sentence", func(h *harness) {
			h.login()
			h.talking("p1")
			h.plat.setFail("hangup", &platformError{zh: "平台说：线路忙。", en: "The platform says: line busy."})
		}, nil,
			func(h *harness) reply { return h.do("POST", "hangup", `{}`) },
			check{502, CodePlatformError, "平台说：线路忙。", "The platform says: line busy."}},
		{"platform error, plain", func(h *harness) {
			h.login()
			h.talking("p1")
			h.plat.setFail("hold", errors.New("HTTP 500 from the CTI server"))
		}, nil,
			func(h *harness) reply { return h.do("POST", "hold", `{}`) },
			check{502, CodePlatformError, "操作失败", "The action failed"}},
		{"timeout", func(h *harness) {
			h.login()
			h.talking("p1")
			blk := make(chan struct{})
			h.t.Cleanup(func() { close(blk) })
			h.plat.setBlock("hold", blk)
		}, []func(*harnessConfig){withCommandTimeout(300 * time.Millisecond)},
			func(h *harness) reply { return h.do("POST", "hold", `{}`) },
			check{504, CodeTimeout, "没有及时响应", "did not answer in time"}},
		{"malformed JSON", nil, nil,
			func(h *harness) reply { return h.do("POST", "dial", `{"target":`) },
			check{400, CodeMalformedRequest, "不完整", "incomplete"}},
		{"syntax error", nil, nil,
			func(h *harness) reply { return h.do("POST", "dial", `{"target" 1}`) },
			check{400, CodeMalformedRequest, "不是合法的 JSON", "not valid JSON"}},
		{"unknown field", nil, nil,
			func(h *harness) reply { return h.do("POST", "dial", `{"target":"1","numbr":"2"}`) },
			check{400, CodeMalformedRequest, "未知参数“numbr”", `unknown argument "numbr" (known: target, caller_id, user_data, num_type)`}},
		{"wrong type", nil, nil,
			func(h *harness) reply { return h.do("POST", "dtmf", `{"digits":12}`) },
			check{400, CodeMalformedRequest, "“digits”的类型不对", `"digits" must be a string, not number`}},
		{"not an object", nil, nil,
			func(h *harness) reply { return h.do("POST", "hold", `["c1"]`) },
			check{400, CodeMalformedRequest, "必须是一个 JSON 对象", "must be a JSON object"}},
		{"oversize body", nil, nil,
			func(h *harness) reply {
				return h.do("POST", "dial", `{"target":"`+strings.Repeat("1", MaxBodyBytes)+`"}`)
			},
			check{413, CodeBodyTooLarge, "太大", "too large"}},
		{"unknown command", nil, nil,
			func(h *harness) reply { return h.do("POST", "teleport", `{}`) },
			check{404, CodeUnknownCommand, "teleport", "teleport"}},
		{"nested path", nil, nil,
			func(h *harness) reply { return h.do("GET", "status/x", ``) },
			check{404, CodeUnknownCommand, "", ""}},
		{"GET on a POST command", nil, nil,
			func(h *harness) reply { return h.do("GET", "dial", ``) },
			check{405, CodeMethodNotAllowed, "POST", "POST"}},
		{"POST on a GET command", nil, nil,
			func(h *harness) reply { return h.do("POST", "status", `{}`) },
			check{405, CodeMethodNotAllowed, "GET", "GET"}},
		{"plain GET on the event stream", nil, nil,
			func(h *harness) reply { return h.do("GET", "events", ``) },
			check{400, CodeMalformedRequest, "WebSocket", "WebSocket"}},
		{"bad history query", nil, nil,
			func(h *harness) reply { return h.do("GET", "history?limit=0", ``) },
			check{400, CodeInvalidArgument, "limit", "limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts...)
			if tt.setup != nil {
				tt.setup(h)
			}
			r := tt.do(h)
			if r.status != tt.want.status || r.str("code") != tt.want.code {
				t.Fatalf("got %d %q, want %d %q: %s", r.status, r.str("code"), tt.want.status, tt.want.code, r.raw)
			}
			if r.body["ok"] != false || r.str("error") == "" {
				t.Errorf("reply %s", r.raw)
			}
			zh, en := r.str("message_zh"), r.str("message_en")
			if !strings.Contains(zh, tt.want.zh) || !strings.Contains(en, tt.want.en) {
				t.Errorf("sentences\n zh %q (want %q)\n en %q (want %q)", zh, tt.want.zh, en, tt.want.en)
			}
			if r.str("message") != zh {
				t.Errorf("message %q is not the zh sentence", r.str("message"))
			}
			if strings.Contains(zh+en, "core:") {
				t.Errorf("technical prefix leaked into a sentence: %q / %q", zh, en)
			}
			if tt.want.status == http.StatusMethodNotAllowed && r.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

func TestMessageFollowsBackendLanguage(t *testing.T) {
	h := newHarness(t, withLang("en"))
	r := h.do("POST", "hold", `{}`)
	if r.str("message") != r.str("message_en") || r.str("message_en") != core.Sentence(core.ErrNotLoggedIn, "en") {
		t.Errorf("reply %s", r.raw)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{core.ErrNotLoggedIn, 409, CodeNotLoggedIn},
		{&core.NotAllowedError{Action: core.ActHold, State: "ringing"}, 409, CodeNotAllowedNow},
		{&core.UnsupportedError{Action: core.ActHold}, 501, CodeNotSupported},
		{&core.OpError{Op: "hold", Err: errors.Join(core.ErrTimeout, context.DeadlineExceeded)}, 504, CodeTimeout},
		{&core.OpError{Op: "hold", Err: errors.New("boom")}, 502, CodePlatformError},
		{&core.OpError{Op: "hold", Err: fmt.Errorf("platform: %w", core.ErrNotAllowedNow)}, 409, CodeNotAllowedNow},
		{fmt.Errorf("%w: down", core.ErrNotConnected), 503, CodeNotConnected},
		{core.ErrClosed, 503, CodeShuttingDown},
		{fmt.Errorf("%w: x", core.ErrUnknownPlatform), 400, CodeUnknownPlatform},
		{&core.FieldError{Platform: "p", Key: "k", Problem: "required"}, 400, CodeInvalidArgument},
		{errors.New("something else"), 500, CodeInternal},
		{errTooLarge(), 413, CodeBodyTooLarge},
		{&core.OpError{Op: "hold", Err: context.Canceled}, 499, CodeCancelled},
	}
	for _, tt := range tests {
		status, code := classify(tt.err)
		if status != tt.status || code != tt.code {
			t.Errorf("classify(%v) = %d %s, want %d %s", tt.err, status, code, tt.status, tt.code)
		}
	}
}
