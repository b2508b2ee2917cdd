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

// LegPhase is where a leg the center plays itself stands: an agent's
// device elsewhere (DeviceLeg) or an outside callee (OutsideLeg).
type LegPhase string

// Leg phases.
const (
	LegPhaseRinging LegPhase = "ringing"
	LegPhaseUp      LegPhase = "up"   // answered: its voice joins the call's room
	LegPhaseDown    LegPhase = "down" // hung up, refused, cancelled or never answered
)

// DeviceLeg: the leg of an agent whose device is elsewhere (SetAgentDevice:
// a callback number or a SIP phone the center calls itself) rings, goes off
// hook or hangs up. Such an agent gets no LegOffer: the center rings its
// simulated phone, which answers when the platform asks (AnswerDevice) or
// by itself. Media front-ends join the phone as party Agent of the call's
// room, speaking Device.Voice, from LegPhaseUp to LegPhaseDown; platform
// front-ends show the ringing (LegPhaseRinging) as they would an offer.
// LegCancel and LegRelease still come for the agent as for any leg.
type DeviceLeg struct {
	Call       CallInfo
	Agent      string
	Role       Role
	Device     Device
	Phase      LegPhase
	From       string // ringing: the number the phone shows
	FromName   string
	AutoAnswer bool   // ringing: the center asked for auto-answer (a SIP phone honours it)
	Reason     string // down: why
}

// OutsideLeg: an outside number rung for a transfer, a consult or a
// three-way call (TargetOutside) rings, answers or leaves. The callee is a
// simulated customer (Customer: its voice and script); media front-ends
// join it as party Party of the call's room from LegPhaseUp to
// LegPhaseDown, speaking Customer.Voice (and OutsideStep's voices when it
// has a script).
type OutsideLeg struct {
	Call     CallInfo
	Party    string // OutsideParty(Number)
	Number   string
	Customer Customer
	Phase    LegPhase
	Reason   string // down: why
	Status   int    // down before answering: 486 busy, 480 no answer, 487 cancelled
}

// OutsideStep: an outside callee starts a step of its script (speaks,
// pauses, presses digits), as CustomerStep does for the simulated customer.
type OutsideStep struct {
	Call  CallID
	Party string
	Index int
	Step  Step
	Voice Voice
}

// AgentCallStarted: an agent's leg of a call was answered: the agent takes
// part in the call from now (serving, dialling, consulted, monitoring).
// Supervisor front-ends list their group's calls from it (Emicnet's
// repCallStatus); a leg that never answered gives neither this nor
// AgentCallEnded.
type AgentCallStarted struct {
	Agent string
	Role  Role
	Call  CallInfo
	At    time.Time
}

// AgentCallEnded: that answered leg ended (hang-up, transfer, take-over,
// the end of the call).
type AgentCallEnded struct {
	Agent   string
	Role    Role
	Call    CallInfo
	Started time.Time
	At      time.Time
	Reason  string
}

// AgentDeviceChanged: an agent's device was set (SetAgentDevice). A front
// that registered the agent should not sign it out when its registration
// lapses while the device is elsewhere.
type AgentDeviceChanged struct {
	Agent  string
	Device Device
}

// FaultInjected: a one-shot fault for the front-ends to carry out (drop
// connections, restart, a malformed message, an expired token).
type FaultInjected struct{ Fault Fault }

func (AgentStateChanged) isEvent()  {}
func (CallCreated) isEvent()        {}
func (LegOffer) isEvent()           {}
func (LegCancel) isEvent()          {}
func (LegRelease) isEvent()         {}
func (CallAnswered) isEvent()       {}
func (MixChanged) isEvent()         {}
func (CustomerStep) isEvent()       {}
func (DTMFReceived) isEvent()       {}
func (CallEnded) isEvent()          {}
func (AgentKicked) isEvent()        {}
func (FaultInjected) isEvent()      {}
func (DeviceLeg) isEvent()          {}
func (OutsideLeg) isEvent()         {}
func (OutsideStep) isEvent()        {}
func (AgentCallStarted) isEvent()   {}
func (AgentCallEnded) isEvent()     {}
func (AgentDeviceChanged) isEvent() {}
