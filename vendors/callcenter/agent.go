package callcenter

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// StateKind is where an agent stands, as the center sees it.
type StateKind int

// Agent states. Offline, Ready, Busy, Break and WrapUp are chosen by the
// agent or by timers; Ringing and Talking come from calls and go back to the
// state the agent had before (or to WrapUp after a queue call).
const (
	Offline StateKind = iota
	Ready
	Busy
	Break
	WrapUp
	Ringing
	Talking
)

var stateNames = [...]string{"offline", "ready", "busy", "break", "wrapup", "ringing", "talking"}

func (k StateKind) String() string {
	if k >= 0 && int(k) < len(stateNames) {
		return stateNames[k]
	}
	return fmt.Sprintf("state(%d)", int(k))
}

// AgentState is an agent's state with its break reason or wrap-up end.
type AgentState struct {
	Kind      StateKind
	BreakCode string    // Break: the reason's code ("101")
	Until     time.Time // WrapUp: when the agent becomes ready again
}

// Named constructors for the states an agent chooses.
var (
	StateOffline = AgentState{Kind: Offline}
	StateReady   = AgentState{Kind: Ready}
	StateBusy    = AgentState{Kind: Busy}
)

// StateBreak is a break with the reason's code.
func StateBreak(code string) AgentState { return AgentState{Kind: Break, BreakCode: code} }

func (s AgentState) String() string {
	switch s.Kind {
	case Break:
		return "break(" + s.BreakCode + ")"
	case WrapUp:
		return "wrapup(until " + s.Until.Format("15:04:05") + ")"
	}
	return s.Kind.String()
}

// MarshalJSON writes {"state":"break","break_code":"101"}.
func (s AgentState) MarshalJSON() ([]byte, error) {
	j := struct {
		State     string     `json:"state"`
		BreakCode string     `json:"break_code,omitempty"`
		Until     *time.Time `json:"until,omitempty"`
	}{State: s.Kind.String(), BreakCode: s.BreakCode}
	if !s.Until.IsZero() {
		j.Until = &s.Until
	}
	return json.Marshal(j)
}

// OnCall reports whether the state comes from a call (ringing, talking).
func (s AgentState) OnCall() bool { return s.Kind == Ringing || s.Kind == Talking }

// BreakReason is a not-ready reason agents can pick.
type BreakReason struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// DefaultBreakReasons are the reasons a center has unless configured.
func DefaultBreakReasons() []BreakReason {
	return []BreakReason{{"101", "午饭"}, {"102", "培训"}, {"103", "小休"}}
}

// AgentConfig declares one agent.
type AgentConfig struct {
	ID         string   // the agent's number, also its SIP user ("8001")
	Name       string   // 坐席张三
	Password   string   // SIP digest password and platform password
	Tenant     string   // "" = the first tenant
	Skills     []string // skill groups; a queue routes to agents with its skill
	Supervisor bool
}

// agent is the center's live record of one agent. Guarded by Center.mu.
type agent struct {
	AgentConfig
	state      AgentState
	stateSince time.Time
	lastIdle   time.Time // when the agent last became ready: longest idle wins
	resume     AgentState
	call       CallID // the call the agent is ringing for or talking in
	wrapTimer  timerSlot
	kickedAt   time.Time
	callerID   string // the caller-ID number chosen for outbound calls
	device     Device // where its calls ring
	// autoBusy: the center set the agent busy because its endpoint did not
	// answer or refused an offer; the endpoint signing in again (a SIP
	// registration refresh) makes it ready again, since plain SIP has no
	// other way to say "ready".
	autoBusy bool
}

// AgentInfo is a snapshot of an agent.
type AgentInfo struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Tenant     string     `json:"tenant"`
	Skills     []string   `json:"skills"`
	Supervisor bool       `json:"supervisor"`
	State      AgentState `json:"state"`
	StateSince time.Time  `json:"state_since"`
	// Presence is the state the agent chose: State, or during a call the
	// state it goes back to.
	Presence AgentState `json:"presence"`
	LastIdle time.Time  `json:"last_idle,omitzero"`
	Call     CallID     `json:"call,omitempty"`
	// Device is where the agent's calls ring (SetAgentDevice).
	Device Device `json:"device"`
}

func (a *agent) info() AgentInfo {
	presence := a.state
	if a.state.OnCall() {
		presence = a.resume
	}
	return AgentInfo{ID: a.ID, Name: a.Name, Tenant: a.Tenant, Skills: slices.Clone(a.Skills),
		Supervisor: a.Supervisor, State: a.state, StateSince: a.stateSince, Presence: presence,
		LastIdle: a.lastIdle, Call: a.call, Device: a.device}
}

func (a *agent) hasSkill(s string) bool { return s == "" || slices.Contains(a.Skills, s) }
