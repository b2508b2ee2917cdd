package core

import (
	"errors"
	"fmt"
	"net"
	"strings"
)

// Sentinel errors returned by engine commands. Wrap-check them with errors.Is.
var (
	// ErrNotLoggedIn: the command needs a signed-in account.
	ErrNotLoggedIn = errors.New("core: not logged in")
	// ErrAlreadyLoggedIn: Login while a session is active or starting.
	ErrAlreadyLoggedIn = errors.New("core: already logged in")
	// ErrNoSuchCall: the call id is unknown or the call has ended.
	ErrNoSuchCall = errors.New("core: no such call")
	// ErrNotSupported: the platform has no such capability at all.
	ErrNotSupported = errors.New("core: not supported by this platform")
	// ErrNotAllowedNow: the platform supports the action, but not in the
	// call's or agent's current state.
	ErrNotAllowedNow = errors.New("core: not allowed now")
	// ErrUnknownPlatform: no adapter is registered under that id.
	ErrUnknownPlatform = errors.New("core: unknown platform")
	// ErrInvalidArgument: a command argument failed validation.
	ErrInvalidArgument = errors.New("core: invalid argument")
	// ErrClosed: the engine has been closed.
	ErrClosed = errors.New("core: engine closed")
	// ErrTimeout: the platform did not answer in time.
	ErrTimeout = errors.New("core: the platform did not answer in time")
	// ErrNotConnected: signed in, but the platform connection is down
	// (reconnecting); calls cannot be placed until it is back.
	ErrNotConnected = errors.New("core: platform connection is down")
	// ErrKicked: the platform ended the session (another login, account
	// disabled ...). The engine does not sign in again by itself.
	ErrKicked = errors.New("core: signed out by the platform")
)

// Sentencer is implemented by errors that carry a sentence for the agent.
// lang is "zh" or "en". Platform adapters return such errors so that the
// agent reads the platform's own explanation; the log keeps Error().
type Sentencer interface {
	Sentence(lang string) string
}

// NotAllowedError says which action was refused and in which state.
type NotAllowedError struct {
	Action Action
	State  string // the call or agent state that forbids it
}

func (e *NotAllowedError) Error() string {
	return fmt.Sprintf("core: %s not allowed now (state %s)", e.Action, e.State)
}

// Unwrap makes errors.Is(err, ErrNotAllowedNow) true.
func (e *NotAllowedError) Unwrap() error { return ErrNotAllowedNow }

// Sentence implements Sentencer.
func (e *NotAllowedError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("You cannot %s right now (the call is %s).", e.Action.Label("en"), stateLabel(e.State, "en"))
	}
	return fmt.Sprintf("现在不能%s（当前状态：%s）。", e.Action.Label("zh"), stateLabel(e.State, "zh"))
}

// UnsupportedError names the capability the platform lacks.
type UnsupportedError struct {
	Action Action
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("core: %s not supported by this platform", e.Action)
}

// Unwrap makes errors.Is(err, ErrNotSupported) true.
func (e *UnsupportedError) Unwrap() error { return ErrNotSupported }

// Sentence implements Sentencer.
func (e *UnsupportedError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("This platform does not support \"%s\".", e.Action.Label("en"))
	}
	return fmt.Sprintf("当前平台不支持“%s”。", e.Action.Label("zh"))
}

// NumTypeError: the platform has no encrypted-number scheme by that name.
type NumTypeError struct {
	NumType string
}

func (e *NumTypeError) Error() string {
	return fmt.Sprintf("core: encrypted number type %q not supported by this platform", e.NumType)
}

// Unwrap makes errors.Is(err, ErrNotSupported) true.
func (e *NumTypeError) Unwrap() error { return ErrNotSupported }

// Sentence implements Sentencer.
func (e *NumTypeError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("This platform cannot dial encrypted numbers of type \"%s\". Check the CRM's settings.", e.NumType)
	}
	return fmt.Sprintf("当前平台不支持“%s”类型的加密号码，请检查 CRM 的设置。", e.NumType)
}

// MonitorModeError: the platform's supervisors cannot do that to a call.
type MonitorModeError struct {
	Mode MonitorMode
}

func (e *MonitorModeError) Error() string {
	return fmt.Sprintf("core: monitor mode %q not supported by this platform", e.Mode)
}

// Unwrap makes errors.Is(err, ErrNotSupported) true.
func (e *MonitorModeError) Unwrap() error { return ErrNotSupported }

// Sentence implements Sentencer.
func (e *MonitorModeError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("This platform's supervisors cannot use \"%s\".", e.Mode.Label("en"))
	}
	return fmt.Sprintf("当前平台不支持班长操作“%s”。", e.Mode.Label("zh"))
}

// OpError is a platform failure during a command. Err is the adapter's error
// (which may implement Sentencer with the platform's own message).
type OpError struct {
	Op  string // the command, e.g. "dial"
	Err error
}

func (e *OpError) Error() string { return "core: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the adapter's error.
func (e *OpError) Unwrap() error { return e.Err }

// Sentence returns a sentence for the agent saying what happened and what to
// do. It prefers the platform's own explanation.
func Sentence(err error, lang string) string {
	if err == nil {
		return ""
	}
	var s Sentencer
	if errors.As(err, &s) {
		if text := s.Sentence(lang); text != "" {
			return text
		}
	}
	zh, en := genericSentence(err)
	if lang == "en" {
		return en
	}
	return zh
}

func genericSentence(err error) (zh, en string) {
	switch {
	case errors.Is(err, ErrNotLoggedIn):
		return "还没有登录。请先登录坐席账号。", "You are not signed in. Sign in to your agent account first."
	case errors.Is(err, ErrAlreadyLoggedIn):
		return "已经登录。如需切换账号，请先退出。", "You are already signed in. Sign out first to switch accounts."
	case errors.Is(err, ErrNoSuchCall):
		return "这通电话已经结束或不存在。", "That call has ended or does not exist."
	case errors.Is(err, ErrNotSupported):
		return "当前平台不支持这个操作。", "This platform does not support that action."
	case errors.Is(err, ErrNotAllowedNow):
		return "现在不能进行这个操作。", "That action is not possible right now."
	case errors.Is(err, ErrUnknownPlatform):
		return "不认识这个平台。请检查账号设置里的平台名称。", "Unknown platform. Check the platform in the account settings."
	case errors.Is(err, ErrTimeout):
		return "平台没有及时响应。请检查网络后重试。", "The platform did not answer in time. Check the network and try again."
	case errors.Is(err, ErrNotConnected):
		return "与平台的连接中断，正在重新连接。请稍后再试。", "The connection to the platform is down and is being restored. Try again in a moment."
	case errors.Is(err, ErrKicked):
		return "已被平台登出。", "The platform signed you out."
	case errors.Is(err, ErrClosed):
		return "程序正在退出。", "agentbar is shutting down."
	case errors.Is(err, ErrInvalidArgument):
		detail := strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrInvalidArgument.Error()), ": ")
		return "输入有误：" + detail, "Invalid input: " + detail
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return "网络连接出错，请检查网络后重试。", "A network error occurred. Check the network and try again."
	}
	return "操作失败，请重试。详细信息已写入日志。", "The action failed. Please try again; details are in the log."
}
