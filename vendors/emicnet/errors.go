package emicnet

import (
	"errors"
	"fmt"
	"time"

	"agentbar/core"
	"agentbar/vendors/emicnet/wire"
)

// Sentinel errors. Platform refusals come as the wire package's typed
// errors (*wire.AccountError, *wire.CommandError, *wire.MonitorError,
// *wire.RegisterError, *wire.DecryptError), which carry their sentences.
var (
	// ErrAccountAPI: the HTTP account API could not be reached or answered
	// something that is not the contract's (see *APIError).
	ErrAccountAPI = errors.New("emicnet: account API failed")
	// ErrBadResult: a command's 200 OK did not carry a result of the
	// contract (wrong content type, malformed body, another seq).
	ErrBadResult = errors.New("emicnet: malformed command result")
	// ErrNoAudioLeg: voip mode, but the platform's INVITE for the call has
	// not reached the softphone.
	ErrNoAudioLeg = errors.New("emicnet: the call's audio leg has not arrived")
	// ErrNoEncryptKey: an encrypted number, but the account has no key.
	ErrNoEncryptKey = errors.New("emicnet: no encryption key for encrypted numbers")
	// ErrUnknownNumType: a callNumType other than the agreed scheme.
	ErrUnknownNumType = errors.New("emicnet: unknown encrypted-number type")
	// ErrDTMFDigit: a digit the platform does not take (A-D).
	ErrDTMFDigit = errors.New("emicnet: the platform takes only 0-9, * and #")
	// ErrMonitorState: a monitor action the state machine of §7 does not
	// allow from the current monitor state (checked before asking).
	ErrMonitorState = errors.New("emicnet: not possible in this monitor state")
	// ErrNoCallToMonitor: the agent to monitor is not in a call this
	// supervisor was told of (repCallStatus).
	ErrNoCallToMonitor = errors.New("emicnet: the agent has no call to monitor")
	// ErrKicked: kickedOffLine ended the session (see *KickError).
	ErrKicked = errors.New("emicnet: kicked off line")
	// ErrDialNotAnnounced: call's result named no ccNumber.
	ErrDialNotAnnounced = errors.New("emicnet: the platform did not name the outbound call")
)

// APIError is a failure of the HTTP account API itself (not one of its
// codes): unreachable, an HTTP status other than 200, or a body that is
// not the contract's.
type APIError struct {
	Path   string
	Status int // HTTP status, 0 when none came back
	Err    error
}

func (e *APIError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("emicnet: %s: HTTP %d: %v", e.Path, e.Status, e.Err)
	}
	return fmt.Sprintf("emicnet: %s: %v", e.Path, e.Err)
}

// Unwrap makes errors.Is(err, ErrAccountAPI) true and keeps the cause.
func (e *APIError) Unwrap() []error { return []error{ErrAccountAPI, e.Err} }

// Sentence implements core.Sentencer.
func (e *APIError) Sentence(lang string) string {
	switch {
	case errors.Is(e.Err, wire.ErrMalformed) || errors.Is(e.Err, wire.ErrTooLarge):
		return pick(lang, "易米账号接口的返回内容无法识别，请检查“账号接口地址”。",
			"The Emicnet account API's answer is not understood. Check the account API URL.")
	case e.Status != 0:
		return pick(lang, fmt.Sprintf("易米账号接口出错（HTTP %d），请稍后再试。", e.Status),
			fmt.Sprintf("The Emicnet account API failed (HTTP %d); try again later.", e.Status))
	}
	return pick(lang, "无法连接易米账号接口，请检查网络和“账号接口地址”。",
		"Cannot reach the Emicnet account API. Check the network and the account API URL.")
}

// KickError is kickedOffLine: the platform signed the seat out. The
// adapter stops and does not sign in again by itself.
type KickError struct {
	Reason wire.KickReason
}

func (e *KickError) Error() string { return (&wire.KickedError{Reason: e.Reason}).Error() }

// Unwrap makes errors.Is(err, ErrKicked) and core.ErrKicked true.
func (e *KickError) Unwrap() []error { return []error{ErrKicked, core.ErrKicked} }

