package udesksim

import "agentbar/vendors/callcenter"

// Center is the part of the simulated call center this front uses;
// *callcenter.Center implements it. Keeping it small says what a Udesk
// front needs from a center, and lets the front's unit tests run on a fake.
type Center interface {
	Agent(id string) (callcenter.AgentInfo, bool)
	Agents() []callcenter.AgentInfo
	Secret(id string) (string, error)
	Authenticate(id, password string) error
	SignIn(id string) error
	SignOut(id, reason string) error
	SetAgentState(id string, s callcenter.AgentState) error
	SetCallerID(agentID, id string) error

	PlaceCall(agentID, number string, opts callcenter.PlaceOptions) (callcenter.CallInfo, error)
	DialHangup(id callcenter.CallID, agentID string) error
	LegAnswered(id callcenter.CallID, agentID string) error
	LegFailed(id callcenter.CallID, agentID string, why callcenter.Failure) error
	LegHangup(id callcenter.CallID, agentID string) error
	LegHold(id callcenter.CallID, agentID string, on bool) error

	SetAgentDevice(agentID string, d callcenter.Device) error
	AnswerDevice(id callcenter.CallID, agentID string) error

	ResolveTarget(number string) (callcenter.Target, bool)
	ResolveNumber(number string) (callcenter.Target, error)
	Transfer(id callcenter.CallID, agentID string, to callcenter.Target) error
	ConsultTo(id callcenter.CallID, agentID string, to callcenter.Target, conference bool) error
	ConsultCancel(id callcenter.CallID, agentID string) error
	ConsultTransfer(id callcenter.CallID, agentID string) error
	ConsultConference(id callcenter.CallID, agentID string) error
	Monitor(supervisorID, agentID string, mode callcenter.MonitorMode) error
	GroupAgents(supervisorID string) ([]callcenter.AgentInfo, error)

	Call(id callcenter.CallID) (callcenter.CallInfo, bool)
	CallOf(agentID string) (callcenter.CallInfo, bool)
	BreakReasons() []callcenter.BreakReason
	Queues() []callcenter.QueueConfig
	CallerIDs() []callcenter.CallerIDConfig
	IVRFlows() []callcenter.IVRInfo
	Pools() []callcenter.PoolInfo

	Subscribe() *callcenter.Subscription
	Faults() *callcenter.Faults
}

var _ Center = (*callcenter.Center)(nil)
