package control

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"agentbar/core"
)

// TestCommandsReachThePlatform walks a call through every command and
// checks that each reached the platform with its arguments.
func TestCommandsReachThePlatform(t *testing.T) {
	h := newHarness(t)
	h.ok("POST", "login", `{"account":"office","password":"pw"}`)
	h.waitFor(func(ev core.Event) bool { _, ok := ev.(core.BreakReasonsChanged); return ok })
	if logins, _, _ := h.be.recorded(); !slices.Equal(logins, []string{"office/pw"}) {
		t.Errorf("logins %q", logins)
	}
	h.ok("POST", "state", `{"state":"ready"}`)
	h.ok("POST", "state", `{"state":"break","code":"101"}`)
	ev := h.waitFor(func(ev core.Event) bool {
		a, ok := ev.(core.AgentStateChanged)
		return ok && a.To.Name() == "break"
	}).(core.AgentStateChanged)
	if ev.To.BreakLabel != "午饭" {
		t.Errorf("break %+v", ev.To)
	}

	r := h.ok("POST", "dial", `{"target":" 13912345678 ","caller_id":"t1","user_data":{"biz":"42"}}`)
	id := core.CallID(r.str("call"))
	if id == "" {
		t.Fatalf("dial reply %s", r.raw)
	}
	pid := "p-" + string(id)
	h.waitCall(id, core.CallDialing)
	h.plat.report(core.CallUpdate{PlatformCallID: pid, State: core.CallTalking})
	h.waitCall(id, core.CallTalking)

	steps := []struct {
		method, path, body string
		want               core.CallState // 0: no state change to wait for
	}{
		{"POST", "hold", `{"call":"` + string(id) + `"}`, core.CallHeld},
		{"POST", "resume", `{}`, core.CallTalking},
		{"POST", "mute", `{}`, 0},
		{"POST", "unmute", `{}`, 0},
		{"POST", "dtmf", `{"digits":"12#"}`, 0},
		{"POST", "call-data", `{"data":{"note":"vip"}}`, 0},
		{"POST", "consult", `{"kind":"number","target":"1002"}`, core.CallConsulting},
		{"POST", "consult-cancel", ``, core.CallTalking},
		{"POST", "consult", `{"target":"1003"}`, core.CallConsulting},
		{"POST", "consult-conference", ``, core.CallConference},
		{"POST", "conference-retrieve", ``, core.CallTalking},
		{"POST", "conference", `{"kind":"agent","target":"1004"}`, core.CallConference},
		{"POST", "conference-transfer", ``, core.CallEnded},
	}
	for _, s := range steps {
		h.ok(s.method, s.path, s.body)
		if s.want != 0 {
			h.waitCall(id, s.want)
		}
	}
	second := h.talking("p2")
	h.ok("POST", "transfer", `{"kind":"queue","target":"售后"}`)
	h.waitCall(second, core.CallEnded)
	third := h.talking("p3")
	h.ok("POST", "consult", `{"target":"1005"}`)
	h.waitCall(third, core.CallConsulting)
	h.ok("POST", "consult-transfer", ``)
	h.waitCall(third, core.CallEnded)
	fourth := h.ringing("p4")
	h.ok("POST", "answer", ``)
	h.waitCall(fourth, core.CallTalking)
	h.ok("POST", "hangup", `{"call":"`+string(fourth)+`"}`)
	h.waitCall(fourth, core.CallEnded)
	fifth := h.ringing("p5")
	h.ok("POST", "reject", `{}`)
	h.waitCall(fifth, core.CallEnded)

	h.ok("POST", "caller-id", `{"id":"t1"}`)
	h.ok("POST", "device-mode", `{"mode":"voip"}`)
	h.ok("POST", "monitor", `{"agent":"a1","mode":"whisper"}`)
	h.ok("POST", "handoff", `{"target":"tel:%2B8613912345678","dial":true}`)
	h.ok("POST", "logout", ``)
	h.waitFor(func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok })

	want := []string{
		"login", "break-reasons", "state:ready", "state:break(101 午饭)", "dial:13912345678",
		"hold", "resume", "mute:true", "mute:false", "dtmf:12#", "call-data:map[note:vip]",
		"consult:number:1002", "consult-cancel", "consult:agent:1003", "consult-conference",
		"conference-retrieve", "conference:agent:1004", "conference-transfer",
		"transfer:queue:售后", "consult:agent:1005", "consult-transfer",
		"answer:p4", "hangup:p4", "reject:p5",
		"caller-id:t1", "device-mode:voip", "monitor:a1:whisper",
	}
	if got := h.plat.recorded(); !slices.Equal(got, want) {
		t.Errorf("platform saw\n %q\nwant\n %q", got, want)
	}
	if _, handoffs, _ := h.be.recorded(); !slices.Equal(handoffs, []string{"+8613912345678/true"}) {
		t.Errorf("handoffs %q", handoffs)
	}
}

