package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core"
	"agentbar/internal/testkit"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// session is agentbar signed in to the demo, with its admin endpoint.
type session struct {
	t     *testing.T
	e     *core.Engine
	sub   *core.Subscription
	ear   *testkit.Ear
	admin string
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startDemo(t *testing.T, fields map[string]string, toneHz float64) *session {
	t.Helper()
	pipe, ear := testkit.Headset(t, toneHz)
	s := &session{t: t, ear: ear}
	port := freePort(t)
	s.admin = fmt.Sprintf("http://127.0.0.1:%d", port)
	all := map[string]string{"arrival_seconds": "0", "speech": "false", "colleagues": "false", "admin_port": fmt.Sprint(port)}
	for k, v := range fields {
		all[k] = v
	}
	s.e = core.New(core.Options{CommandTimeout: 10 * time.Second})
	s.sub = s.e.Subscribe("test", 4096)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := s.e.Close(ctx); err != nil {
			t.Errorf("engine close: %v", err)
		}
		_ = pipe.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	// As cmd_headless.go's startDemo does: the platform marked Demo, no secret.
	var demo core.Info
	for _, info := range core.Platforms() {
		if info.Demo {
			demo = info
		}
	}
	if demo.ID != "demo" {
		t.Fatalf("no demo platform registered: %+v", demo)
	}
	if err := s.e.Login(ctx, core.LoginRequest{Account: "demo", Platform: demo.ID, Fields: all, Services: pipe}); err != nil {
		t.Fatalf("demo login: %v", err)
	}
	return s
}

func (s *session) post(path, body string) map[string]any {
	s.t.Helper()
	res, err := http.Post(s.admin+path, "application/json", strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		s.t.Fatalf("POST %s: %d %s", path, res.StatusCode, raw)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

// agentState reads an agent's presence from the center's admin state.
func (s *session) agentState(id string) string {
	s.t.Helper()
	res, err := http.Get(s.admin + "/admin/state")
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var st struct {
		Agents []struct {
			ID       string `json:"id"`
			Presence struct {
				State string `json:"state"`
			} `json:"presence"`
		} `json:"agents"`
	}
	raw, _ := io.ReadAll(res.Body)
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&st); err != nil {
		s.t.Fatalf("state: %v: %s", err, raw)
	}
	for _, a := range st.Agents {
		if a.ID == id {
			return a.Presence.State
		}
	}
	return ""
}

func (s *session) wait(what string, match func(core.Event) bool) core.Event {
	s.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev := <-s.sub.C:
			if match(ev) {
				return ev
			}
		case <-deadline:
			s.t.Fatalf("no %s", what)
			return nil
		}
	}
}

func (s *session) waitCall(state core.CallState) core.Call {
	s.t.Helper()
	ev := s.wait("call "+state.String(), func(ev core.Event) bool {
		switch ev := ev.(type) {
		case core.CallAdded:
			return ev.Call.State == state
		case core.CallChanged:
			return ev.Call.State == state
		}
		return false
	})
	switch ev := ev.(type) {
	case core.CallAdded:
		return ev.Call
	case core.CallChanged:
		return ev.Call
	}
	return core.Call{}
}

func (s *session) waitAgentState(name string) {
	s.t.Helper()
	if st, _ := s.e.Status(context.Background()); st.Agent.Name() == name {
		return
	}
	s.wait("agent "+name, func(ev core.Event) bool {
		a, ok := ev.(core.AgentStateChanged)
		return ok && a.To.Name() == name
	})
}

