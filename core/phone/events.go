package phone

import (
	"fmt"
	"time"

	"agentbar/core/media"
)

// Event is something that happened to the phone or one of its calls.
// Concrete types: RegistrationChanged, IncomingCall, CallStateChanged,
// DTMFReceived, TransferRequested, TransferProgress, CallQuality.
type Event interface {
	fmt.Stringer
	isEvent()
}

// RegistrationState is where the registration loop stands.
type RegistrationState int

const (
	Unregistered RegistrationState = iota
	Registering
	Registered
	RegistrationFailed
)

func (s RegistrationState) String() string {
	switch s {
	case Unregistered:
		return "Unregistered"
	case Registering:
		return "Registering"
	case Registered:
		return "Registered"
	case RegistrationFailed:
		return "Failed"
	}
	return fmt.Sprintf("RegistrationState(%d)", int(s))
}

// RegistrationChanged reports each step of the registration loop.
type RegistrationChanged struct {
	State   RegistrationState
	Expires time.Duration // granted by the registrar (Registered)
	Err     error         // why it failed (Failed); *RegistrationError has a Sentence
	RetryIn time.Duration // when the next attempt is (Failed)
}

func (RegistrationChanged) isEvent() {}
func (e RegistrationChanged) String() string {
	switch e.State {
	case Registered:
		return fmt.Sprintf("registration: Registered for %v", e.Expires)
	case RegistrationFailed:
		return fmt.Sprintf("registration: Failed (%v), retry in %v", e.Err, e.RetryIn)
	}
	return "registration: " + e.State.String()
}

// CallState is where a call stands.
type CallState int

const (
	Dialing       CallState = iota // our INVITE is out
	RemoteRinging                  // 180: the other side is alerting
	EarlyMedia                     // 183 with SDP: ringback or announcements are playing
	Ringing                        // an incoming call alerting the agent
	Talking
	Held       // we put the call on hold (whatever the other side does)
	RemoteHeld // the other side put us on hold
	Ended
)

func (s CallState) String() string {
	switch s {
	case Dialing:
		return "Dialing"
	case RemoteRinging:
		return "RemoteRinging"
	case EarlyMedia:
		return "EarlyMedia"
	case Ringing:
		return "Ringing"
	case Talking:
		return "Talking"
	case Held:
		return "Held"
	case RemoteHeld:
		return "RemoteHeld"
	case Ended:
		return "Ended"
	}
	return fmt.Sprintf("CallState(%d)", int(s))
}

// IncomingCall announces a new call alerting the agent (state Ringing).
type IncomingCall struct {
	Call    *Call
	From    string // caller's URI, e.g. sip:13800138000@pbx
	Display string // caller's display name, may be empty
	// AutoAnswerAfter >= 0 when the call will be answered by itself after
	// that delay (Config.AutoAnswer, or the INVITE asked and
	// HonourAnswerAfter is on); -1 otherwise.
	AutoAnswerAfter time.Duration
}

func (IncomingCall) isEvent() {}
func (e IncomingCall) String() string {
	return fmt.Sprintf("incoming call %s from %q <%s>", e.Call.ID(), e.Display, e.From)
}

// CallRefused: an incoming call was answered Code at once because Do Not
// Disturb is on; it never rang. Adapters record it as a missed call.
type CallRefused struct {
	CallID  string // the INVITE's Call-ID
	From    string // caller's URI
	Display string
	Code    int // Config.BusyCode
}

func (CallRefused) isEvent() {}
func (e CallRefused) String() string {
	return fmt.Sprintf("call %s from %q <%s> refused %d (do not disturb)", e.CallID, e.Display, e.From, e.Code)
}

// CallStateChanged reports every state change of a call. Reason is set when
// the state is Ended: nil when we ended it, otherwise why (ErrRemoteHangup,
// ErrCallerCanceled, a *CallError...).
type CallStateChanged struct {
	Call   *Call
	State  CallState
	Reason error
}

func (CallStateChanged) isEvent() {}
func (e CallStateChanged) String() string {
	if e.Reason != nil {
		return fmt.Sprintf("call %s: %v (%v)", e.Call.ID(), e.State, e.Reason)
	}
	return fmt.Sprintf("call %s: %v", e.Call.ID(), e.State)
}

// DTMFReceived is a digit the other side sent (RFC 4733 or SIP INFO).
type DTMFReceived struct {
	Call  *Call
	Digit rune
}

func (DTMFReceived) isEvent()         {}
func (e DTMFReceived) String() string { return fmt.Sprintf("call %s: DTMF %q", e.Call.ID(), e.Digit) }

// TransferRequested: the other side asked us (REFER) to call Target; the
// phone does it by itself and reports TransferProgress.
type TransferRequested struct {
	Call   *Call
	Target string
}

func (TransferRequested) isEvent() {}
func (e TransferRequested) String() string {
	return fmt.Sprintf("call %s: transfer requested to %s", e.Call.ID(), e.Target)
}

// TransferProgress is how a transfer goes: for one we started (Code from the
// NOTIFY sipfrag, 202 when the REFER was accepted) or one we carry out.
type TransferProgress struct {
	Call   *Call
	Code   int
	Reason string
	Final  bool // the transfer is over; success when Code is 2xx
}

func (TransferProgress) isEvent() {}
func (e TransferProgress) String() string {
	return fmt.Sprintf("call %s: transfer %d %s (final %v)", e.Call.ID(), e.Code, e.Reason, e.Final)
}

// CallQuality is a periodic media report of a call in progress.
type CallQuality struct {
	Call    *Call
	Quality media.Quality
}

func (CallQuality) isEvent() {}
func (e CallQuality) String() string {
	return fmt.Sprintf("call %s: quality %+v", e.Call.ID(), e.Quality)
}
