package core

import (
	"encoding/json"
	"fmt"
	"time"
)

// AgentStateKind is the top level of the agent state.
type AgentStateKind int

// The agent states of the model. Ringing, talking and held are call states,
// shown beside the agent state, not instead of it.
const (
	Offline AgentStateKind = iota
	Ready
	NotReady
)

// NotReadyReason says why an agent is not ready.
type NotReadyReason int

// Reasons for NotReady.
const (
	ReasonNone   NotReadyReason = iota
	ReasonBusy                  // 忙碌 / do-not-disturb
	ReasonBreak                 // a platform break reason (小休, 午饭 ...)
	ReasonWrapUp                // after-call work until WrapUpUntil
)

// AgentState is Offline, Ready or NotReady(reason). Construct it with the
// helper functions; the zero value is Offline.
type AgentState struct {
	Kind        AgentStateKind
	Reason      NotReadyReason
	BreakCode   string    // ReasonBreak: the platform's code (Udesk subState, PhoneKit pauseCause)
	BreakLabel  string    // ReasonBreak: what the agent reads (午饭)
	WrapUpUntil time.Time // ReasonWrapUp: zero when the platform gives no end
}

// OfflineState is the state before login and after logout.
func OfflineState() AgentState { return AgentState{Kind: Offline} }

// ReadyState: waiting for calls.
func ReadyState() AgentState { return AgentState{Kind: Ready} }

// BusyState: not ready, no particular reason.
func BusyState() AgentState { return AgentState{Kind: NotReady, Reason: ReasonBusy} }

// BreakState: not ready for a platform break reason.
func BreakState(code, label string) AgentState {
	return AgentState{Kind: NotReady, Reason: ReasonBreak, BreakCode: code, BreakLabel: label}
}

// WrapUpState: after-call work, until the given time (zero if unknown).
func WrapUpState(until time.Time) AgentState {
	return AgentState{Kind: NotReady, Reason: ReasonWrapUp, WrapUpUntil: until}
}

// Equal compares two states, ignoring the break label (the code decides).
func (s AgentState) Equal(o AgentState) bool {
	return s.Kind == o.Kind && s.Reason == o.Reason && s.BreakCode == o.BreakCode &&
		s.WrapUpUntil.Equal(o.WrapUpUntil)
}

// Name is the stable machine name used in JSON and the CLI.
func (s AgentState) Name() string {
	switch s.Kind {
	case Ready:
		return "ready"
	case NotReady:
		switch s.Reason {
		case ReasonBreak:
			return "break"
		case ReasonWrapUp:
			return "wrapup"
		}
		return "busy"
	}
	return "offline"
}

func (s AgentState) String() string {
	switch s.Name() {
	case "break":
		if s.BreakLabel != "" {
			return fmt.Sprintf("break(%s %s)", s.BreakCode, s.BreakLabel)
		}
		return fmt.Sprintf("break(%s)", s.BreakCode)
	case "wrapup":
		if !s.WrapUpUntil.IsZero() {
			return "wrapup(until " + s.WrapUpUntil.Format("15:04:05") + ")"
		}
	}
	return s.Name()
}

// Label is the text shown to the agent.
func (s AgentState) Label(lang string) string {
	switch s.Name() {
	case "break":
		if s.BreakLabel != "" {
			return s.BreakLabel
		}
		return pick(lang, "小休", "Break")
	case "wrapup":
		return pick(lang, "话后处理", "Wrap-up")
	case "busy":
		return pick(lang, "忙碌", "Busy")
	case "ready":
		return pick(lang, "空闲", "Ready")
	}
	return pick(lang, "离线", "Offline")
}

type agentStateJSON struct {
	State       string     `json:"state"`
	BreakCode   string     `json:"break_code,omitempty"`
	BreakLabel  string     `json:"break_label,omitempty"`
	WrapUpUntil *time.Time `json:"wrapup_until,omitempty"`
}

// MarshalJSON writes {"state":"break","break_code":"101","break_label":"午饭"}.
func (s AgentState) MarshalJSON() ([]byte, error) {
	j := agentStateJSON{State: s.Name(), BreakCode: s.BreakCode, BreakLabel: s.BreakLabel}
	if !s.WrapUpUntil.IsZero() {
		t := s.WrapUpUntil
		j.WrapUpUntil = &t
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *AgentState) UnmarshalJSON(b []byte) error {
	var j agentStateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	st, err := ParseAgentState(j.State, j.BreakCode)
	if err != nil {
		return err
	}
	st.BreakLabel = j.BreakLabel
	if j.WrapUpUntil != nil {
		st.WrapUpUntil = *j.WrapUpUntil
	}
	*s = st
	return nil
}

// ParseAgentState reads the CLI and control-API names: ready, busy,
// break (with a code), wrapup, offline.
func ParseAgentState(name, code string) (AgentState, error) {
	switch name {
	case "ready":
		return ReadyState(), nil
	case "busy", "notready", "not_ready":
		return BusyState(), nil
	case "break":
		if code == "" {
			return AgentState{}, fmt.Errorf("%w: break needs a reason code", ErrInvalidArgument)
		}
		return BreakState(code, ""), nil
	case "wrapup":
		return WrapUpState(time.Time{}), nil
	case "offline":
		return OfflineState(), nil
	}
	return AgentState{}, fmt.Errorf("%w: unknown agent state %q (ready, busy, break CODE)", ErrInvalidArgument, name)
}

// BreakReason is one platform-defined not-ready reason.
type BreakReason struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}