func TestDemoAgentTakesACallWithAudio(t *testing.T) {
	s := startDemo(t, nil, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := s.e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.LoggedIn || st.Platform != "demo" || st.Session.AgentID != "8001" || !strings.Contains(st.Session.DisplayName, "演示") {
		t.Fatalf("status %+v", st)
	}
	if !st.Capabilities.Actions.Has(core.ActConsult) || !st.Capabilities.CallerID || st.Capabilities.Supervisor {
		t.Errorf("capabilities %+v", st.Capabilities)
	}
	s.waitAgentState("ready")

	// A customer calls the service line; agentbar rings with the number.
	s.post("/admin/customer", `{"number":"13912345678","trunk":"02512345678","voice":{"tone_hz":450}}`)
	ring := s.waitCall(core.CallRinging)
	if ring.RemoteNumber != "13912345678" {
		t.Errorf("ringing from %q", ring.RemoteNumber)
	}
	if err := s.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	s.waitCall(core.CallTalking)
	<-time.After(1500 * time.Millisecond)
	pcm := s.ear.Last(time.Second)
	if a := audio.Goertzel(pcm, 8000, 450); a < 0.05 {
		t.Errorf("the agent does not hear the customer's 450 Hz (amplitude %.4f, %.1f dBFS)", a, audio.RMSdBFS(pcm))
	}
	if err := s.e.Hangup(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	// The center's wrap-up reaches the engine.
	s.waitAgentState("wrapup")
	if got := s.agentState("8001"); got != "wrapup" {
		t.Errorf("center says %s", got)
	}

	// Busy in agentbar is busy in the center (the demo's shortcut): no offers.
	if err := s.e.SetAgentState(ctx, core.BusyState()); err != nil {
		t.Fatal(err)
	}
	s.waitAgentState("busy")
	if got := s.agentState("8001"); got != "busy" {
		t.Fatalf("center says %s after busy", got)
	}
	reasons, err := s.e.BreakReasons(ctx)
	if err != nil || len(reasons) != 3 {
		t.Fatalf("break reasons %v %v", reasons, err)
	}
	if err := s.e.SetAgentState(ctx, core.BreakState("101", "")); err != nil {
		t.Fatal(err)
	}
	s.waitAgentState("break")
	if got := s.agentState("8001"); got != "break" {
		t.Fatalf("center says %s after a break", got)
	}
	if err := s.e.SetAgentState(ctx, core.ReadyState()); err != nil {
		t.Fatal(err)
	}
	s.waitAgentState("ready")

	// Outbound: any number is answered by a simulated customer.
	id, err := s.e.Dial(ctx, core.DialOptions{Target: "13800138000"})
	if err != nil {
		t.Fatal(err)
	}
	talking := s.waitCall(core.CallTalking)
	if talking.ID != id {
		t.Fatalf("talking %s, dialled %s", talking.ID, id)
	}
	if err := s.e.Hangup(ctx, id); err != nil {
		t.Fatal(err)
	}
}

func TestDemoSupervisorListensToAColleague(t *testing.T) {
	s := startDemo(t, map[string]string{"login_as": "8000", "colleagues": "true"}, 1600)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, _ := s.e.Status(ctx)
	if !st.Session.IsSupervisor || !st.Capabilities.Supervisor {
		t.Fatalf("supervisor session %+v caps %+v", st.Session, st.Capabilities)
	}
	// The supervisor takes no customers in this test.
	if err := s.e.SetAgentState(ctx, core.BusyState()); err != nil {
		t.Fatal(err)
	}
	s.waitAgentState("busy")
	// A sales customer: only colleague 8002 (and the busy supervisor) have the skill.
	s.post("/admin/customer", `{"number":"13912345678","trunk":"4008001234","digits":"1","voice":{"tone_hz":450}}`)
	s.wait("8002 talking on the wall", func(ev core.Event) bool {
		u, ok := ev.(core.AgentsChanged)
		if !ok {
			return false
		}
		for _, a := range u.Agents {
			if a.ID == "8002" && a.CallState == "talking" {
				return true
			}
		}
		return false
	})
	if err := s.e.Monitor(ctx, "8002", core.MonitorListen); err != nil {
		t.Fatal(err)
	}
	s.waitCall(core.CallTalking) // the monitor leg answers itself
	<-time.After(1500 * time.Millisecond)
	pcm := s.ear.Last(time.Second)
	if a := audio.Goertzel(pcm, 8000, 450); a < 0.05 {
		t.Errorf("the supervisor does not hear the customer (amplitude %.4f)", a)
	}
	if a := audio.Goertzel(pcm, 8000, 1100); a < 0.03 {
		t.Errorf("the supervisor does not hear colleague 8002 (amplitude %.4f)", a)
	}
}

// TestDemoKickSignsOutWithTheReason: the center gives the seat to another
// sign-in; agentbar signs out saying so, offers to sign in again, and does
// not do it by itself.
func TestDemoKickSignsOutWithTheReason(t *testing.T) {
	s := startDemo(t, nil, 1000)
	s.waitAgentState("ready")
	s.post("/admin/fault", `{"kind":"kick","args":{"agent":"8001"}}`)
	ev := s.wait("signed out", func(ev core.Event) bool { _, ok := ev.(core.LoggedOut); return ok }).(core.LoggedOut)
	if !ev.Kicked || !ev.CanRelogin || !strings.Contains(core.Sentence(ev.Err, "zh"), "其他地方登录") {
		t.Fatalf("signed out with %+v (%s)", ev, core.Sentence(ev.Err, "zh"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if st, err := s.e.Status(ctx); err != nil || st.LoggedIn {
		t.Errorf("still signed in: %+v %v", st, err)
	}
}
