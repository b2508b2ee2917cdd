package udesk

import (
	"errors"
	"fmt"
	"time"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// Sentinel errors. Platform refusals are *PlatformError, which unwraps to
// the sentinel of its code (mapping.go's codeSentinel).
var (
	// ErrTokenService: the customer's token backend could not be reached or
	// answered with an error or garbage.
	ErrTokenService = errors.New("udesk: token service failed")
	// ErrTokenRejected: the platform refused the token (code 1001).
	ErrTokenRejected = errors.New("udesk: token rejected")
	// ErrAgentRefused: the platform refused this agent's sign-in (code 1005:
	// unknown, disabled, or refused for now).
	ErrAgentRefused = errors.New("udesk: sign-in refused")
	// ErrTokenExpired: the platform says the token is too old (code 1002).
	ErrTokenExpired = errors.New("udesk: token expired")
	// ErrNoTerminal: voip or webrtc mode, but the platform gave no usable
	// SIP account for the IP phone or the web phone.
	ErrNoTerminal = errors.New("udesk: no SIP terminal account")
	// ErrCAFile: the account's ca_file cannot be read or holds no PEM
	// certificate.
	ErrCAFile = errors.New("udesk: CA file unusable")
	// ErrNoAudioLeg: voip or webrtc mode, but the platform's INVITE for the
	// call has not reached the softphone.
	ErrNoAudioLeg = errors.New("udesk: the call's audio leg has not arrived")
	// ErrConnectionLost: the socket closed and AutoConnect is off.
	ErrConnectionLost = errors.New("udesk: connection lost")
	// ErrSignedInElsewhere: the platform closed the socket because the
	// agent signed in elsewhere (or was disabled).
	ErrSignedInElsewhere = errors.New("udesk: signed in elsewhere")
	// ErrDialNotAnnounced: MakeCallAsync succeeded but no event named the call.
	ErrDialNotAnnounced = errors.New("udesk: the platform did not announce the outbound call")
)

// PlatformError is a reply with a Code other than "0000". When Visible is
// true the platform's Message is what the agent reads, as is.
type PlatformError struct {
	Method  string
	Code    wire.FlexString
	Message string
	Visible bool
}

func (e *PlatformError) Error() string {
	return fmt.Sprintf("udesk: %s: code %s: %s", e.Method, e.Code, e.Message)
}

// Unwrap gives the sentinel of the code, if it has one.
func (e *PlatformError) Unwrap() error { return codeSentinel[e.Code] }

// Sentence is the platform's own Message when it may be shown, else the
// contract's explanation of the code.
func (e *PlatformError) Sentence(lang string) string {
	if e.Visible && e.Message != "" {
		return e.Message
	}
	if s, ok := codeSentences[e.Code]; ok {
		return pick(lang, s[0], s[1])
	}
	return pick(lang, fmt.Sprintf("平台拒绝了操作（代码 %s）。", e.Code),
		fmt.Sprintf("The platform refused (code %s).", e.Code))
}

// TokenError is a failure of the customer's token backend.
type TokenError struct {
	URL    string
	Status int // HTTP status, 0 when none came back
	Err    error
}

func (e *TokenError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("udesk: token service %s: HTTP %d: %v", e.URL, e.Status, e.Err)
	}
	return fmt.Sprintf("udesk: token service %s: %v", e.URL, e.Err)
}

// Unwrap makes errors.Is(err, ErrTokenService) true, and keeps the cause.
func (e *TokenError) Unwrap() []error { return []error{ErrTokenService, e.Err} }