// Sentence is the reason's sentence (wire.KickedError).
func (e *KickError) Sentence(lang string) string {
	return (&wire.KickedError{Reason: e.Reason}).Sentence(lang)
}

// TimeoutError: a command got no answer in time.
type TimeoutError struct {
	Cmd   string
	After time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("emicnet: %s: no answer within %v", e.Cmd, e.After)
}

// Unwrap makes errors.Is(err, core.ErrTimeout) true.
func (e *TimeoutError) Unwrap() error { return core.ErrTimeout }

// Sentence implements core.Sentencer.
func (e *TimeoutError) Sentence(lang string) string {
	secs := max(1, int(e.After.Round(time.Second)/time.Second))
	return pick(lang, fmt.Sprintf("易米平台在 %d 秒内没有响应，请稍后重试。", secs),
		fmt.Sprintf("Emicnet did not answer within %d s. Try again in a moment.", secs))
}

// ModeError: the action needs the audio here (voip), and the account rings
// a phone elsewhere.
type ModeError struct {
	Action     core.Action
	Callintype wire.CallInType
}

func (e *ModeError) Error() string {
	return fmt.Sprintf("emicnet: %s is not possible with callintype %s", e.Action, e.Callintype)
}

// Unwrap makes errors.Is(err, core.ErrNotAllowedNow) true.
func (e *ModeError) Unwrap() error { return core.ErrNotAllowedNow }

// Sentence implements core.Sentencer.
func (e *ModeError) Sentence(lang string) string {
	return pick(lang, fmt.Sprintf("%s接听方式下不能在本机%s，请在话机上操作。", callinLabel(e.Callintype, "zh"), e.Action.Label("zh")),
		fmt.Sprintf("You cannot %s here when calls ring on the %s; use the phone.", e.Action.Label("en"), callinLabel(e.Callintype, "en")))
}

// NumberError is an encrypted number that cannot be dialled: no key, an
// unknown scheme, or a failed decryption (then Err is the
// *wire.DecryptError, whose decrypted text stays in the log only).
type NumberError struct {
	NumType string
	Err     error
}

func (e *NumberError) Error() string {
	return fmt.Sprintf("emicnet: encrypted number (%s): %v", e.NumType, e.Err)
}

// Unwrap gives the cause.
func (e *NumberError) Unwrap() error { return e.Err }

// Sentence implements core.Sentencer.
func (e *NumberError) Sentence(lang string) string {
	switch {
	case errors.Is(e.Err, ErrNoEncryptKey):
		return pick(lang, "账号没有设置号码加密密钥，无法拨打加密号码。",
			"The account has no number encryption key; encrypted numbers cannot be dialled.")
	case errors.Is(e.Err, ErrUnknownNumType):
		return pick(lang, fmt.Sprintf("不认识的号码加密方式“%s”。", e.NumType),
			fmt.Sprintf("Unknown number encryption \"%s\".", e.NumType))
	case errors.Is(e.Err, wire.ErrBadKey):
		return pick(lang, "号码加密密钥长度不对（须为 16、24 或 32 字节），请检查账号设置。",
			"The number encryption key has the wrong length (16, 24 or 32 bytes); check the account.")
	}
	var de *wire.DecryptError
	if errors.As(e.Err, &de) {
		return de.Sentence(lang)
	}
	return pick(lang, "加密号码无法使用，未呼出。", "The encrypted number cannot be used; the call was not placed.")
}

// DTMFError is a digit the platform does not take.
type DTMFError struct{ Digit rune }

func (e *DTMFError) Error() string { return fmt.Sprintf("%v: %q", ErrDTMFDigit, e.Digit) }

// Unwrap makes errors.Is(err, ErrDTMFDigit) and core.ErrInvalidArgument true.
func (e *DTMFError) Unwrap() []error { return []error{ErrDTMFDigit, core.ErrInvalidArgument} }

// Sentence implements core.Sentencer.
func (e *DTMFError) Sentence(lang string) string {
	return pick(lang, fmt.Sprintf("易米平台不支持按键“%c”，只能发送 0-9、* 和 #。", e.Digit),
		fmt.Sprintf("Emicnet does not take the key \"%c\"; only 0-9, * and #.", e.Digit))
}

