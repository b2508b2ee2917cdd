package callcenter

import (
	"errors"
	"fmt"
)

// Sentinel errors of the center's API. Wrap-check them with errors.Is.
var (
	// ErrClosed: the center has been closed.
	ErrClosed = errors.New("callcenter: closed")
	// ErrInvalidConfig: New was given a configuration it cannot run.
	ErrInvalidConfig = errors.New("callcenter: invalid configuration")
	// ErrUnknownAgent: no agent has that id (number).
	ErrUnknownAgent = errors.New("callcenter: unknown agent")
	// ErrWrongPassword: the agent's password did not match.
	ErrWrongPassword = errors.New("callcenter: wrong password")
	// ErrLoginRefused: a RefuseLogin fault or a kick hold-off refused the sign-in.
	ErrLoginRefused = errors.New("callcenter: sign-in refused")
	// ErrUnknownCall: no live call has that id.
	ErrUnknownCall = errors.New("callcenter: unknown call")
	// ErrUnknownQueue: no queue has that name.
	ErrUnknownQueue = errors.New("callcenter: unknown queue")
	// ErrUnknownBreak: no break reason has that code.
	ErrUnknownBreak = errors.New("callcenter: unknown break reason")
	// ErrWrongState: the call or the agent is not in a state that allows it.
	ErrWrongState = errors.New("callcenter: not allowed in the current state")
	// ErrNotSupervisor: a monitor command from an agent without the supervisor role.
	ErrNotSupervisor = errors.New("callcenter: not a supervisor")
	// ErrAgentOffline: the agent is not signed in.
	ErrAgentOffline = errors.New("callcenter: agent is offline")
	// ErrAgentBusy: the agent cannot take one more call.
	ErrAgentBusy = errors.New("callcenter: agent is busy")
	// ErrInvalidFault: a fault knob with a missing or bad argument.
	ErrInvalidFault = errors.New("callcenter: invalid fault")
	// ErrInvalidScript: a customer script that cannot be played.
	ErrInvalidScript = errors.New("callcenter: invalid customer script")
	// ErrInvalidNumber: a number that cannot be dialled (not an agent, a
	// queue, an IVR flow, a trunk or an outside number of digits).
	ErrInvalidNumber = errors.New("callcenter: invalid number")
	// ErrInvalidDevice: an agent device with a missing or bad field.
	ErrInvalidDevice = errors.New("callcenter: invalid device")
	// ErrInvalidCallData: call data (PlaceOptions.UserData) too large or malformed.
	ErrInvalidCallData = errors.New("callcenter: invalid call data")
)

// AgentError is a refusal the agent should read: it carries the center's own
// sentence in both languages and the SIP-ish status a front-end answers with.
type AgentError struct {
	Err    error  // one of the sentinels
	Status int    // e.g. 403
	Detail string // technical detail for logs
	ZH, EN string
}

func (e *AgentError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%v (%d): %s", e.Err, e.Status, e.Detail)
	}
	return fmt.Sprintf("%v (%d)", e.Err, e.Status)
}

// Unwrap returns the sentinel.
func (e *AgentError) Unwrap() error { return e.Err }

// Sentence returns the agent-facing sentence, "zh" or "en".
func (e *AgentError) Sentence(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.ZH
}

// loggedInElsewhere is the kick notice every front-end uses.
func loggedInElsewhere(reason string) *AgentError {
	return &AgentError{Err: ErrLoginRefused, Status: 403, Detail: reason,
		ZH: "您的账号已在其他地方登录，本机已下线。", EN: "Your account signed in somewhere else; this device was signed out."}
}

// refusedLogin is the sentence of a RefuseLogin fault.
func refusedLogin(status int) *AgentError {
	if status == 401 {
		return &AgentError{Err: ErrWrongPassword, Status: 401, Detail: "fault: refuse login",
			ZH: "账号或密码错误。", EN: "Wrong user name or password."}
	}
	return &AgentError{Err: ErrLoginRefused, Status: status, Detail: "fault: refuse login",
		ZH: "呼叫中心拒绝了登录，请联系管理员。", EN: "The call center refused the sign-in; contact your administrator."}
}
