package callcenter

import (
	"maps"
	"slices"
	"time"
)

// CallID names a call inside the center.
type CallID string

// Direction of a call, from the center's point of view.
type Direction string

// Directions.
const (
	Inbound  Direction = "inbound"  // a customer called a trunk
	Outbound Direction = "outbound" // an agent called an outside number
	Internal Direction = "internal" // an agent called an agent or a queue
)

// Phase is where a call is in its life.
type Phase string

// Call phases.
const (
	PhaseIVR      Phase = "ivr"
	PhaseQueued   Phase = "queued"
	PhaseOffering Phase = "offering" // an agent is ringing
	PhaseDialing  Phase = "dialing"  // an outbound or internal call is ringing its callee
	PhaseCallback Phase = "callback" // a platform-placed call rings the agent's own device first
	PhaseTalking  Phase = "talking"
	PhaseSurvey   Phase = "survey"
	PhaseEnded    Phase = "ended"
)

// Role is a party's place in a call.
type Role string

// Roles. The customer is the party being served: the outside caller or
// callee, or, on an internal call, the agent who dialled.
const (
	RoleCustomer   Role = "customer"
	RoleAgent      Role = "agent"
	RoleConsultee  Role = "consultee"
	RoleSupervisor Role = "supervisor"
	RoleSystem     Role = "system" // the center itself: prompts, music, ringback
	// RoleOutside is an outside number the call rang for a transfer, a
	// consult or a three-way call (TargetOutside): a simulated callee.
	RoleOutside Role = "outside"
)

// MonitorMode is what a supervisor does to an agent's call.
type MonitorMode string

// Monitor modes.
const (
	MonitorListen   MonitorMode = "listen"   // hears both, heard by nobody
	MonitorWhisper  MonitorMode = "whisper"  // heard by the agent only
	MonitorBarge    MonitorMode = "barge"    // three-way
	MonitorTakeOver MonitorMode = "takeover" // the agent's leg is dropped
	MonitorEnd      MonitorMode = "end"      // stop monitoring
	MonitorHangup   MonitorMode = "hangup"   // end the agent's call
)

// SimulatedCustomer is the party id of a simulated customer in mixes; every
// endpoint party's id is its agent id.
const SimulatedCustomer = "customer"

// SystemParty is the party id of the center's own voice.
const SystemParty = "system"

// outsidePrefix starts the party id of an outside callee.
const outsidePrefix = "outside:"

// OutsideParty is the party id, in mixes and rooms, of an outside number
// rung for a transfer, a consult or a three-way call.
func OutsideParty(number string) string { return outsidePrefix + number }

// call is the center's live record of one call. Guarded by Center.mu.
type call struct {
	id        CallID
	tenant    string
	dir       Direction
	from, to  string // caller and callee numbers
	display   string // the number the callee sees
	location  string
	customer  Customer // the simulated party, when customerAgent is ""
	custAgent string   // internal calls: the dialling agent is the customer
	phase     Phase
	queue     string
	agent     string // serving agent (offered or talking)
	agentUp   bool   // the agent's leg is answered
	served    string // the last agent who answered
	calleeUp  bool   // the dialled side of an agent's call answered
	consultee string
	consultUp bool
	conf      bool
	held      bool
	monitor   *monitor
	outside   *outsideParty // an outside callee of a transfer or consult
	placed    bool          // platform-placed: the agent's own device rang first
	placerUp  bool          // placed: the placing agent's own leg answered
	userData  map[string]string
	devices   map[string]bool // agents whose device elsewhere rang and whose leg is open
	ivr       string
	node      string
	ivrPath   []string
	digitPos  int
	dtmf      string // received from the customer's side
	pending   string // digits from an endpoint caller not yet used by a menu
	score     string
	step      int
	talkFrom  time.Time

	arrived, queuedAt, offered, answered, ended time.Time
	offers                                      int
	result                                      Result
	hangupBy                                    Role
	status                                      int // SIP-style status of a failed setup

	legs       []*LegRecord
	timers     map[string]*timerSlot
	promptText string // the IVR or survey prompt playing now
	mix        Mix    // the last mix announced
}