func TestListCommands(t *testing.T) {
	h := newHarness(t, loggedIn)
	tests := []struct {
		path, key, want string
	}{
		{"break-reasons", "reasons", `[{"code":"101","label":"午饭"},{"code":"102","label":"培训"}]`},
		{"targets?kind=agent", "targets", `[{"kind":"agent","id":"1001","label":"张三"}]`},
		{"caller-ids", "caller_ids", `[{"id":"t1","number":"02100000000","current":true}]`},
		{"device-modes", "device_modes", `[{"id":"voip","label":"软电话","current":true}]`},
		{"agents", "agents", `[{"id":"a1","name":"李四","state":{"state":"ready"}}]`},
		{"history", "calls", `[{"direction":"in","id":"h1","remote_number":"13912345678"}]`},
	}
	for _, tt := range tests {
		r := h.ok("GET", tt.path, "")
		var want any
		if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.body[tt.key], want) {
			got, _ := json.Marshal(r.body[tt.key])
			t.Errorf("%s: %s = %s, want %s", tt.path, tt.key, got, tt.want)
		}
	}
	if r := h.do("GET", "targets", ""); r.status != 400 || !strings.Contains(r.str("message_en"), `"kind" is missing`) {
		t.Errorf("targets without kind: %d %s", r.status, r.raw)
	}
}

func TestStatusReply(t *testing.T) {
	h := newHarness(t, loggedIn)
	id := h.talking("p1")
	r := h.ok("GET", "/v1/status", "")
	// core.Status does not unmarshal (ConnState has no UnmarshalText), so
	// read the fields a client relies on.
	var st struct {
		OK         bool        `json:"ok"`
		Seq        uint64      `json:"seq"`
		LoggedIn   bool        `json:"logged_in"`
		Platform   string      `json:"platform"`
		Connection string      `json:"connection"`
		Calls      []core.Call `json:"calls"`
	}
	if err := json.Unmarshal([]byte(r.raw), &st); err != nil {
		t.Fatal(err)
	}
	if !st.OK || !st.LoggedIn || st.Platform != "full" || st.Connection != "connected" ||
		len(st.Calls) != 1 || st.Calls[0].ID != id || st.Seq == 0 {
		t.Errorf("status %+v", st)
	}
	if r.header.Get("Content-Type") != "application/json; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", r.header)
	}
}

func TestHistoryQuery(t *testing.T) {
	h := newHarness(t)
	h.ok("GET", "history?direction=in&missed=1&number=%20139%20&limit=5&before=2026-11-21T10:00:00%2B08:00", "")
	h.ok("GET", "history", "")
	h.ok("GET", "history?before=1700000000", "")
	_, _, qs := h.be.recorded()
	before := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	want := []HistoryQuery{
		{Direction: "in", Missed: true, Number: "139", Limit: 5, Before: before},
		{Limit: DefaultHistoryLimit},
		{Limit: DefaultHistoryLimit, Before: time.Unix(1700000000, 0)},
	}
	if len(qs) != len(want) {
		t.Fatalf("queries %+v", qs)
	}
	for i := range want {
		if qs[i].Direction != want[i].Direction || qs[i].Missed != want[i].Missed || qs[i].Number != want[i].Number ||
			qs[i].Limit != want[i].Limit || !qs[i].Before.Equal(want[i].Before) {
			t.Errorf("query %d = %+v, want %+v", i, qs[i], want[i])
		}
	}
	for _, bad := range []string{"direction=sideways", "missed=maybe", "limit=-1", "limit=1001", "limit=x", "before=yesterday", "number=" + strings.Repeat("1", 65)} {
		if r := h.do("GET", "history?"+bad, ""); r.status != 400 || r.str("code") != CodeInvalidArgument {
			t.Errorf("%s: %d %s", bad, r.status, r.raw)
		}
	}
}

func TestOKBody(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, `{"ok":true}`},
		{struct{}{}, `{"ok":true}`},
		{dialResult{Call: "c1"}, `{"ok":true,"call":"c1"}`},
		{map[string]int{"a": 1}, `{"ok":true,"a":1}`},
	}
	for _, tt := range tests {
		got, err := okBody(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("okBody(%v) = %s, %v", tt.in, got, err)
		}
	}
	if _, err := okBody([]int{1}); err == nil {
		t.Error("a list result must be refused")
	}
}
