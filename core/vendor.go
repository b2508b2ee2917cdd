package core

import (
	"context"
	"log/slog"
)

// Vendor is the small interface every platform adapter implements: sign in,
// sign out, agent state, and the three call actions every platform has.
// Everything else is an optional interface below, found by type assertion.
//
// Adapters talk back only through the Sink given to Login. Methods are called
// from many goroutines, never from the engine's loop, and must honour ctx.
type Vendor interface {
	// Login connects and authenticates. It returns when the agent is signed
	// in (or failed to be); later changes arrive through the sink.
	Login(ctx context.Context, sink Sink) error
	// Logout signs out and releases every connection. The engine calls it
	// once, also after a failed or kicked session.
	Logout(ctx context.Context) error
	// SetAgentState asks the platform for a new agent state. The new state
	// takes effect when the adapter reports it.
	SetAgentState(ctx context.Context, s AgentState) error
	// Dial places an outbound call. The call appears when the adapter reports
	// it with a CallUpdate carrying the request's Tag.
	Dial(ctx context.Context, req DialRequest) error
	// Answer answers a ringing inbound call.
	Answer(ctx context.Context, platformCallID string) error
	// Hangup ends a call in any state (cancel, reject or release).
	Hangup(ctx context.Context, platformCallID string) error
}

// DialRequest is an outbound call as the engine hands it to an adapter.
type DialRequest struct {
	// Tag is the engine's id for the call-to-be. The adapter copies it into
	// the first CallUpdate for the call so that the engine can match it.
	Tag      CallID
	Number   string            // normalised number, or a SIP URI where the platform dials URIs
	CallerID string            // chosen trunk / display number, "" for the platform default
	UserData map[string]string // call data, where the platform carries it (BizId, userData ...)
	// NumType, when set, says Number is encrypted with that agreed scheme
	// (see DialOptions.NumType); an adapter whose platform has no such
	// scheme refuses the dial with ErrNotSupported.
	NumType string
}

// Optional capability interfaces. An adapter implements exactly those its
// platform has; the engine reports the rest as unsupported.
type (
	// Rejecter rejects a ringing call differently from hanging it up.
	Rejecter interface {
		Reject(ctx context.Context, platformCallID string) error
	}
	// Holder puts a call on hold and back.
	Holder interface {
		Hold(ctx context.Context, platformCallID string) error
		Resume(ctx context.Context, platformCallID string) error
	}
	// Muter mutes the agent's microphone on a call (locally or on the platform).
	Muter interface {
		Mute(ctx context.Context, platformCallID string, on bool) error
	}
	// DTMFSender sends digits to the far end.
	DTMFSender interface {
		SendDTMF(ctx context.Context, platformCallID string, digits string) error
	}
	// Transferrer transfers a call blind to an agent, number, queue or IVR node.
	Transferrer interface {
		TransferKinds() []TargetKind
		Transfer(ctx context.Context, platformCallID string, to Target) error
	}
	// Consulter consults a second party while the customer waits, then
	// transfers to it or cancels.
	Consulter interface {
		Consult(ctx context.Context, platformCallID string, to Target) error
		ConsultTransfer(ctx context.Context, platformCallID string) error
		ConsultCancel(ctx context.Context, platformCallID string) error
	}
	// Conferencer makes three-way calls.
	Conferencer interface {
		// Conference adds a third party directly (Udesk ThreewayAsync).
		Conference(ctx context.Context, platformCallID string, to Target) error
		// ConsultConference joins a running consult into a three-way call.
		ConsultConference(ctx context.Context, platformCallID string) error
		// ConferenceRetrieve takes the customer back from the three-way call.
		ConferenceRetrieve(ctx context.Context, platformCallID string) error
		// ConferenceTransfer leaves the three-way call to the other two.
		ConferenceTransfer(ctx context.Context, platformCallID string) error
	}
	// CallDataSetter attaches tags, notes or user data to a call.
	CallDataSetter interface {
		SetCallData(ctx context.Context, platformCallID string, data map[string]string) error
	}
	// BreakReasonLister lists the platform's custom not-ready reasons.
	BreakReasonLister interface {
		BreakReasons(ctx context.Context) ([]BreakReason, error)
	}
	// Directory feeds the transfer pickers: agents, queues, IVR nodes.
	Directory interface {
		Targets(ctx context.Context, kind TargetKind) ([]Target, error)
	}
	// CallerIDChooser picks the number the customer sees (trunks, pools).
	CallerIDChooser interface {
		CallerIDs(ctx context.Context) ([]CallerID, error)
		SetCallerID(ctx context.Context, id string) error
	}
	// DeviceModer switches where the agent's audio goes (softphone, mobile, desk phone).
	DeviceModer interface {
		DeviceModes(ctx context.Context) ([]DeviceMode, error)
		SetDeviceMode(ctx context.Context, mode string) error
	}
	// EncryptedDialer dials numbers encrypted with a scheme agreed with the
	// platform (DialOptions.NumType); NumTypes lists the schemes it knows.
	EncryptedDialer interface {
		NumTypes() []string
	}
	// MonitorModeLister narrows a Supervisor to the monitor modes its
	// platform has (Emicnet: listen, barge, end, hangup).
	MonitorModeLister interface {
		MonitorModes() []MonitorMode
	}
	// Supervisor watches the group and monitors agents' calls.
	Supervisor interface {
		GroupAgents(ctx context.Context) ([]AgentInfo, error)
		Monitor(ctx context.Context, agentID string, mode MonitorMode) error
	}
)