// monitor is a supervisor on a call.
type monitor struct {
	supervisor string
	mode       MonitorMode
	up         bool
}

// CallInfo is a snapshot of a call.
type CallInfo struct {
	ID         CallID    `json:"id"`
	Tenant     string    `json:"tenant"`
	Direction  Direction `json:"direction"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Display    string    `json:"display,omitempty"`
	Location   string    `json:"location,omitempty"`
	Phase      Phase     `json:"phase"`
	Queue      string    `json:"queue,omitempty"`
	Agent      string    `json:"agent,omitempty"`
	Consultee  string    `json:"consultee,omitempty"`
	Conference bool      `json:"conference,omitempty"`
	Held       bool      `json:"held,omitempty"`
	Supervisor string    `json:"supervisor,omitempty"`
	Monitor    string    `json:"monitor,omitempty"`
	CustomerEP string    `json:"customer_endpoint,omitempty"` // internal calls: the dialling agent
	Customer   *Customer `json:"customer,omitempty"`          // the simulated party
	// Outside is the outside number rung for a transfer, a consult or a
	// three-way call (its party is OutsideParty(Outside)); OutsideUp once it
	// answered.
	Outside   string `json:"outside,omitempty"`
	OutsideUp bool   `json:"outside_up,omitempty"`
	// Placed: the platform placed the call (PlaceCall), ringing the agent's
	// own device first.
	Placed      bool              `json:"placed,omitempty"`
	UserData    map[string]string `json:"user_data,omitempty"`
	IVR         string            `json:"ivr,omitempty"`
	Node        string            `json:"node,omitempty"`
	DTMF        string            `json:"dtmf,omitempty"`
	Arrived     time.Time         `json:"arrived"`
	Answered    time.Time         `json:"answered,omitzero"`
	Offers      int               `json:"offers"`
	Parties     []string          `json:"parties"`
	SystemSound string            `json:"system_sound,omitempty"`
}

func (c *call) info() CallInfo {
	ci := CallInfo{ID: c.id, Tenant: c.tenant, Direction: c.dir, From: c.from, To: c.to, Display: c.display,
		Location: c.location, Phase: c.phase, Queue: c.queue, Agent: c.agent, Consultee: c.consultee,
		Conference: c.conf, Held: c.held, CustomerEP: c.custAgent, IVR: c.ivr, Node: c.node, DTMF: c.dtmf,
		Arrived: c.arrived, Answered: c.answered, Offers: c.offers, SystemSound: c.mix.System.String()}
	if c.custAgent == "" {
		cust := c.customer
		cust.Script = slices.Clone(cust.Script)
		ci.Customer = &cust
	}
	if c.monitor != nil {
		ci.Supervisor, ci.Monitor = c.monitor.supervisor, string(c.monitor.mode)
	}
	if o := c.outside; o != nil {
		ci.Outside, ci.OutsideUp = o.number, o.up
	}
	ci.Placed, ci.UserData = c.placed, maps.Clone(c.userData)
	ci.Parties = slices.Sorted(maps.Keys(c.mix.Hears))
	return ci
}

// customerParty is the party id of the customer side.
func (c *call) customerParty() string {
	if c.custAgent != "" {
		return c.custAgent
	}
	return SimulatedCustomer
}

// simulated reports whether the customer is the center's own simulation.
func (c *call) simulated() bool { return c.custAgent == "" }

// endpoints are the agents whose legs the call holds or is ringing.
func (c *call) endpoints() []string {
	var out []string
	for _, a := range []string{c.custAgent, c.agent, c.consultee} {
		if a != "" {
			out = append(out, a)
		}
	}
	if c.monitor != nil {
		out = append(out, c.monitor.supervisor)
	}
	return out
}

// roleOf says which role an agent has in the call ("" if none).
func (c *call) roleOf(agentID string) Role {
	switch {
	case agentID == "":
		return ""
	case agentID == c.agent:
		return RoleAgent
	case agentID == c.custAgent:
		return RoleCustomer
	case agentID == c.consultee:
		return RoleConsultee
	case c.monitor != nil && agentID == c.monitor.supervisor:
		return RoleSupervisor
	}
	return ""
}
