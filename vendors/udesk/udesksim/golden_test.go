package udesksim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// The simulator's half of the golden tests: it produces every payload of
// the vendor document from a state that means it, and understands every
// documented call.

func sameJSON(t *testing.T, want []byte, got any) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var x, y any
	if err := json.Unmarshal(want, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(x, y) {
		t.Fatalf("produced\n%s\nthe document has\n%s", b, want)
	}
}

// goldenFront is a front on a fake center holding the document's example
// data (its placeholders included).
func goldenFront(t *testing.T) (*Front, *fakeCenter) {
	t.Helper()
	fc := newFakeCenter()
	t.Cleanup(fc.cc.Close)
	fc.breaks = []callcenter.BreakReason{{Code: "101", Label: "午饭"}, {Code: "102", Label: "洗手"}, {Code: "103", Label: "哈哈"}, {Code: "107", Label: "加班"}}
	fc.queues = []callcenter.QueueConfig{{Name: "郑玲队列", Number: "2", RingTimeout: 60 * time.Second}}
	fc.callerIDs = []callcenter.CallerIDConfig{{ID: "a", Number: "xxxxx"}, {ID: "b", Number: "xxxxx"}, {ID: "c", Number: "xxxxx"}}
	fc.agents = []callcenter.AgentInfo{
		{ID: "8001", Name: "我", State: callcenter.StateReady},
		{ID: "78", Name: "xxxxxxx", State: callcenter.StateReady},
	}
	fc.ivrs = []callcenter.IVRInfo{{Name: "25", Nodes: []callcenter.IVRNodeInfo{{ID: "1", Prompt: "ivr测试"}}}}
	f, err := New(fc, Options{
		AppId: "xxxxxx", AppSecret: "s", SIPServer: "xxxxx", WebPhoneServer: "xxxxx",
		Profiles: map[string]Profile{"78": {Email: "diandian@test.cn", Mobile: "xxxxxxx"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, fc
}

func TestGoldenRepliesProduced(t *testing.T) {
	f, _ := goldenFront(t)
	f.mu.Lock()
	f.agentLocked("8001").pool = "xxxxxx"
	f.agentLocked("8001").spNumber = "xxxxx"
	f.agentLocked("8001").mode = wire.ModeWebRTC // MuteAsync is the web phone's
	f.mu.Unlock()
	produce := map[string]func() wire.Envelope{
		"GetPhoneModesAsync":       func() wire.Envelope { return f.handle("8001", wire.MethodGetPhoneModes, nil) },
		"GetAgentStatesAsync":      func() wire.Envelope { return f.handle("8001", wire.MethodGetAgentStates, nil) },
		"GetWebPhoneInfoAsync":     func() wire.Envelope { return f.terminalAs("xxxxx", wire.TerminalWebRTC) },
		"GetCallInWrapUpTimeAsync": func() wire.Envelope { return f.handle("8001", wire.MethodGetCallInWrapUpTime, nil) },
		"GetSpNumbersAsync": func() wire.Envelope {
			return f.handle("8001", wire.MethodGetSpNumbers, []byte(`{"OwnerType":"app"}`))
		},
		"GetCurrentSpNumberAsync": func() wire.Envelope {
			return f.handle("8001", wire.MethodGetCurrentSpNumber, []byte(`{"OwnerType":"agent"}`))
		},
		"GetAgentTerminalInfoAsync": func() wire.Envelope { return f.terminalAs("xxxxx", wire.TerminalVoip) },
		"GetIvrNodesAsync":          func() wire.Envelope { return f.handle("8001", wire.MethodGetIvrNodes, []byte(`{"id":"25"}`)) },
		"GetQueuesAgentsAsync":      func() wire.Envelope { return f.handle("8001", wire.MethodGetQueuesAgents, nil) },
		"GetOtherAgentsAsync": func() wire.Envelope {
			return f.handle("8001", wire.MethodGetOtherAgents, []byte(`{"State":"idle"}`))
		},
		"GetNumberPoolAndSpNumAsync": func() wire.Envelope {
			return f.handle("8001", wire.MethodGetNumberPoolAndSpNum, []byte(`{"type":2}`))
		},
		"SetSpNumberPoolNumAsync": func() wire.Envelope {
			return f.handle("8001", wire.MethodSetSpNumberPoolNum, []byte(`{"type":2,"id":"xxxxxx"}`))
		},
		"MuteAsync_UnmuteAsync": func() wire.Envelope { return f.handle("8001", wire.MethodMute, []byte(`{"CallId":"xxxxxx"}`)) },
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "wire", "methods", "*.reply.json"))
	if len(files) != 36 {
		t.Fatalf("%d replies", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".reply.json")[3:]
		t.Run(name, func(t *testing.T) {
			want, _ := os.ReadFile(file)
			p, ok := produce[name]
			if !ok {
				// Every other documented reply is a plain success.
				p = func() wire.Envelope { return success(nil) }
				var env wire.Envelope
				_ = json.Unmarshal(want, &env)
				if string(env.Data) != "null" {
					t.Fatalf("no producer for %s", name)
				}
			}
			env := p()
			if !env.OK() {
				t.Fatalf("failure %+v", env)
			}
			sameJSON(t, want, env)
		})
	}
}

// terminalAs answers a terminal query for an agent named as the example.
func (f *Front) terminalAs(agent, kind string) wire.Envelope { return f.terminal(agent, kind) }

func TestGoldenEventsProduced(t *testing.T) {
	originated := callView{
		CallID: "ea648a5d-56f6-432b-44e1-0941febbb870", Status: wire.StatusOriginated, CallType: wire.CallTypeOtherIn,
		Direction: wire.DirectionOutbound, WorkFlow: wire.WorkFlowOutCallback,
		Agent: wire.Party{TelNumber: "90310468561028"}, Caller: wire.Party{TelNumber: "90310468561028"},
		Called: wire.Party{TelNumber: "15712886965", City: "北京"}, Customer: wire.Party{TelNumber: "15712886965", City: "北京"},
		Display: wire.Party{TelNumber: "051480114036", City: "扬州市"}, ChannelUUID: "42de0839-74ba-442d-a3a5-7744029bd573",
		Authority: wire.CallAuthority{OnBarButtonSwitch: true, AllowTransferAfterThreeWay: true},
	}
	produce := map[string]func() wire.ServerFrame{
		wire.EventAgentStateChanged: func() wire.ServerFrame {
			return okEvent(wire.EventAgentStateChanged, agentStateChangedData(agentState{State: wire.StateBusy}, agentState{State: wire.StateIdle}))
		},
		wire.EventPhoneModeChanged: func() wire.ServerFrame {
			return okEvent(wire.EventPhoneModeChanged, phoneModeChangedData(wire.ModeVoip, wire.ExtStateOffline, "90310468561028"))
		},
		wire.EventPhoneStateChanged: func() wire.ServerFrame {
			return okEvent(wire.EventPhoneStateChanged, phoneStateChangedData("", wire.ExtStateBusy))
		},
		wire.EventReady: func() wire.ServerFrame {
			return okEvent(wire.EventReady, readyData(wire.ExtStateOffline, wire.ModeVoip, agentState{State: wire.StateBusy}))
		},
		wire.EventAdvancedCallStatusChanged: func() wire.ServerFrame {
			return okEvent(wire.EventAdvancedCallStatusChanged, advancedData(originated, wire.EventOriginated))
		},
		wire.EventGetState: func() wire.ServerFrame {
			return okEvent(wire.EventGetState, stateData(stateSnapshot{Agent: agentState{State: wire.StateIdle},
				Mode: wire.ModeVoip, ExtState: wire.ExtStateIdle, Number: "90310468561028"}))
		},
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "wire", "events", "*.json"))
	if len(files) != 14 {
		t.Fatalf("%d events", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")[3:]
		t.Run(name, func(t *testing.T) {
			want, _ := os.ReadFile(file)
			p, ok := produce[name]
			if !ok && wire.CallEvents[name] {
				// The document shows the call events' fields, empty.
				p = func() wire.ServerFrame { return okEvent(name, callEventData(callView{})) }
			}
			if p == nil {
				t.Fatalf("no producer for %s", name)
			}
			fr := p()
			if fr.Event != name {
				t.Fatalf("event %q", fr.Event)
			}
			sameJSON(t, want, fr.Envelope)
		})
	}
}

// TestGoldenRequestsUnderstood: every documented call reaches the center
// as what it means.
func TestGoldenRequestsUnderstood(t *testing.T) {
	f, fc := goldenFront(t)
	fc.callerIDs = []callcenter.CallerIDConfig{{ID: "x8", Number: "xxxxxxxx"}, {ID: "x6", Number: "xxxxxx"}}
	want := map[string]string{
		"MakeCallAsync":               "PlaceCall(8001,xxxxxxxxxxx,map[])",
		"HangupAsync":                 "LegHangup(xxxxxxxxx,8001)",
		"SetAgentStateAsync":          "SetAgentState(8001,busy); SetAgentState(8001,break(101))",
		"SetSpNumberAsync":            "",
		"RetrieveAfterThreeWayAsync":  "ConsultCancel(xxxxxxxxx,8001)",
		"EndConsultationAsync":        "ConsultCancel(xxxxxxxxx,8001)",
		"RecoveryAsync":               "LegHold(xxxxxxxxx,8001,false)",
		"ConsultationToThreeWayAsync": "ConsultConference(xxxxxxxxx,8001)",
		"TransferAfterThreeWayAsync":  "ConsultTransfer(xxxxxxxxx,8001)",
		"WhisperAsync":                "Monitor(8001,xxxxxxxxx,whisper)",
		"ForcePickupAsync":            "Monitor(8001,xxxxxxxxx,barge)",
		"TransferIvrAsync":            "Transfer(xxxxxxxxx,8001,ivr:)",
		"TransferAsync":               "Transfer(xxxxxxxxx,8001,agent:xxxxxxxxx); Transfer(xxxxxxxxx,8001,agent:xxxxxxxxx)",
		"HoldAsync":                   "LegHold(xxxxxxxxx,8001,true)",
		"ConsultationAsync":           "ConsultTo(xxxxxxxxx,8001,agent:xxx,false)",
		"ThreewayAsync":               "ConsultTo(xxxxxxxxx,8001,agent:xxx,true)",
		"ConsultationToTransferAsync": "ConsultTransfer(xxxxxxxxx,8001)",
		"TransferQueueAsync":          "Transfer(xxxxxxxxx,8001,queue:q-xxx)",
		"SubstituteAsync":             "Monitor(8001,xxx,takeover)",
		"EavesdropAsync":              "Monitor(8001,xxx,listen)",
		"SetSpNumberPoolNumAsync":     "SetCallerID(8001,x6)",
		"ConnectAsync":                "",
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "wire", "methods", "*.request.json"))
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".request.json")[3:]
		t.Run(name, func(t *testing.T) {
			b, _ := os.ReadFile(file)
			var reqs []json.RawMessage
			if err := json.Unmarshal(b, &reqs); err != nil {
				t.Fatal(err)
			}
			fc.took()
			for _, raw := range reqs {
				req, err := wire.DecodeRequest(raw)
				if err != nil {
					t.Fatal(err)
				}
				if req.Method == wire.MethodConnect {
					var p wire.ConnectParams
					if err := json.Unmarshal(req.Params, &p); err != nil || p.Token != "xxxxxxxxxx" {
						t.Fatalf("%+v %v", p, err)
					}
					continue
				}
				env := f.handle("8001", req.Method, req.Params)
				if env.Code == wire.CodeBadParams || env.Code == wire.CodeUnknownMethod {
					t.Fatalf("%s not understood: %+v", req.Method, env)
				}
			}
			if w, ok := want[name]; ok {
				if got := fc.took(); got != w {
					t.Fatalf("the center was asked %q, want %q", got, w)
				}
			}
		})
	}
}