// Sentence implements core.Sentencer.
func (e *TokenError) Sentence(lang string) string {
	switch {
	case e.Status == 401 || e.Status == 403:
		return pick(lang, "令牌服务拒绝了请求（HTTP "+fmt.Sprint(e.Status)+"）。请检查令牌服务的密钥。",
			"The token service refused the request (HTTP "+fmt.Sprint(e.Status)+"). Check the token service key.")
	case e.Status != 0:
		return pick(lang, "令牌服务出错（HTTP "+fmt.Sprint(e.Status)+"）。请联系贵公司的系统管理员。",
			"The token service failed (HTTP "+fmt.Sprint(e.Status)+"). Ask your company's administrator.")
	case errors.Is(e.Err, wire.ErrMalformedToken):
		return pick(lang, "令牌服务的返回内容无法识别（需要 appId、timestamp、token）。",
			"The token service's answer is not understood (appId, timestamp and token are needed).")
	}
	return pick(lang, "无法连接令牌服务，请检查网络和令牌服务地址。",
		"Cannot reach the token service. Check the network and the token service URL.")
}

// TimeoutError: a request got no reply in time.
type TimeoutError struct {
	Method string
	After  time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("udesk: %s: no reply within %v", e.Method, e.After)
}

// Unwrap makes errors.Is(err, core.ErrTimeout) true.
func (e *TimeoutError) Unwrap() error { return core.ErrTimeout }

// Sentence implements core.Sentencer.
func (e *TimeoutError) Sentence(lang string) string {
	secs := int(e.After.Round(time.Second) / time.Second)
	return pick(lang, fmt.Sprintf("平台在 %d 秒内没有响应，请稍后重试。", secs),
		fmt.Sprintf("The platform did not answer within %d s. Try again in a moment.", secs))
}

// ModeError: the action needs another phone mode.
type ModeError struct {
	Action core.Action
	Mode   string
}

func (e *ModeError) Error() string {
	return fmt.Sprintf("udesk: %s is not possible in %s mode", e.Action, e.Mode)
}

// Unwrap makes errors.Is(err, core.ErrNotAllowedNow) true.
func (e *ModeError) Unwrap() error { return core.ErrNotAllowedNow }

// Sentence implements core.Sentencer.
func (e *ModeError) Sentence(lang string) string {
	return pick(lang, fmt.Sprintf("%s模式下不能%s。", modeLabel(e.Mode, "zh"), e.Action.Label("zh")),
		fmt.Sprintf("You cannot %s in %s mode.", e.Action.Label("en"), modeLabel(e.Mode, "en")))
}

// SessionError ends a session: signed in elsewhere, disabled, or the socket
// lost with AutoConnect off.
type SessionError struct {
	Err    error // ErrSignedInElsewhere or ErrConnectionLost
	Code   int   // the WebSocket close code, if one came
	Reason string
}

func (e *SessionError) Error() string {
	return fmt.Sprintf("%v (close %d %q)", e.Err, e.Code, e.Reason)
}

// Unwrap gives ErrSignedInElsewhere or ErrConnectionLost (and core.ErrKicked
// for the first).
func (e *SessionError) Unwrap() []error {
	if errors.Is(e.Err, ErrSignedInElsewhere) {
		return []error{e.Err, core.ErrKicked}
	}
	return []error{e.Err}
}

// Sentence implements core.Sentencer.
func (e *SessionError) Sentence(lang string) string {
	switch {
	case e.Code == wire.CloseDisabled:
		return pick(lang, "坐席账号已被停用，已下线。请联系管理员。", "Your agent account was disabled and signed out. Ask your administrator.")
	case errors.Is(e.Err, ErrSignedInElsewhere):
		return pick(lang, "该坐席已在别处登录，本机已下线。", "This agent signed in somewhere else; you were signed out here.")
	}
	return pick(lang, "与 Udesk 平台的连接已断开（未开启自动重连）。请重新登录。",
		"The connection to Udesk was lost (auto-connect is off). Sign in again.")
}

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

func modeLabel(mode, lang string) string {
	switch mode {
	case wire.ModeVoip:
		return pick(lang, "IP 话机", "IP phone (voip)")
	case wire.ModeCellphone:
		return pick(lang, "手机", "cellphone")
	case wire.ModeWebRTC:
		return pick(lang, "网页电话", "web phone")
	}
	return mode
}
