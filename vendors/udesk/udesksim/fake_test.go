package udesksim

import (
	"fmt"
	"strings"
	"sync"

	"agentbar/vendors/callcenter"
)

// fakeCenter is an in-memory Center for the front's unit tests: it records
// what the front asks for and answers from fixed data.
type fakeCenter struct {
	mu        sync.Mutex
	log       []string
	agents    []callcenter.AgentInfo
	breaks    []callcenter.BreakReason
	queues    []callcenter.QueueConfig
	callerIDs []callcenter.CallerIDConfig
	ivrs      []callcenter.IVRInfo
	pools     []callcenter.PoolInfo
	faults    *callcenter.Faults
	cc        *callcenter.Center // for Subscribe and Faults only
}

func newFakeCenter() *fakeCenter {
	cc, err := callcenter.New(callcenter.Config{})
	if err != nil {
		panic(err)
	}
	return &fakeCenter{cc: cc, faults: cc.Faults()}
}

func (f *fakeCenter) did(format string, args ...any) error {
	f.mu.Lock()
	f.log = append(f.log, fmt.Sprintf(format, args...))
	f.mu.Unlock()
	return nil
}

func (f *fakeCenter) took() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := strings.Join(f.log, "; ")
	f.log = nil
	return out
}

func (f *fakeCenter) Agent(id string) (callcenter.AgentInfo, bool) {
	for _, a := range f.agents {
		if a.ID == id {
			return a, true
		}
	}
	return callcenter.AgentInfo{ID: id, State: callcenter.StateReady}, true
}
func (f *fakeCenter) Agents() []callcenter.AgentInfo         { return f.agents }
func (f *fakeCenter) Secret(id string) (string, error)       { return "xxxxx", nil }
func (f *fakeCenter) Authenticate(id, password string) error { return nil }
func (f *fakeCenter) SignIn(id string) error                 { return f.did("SignIn(%s)", id) }
func (f *fakeCenter) SignOut(id, reason string) error        { return f.did("SignOut(%s)", id) }
func (f *fakeCenter) SetAgentState(id string, s callcenter.AgentState) error {
	return f.did("SetAgentState(%s,%s)", id, s)
}
func (f *fakeCenter) SetCallerID(agentID, id string) error {
	return f.did("SetCallerID(%s,%s)", agentID, id)
}
func (f *fakeCenter) PlaceCall(agentID, number string, o callcenter.PlaceOptions) (callcenter.CallInfo, error) {
	return callcenter.CallInfo{ID: "c-dial"}, f.did("PlaceCall(%s,%s,%v)", agentID, number, o.UserData)
}
func (f *fakeCenter) SetAgentDevice(agentID string, d callcenter.Device) error {
	return f.did("SetAgentDevice(%s,%s,%s)", agentID, d.Kind, d.Number)
}
func (f *fakeCenter) AnswerDevice(id callcenter.CallID, agentID string) error {
	return f.did("AnswerDevice(%s,%s)", id, agentID)
}
func (f *fakeCenter) DialHangup(id callcenter.CallID, agentID string) error {
	return f.did("DialHangup(%s,%s)", id, agentID)
}
func (f *fakeCenter) LegAnswered(id callcenter.CallID, agentID string) error {
	return f.did("LegAnswered(%s,%s)", id, agentID)
}
func (f *fakeCenter) LegFailed(id callcenter.CallID, agentID string, why callcenter.Failure) error {
	return f.did("LegFailed(%s,%s,%s)", id, agentID, why)
}
func (f *fakeCenter) LegHangup(id callcenter.CallID, agentID string) error {
	return f.did("LegHangup(%s,%s)", id, agentID)
}
func (f *fakeCenter) LegHold(id callcenter.CallID, agentID string, on bool) error {
	return f.did("LegHold(%s,%s,%v)", id, agentID, on)
}
func (f *fakeCenter) ResolveTarget(number string) (callcenter.Target, bool) {
	if number == "xxx" {
		return callcenter.Target{Kind: callcenter.TargetQueue, ID: "q-xxx"}, true
	}
	return callcenter.Target{Kind: callcenter.TargetAgent, ID: number}, true
}
func (f *fakeCenter) Transfer(id callcenter.CallID, agentID string, to callcenter.Target) error {
	return f.did("Transfer(%s,%s,%s:%s)", id, agentID, to.Kind, to.ID)
}
func (f *fakeCenter) ResolveNumber(number string) (callcenter.Target, error) {
	if number == "13700000000" {
		return callcenter.Target{Kind: callcenter.TargetOutside, ID: number}, nil
	}
	t, _ := f.ResolveTarget(number)
	return t, nil
}
func (f *fakeCenter) ConsultTo(id callcenter.CallID, agentID string, to callcenter.Target, conference bool) error {
	return f.did("ConsultTo(%s,%s,%s:%s,%v)", id, agentID, to.Kind, to.ID, conference)
}
func (f *fakeCenter) ConsultCancel(id callcenter.CallID, agentID string) error {
	return f.did("ConsultCancel(%s,%s)", id, agentID)
}
func (f *fakeCenter) ConsultTransfer(id callcenter.CallID, agentID string) error {
	return f.did("ConsultTransfer(%s,%s)", id, agentID)
}
func (f *fakeCenter) ConsultConference(id callcenter.CallID, agentID string) error {
	return f.did("ConsultConference(%s,%s)", id, agentID)
}
func (f *fakeCenter) Monitor(supervisorID, agentID string, mode callcenter.MonitorMode) error {
	return f.did("Monitor(%s,%s,%s)", supervisorID, agentID, mode)
}
func (f *fakeCenter) GroupAgents(string) ([]callcenter.AgentInfo, error) { return f.agents, nil }

// Call: every call exists and the asking agent serves it, talking.
func (f *fakeCenter) Call(id callcenter.CallID) (callcenter.CallInfo, bool) {
	return callcenter.CallInfo{ID: id, Agent: "8001", Phase: callcenter.PhaseTalking, Parties: []string{"8001"}}, true
}
func (f *fakeCenter) CallOf(agentID string) (callcenter.CallInfo, bool) {
	return callcenter.CallInfo{ID: "xxxxxxxxx", Agent: agentID, Phase: callcenter.PhaseTalking, Parties: []string{agentID}}, true
}
func (f *fakeCenter) BreakReasons() []callcenter.BreakReason { return f.breaks }
func (f *fakeCenter) Queues() []callcenter.QueueConfig       { return f.queues }
func (f *fakeCenter) CallerIDs() []callcenter.CallerIDConfig { return f.callerIDs }
func (f *fakeCenter) IVRFlows() []callcenter.IVRInfo         { return f.ivrs }
func (f *fakeCenter) Pools() []callcenter.PoolInfo           { return f.pools }
func (f *fakeCenter) Subscribe() *callcenter.Subscription    { return f.cc.Subscribe() }
func (f *fakeCenter) Faults() *callcenter.Faults             { return f.faults }

var _ Center = (*fakeCenter)(nil)
