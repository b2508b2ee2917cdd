package core

import (
	"fmt"
	"maps"
	"time"
)

// CallID is the engine's own id for a call: unique across restarts, stable
// for the call's life, and the key of its history row. The platform's id is
// kept separately in Call.PlatformCallID.
type CallID string

// Direction of a call, from the agent's point of view.
type Direction int

// Directions.
const (
	Inbound Direction = iota + 1
	Outbound
	Internal // agent to agent, consult legs
)

func (d Direction) String() string {
	switch d {
	case Inbound:
		return "in"
	case Outbound:
		return "out"
	case Internal:
		return "internal"
	}
	return "unknown"
}

// MarshalText writes the name used in JSON: in, out, internal.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads in, out or internal.
func (d *Direction) UnmarshalText(b []byte) error {
	for _, c := range []Direction{Inbound, Outbound, Internal} {
		if c.String() == string(b) {
			*d = c
			return nil
		}
	}
	return fmt.Errorf("%w: unknown direction %q", ErrInvalidArgument, b)
}

// CallState is where a call is in its life.
type CallState int

// Call states. Outbound: Dialing → RemoteRinging → Talking ⇄ Held → Ended;
// inbound: Ringing → Talking ...; Consulting and Conference while a second
// party is involved.
const (
	CallDialing CallState = iota + 1
	CallRemoteRinging
	CallRinging // inbound, alerting the agent
	CallTalking
	CallHeld
	CallConsulting
	CallConference
	CallEnded
)

var callStateNames = map[CallState]string{
	CallDialing: "dialing", CallRemoteRinging: "remote_ringing", CallRinging: "ringing",
	CallTalking: "talking", CallHeld: "held", CallConsulting: "consulting",
	CallConference: "conference", CallEnded: "ended",
}

func (s CallState) String() string {
	if n, ok := callStateNames[s]; ok {
		return n
	}
	return "unknown"
}

// MarshalText writes the state's name.
func (s CallState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state's name.
func (s *CallState) UnmarshalText(b []byte) error {
	for c, n := range callStateNames {
		if n == string(b) {
			*s = c
			return nil
		}
	}
	return fmt.Errorf("%w: unknown call state %q", ErrInvalidArgument, b)
}

// Label is the text shown to the agent.
func (s CallState) Label(lang string) string { return stateLabel(s.String(), lang) }

// legalTransitions lists, for each state, where a call may go next.
// Ended is reachable from everywhere and leads nowhere.
var legalTransitions = map[CallState][]CallState{
	CallDialing:       {CallRemoteRinging, CallTalking},
	CallRemoteRinging: {CallTalking},
	CallRinging:       {CallTalking},
	CallTalking:       {CallHeld, CallConsulting, CallConference},
	CallHeld:          {CallTalking, CallConsulting, CallConference},
	CallConsulting:    {CallTalking, CallHeld, CallConference},
	CallConference:    {CallTalking, CallHeld},
}

// CanTransition reports whether a call may move from one state to another.
// Staying in the same state is not a transition.
func CanTransition(from, to CallState) bool {
	if from == CallEnded || from == to {
		return false
	}
	if to == CallEnded {
		return true
	}
	for _, s := range legalTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// EndReason says why a call ended.
type EndReason string

// End reasons. The history and the GUI read these.
const (
	EndLocalHangup  EndReason = "local_hangup"
	EndRemoteHangup EndReason = "remote_hangup"
	EndMissed       EndReason = "missed"    // inbound, never answered, caller gave up or queue took it back
	EndRejected     EndReason = "rejected"  // inbound, the agent rejected it
	EndCancelled    EndReason = "cancelled" // outbound, the agent gave up before answer
	EndBusy         EndReason = "busy"      // outbound, the far end was busy
	EndNoAnswer     EndReason = "no_answer" // outbound, nobody answered
	EndFailed       EndReason = "failed"    // outbound or setup failure; EndDetail says why
	EndTransferred  EndReason = "transferred"
	EndInterrupted  EndReason = "interrupted" // the session or the process died mid-call
)

// Quality is a call's media quality as last measured.
type Quality struct {
	JitterMs    float64 `json:"jitter_ms"`
	LossPercent float64 `json:"loss_percent"`
	RTTMs       float64 `json:"rtt_ms"`
	MOS         float64 `json:"mos"`
}

// Call is a snapshot of one call. Snapshots are values: the engine never
// changes a Call it has handed out.
type Call struct {
	ID             CallID            `json:"id"`
	PlatformCallID string            `json:"platform_call_id"`
	Direction      Direction         `json:"direction"`
	RemoteNumber   string            `json:"remote_number"`
	DisplayNumber  string            `json:"display_number,omitempty"`
	Location       string            `json:"location,omitempty"`
	Carrier        string            `json:"carrier,omitempty"`
	Queue          string            `json:"queue,omitempty"`
	UserData       map[string]string `json:"user_data,omitempty"`
	State          CallState         `json:"state"`
	EndReason      EndReason         `json:"end_reason,omitempty"`
	EndDetail      string            `json:"end_detail,omitempty"`
	Started        time.Time         `json:"started"`
	Answered       time.Time         `json:"answered,omitzero"`
	Ended          time.Time         `json:"ended,omitzero"`
	StateSince     time.Time         `json:"state_since"`
	Muted          bool              `json:"muted"`
	Allowed        ActionSet         `json:"allowed"`
	Quality        *Quality          `json:"quality,omitempty"`
}

// Active reports whether the call has not ended.
func (c Call) Active() bool { return c.State != CallEnded }

// clone returns a deep copy, safe to hand to subscribers.
func (c Call) clone() Call {
	c.UserData = maps.Clone(c.UserData)
	if c.Quality != nil {
		q := *c.Quality
		c.Quality = &q
	}
	return c
}

// stateLabels are the agent-facing names of call and agent states.
var stateLabels = map[string][2]string{
	"dialing": {"正在呼叫", "dialing"}, "remote_ringing": {"对方振铃", "ringing at the other end"},
	"ringing": {"来电振铃", "ringing"}, "talking": {"通话中", "in conversation"},
	"held": {"保持中", "on hold"}, "consulting": {"咨询中", "consulting"},
	"conference": {"三方通话", "in a three-way call"}, "ended": {"已结束", "ended"},
	"none": {"无通话", "no call"}, "offline": {"离线", "offline"}, "ready": {"空闲", "ready"},
	"busy": {"忙碌", "busy"}, "break": {"小休", "on break"}, "wrapup": {"话后处理", "in wrap-up"},
}

func stateLabel(s, lang string) string {
	l, ok := stateLabels[s]
	if !ok {
		return s
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}
