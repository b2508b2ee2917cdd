package core

import (
	"encoding/json"
	"fmt"
	"time"
)

// Event is something subscribers learn from the engine. Every event has a
// sequence number, strictly increasing per engine, so a subscriber can tell
// whether it missed anything and align events with a Status snapshot.
type Event interface {
	Meta() EventMeta
	// Type is the stable name used on the control API: "call_changed" ...
	Type() string
	String() string
}

// EventMeta is common to all events.
type EventMeta struct {
	Seq uint64    `json:"seq"`
	At  time.Time `json:"at"`
}

// Meta returns the metadata; embedded in every event.
func (m EventMeta) Meta() EventMeta { return m }

// ConnectionChanged: signed in, signing in, reconnecting or offline.
type ConnectionChanged struct {
	EventMeta
	State ConnState `json:"conn"`
	Err   error     `json:"-"`
}

// LoggedIn: a session started.
type LoggedIn struct {
	EventMeta
	Account  string `json:"account"`
	Platform string `json:"platform"`
}

// LoggedOut: the session ended. Err is nil for a normal logout.
type LoggedOut struct {
	EventMeta
	Err        error `json:"-"`
	Kicked     bool  `json:"kicked"`
	CanRelogin bool  `json:"can_relogin"`
}

// SessionChanged: the agent's identity on the platform became known.
type SessionChanged struct {
	EventMeta
	Session SessionUpdate `json:"session"`
}

// MediaChanged: the audio side's registration changed.
type MediaChanged struct {
	EventMeta
	Registered bool   `json:"registered"`
	Detail     string `json:"detail,omitempty"`
	Err        error  `json:"-"`
}

// AgentStateChanged: the agent's state changed.
type AgentStateChanged struct {
	EventMeta
	From AgentState `json:"from"`
	To   AgentState `json:"to"`
}

// CallAdded: a new call (inbound ringing, or an outbound call dialling).
type CallAdded struct {
	EventMeta
	Call Call `json:"call"`
}

// CallChanged: a call's state or details changed. From is the previous
// state (equal to Call.State when only details changed).
type CallChanged struct {
	EventMeta
	From CallState `json:"from"`
	Call Call      `json:"call"`
}

// CallQualityChanged: new media figures for a call.
type CallQualityChanged struct {
	EventMeta
	CallID  CallID  `json:"call_id"`
	Quality Quality `json:"quality"`
}

// BreakReasonsChanged: the platform's list of break reasons.
type BreakReasonsChanged struct {
	EventMeta
	Reasons []BreakReason `json:"reasons"`
}

// AgentsChanged: the supervisor wall changed.
type AgentsChanged struct {
	EventMeta
	Agents []AgentInfo `json:"agents"`
	Full   bool        `json:"full"`
}

// Notice: something the agent should read.
type Notice struct {
	EventMeta
	Level string `json:"level"`
	Err   error  `json:"-"`
	Text  string `json:"text,omitempty"`
}

// EventsDropped: this subscriber fell behind and Count events were dropped
// for it. It should call Engine.Status to resync.
type EventsDropped struct {
	EventMeta
	Count int `json:"count"`
}

func (ConnectionChanged) Type() string   { return "connection_changed" }
func (LoggedIn) Type() string            { return "logged_in" }
func (LoggedOut) Type() string           { return "logged_out" }
func (SessionChanged) Type() string      { return "session_changed" }
func (MediaChanged) Type() string        { return "media_changed" }
func (AgentStateChanged) Type() string   { return "agent_state_changed" }
func (CallAdded) Type() string           { return "call_added" }
func (CallChanged) Type() string         { return "call_changed" }
func (CallQualityChanged) Type() string  { return "call_quality" }
func (BreakReasonsChanged) Type() string { return "break_reasons_changed" }
func (AgentsChanged) Type() string       { return "agents_changed" }
func (Notice) Type() string              { return "notice" }
func (EventsDropped) Type() string       { return "events_dropped" }

func (e ConnectionChanged) String() string {
	if e.Err != nil {
		return fmt.Sprintf("#%d connection %s: %v", e.Seq, e.State, e.Err)
	}
	return fmt.Sprintf("#%d connection %s", e.Seq, e.State)
}
func (e LoggedIn) String() string {
	return fmt.Sprintf("#%d logged in %s (%s)", e.Seq, e.Account, e.Platform)
}
func (e LoggedOut) String() string {
	switch {
	case e.Kicked:
		return fmt.Sprintf("#%d kicked: %v", e.Seq, e.Err)
	case e.Err != nil:
		return fmt.Sprintf("#%d logged out: %v", e.Seq, e.Err)
	}
	return fmt.Sprintf("#%d logged out", e.Seq)
}
func (e SessionChanged) String() string {
	return fmt.Sprintf("#%d session agent=%s", e.Seq, e.Session.AgentID)
}
func (e MediaChanged) String() string {
	if e.Registered {
		return fmt.Sprintf("#%d media registered %s", e.Seq, e.Detail)
	}
	return fmt.Sprintf("#%d media not registered: %v", e.Seq, e.Err)
}
func (e AgentStateChanged) String() string {
	return fmt.Sprintf("#%d agent %s → %s", e.Seq, e.From, e.To)
}
func (e CallAdded) String() string {
	return fmt.Sprintf("#%d call %s added: %s %s %s", e.Seq, e.Call.ID, e.Call.Direction, e.Call.RemoteNumber, e.Call.State)
}
func (e CallChanged) String() string {
	if e.Call.State == CallEnded {
		return fmt.Sprintf("#%d call %s %s → ended(%s)", e.Seq, e.Call.ID, e.From, e.Call.EndReason)
	}
	return fmt.Sprintf("#%d call %s %s → %s", e.Seq, e.Call.ID, e.From, e.Call.State)
}
func (e CallQualityChanged) String() string {
	return fmt.Sprintf("#%d call %s quality MOS %.1f", e.Seq, e.CallID, e.Quality.MOS)
}
func (e BreakReasonsChanged) String() string {
	return fmt.Sprintf("#%d %d break reasons", e.Seq, len(e.Reasons))
}
func (e AgentsChanged) String() string {
	return fmt.Sprintf("#%d %d agents changed (full=%v)", e.Seq, len(e.Agents), e.Full)
}
func (e Notice) String() string {
	if e.Err != nil {
		return fmt.Sprintf("#%d %s: %v", e.Seq, e.Level, e.Err)
	}
	return fmt.Sprintf("#%d %s: %s", e.Seq, e.Level, e.Text)
}
func (e EventsDropped) String() string {
	return fmt.Sprintf("#%d %d events dropped", e.Seq, e.Count)
}

// MarshalEvent writes an event as one JSON object with its type, its fields,
// and, for events that carry an error, "error" (the log text) and
// "message_zh"/"message_en" (the sentences for the agent).
func MarshalEvent(e Event) ([]byte, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	m["type"] = e.Type()
	if ev := eventErr(e); ev != nil {
		m["error"] = ev.Error()
		m["message_zh"] = Sentence(ev, "zh")
		m["message_en"] = Sentence(ev, "en")
	}
	if n, ok := e.(Notice); ok && n.Err == nil {
		m["message_zh"], m["message_en"] = n.Text, n.Text
	}
	return json.Marshal(m)
}

func eventErr(e Event) error {
	switch e := e.(type) {
	case ConnectionChanged:
		return e.Err
	case LoggedOut:
		return e.Err
	case MediaChanged:
		return e.Err
	case Notice:
		return e.Err
	}
	return nil
}
