package udesk

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// recordingServer is a platform that records every request (socket and
// HTTP) and answers success, for the request goldens.
type recordingServer struct {
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []wire.Request
	recorded chan struct{} // a token per request recorded
}

func newRecordingServer(t *testing.T) *recordingServer {
	t.Helper()
	rs := &recordingServer{recorded: make(chan struct{}, 1024)}
	up := websocket.Upgrader{}
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"data":{"appId":"xxxxxxx","timestamp":"xxxxxx","token":"xxxxxxxxxx"}}`)
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			req, err := wire.DecodeRequest(b)
			if err != nil {
				t.Errorf("adapter sent a malformed request: %v", err)
				return
			}
			rs.record(req)
			data := json.RawMessage("null")
			if req.Method == wire.MethodGetState {
				data = json.RawMessage(`{}`)
			}
			out, _ := json.Marshal(wire.ServerFrame{Id: req.Id, Envelope: wire.Envelope{Code: wire.CodeOK, Data: data}})
			if err := ws.WriteMessage(websocket.TextMessage, out); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/backend/", func(w http.ResponseWriter, r *http.Request) {
		method := strings.TrimPrefix(r.URL.Path, "/backend/")
		body, _ := io.ReadAll(r.Body)
		rs.record(wire.Request{Method: method, Params: body})
		data := json.RawMessage("null")
		if method == wire.MethodGetOtherAgents {
			data = json.RawMessage(`[{"AgentId":"xxxxxxxxx","CallID":"xxxxxxxxx"},{"AgentId":"xxx","CallID":"xxxxxxxxx"}]`)
		}
		_ = json.NewEncoder(w).Encode(wire.Envelope{Code: wire.CodeOK, Data: data})
	})
	rs.srv = httptest.NewServer(mux)
	t.Cleanup(rs.srv.Close)
	return rs
}

func (rs *recordingServer) record(r wire.Request) {
	rs.mu.Lock()
	rs.reqs = append(rs.reqs, r)
	rs.mu.Unlock()
	rs.recorded <- struct{}{}
}

// waitRecorded waits for the next recorded request (requests without a
// reply, like Disconnect, are recorded after the call returned).
func (rs *recordingServer) waitRecorded(t *testing.T) {
	t.Helper()
	select {
	case <-rs.recorded:
	case <-time.After(5 * time.Second):
		t.Fatal("nothing recorded")
	}
}

func (rs *recordingServer) reset() {
	rs.mu.Lock()
	rs.reqs = nil
	rs.mu.Unlock()
	for len(rs.recorded) > 0 {
		<-rs.recorded
	}
}

func (rs *recordingServer) requests() []wire.Request {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]wire.Request(nil), rs.reqs...)
}

// adapter is a cellphone-mode adapter connected to the recorder, with the
// document's placeholder identity.
func (rs *recordingServer) adapter(t *testing.T) *Adapter {
	t.Helper()
	base := strings.TrimPrefix(rs.srv.URL, "http://")
	a, err := NewAdapter(core.Config{Fields: map[string]string{
		fieldAppID: "xxxxxxx", fieldAgentID: "xxxxxxx", fieldTokenURL: rs.srv.URL + "/token",
		fieldDomain: "ws://" + base + "/ws", fieldHTTPDomain: rs.srv.URL + "/backend", fieldPhoneMode: "cellphone",
	}}, Options{RequestTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	a.sink = &recordingSink{}
	a.life, a.cancel = context.WithCancel(context.Background())
	if err := a.connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = a.shutdown(ctx)
	})
	return a
}

// goldenCalls makes, through the adapter, each call example of the
// document, with the example's values.
func goldenCalls(a *Adapter, rs *recordingServer) map[string]func(t *testing.T) {
	const id = "xxxxxxxxx"
	bg := func() context.Context { return context.Background() }
	track := func(ids ...string) {
		a.mu.Lock()
		for _, x := range ids {
			a.calls[x] = &callRec{id: x, state: core.CallTalking, legReady: make(chan struct{})}
		}
		a.mu.Unlock()
	}
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	return map[string]func(t *testing.T){
		"Disconnect": func(t *testing.T) {
			must(t, a.sock.notify(bg(), wire.MethodDisconnect))
			rs.waitRecorded(t)
		},
		"ConnectAsync": func(t *testing.T) {
			a.mu.Lock()
			old := a.sock
			a.mu.Unlock()
			must(t, a.connect(bg()))
			old.close()
		},
		"MakeCallAsync": func(t *testing.T) {
			_ = a.Dial(bg(), core.DialRequest{Tag: "t1", Number: "xxxxxxxxxxx"}) // no event names the call here
		},
		"HangupAsync":         func(t *testing.T) { must(t, a.Hangup(bg(), id)) },
		"AnswerAsync":         func(t *testing.T) { track(id); must(t, a.Answer(bg(), id)) },
		"SetPhoneModeAsync":   func(t *testing.T) { must(t, a.SetDeviceMode(bg(), wire.ModeVoip)) },
		"GetPhoneModesAsync":  func(t *testing.T) { _, err := a.DeviceModes(bg()); must(t, err) },
		"GetAgentStatesAsync": func(t *testing.T) { _, err := a.BreakReasons(bg()); must(t, err) },
		"SetAgentStateAsync": func(t *testing.T) {
			must(t, a.SetAgentState(bg(), core.BusyState()))
			must(t, a.SetAgentState(bg(), core.BreakState("101", "午饭")))
		},
		"GetWebPhoneInfoAsync": func(t *testing.T) {
			if err := a.startPhone(bg(), wire.ModeWebRTC); !errors.Is(err, ErrNoTerminal) {
				t.Fatalf("an empty web phone account: %v", err)
			}
		},
		"GetCallInWrapUpTimeAsync": func(t *testing.T) { a.loadSettings(bg()) },
		"GetSpNumbersAsync":        func(t *testing.T) { _, err := a.CallerIDs(bg()); must(t, err) },
		"GetCurrentSpNumberAsync":  func(t *testing.T) { _, err := a.spNumber(bg(), wire.OwnerApp); must(t, err) },
		"SetSpNumberAsync":         func(t *testing.T) { must(t, a.setSpNumber(bg(), wire.OwnerApp, "xxxxxxxx")) },
		"GetAgentTerminalInfoAsync": func(t *testing.T) {
			if err := a.startPhone(bg(), wire.ModeVoip); !errors.Is(err, ErrNoTerminal) {
				t.Fatalf("an empty terminal account: %v", err)
			}
		},
		"RetrieveAfterThreeWayAsync":  func(t *testing.T) { must(t, a.ConferenceRetrieve(bg(), id)) },
		"EndConsultationAsync":        func(t *testing.T) { must(t, a.ConsultCancel(bg(), id)) },
		"RecoveryAsync":               func(t *testing.T) { must(t, a.Resume(bg(), id)) },
		"ConsultationToThreeWayAsync": func(t *testing.T) { must(t, a.ConsultConference(bg(), id)) },
		"TransferAfterThreeWayAsync":  func(t *testing.T) { must(t, a.ConferenceTransfer(bg(), id)) },
		"WhisperAsync":                func(t *testing.T) { must(t, a.Monitor(bg(), id, core.MonitorWhisper)) },
		"ForcePickupAsync": func(t *testing.T) {
			a.mu.Lock()
			a.deviceNumber = "xxxxxx"
			a.mu.Unlock()
			must(t, a.Monitor(bg(), id, core.MonitorBarge))
		},
		"TransferIvrAsync":     func(t *testing.T) { must(t, a.Transfer(bg(), id, core.Target{Kind: core.TargetIVR})) },
		"GetIvrNodesAsync":     func(t *testing.T) { _, err := a.ivrNodes(bg(), "25"); must(t, err) },
		"GetQueuesAgentsAsync": func(t *testing.T) { _, err := a.Targets(bg(), core.TargetQueue); must(t, err) },
		"TransferAsync": func(t *testing.T) {
			must(t, a.Transfer(bg(), id, core.Target{Kind: core.TargetAgent, ID: id}))
			must(t, a.Transfer(bg(), id, core.Target{Kind: core.TargetNumber, ID: id}))
		},
		"HoldAsync":         func(t *testing.T) { must(t, a.Hold(bg(), id)) },
		"ConsultationAsync": func(t *testing.T) { must(t, a.Consult(bg(), id, core.Target{Kind: core.TargetAgent, ID: "xxx"})) },
		"ThreewayAsync":     func(t *testing.T) { must(t, a.Conference(bg(), id, core.Target{Kind: core.TargetAgent, ID: "xxx"})) },
		"ConsultationToTransferAsync": func(t *testing.T) {
			a.mu.Lock()
			a.consulted[id] = core.Target{Kind: core.TargetAgent, ID: "xxx"}
			a.mu.Unlock()
			must(t, a.ConsultTransfer(bg(), id))
		},
		"TransferQueueAsync": func(t *testing.T) { must(t, a.Transfer(bg(), id, core.Target{Kind: core.TargetQueue, ID: "xxx"})) },
		"SubstituteAsync":    func(t *testing.T) { must(t, a.Monitor(bg(), "xxx", core.MonitorTakeOver)) },
		"EavesdropAsync":     func(t *testing.T) { must(t, a.Monitor(bg(), "xxx", core.MonitorListen)) },
		"GetOtherAgentsAsync": func(t *testing.T) {
			_, err := a.otherAgents(bg(), wire.StateIdle)
			must(t, err)
		},
		"GetNumberPoolAndSpNumAsync": func(t *testing.T) { _, err := a.pools(bg(), wire.PoolTypeSpNumber); must(t, err) },
		"SetSpNumberPoolNumAsync":    func(t *testing.T) { must(t, a.choosePool(bg(), wire.PoolTypeSpNumber, "xxxxxx")) },
		"MuteAsync_UnmuteAsync": func(t *testing.T) {
			track("xxxxxx")
			must(t, a.Mute(bg(), "xxxxxx", true))
			must(t, a.Mute(bg(), "xxxxxx", false))
		},
	}
}
