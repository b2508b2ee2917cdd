package emicsim

import "agentbar/vendors/callcenter"

// Center is the part of the simulated call center this front uses;
// *callcenter.Center implements it. It says what an Emicnet front needs
// from a center.
type Center interface {
	Agent(id string) (callcenter.AgentInfo, bool)
	Agents() []callcenter.AgentInfo
	Authenticate(id, password string) error
	Kick(id, reason string) error
	SignOut(id, reason string) error
	SetAgentState(id string, s callcenter.AgentState) error
	SetAgentDevice(agentID string, d callcenter.Device) error
	AnswerDevice(id callcenter.CallID, agentID string) error

	PlaceCall(agentID, number string, opts callcenter.PlaceOptions) (callcenter.CallInfo, error)
	LegHangup(id callcenter.CallID, agentID string) error
	LegFailed(id callcenter.CallID, agentID string, why callcenter.Failure) error
	DialHangup(id callcenter.CallID, agentID string) error
	LegHold(id callcenter.CallID, agentID string, on bool) error
	DTMF(id callcenter.CallID, agentID, digits string) error
	Transfer(id callcenter.CallID, agentID string, to callcenter.Target) error
	Monitor(supervisorID, agentID string, mode callcenter.MonitorMode) error

	Call(id callcenter.CallID) (callcenter.CallInfo, bool)
	Queues() []callcenter.QueueConfig
	Clock() callcenter.Clock
	Subscribe() *callcenter.Subscription
	Faults() *callcenter.Faults
}

var _ Center = (*callcenter.Center)(nil)
