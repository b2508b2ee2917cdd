package history

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Directions, as stored in Record.Direction.
const (
	DirectionIn       = "in"
	DirectionOut      = "out"
	DirectionInternal = "internal" // agent to agent, consult legs
)

// Call states, as stored in Record.State. They are the engine's state names.
const (
	StateDialing       = "dialing"
	StateRemoteRinging = "remote_ringing"
	StateRinging       = "ringing" // inbound, alerting the agent
	StateTalking       = "talking"
	StateHeld          = "held"
	StateConsulting    = "consulting"
	StateConference    = "conference"
	StateEnded         = "ended"
)

// EndReasonInterrupted is set by Open on calls the previous process left open.
// Other end reasons are the engine's ("remote_hangup", "missed", ...) and are
// stored as given.
const EndReasonInterrupted = "interrupted"

// Record is one call as the history keeps it. It does not depend on the
// engine's types: the engine maps its calls into it.
//
// Times are stored with nanosecond precision; the zero time means unset.
type Record struct {
	ID             string // the engine's call id, unique
	Account        string
	Platform       string
	PlatformCallID string
	Direction      string // DirectionIn, DirectionOut or DirectionInternal
	RemoteNumber   string
	DisplayNumber  string
	Location       string
	Carrier        string
	Queue          string
	State          string // one of the State* constants
	EndReason      string
	Started        time.Time // required
	Answered       time.Time
	Ended          time.Time
	UserData       map[string]string
	Note           string
	Tags           []string

	// Updated is when the engine observed this state. It stamps the event
	// timeline and is the end time Open gives an interrupted call. Zero
	// means "now" at Begin/Update; Writer.Submit stamps it at submission so
	// that a write delayed by retries keeps the true time.
	Updated time.Time
}

// Missed reports whether this is an inbound call that ended without ever
// being answered.
func (r Record) Missed() bool {
	return r.Direction == DirectionIn && r.State == StateEnded && r.Answered.IsZero()
}

// Clone returns a deep copy, so that a caller may keep mutating its own
// UserData and Tags after handing a record over.
func (r Record) Clone() Record {
	r.UserData = maps.Clone(r.UserData)
	r.Tags = slices.Clone(r.Tags)
	return r
}

var knownStates = []string{
	StateDialing, StateRemoteRinging, StateRinging, StateTalking,
	StateHeld, StateConsulting, StateConference, StateEnded,
}

var knownDirections = []string{DirectionIn, DirectionOut, DirectionInternal}

// validate checks what the schema and the queries rely on. States and
// directions are checked strictly: a misspelt state would silently break the
// missed-call derivation and the recovery of interrupted calls.
func (r Record) validate() error {
	switch {
	case r.ID == "":
		return fmt.Errorf("%w: empty id", ErrInvalidRecord)
	case !slices.Contains(knownDirections, r.Direction):
		return fmt.Errorf("%w: call %s: unknown direction %q", ErrInvalidRecord, r.ID, r.Direction)
	case !slices.Contains(knownStates, r.State):
		return fmt.Errorf("%w: call %s: unknown state %q", ErrInvalidRecord, r.ID, r.State)
	case r.Started.IsZero():
		return fmt.Errorf("%w: call %s: start time is unset", ErrInvalidRecord, r.ID)
	}
	for name, t := range map[string]time.Time{"started": r.Started, "answered": r.Answered, "ended": r.Ended, "updated": r.Updated} {
		if !t.IsZero() && !inNanoRange(t) {
			return fmt.Errorf("%w: call %s: %s time %s out of range", ErrInvalidRecord, r.ID, name, t)
		}
	}
	return nil
}

// Event is one entry of a call's state timeline.
type Event struct {
	CallID string
	At     time.Time
	State  string
	// Detail says what else changed with this event, as "field=value"
	// pairs ("end_reason=remote_hangup answered"), or why the event was
	// written ("recovered at open").
	Detail string
}
