package udesk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// The adapter's half of the golden tests: every payload of the vendor
// document (testdata/wire, proven equal to the document by package wire's
// tests) is decoded and mapped into the engine's model as expected.

func golden(t *testing.T, pattern string) (string, []byte) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "wire", pattern))
	if err != nil || len(files) != 1 {
		t.Fatalf("golden %s: %v %v", pattern, files, err)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return files[0], b
}

// recordingSink keeps what the adapter reports.
type recordingSink struct {
	mu      sync.Mutex
	updates []core.Update
}

func (s *recordingSink) Report(u core.Update) {
	s.mu.Lock()
	s.updates = append(s.updates, u)
	s.mu.Unlock()
}

func (s *recordingSink) take() []core.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.updates
	s.updates = nil
	return out
}

// goldenAdapter is an adapter whose events come from a socket that is never
// dialled: onEvent is fed the golden frames directly.
func goldenAdapter(t *testing.T, mode string) (*Adapter, *socket, *recordingSink) {
	t.Helper()
	a, err := NewAdapter(core.Config{Fields: map[string]string{
		fieldAppID: "app", fieldAgentID: "8001", fieldTokenURL: "http://127.0.0.1:1/token",
		fieldDomain: "ws://127.0.0.1:1/ws", fieldHTTPDomain: "http://127.0.0.1:1/backend", fieldPhoneMode: mode,
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sink := &recordingSink{}
	s := &socket{}
	a.sink, a.eventSock, a.curMode = sink, s, mode
	return a, s, sink
}

func eventFrame(t *testing.T, name string, envelope []byte) wire.ServerFrame {
	t.Helper()
	env, err := wire.DecodeEnvelope(envelope)
	if err != nil {
		t.Fatal(err)
	}
	return wire.ServerFrame{Event: name, Envelope: env}
}

func TestGoldenEvents(t *testing.T) {
	authority := core.Actions(core.ActConferenceTransfer, core.ActMute, core.ActUnmute, core.ActDTMF)
	cases := []struct {
		file  string
		event string
		want  []core.Update
		check func(t *testing.T, a *Adapter)
	}{
		{"01_AgentStateChanged.json", wire.EventAgentStateChanged, []core.Update{core.AgentStateUpdate{State: core.BusyState()}}, nil},
		{"02_PhoneModeChanged.json", wire.EventPhoneModeChanged, nil, func(t *testing.T, a *Adapter) {
			if a.curMode != wire.ModeVoip || a.deviceNumber != "90310468561028" {
				t.Fatalf("mode %q number %q", a.curMode, a.deviceNumber)
			}
		}},
		{"03_PhoneStateChanged.json", wire.EventPhoneStateChanged, nil, nil},
		{"04_Ready.json", wire.EventReady, []core.Update{core.AgentStateUpdate{State: core.BusyState()}}, func(t *testing.T, a *Adapter) {
			if a.curMode != wire.ModeVoip {
				t.Fatalf("mode %q", a.curMode)
			}
		}},
		{"05_AdvancedCallStatusChanged.json", wire.EventAdvancedCallStatusChanged, []core.Update{core.CallUpdate{
			PlatformCallID: "ea648a5d-56f6-432b-44e1-0941febbb870", State: core.CallRemoteRinging,
			Direction: core.Outbound, RemoteNumber: "15712886965", Location: "北京", DisplayNumber: "051480114036",
			Authority: &authority,
		}}, nil},
		{"06_GetState.json", wire.EventGetState, []core.Update{core.AgentStateUpdate{State: core.ReadyState()}}, func(t *testing.T, a *Adapter) {
			if a.deviceNumber != "90310468561028" || a.curMode != wire.ModeVoip {
				t.Fatalf("number %q mode %q", a.deviceNumber, a.curMode)
			}
		}},
	}
	// The call events' examples are templates with an empty CallID: they
	// decode, and a call event without a call is ignored.
	for _, name := range []string{"07_Delivered", "08_Originated", "09_Established", "10_ConnectionCleared", "11_Held", "12_Retrieved", "13_Conferenced", "14_Transferred"} {
		cases = append(cases, struct {
			file  string
			event string
			want  []core.Update
			check func(t *testing.T, a *Adapter)
		}{name + ".json", name[3:], nil, nil})
	}
	for _, c := range cases {
		t.Run(c.event, func(t *testing.T) {
			a, s, sink := goldenAdapter(t, wire.ModeVoip)
			a.curMode = wire.ModeCellphone // so PhoneModeChanged is a change
			if c.event == wire.EventAdvancedCallStatusChanged {
				a.curMode = wire.ModeVoip
			}
			_, b := golden(t, "events/"+c.file)
			if c.event != "" {
				var probe wire.CallEvent
				if wire.CallEvents[c.event] {
					env, _ := wire.DecodeEnvelope(b)
					if err := wire.DecodeData(env.Data, &probe); err != nil {
						t.Fatalf("the example does not decode: %v", err)
					}
				}
			}
			a.onEvent(s, eventFrame(t, c.event, b))
			got := sink.take()
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("updates\n got %#v\nwant %#v", got, c.want)
			}
			if c.check != nil {
				c.check(t, a)
			}
		})
	}
}

// TestGoldenCallEventsWithACall fills the templates' CallID and checks the
// state each event means.
func TestGoldenCallEventsWithACall(t *testing.T) {
	states := map[string]core.CallState{
		wire.EventDelivered: core.CallRinging, wire.EventOriginated: core.CallRemoteRinging,
		wire.EventEstablished: core.CallTalking, wire.EventHeld: core.CallHeld,
		wire.EventRetrieved: core.CallTalking, wire.EventConferenced: core.CallConference,
	}
	for i, name := range []string{"07_Delivered", "08_Originated", "09_Established", "11_Held", "12_Retrieved", "13_Conferenced", "10_ConnectionCleared", "14_Transferred"} {
		event := name[3:]
		t.Run(event, func(t *testing.T) {
			a, s, sink := goldenAdapter(t, wire.ModeCellphone)
			_, b := golden(t, "events/"+name+".json")
			b = []byte(strings.Replace(string(b), `"CallID": ""`, `"CallID": "c1"`, 1))
			if i >= 6 { // the ending events need a call to end
				a.calls["c1"] = &callRec{id: "c1", state: core.CallTalking, legReady: make(chan struct{})}
			}
			a.onEvent(s, eventFrame(t, event, b))
			got := sink.take()
			if len(got) == 0 {
				t.Fatal("no update")
			}
			u := got[len(got)-1].(core.CallUpdate)
			want := states[event]
			if i >= 6 {
				want = core.CallEnded
			}
			if u.PlatformCallID != "c1" || u.State != want {
				t.Fatalf("update %+v, want state %s", u, want)
			}
			if event == wire.EventTransferred && u.EndReason != core.EndTransferred {
				t.Fatalf("end reason %q", u.EndReason)
			}
		})
	}
}

// TestGoldenReplies decodes every documented reply and maps it.
func TestGoldenReplies(t *testing.T) {
	data := func(t *testing.T, file string, v any) wire.Envelope {
		t.Helper()
		_, b := golden(t, "methods/"+file)
		env, err := wire.DecodeEnvelope(b)
		if err != nil || !env.OK() {
			t.Fatalf("%s: %+v %v", file, env, err)
		}
		if v != nil {
			if err := wire.DecodeData(env.Data, v); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		return env
	}
	t.Run("plain successes", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join("testdata", "wire", "methods", "*.reply.json"))
		n := 0
		for _, f := range files {
			b, _ := os.ReadFile(f)
			env, err := wire.DecodeEnvelope(b)
			if err != nil || !env.OK() || bool(env.Visible) {
				t.Errorf("%s: %+v %v", f, env, err)
			}
			if string(env.Data) == "null" {
				n++
			}
		}
		if n != 23 {
			t.Errorf("%d replies with Data null, the document has 23", n)
		}
	})
	t.Run(wire.MethodGetPhoneModes, func(t *testing.T) {
		var ms []wire.PhoneMode
		data(t, "07_GetPhoneModesAsync.reply.json", &ms)
		got := deviceModes(ms, wire.ModeVoip)
		want := []core.DeviceMode{{ID: "cellphone", Label: "手机"}, {ID: "voip", Label: "IP话机", Current: true}, {ID: "webrtc", Label: "网页电话"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v", got)
		}
	})
	t.Run(wire.MethodGetAgentStates, func(t *testing.T) {
		var opts []wire.AgentStateOption
		data(t, "08_GetAgentStatesAsync.reply.json", &opts)
		got := breakReasonsFromWire(opts)
		want := []core.BreakReason{{Code: "onBreak", Label: "小休"}, {Code: "101", Label: "午饭"}, {Code: "102", Label: "洗手"}, {Code: "103", Label: "哈哈"}, {Code: "107", Label: "加班"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v", got)
		}
		st, _ := agentStateFromWire("onBreak", "101", map[string]string{"101": "午饭"}, 0, time.Time{})
		if st.BreakCode != "101" || st.BreakLabel != "午饭" {
			t.Fatalf("%+v", st)
		}
	})
	for _, file := range []string{"10_GetWebPhoneInfoAsync.reply.json", "15_GetAgentTerminalInfoAsync.reply.json"} {
		t.Run(file, func(t *testing.T) {
			var ti wire.TerminalInfo
			data(t, file, &ti)
			if ti != (wire.TerminalInfo{SipServer: "xxxxx", Number: "xxxxx", Password: "xxxxx"}) {
				t.Fatalf("%+v", ti)
			}
			if hp, tr, err := sipTarget(ti.SipServer); hp != "xxxxx" || tr != "" || err != nil {
				t.Fatalf("%q %q %v", hp, tr, err)
			}
		})
	}
	t.Run(wire.MethodGetCallInWrapUpTime, func(t *testing.T) {
		w := wire.WrapUp{WrapUpTime: 99}
		data(t, "11_GetCallInWrapUpTimeAsync.reply.json", &w)
		if w.WrapUpTime != 0 {
			t.Fatalf("%+v", w)
		}
	})
	t.Run("caller ids", func(t *testing.T) {
		var numbers []string
		var current string
		var pools wire.PoolList
		data(t, "12_GetSpNumbersAsync.reply.json", &numbers)
		data(t, "13_GetCurrentSpNumberAsync.reply.json", &current)
		data(t, "35_GetNumberPoolAndSpNumAsync.reply.json", &pools)
		if len(numbers) != 3 || current != "xxxxx" || len(pools.List) != 0 || pools.DefaultId == nil || *pools.DefaultId != "xxxxxx" {
			t.Fatalf("%v %q %+v", numbers, current, pools)
		}
		got := callerIDs(numbers, current, pools)
		if len(got) != 3 || got[0].ID != "sp:xxxxx" || got[0].Current {
			t.Fatalf("%+v (a chosen pool wins over the trunk number)", got)
		}
	})
	t.Run(wire.MethodGetIvrNodes, func(t *testing.T) {
		var nodes []wire.IvrNode
		data(t, "24_GetIvrNodesAsync.reply.json", &nodes)
		got := ivrTargets(wire.IvrNode{Id: "25", Name: "主菜单"}, nodes)
		want := []core.Target{{Kind: core.TargetIVR, ID: "25", Label: "主菜单"}, {Kind: core.TargetIVR, ID: "25/1", Label: "主菜单 / ivr测试"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v", got)
		}
		method, params := transferRequest("c1", got[1])
		if method != wire.MethodTransferIvr || params != (wire.TransferIvrParams{CallId: "c1", IvrId: "25", NodeId: "1", JumpType: "agent_hangup"}) {
			t.Fatalf("%s %+v", method, params)
		}
	})
	t.Run(wire.MethodGetQueuesAgents, func(t *testing.T) {
		var qs []wire.Queue
		data(t, "25_GetQueuesAgentsAsync.reply.json", &qs)
		got := queueTargets(qs)
		if !reflect.DeepEqual(got, []core.Target{{Kind: core.TargetQueue, ID: "2", Label: "郑玲队列"}}) || qs[0].Timeout != 60 || qs[0].Strategy != 2 {
			t.Fatalf("%+v %+v", got, qs)
		}
	})
	t.Run(wire.MethodGetOtherAgents, func(t *testing.T) {
		var as []wire.OtherAgent
		data(t, "34_GetOtherAgentsAsync.reply.json", &as)
		targets := agentTargets(as, "8001")
		if !reflect.DeepEqual(targets, []core.Target{{Kind: core.TargetAgent, ID: "78", Label: "xxxxxxx", State: "ready"}}) {
			t.Fatalf("%+v", targets)
		}
		infos := agentInfos(as, "8001")
		if len(infos) != 1 || infos[0].ID != "78" || infos[0].State.Name() != "ready" || infos[0].CallState != "" {
			t.Fatalf("%+v", infos)
		}
	})
	for _, file := range []string{"36_SetSpNumberPoolNumAsync.reply.json", "37_MuteAsync_UnmuteAsync.reply.json"} {
		t.Run(file, func(t *testing.T) {
			var m map[string]any
			data(t, file, &m)
			if m == nil || len(m) != 0 {
				t.Fatalf("%v", m)
			}
		})
	}
}

// TestGoldenRequests: every documented call, made through the adapter,
// puts on the wire (socket or HTTP) exactly the request under testdata.
func TestGoldenRequests(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "wire", "methods", "*.request.json"))
	if len(files) != 37 {
		t.Fatalf("%d request goldens", len(files))
	}
	srv := newRecordingServer(t)
	a := srv.adapter(t)
	calls := goldenCalls(a, srv)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		var want []wire.Request
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".request.json")
		name = name[3:]
		run, ok := calls[name]
		if !ok {
			t.Errorf("no adapter call for %s", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			srv.reset()
			run(t)
			// Only the methods of the example count (a sign-in also resyncs,
			// a monitor first looks the agent's call up).
			var got []wire.Request
			for _, r := range srv.requests() {
				for _, w := range want {
					if r.Method == w.Method {
						got = append(got, r)
						break
					}
				}
			}
			for i := range want {
				// The example leaves JumpType empty; the adapter always
				// says how the IVR transfer ends (the table's example:
				// agent_hangup).
				if want[i].Method == wire.MethodTransferIvr {
					want[i].Params = json.RawMessage(strings.Replace(string(want[i].Params), `"JumpType": ""`, `"JumpType": "agent_hangup"`, 1))
				}
			}
			if len(got) != len(want) {
				t.Fatalf("sent %d requests %+v, want %d", len(got), got, len(want))
			}
			for i := range want {
				if got[i].Method != want[i].Method {
					t.Fatalf("request %d is %s, want %s", i, got[i].Method, want[i].Method)
				}
				assertSameJSON(t, orNull(want[i].Params), orNull(got[i].Params))
			}
		})
	}
}

func orNull(b json.RawMessage) []byte {
	if len(b) == 0 || string(b) == "{}" {
		return []byte("null")
	}
	return b
}

func assertSameJSON(t *testing.T, want, got []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(want, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &y); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(x, y) {
		t.Fatalf("JSON differs\nwant %s\ngot  %s", want, got)
	}
}