// TargetKind says what a transfer or consult goes to.
type TargetKind string

// Target kinds.
const (
	TargetAgent  TargetKind = "agent"
	TargetNumber TargetKind = "number"
	TargetQueue  TargetKind = "queue"
	TargetIVR    TargetKind = "ivr"
)

// Target is a transfer or consult destination.
type Target struct {
	Kind  TargetKind `json:"kind"`
	ID    string     `json:"id"`
	Label string     `json:"label,omitempty"`
	// State is an agent's state in pickers ("ready", "busy" ...), if known.
	State string `json:"state,omitempty"`
}

// CallerID is a number the customer may see.
type CallerID struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Label   string `json:"label,omitempty"`
	Current bool   `json:"current"`
}

// DeviceMode is where the agent's audio rings.
type DeviceMode struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Current bool   `json:"current"`
}

// MonitorMode is a supervisor's action on an agent's call.
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

// Label names the mode for the agent.
func (m MonitorMode) Label(lang string) string {
	names, ok := monitorModeNames[m]
	switch {
	case !ok:
		return string(m)
	case lang == "en":
		return names[1]
	}
	return names[0]
}

var monitorModeNames = map[MonitorMode][2]string{
	MonitorListen: {"监听", "listen"}, MonitorWhisper: {"密语", "whisper"},
	MonitorBarge: {"强插", "barge in"}, MonitorTakeOver: {"接管", "take over"},
	MonitorEnd: {"结束监控", "stop monitoring"}, MonitorHangup: {"结束通话", "end the call"},
}

// AgentInfo is one agent on the supervisor wall.
type AgentInfo struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Number     string     `json:"number,omitempty"`
	State      AgentState `json:"state"`
	StateSince int64      `json:"state_since_unix,omitempty"`
	CallState  string     `json:"call_state,omitempty"`
	CallNumber string     `json:"call_number,omitempty"`
	Monitor    string     `json:"monitor,omitempty"` // what this supervisor is doing to the agent's call
}

// Config is what an adapter's constructor receives.
type Config struct {
	// Account is the account's name, for logs.
	Account string
	// Fields are the account's settings, keyed by the Field keys the
	// platform declared.
	Fields map[string]string
	// Secret is the password or token, from the keyring or typed in. The
	// adapter must never log it.
	Secret string
	// ExtraSecrets are the platform's further secret fields (keys agreed
	// with the platform ...) by field key, from the keyring; absent when
	// not set. Never log them.
	ExtraSecrets map[string]string
	// Logger is already scoped to the account and redacts secrets.
	Logger *slog.Logger
	// Services gives adapters shared machinery (the phone, audio) without
	// core importing it; the application fills it in.
	Services any
}

// Interface guards: an adapter's package declares
//
//	var _ core.Vendor = (*Adapter)(nil)
//	var _ core.Holder = (*Adapter)(nil)
//
// so that a missing method is a compile error, not a missing button.
