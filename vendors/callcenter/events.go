package callcenter

import "time"

// Event is something the center tells its front-ends. Concrete types below;
// front-ends translate them into their protocol (SIP INVITE/CANCEL/BYE,
// a platform's JSON push ...).
type Event interface{ isEvent() }

// AgentStateChanged: an agent's state changed.
type AgentStateChanged struct {
	Agent    string
	From, To AgentState
	At       time.Time
}

// CallCreated: a call entered the center (a customer called, an agent dialled).
type CallCreated struct{ Call CallInfo }

// LegOffer: ring Agent's endpoint for the call in Role. From is the number
// the agent sees. AutoAnswer asks the endpoint to answer by itself
// (supervisor legs).
type LegOffer struct {
	Call       CallInfo
	Agent      string
	Role       Role
	From       string
	FromName   string
	AutoAnswer bool
}

// LegCancel: stop ringing Agent (ring timeout, the caller gave up).
type LegCancel struct {
	Call   CallID
	Agent  string
	Reason string
}

// LegRelease: hang up Agent's answered leg (the customer hung up, a
// transfer, a take-over).
type LegRelease struct {
	Call   CallID
	Agent  string
	Reason string
}

// CallAnswered: the callee of a call an agent dialled answered; the
// front-end completes the dialling agent's leg.
type CallAnswered struct{ Call CallInfo }

// MixChanged: who hears whom in the call changed.
type MixChanged struct {
	Call CallID
	Mix  Mix
}

// CustomerStep: the simulated customer starts a step of its script (speaks,
// pauses, presses digits).
type CustomerStep struct {
	Call  CallID
	Index int
	Step  Step
	Voice Voice
}

// DTMFReceived: digits arrived from a party of the call.
type DTMFReceived struct {
	Call   CallID
	From   string
	Digits string
}

// CallEnded: the call is over. Status is the SIP-style status a dialling
// agent's leg should get when the call never connected (486 busy, 480 no
// answer, 404 ...); 0 otherwise.
type CallEnded struct {
	Call   CallInfo
	CDR    CDR
	Status int
}

// AgentKicked: the agent was signed out by the center (logged in
// elsewhere). Front-ends tell the endpoint and drop its session.
type AgentKicked struct {
	Agent string
	Err   *AgentError
}

// FaultInjected: a one-shot fault for the front-ends to carry out (drop
// connections, restart, a malformed message, an expired token).
type FaultInjected struct{ Fault Fault }

func (AgentStateChanged) isEvent() {}
func (CallCreated) isEvent()       {}
func (LegOffer) isEvent()          {}
func (LegCancel) isEvent()         {}
func (LegRelease) isEvent()        {}
func (CallAnswered) isEvent()      {}
func (MixChanged) isEvent()        {}
func (CustomerStep) isEvent()      {}
func (DTMFReceived) isEvent()      {}
func (CallEnded) isEvent()         {}
func (AgentKicked) isEvent()       {}
func (FaultInjected) isEvent()     {}
