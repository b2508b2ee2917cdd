package core

import "fmt"

// Sink is how an adapter reports what its platform says. Report never
// blocks; updates are applied in the order they are reported.
type Sink interface {
	Report(u Update)
}

// Update is something an adapter learned from its platform.
type Update interface{ isUpdate() }

// ConnState is the health of the control connection to the platform.
type ConnState int

// Connection states.
const (
	ConnOffline ConnState = iota
	ConnConnecting
	ConnConnected
	ConnReconnecting
)

func (s ConnState) String() string {
	switch s {
	case ConnConnecting:
		return "connecting"
	case ConnConnected:
		return "connected"
	case ConnReconnecting:
		return "reconnecting"
	}
	return "offline"
}

// MarshalText writes the name.
func (s ConnState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name MarshalText wrote.
func (s *ConnState) UnmarshalText(b []byte) error {
	for _, c := range []ConnState{ConnOffline, ConnConnecting, ConnConnected, ConnReconnecting} {
		if c.String() == string(b) {
			*s = c
			return nil
		}
	}
	return fmt.Errorf("%w: unknown connection state %q", ErrInvalidArgument, b)
}

// ConnectionUpdate: the control connection changed. Err says why it is not
// connected, if it is not.
type ConnectionUpdate struct {
	State ConnState
	Err   error
}

// MediaUpdate: the audio side (SIP registration, WebRTC socket) changed.
type MediaUpdate struct {
	Registered bool
	Detail     string // e.g. "registered as 1001@pbx, expires in 600 s"
	Err        error
}

// SessionUpdate: who the agent is on the platform, known after login.
type SessionUpdate struct {
	AgentID      string   `json:"agent_id,omitempty"`
	DisplayName  string   `json:"display_name,omitempty"`
	Extension    string   `json:"extension,omitempty"`
	Groups       []string `json:"groups,omitempty"`
	IsSupervisor bool     `json:"is_supervisor"`
}

// AgentStateUpdate: the platform says the agent's state is now State.
type AgentStateUpdate struct {
	State AgentState
}

// CallUpdate: a call appeared or changed. A PlatformCallID the engine has not
// seen creates a call (Tag links it to a Dial). Zero-valued fields mean "no
// change"; State 0 means "state unchanged".
//
// An inbound call first reported already ended, with an EndReason, is one
// the agent never saw ring (refused on do-not-disturb ...): it is recorded
// as a single CallAdded in state ended.
type CallUpdate struct {
	PlatformCallID string
	Tag            CallID // the DialRequest's Tag, on the first update of a dialled call
	Direction      Direction
	RemoteNumber   string
	DisplayNumber  string
	Location       string
	Queue          string
	UserData       map[string]string
	State          CallState
	EndReason      EndReason
	EndDetail      string
	// Authority, when non-nil, is the platform's own list of what is allowed
	// now (Udesk CallAuthority). It replaces the state-derived default, still
	// narrowed by what the adapter implements.
	Authority *ActionSet
	// Muted, when non-nil, is the platform's mute flag.
	Muted *bool
	// NewPlatformCallID renames the call (some platforms change the id on
	// transfer or when a consult leg becomes the main call).
	NewPlatformCallID string
}

// QualityUpdate: fresh media figures for a call.
type QualityUpdate struct {
	PlatformCallID string
	Quality        Quality
}

// BreakReasonsUpdate: the platform's break reasons changed.
type BreakReasonsUpdate struct {
	Reasons []BreakReason
}

// KickedUpdate: the platform ended the session for a reason the agent must
// read (logged in elsewhere, account disabled). The engine goes offline and
// does not sign in again by itself. Err should implement Sentencer.
type KickedUpdate struct {
	Err error
	// CanRelogin says whether offering a "sign in again" button makes sense.
	CanRelogin bool
}

// AgentsUpdate: the supervisor wall changed. Full replaces the whole list;
// otherwise Agents are upserts.
type AgentsUpdate struct {
	Agents []AgentInfo
	Full   bool
}

// NoticeUpdate: something the agent should read that is not an error of a
// command (a device fell back to the default, a token was refreshed ...).
type NoticeUpdate struct {
	Level string // "info", "warning", "error"
	Err   error  // the sentence comes from Err (Sentencer) when set
	Text  string // plain text otherwise
}

func (ConnectionUpdate) isUpdate()   {}
func (MediaUpdate) isUpdate()        {}
func (SessionUpdate) isUpdate()      {}
func (AgentStateUpdate) isUpdate()   {}
func (CallUpdate) isUpdate()         {}
func (QualityUpdate) isUpdate()      {}
func (BreakReasonsUpdate) isUpdate() {}
func (KickedUpdate) isUpdate()       {}
func (AgentsUpdate) isUpdate()       {}
func (NoticeUpdate) isUpdate()       {}