// MonitorStateError is a monitor action the state machine does not allow
// now (contract §7), refused before asking the platform.
type MonitorStateError struct {
	Mode  core.MonitorMode
	State wire.MonitorState
}

func (e *MonitorStateError) Error() string {
	return fmt.Sprintf("emicnet: monitor %s not possible while %s (%q)", e.Mode, e.State.Status.Meaning(), e.State.CcNumber)
}

// Unwrap makes errors.Is(err, ErrMonitorState) and core.ErrNotAllowedNow true.
func (e *MonitorStateError) Unwrap() []error { return []error{ErrMonitorState, core.ErrNotAllowedNow} }

// Sentence implements core.Sentencer.
func (e *MonitorStateError) Sentence(lang string) string {
	if e.State.Status != wire.MonitorNone && e.Mode != core.MonitorEnd && e.Mode != core.MonitorHangup {
		return pick(lang, "正在监控另一通电话，请先结束监控。", "You are monitoring another call; end that first.")
	}
	return pick(lang, fmt.Sprintf("当前监控状态（%s）下不能%s。", e.State.Status.Meaning(), monitorLabel(e.Mode, "zh")),
		fmt.Sprintf("You cannot %s in the current monitor state (%s).", monitorLabel(e.Mode, "en"), monitorStateLabel(e.State.Status)))
}

// TransferError is transferPBXCall's transferCallFaild: the call stays
// with the agent.
type TransferError struct {
	Gid, Number string
	Type        string // the result's type (transferCallFaild, or one this adapter does not know)
	Detail      wire.TransferDetail
}

func (e *TransferError) Error() string {
	return fmt.Sprintf("emicnet: transfer to %s/%s: %s: a=%s %s", e.Gid, e.Number, e.Type, e.Detail.A, e.Detail.Info)
}

// Sentence names the target and, when the platform gave one, the reason.
func (e *TransferError) Sentence(lang string) string {
	why := ""
	if f, ok := (wire.CallEventData{A: e.Detail.A}).Failure(); ok && f.Meaning() != "" {
		why = f.Meaning()
	} else if e.Detail.Info != "" {
		why = e.Detail.Info
	}
	if why != "" {
		return pick(lang, fmt.Sprintf("转接到 %s 失败：%s。通话仍在您这里。", e.Number, why),
			fmt.Sprintf("The transfer to %s failed (%s). The call is still yours.", e.Number, why))
	}
	return pick(lang, fmt.Sprintf("转接到 %s 失败，通话仍在您这里。", e.Number),
		fmt.Sprintf("The transfer to %s failed. The call is still yours.", e.Number))
}

// MonitorModeError is a monitor mode the platform does not have (whisper,
// take-over).
type MonitorModeError struct{ Mode core.MonitorMode }

func (e *MonitorModeError) Error() string { return fmt.Sprintf("emicnet: no monitor mode %q", e.Mode) }

// Unwrap makes errors.Is(err, core.ErrNotSupported) true.
func (e *MonitorModeError) Unwrap() error { return core.ErrNotSupported }

// Sentence implements core.Sentencer.
func (e *MonitorModeError) Sentence(lang string) string {
	return pick(lang, fmt.Sprintf("易米平台不支持“%s”，只能监听、强插（三方）和结束通话。", monitorLabel(e.Mode, "zh")),
		fmt.Sprintf("Emicnet cannot %s; only listen, barge in (three-way) and end the call.", monitorLabel(e.Mode, "en")))
}

// IdleAgentError: the agent to monitor has no call.
type IdleAgentError struct{ Agent string }

func (e *IdleAgentError) Error() string {
	return "emicnet: agent " + e.Agent + " has no call to monitor"
}

// Unwrap makes errors.Is(err, ErrNoCallToMonitor) and core.ErrNotAllowedNow true.
func (e *IdleAgentError) Unwrap() []error { return []error{ErrNoCallToMonitor, core.ErrNotAllowedNow} }

// Sentence implements core.Sentencer.
func (e *IdleAgentError) Sentence(lang string) string {
	return pick(lang, "坐席 "+e.Agent+" 当前没有通话，无法监控。", "Agent "+e.Agent+" is not in a call; there is nothing to monitor.")
}

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}
