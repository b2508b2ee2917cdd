package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"agentbar/core"
)

// ctl runs RunCtlIO and returns exit status, stdout and stderr.
func ctl(t *testing.T, dir, lang, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := RunCtlIO(ctx, args, dir, strings.NewReader(stdin), &out, &errb, lang)
	return code, out.String(), errb.String()
}

func oneLine(t *testing.T, s string) string {
	t.Helper()
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		t.Errorf("stderr is not exactly one line: %q", s)
	}
	return strings.TrimSuffix(s, "\n")
}

func TestCtlStatus(t *testing.T) {
	h := newHarness(t, loggedIn)
	code, out, errOut := ctl(t, h.dir, "zh", "", "status")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var st struct {
		OK       bool   `json:"ok"`
		LoggedIn bool   `json:"logged_in"`
		Platform string `json:"platform"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || !st.OK || !st.LoggedIn || st.Platform != "full" {
		t.Fatalf("stdout %q: %v", out, err)
	}
}

func TestCtlCommandFailure(t *testing.T) {
	h := newHarness(t)
	for _, lang := range []string{"zh", "en", "en_US.UTF-8"} {
		code, out, errOut := ctl(t, h.dir, lang, "", "hold")
		want := core.Sentence(core.ErrNotLoggedIn, normLang(lang))
		if code != ExitFailed || out != "" || oneLine(t, errOut) != want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q (want %q)", lang, code, out, errOut, want)
		}
	}
	code, _, errOut := ctl(t, h.dir, "en", "", "hold", "--debug")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != ExitFailed || len(lines) != 2 || !strings.HasPrefix(lines[1], "detail: ") || !strings.Contains(lines[1], "not_logged_in") {
		t.Errorf("--debug: exit %d, stderr %q", code, errOut)
	}
}

func TestCtlUsageErrors(t *testing.T) {
	h := newHarness(t) // usage is checked before connecting, but a server must not change that
	tests := []struct {
		args   []string
		zh, en string
	}{
		{nil, "缺少命令", "No command given"},
		{[]string{"teleport"}, "没有“teleport”这个命令", `There is no command "teleport"`},
		{[]string{"dial"}, "缺少 TARGET（用法：agentbar ctl dial TARGET [--caller-id ID] [--num-type TYPE]）。", "Missing TARGET (usage: agentbar ctl dial TARGET [--caller-id ID] [--num-type TYPE])."},
		{[]string{"status", "extra"}, "参数太多", "Too many arguments"},
		{[]string{"hold", "--force"}, "不认识选项 --force", "Unknown option --force"},
		{[]string{"dtmf", "1", "--call"}, "选项 --call 需要一个值", "The option --call needs a value"},
		{[]string{"state", "break"}, "缺少 CODE", "Missing CODE"},
		{[]string{"state", "ready", "101"}, "参数太多", "Too many arguments"},
		{[]string{"state", "sleepy"}, "STATE 不能是“sleepy”", `STATE cannot be "sleepy"`},
		{[]string{"transfer", "moon", "1"}, "KIND 不能是“moon”", `KIND cannot be "moon"`},
		{[]string{"consult", "1", "--kind", "moon"}, "--kind 不能是“moon”", `--kind cannot be "moon"`},
		{[]string{"history", "--direction=up"}, "--direction 不能是“up”", `--direction cannot be "up"`},
		{[]string{"history", "--missed=maybe"}, "--missed 不能是“maybe”", `--missed cannot be "maybe"`},
		{[]string{"monitor", "a1", "stare"}, "MODE 不能是“stare”", `MODE cannot be "stare"`},
		{[]string{"call-data", "novalue"}, "KEY=VALUE 不能是“novalue”", `KEY=VALUE cannot be "novalue"`},
		{[]string{"login", "--password-stdin"}, "标准输入里没有密码", "No password on standard input"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"zh", "en"} {
			code, out, errOut := ctl(t, h.dir, lang, "", tt.args...)
			want := tt.zh
			if lang == "en" {
				want = tt.en
			}
			if code != ExitUsage || out != "" || !strings.Contains(oneLine(t, errOut), want) {
				t.Errorf("%q (%s): exit %d, stderr %q, want %q", tt.args, lang, code, errOut, want)
			}
		}
	}
}

func TestCtlNotRunning(t *testing.T) {
	for name, dir := range map[string]string{"no endpoint": t.TempDir(), "stale endpoint": staleDir(t)} {
		for _, lang := range []string{"zh", "en"} {
			code, out, errOut := ctl(t, dir, lang, "", "status")
			want := (&NotRunningError{}).Sentence(lang)
			if code != ExitNotRunning || out != "" || oneLine(t, errOut) != want {
				t.Errorf("%s %s: exit %d, stderr %q", name, lang, code, errOut)
			}
		}
	}
}

func TestCtlHelp(t *testing.T) {
	code, out, _ := ctl(t, t.TempDir(), "en", "", "help")
	if code != ExitOK || !strings.Contains(out, "agentbar ctl dial TARGET") || !strings.Contains(out, "3 agentbar is not running") {
		t.Errorf("exit %d, help %q", code, out)
	}
}

func TestCtlLoginPasswordStdin(t *testing.T) {
	h := newHarness(t)
	code, out, errOut := ctl(t, h.dir, "zh", "s3cret pass\nignored\n", "login", "--account", "office", "--password-stdin")
	if code != ExitOK || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = ctl(t, h.dir, "en", "", "login", "--account=ghost")
	if code != ExitFailed || !strings.Contains(errOut, "ghost") {
		t.Errorf("unknown account: exit %d, %q", code, errOut)
	}
	logins, _, _ := h.be.recorded()
	if !slices.Equal(logins, []string{"office/s3cret pass", "ghost/"}) {
		t.Errorf("logins %q", logins)
	}
}

// TestCtlRequests checks what each command line sends, without a server.
func TestCtlRequests(t *testing.T) {
	tests := []struct {
		args         []string
		method, path string
		body         string
	}{
		{[]string{"status"}, "GET", "status", ``},
		{[]string{"logout"}, "POST", "logout", ``},
		{[]string{"login"}, "POST", "login", `{"account":"","password":""}`},
		{[]string{"login", "--account", "office"}, "POST", "login", `{"account":"office","password":""}`},
		{[]string{"state", "ready"}, "POST", "state", `{"state":"ready","code":""}`},
		{[]string{"state", "break", "101"}, "POST", "state", `{"state":"break","code":"101"}`},
		{[]string{"dial", "13912345678", "--caller-id", "t1"}, "POST", "dial", `{"target":"13912345678","caller_id":"t1","user_data":null}`},
		{[]string{"dial", "--", "-1"}, "POST", "dial", `{"target":"-1","caller_id":"","user_data":null}`},
		{[]string{"answer"}, "POST", "answer", `{"call":""}`},
		{[]string{"answer", "c7"}, "POST", "answer", `{"call":"c7"}`},
		{[]string{"reject", "--call", "c7"}, "POST", "reject", `{"call":"c7"}`},
		{[]string{"hangup", "c1"}, "POST", "hangup", `{"call":"c1"}`},
		{[]string{"hold"}, "POST", "hold", `{"call":""}`},
		{[]string{"resume", "c1"}, "POST", "resume", `{"call":"c1"}`},
		{[]string{"mute"}, "POST", "mute", `{"call":""}`},
		{[]string{"unmute", "c2"}, "POST", "unmute", `{"call":"c2"}`},
		{[]string{"dtmf", "12#", "--call", "c1"}, "POST", "dtmf", `{"call":"c1","digits":"12#"}`},
		{[]string{"dtmf", "--call=c1", "*9"}, "POST", "dtmf", `{"call":"c1","digits":"*9"}`},
		{[]string{"transfer", "ivr", "satisfaction", "--call", "c1"}, "POST", "transfer", `{"call":"c1","kind":"ivr","target":"satisfaction"}`},
		{[]string{"consult", "1002"}, "POST", "consult", `{"call":"","kind":"","target":"1002"}`},
		{[]string{"consult", "1002", "--kind", "number"}, "POST", "consult", `{"call":"","kind":"number","target":"1002"}`},
		{[]string{"consult-transfer"}, "POST", "consult-transfer", `{"call":""}`},
		{[]string{"consult-cancel"}, "POST", "consult-cancel", `{"call":""}`},
		{[]string{"conference", "13800000000"}, "POST", "conference", `{"call":"","kind":"","target":"13800000000"}`},
		{[]string{"consult-conference"}, "POST", "consult-conference", `{"call":""}`},
		{[]string{"conference-retrieve"}, "POST", "conference-retrieve", `{"call":""}`},
		{[]string{"conference-transfer"}, "POST", "conference-transfer", `{"call":""}`},
		{[]string{"call-data", "note=vip", "tag=a=b", "--call", "c1"}, "POST", "call-data", `{"call":"c1","data":{"note":"vip","tag":"a=b"}}`},
		{[]string{"history"}, "GET", "history", ``},
		{[]string{"history", "--missed", "--direction", "in", "--number", "139", "--limit", "5"}, "GET", "history?direction=in&limit=5&missed=true&number=139", ``},
		{[]string{"break-reasons"}, "GET", "break-reasons", ``},
		{[]string{"targets", "queue"}, "GET", "targets?kind=queue", ``},
		{[]string{"caller-ids"}, "GET", "caller-ids", ``},
		{[]string{"caller-id", "t2"}, "POST", "caller-id", `{"id":"t2"}`},
		{[]string{"device-modes"}, "GET", "device-modes", ``},
		{[]string{"device-mode", "cellphone"}, "POST", "device-mode", `{"mode":"cellphone"}`},
		{[]string{"agents"}, "GET", "agents", ``},
		{[]string{"monitor", "a1", "barge"}, "POST", "monitor", `{"agent":"a1","mode":"barge"}`},
	}
	specs := ctlSpecs()
	covered := map[string]bool{"events": true}
	for _, tt := range tests {
		i := slices.IndexFunc(specs, func(s ctlSpec) bool { return s.name == tt.args[0] })
		if i < 0 {
			t.Fatalf("no spec %q", tt.args[0])
		}
		covered[tt.args[0]] = true
		a, err := parseCtlArgs(tt.args[1:], specs[i])
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		req, err := specs[i].build(a)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		body := ""
		if req.body != nil {
			b, _ := json.Marshal(req.body)
			body = string(b)
		}
		if req.method != tt.method || req.path != tt.path || body != tt.body {
			t.Errorf("%q → %s %s %s, want %s %s %s", tt.args, req.method, req.path, body, tt.method, tt.path, tt.body)
		}
	}
	for _, s := range specs {
		if !covered[s.name] {
			t.Errorf("command %q has no case here", s.name)
		}
	}
	// Every ctl path is a route of the server, with the right method.
	routes := newRoutes()
	for _, s := range specs {
		if s.build == nil {
			continue
		}
		a := ctlArgs{pos: []string{"break", "1"}, str: map[string]string{}, bools: map[string]bool{}}
		if s.name == "login" {
			a.pos = nil
		}
		if s.name == "call-data" {
			a.pos = []string{"k=v"}
		}
		if s.name == "transfer" || s.name == "targets" {
			a.pos = []string{"agent", "1"}
		}
		req, err := s.build(a)
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		name, _, _ := strings.Cut(req.path, "?")
		if rt, ok := routes[name]; !ok || rt.method != req.method {
			t.Errorf("ctl %s sends %s %s, which the server does not route", s.name, req.method, name)
		}
	}
}

func TestCtlEvents(t *testing.T) {
	h := newHarness(t, loggedIn)
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	exit := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		exit <- RunCtlIO(ctx, []string{"events"}, h.dir, nil, pw, &errb, "en")
		pw.Close()
	}()
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	read := func() map[string]any {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("ctl events stopped")
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			return m
		case <-time.After(10 * time.Second):
			t.Fatal("no line")
		}
		return nil
	}
	if m := read(); m["type"] != "hello" {
		t.Fatalf("first line %v", m)
	}
	for i, state := range []string{"ready", "busy", "ready"} {
		h.ok("POST", "state", `{"state":"`+state+`"}`)
		m := read()
		to, _ := m["to"].(map[string]any)
		if m["type"] != "agent_state_changed" || to["state"] != state {
			t.Fatalf("line %d: %v", i, m)
		}
	}
	cancel()
	for range lines {
	}
	if code := <-exit; code != ExitOK || errb.Len() != 0 {
		t.Errorf("after interrupt: exit %d, stderr %q", code, errb.String())
	}
}

func TestCtlEventsEndsWhenAgentbarQuits(t *testing.T) {
	h := newHarness(t)
	var out, errb bytes.Buffer
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- RunCtlIO(h.ctx, []string{"events"}, h.dir, nil, pw, &errb, "zh")
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() || !strings.Contains(sc.Text(), `"hello"`) {
		t.Fatalf("first line %q", sc.Text())
	}
	go io.Copy(&out, pr)
	if err := h.srv.Close(h.ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exit:
		if code != ExitNotRunning || !strings.Contains(oneLine(t, errb.String()), "关闭了事件流") {
			t.Errorf("exit %d, stderr %q", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ctl events did not end")
	}
}

// FuzzCtlArgs: any command line either parses into a request or is a
// usage error; nothing panics.
func FuzzCtlArgs(f *testing.F) {
	for _, s := range []string{"dial\x00139", "state\x00break", "dtmf\x00--call\x00c1\x001", "history\x00--limit=5\x00--missed=true", "call-data\x00=x", "--\x00-", "transfer\x00agent"} {
		f.Add(s)
	}
	specs := ctlSpecs()
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		i := slices.IndexFunc(specs, func(s ctlSpec) bool { return s.name == args[0] })
		if i < 0 || specs[i].build == nil {
			return
		}
		a, err := parseCtlArgs(args[1:], specs[i])
		if err == nil {
			_, err = specs[i].build(a)
		}
		if err != nil && exitStatus(err) != ExitUsage {
			t.Fatalf("%q: %v is not a usage error", args, err)
		}
	})
}
