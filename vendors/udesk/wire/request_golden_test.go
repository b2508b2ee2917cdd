package wire

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"agentbar/vendors/udesk/internal/seedjs"
)

// paramsOf says which Params type each method takes (nil: none).
var paramsOf = map[string]func() any{
	MethodConnect: func() any { return &ConnectParams{} }, MethodMakeCall: func() any { return &MakeCallParams{} },
	MethodHangup: func() any { return &CallParams{} }, MethodSetPhoneMode: func() any { return &PhoneModeParams{} },
	MethodSetAgentState: func() any { return &AgentStateParams{} }, MethodGetSpNumbers: func() any { return &OwnerParams{} },
	MethodGetCurrentSpNumber: func() any { return &OwnerParams{} }, MethodSetSpNumber: func() any { return &SpNumberParams{} },
	MethodGetAgentTerminalInfo: func() any { return &TerminalParams{} }, MethodRetrieveAfterThreeWay: func() any { return &CallParams{} },
	MethodEndConsultation: func() any { return &CallParams{} }, MethodRecovery: func() any { return &CallParams{} },
	MethodConsultationToThreeWay: func() any { return &CallParams{} }, MethodTransferAfterThreeWay: func() any { return &CallParams{} },
	MethodWhisper: func() any { return &AgentParams{} }, MethodForcePickup: func() any { return &AgentParams{} },
	MethodTransferIvr: func() any { return &TransferIvrParams{} }, MethodGetIvrNodes: func() any { return &IvrNodesParams{} },
	MethodTransfer: func() any { return &AgentParams{} }, MethodHold: func() any { return &CallParams{} },
	MethodConsultation: func() any { return &AgentParams{} }, MethodThreeway: func() any { return &AgentParams{} },
	MethodConsultationToTransfer: func() any { return &AgentParams{} }, MethodTransferQueue: func() any { return &TransferQueueParams{} },
	MethodSubstitute: func() any { return &AgentParams{} }, MethodEavesdrop: func() any { return &AgentParams{} },
	MethodGetOtherAgents: func() any { return &OtherAgentsParams{} }, MethodGetNumberPoolAndSpNum: func() any { return &PoolParams{} },
	MethodSetSpNumberPoolNum: func() any { return &PoolParams{} }, MethodMute: func() any { return &CallParams{} },
	MethodUnmute: func() any { return &CallParams{} },
}

var callLine = regexp.MustCompile(`UdeskCCPaasApiClassInstance\.([A-Za-z]+)\((.*?)\)\.then|UdeskCCPaasApiClassInstance\.([A-Za-z]+)\(\)`)

// TestRequestGoldens: every call example of the document has its wire
// request under testdata/wire; the method is the one called; where the
// example passes an object literal, Params is exactly that object; and the
// request round-trips through its Params type.
func TestRequestGoldens(t *testing.T) {
	calls := seedFiles(t, "methods/*.call.js")
	if len(calls) != 37 {
		t.Fatalf("%d call examples, want 37 (36 methods, Mute/Unmute together)", len(calls))
	}
	covered := map[string]bool{}
	for _, f := range calls {
		src, _ := os.ReadFile(f)
		lines := strings.Split(strings.TrimSpace(string(src)), "\n")
		dst := strings.TrimSuffix(wirePath(f), ".call.json") + ".request.json"
		raw, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		var reqs []json.RawMessage
		if err := json.Unmarshal(raw, &reqs); err != nil {
			t.Fatalf("%s: %v", dst, err)
		}
		if len(reqs) != len(lines) {
			t.Fatalf("%s: %d requests for %d call lines", dst, len(reqs), len(lines))
		}
		for i, line := range lines {
			m := callLine.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("%s: cannot read call %q", f, line)
			}
			method, arg := m[1], strings.TrimSpace(m[2])
			if method == "" {
				method = m[3]
			}
			req, err := DecodeRequest(reqs[i])
			if err != nil {
				t.Fatalf("%s: %v", dst, err)
			}
			if req.Method != method {
				t.Errorf("%s: request %d is %s, the example calls %s", dst, i, req.Method, method)
			}
			covered[method] = true
			if strings.HasPrefix(arg, "{") && !strings.Contains(arg, ",id}") && arg != "{type}" {
				want, err := seedjs.ToJSON(arg)
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				assertSameJSON(t, want, req.Params)
			}
			newParams := paramsOf[method]
			if newParams == nil {
				if len(req.Params) != 0 {
					t.Errorf("%s: %s takes no Params", dst, method)
				}
				continue
			}
			p := newParams()
			if err := json.Unmarshal(req.Params, p); err != nil {
				t.Fatalf("%s: %v", dst, err)
			}
			assertSameJSON(t, req.Params, MustData(p))
		}
	}
	for _, m := range Methods {
		if !covered[m] && m != MethodGetState {
			t.Errorf("method %s has no documented call example covered", m)
		}
	}
}
