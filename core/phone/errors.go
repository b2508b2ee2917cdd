package phone

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
)

// Error is one of this package's sentinel errors. Error() is the technical
// text for logs; Sentence gives what the agent is shown.
type Error struct {
	msg    string
	zh, en string
}

func (e *Error) Error() string { return "phone: " + e.msg }

// Sentence returns the agent-facing sentence in lang ("zh" or "en"; anything
// else gets Chinese).
func (e *Error) Sentence(lang string) string { return pick(lang, e.zh, e.en) }

func pick(lang, zh, en string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return en
	}
	return zh
}

var (
	// ErrClosed: the Phone has been closed (also the reason of calls ended by Close).
	ErrClosed = &Error{"phone closed", "话机已关闭", "The phone has been shut down."}
	// ErrNotStarted: Dial or Answer before Start.
	ErrNotStarted = &Error{"phone not started", "话机尚未启动", "The phone has not been started."}
	// ErrInvalidConfig: New was given a Config it cannot use; wrapped with the detail.
	ErrInvalidConfig = &Error{"invalid configuration", "话机配置不正确", "The phone settings are not valid."}
	// ErrInvalidTarget: Dial or Transfer got something that is neither a number nor a SIP address.
	ErrInvalidTarget = &Error{"invalid dial target", "号码或地址格式不正确", "The number or address is not valid."}
	// ErrCallEnded: an action on a call that has already ended.
	ErrCallEnded = &Error{"call has ended", "通话已结束", "The call has already ended."}
	// ErrWrongState: an action the call's current state does not allow (answer a call that is not ringing...).
	ErrWrongState = &Error{"action not allowed in this call state", "当前通话状态不允许此操作", "That cannot be done in the call's current state."}
	// ErrNoCommonCodec: the offer and our codecs have nothing in common (answered with 488).
	ErrNoCommonCodec = &Error{"no common codec", "没有共同支持的语音编码", "The other side supports none of our voice codecs."}
	// ErrMalformedSDP: the peer's SDP cannot be parsed or has no usable audio stream.
	ErrMalformedSDP = &Error{"malformed SDP", "对方的媒体描述无法解析", "The other side sent a media description that cannot be read."}
	// ErrRemoteHangup: the other side ended the call (BYE).
	ErrRemoteHangup = &Error{"remote side hung up", "对方已挂断", "The other side hung up."}
	// ErrCanceled: our outgoing call was cancelled before it was answered.
	ErrCanceled = &Error{"call cancelled", "呼叫已取消", "The call was cancelled."}
	// ErrCallerCanceled: the caller gave up (CANCEL) before the call was answered.
	ErrCallerCanceled = &Error{"caller cancelled", "对方已挂断（未接来电）", "The caller hung up before the call was answered."}
	// ErrAnsweredElsewhere: the CANCEL said the call was picked up by another device.
	ErrAnsweredElsewhere = &Error{"answered elsewhere", "已在其他设备接听", "The call was answered elsewhere."}
	// ErrTransferred: the call ended because it was transferred.
	ErrTransferred = &Error{"call transferred", "通话已转接", "The call was transferred."}
	// ErrTransferFailed: the transfer target could not be reached; the original call goes on.
	ErrTransferFailed = &Error{"transfer failed", "转接失败", "The transfer failed."}
	// ErrNoACK: we answered but the caller never confirmed (no ACK); the call is torn down.
	ErrNoACK = &Error{"no ACK for our answer", "对方未确认接听，通话已结束", "The caller did not confirm the answer; the call was dropped."}
	// ErrRequestPending: the peer was busy with its own re-INVITE (491) even after a retry.
	ErrRequestPending = &Error{"request pending (491)", "对方正在处理另一个请求，请稍后再试", "The other side is busy with another request; try again."}
	// ErrSessionExpired: the session timer ran out without a refresh (RFC 4028).
	ErrSessionExpired = &Error{"session timer expired", "会话超时，通话已结束", "The call was lost: the session was not refreshed."}
	// ErrMediaFailed: the RTP session or the audio port could not be opened.
	ErrMediaFailed = &Error{"media setup failed", "无法打开语音通道", "The audio channel could not be opened."}
	// ErrInvalidDigit: SendDTMF got something other than 0-9 * # A-D.
	ErrInvalidDigit = &Error{"invalid DTMF digit", "按键无效（只能是 0-9、*、#、A-D）", "Not a keypad digit (0-9, *, #, A-D)."}
	// ErrNoResponse: the far end or the server never answered a request.
	ErrNoResponse = &Error{"no response", "对方无响应", "The other side did not respond."}
	// ErrNoConnection: a request could not be sent: no connection to the
	// server (over WebSocket: the registered socket is down), or it cannot
	// be reached.
	ErrNoConnection = &Error{"no connection to the server", "未连接到服务器", "Not connected to the server."}
	// ErrMessageTooLarge: SendMessage got a body above MaxMessageBody, or
	// one too large for UDP (about 1300 bytes with the headers).
	ErrMessageTooLarge = &Error{"message too large", "消息太大，无法发送", "The message is too large to send."}
)

// CallError is a final failure response to one of our requests (INVITE,
// re-INVITE, REFER...), with the status the far end gave.
type CallError struct {
	Code   int    // SIP status code, e.g. 486
	Reason string // reason phrase as received
	Method string // the request that failed, e.g. "INVITE"
}

func (e *CallError) Error() string {
	return fmt.Sprintf("phone: %s failed: %d %s", e.Method, e.Code, e.Reason)
}

// Sentence returns the agent-facing sentence for the status code.
func (e *CallError) Sentence(lang string) string {
	switch e.Code {
	case 486, 600:
		return pick(lang, "对方忙", "The other side is busy.")
	case 404, 604:
		return pick(lang, "号码不存在", "The number does not exist.")
	case 410:
		return pick(lang, "号码已停用", "The number is no longer in service.")
	case 484:
		return pick(lang, "号码不完整", "The number is incomplete.")
	case 480:
		return pick(lang, "对方暂时无法接通", "The other side is temporarily unavailable.")
	case 408:
		return pick(lang, "无人应答", "No answer.")
	case 487:
		return pick(lang, "呼叫已取消", "The call was cancelled.")
	case 603:
		return pick(lang, "对方拒接", "The other side declined the call.")
	case 488, 606:
		return pick(lang, "没有共同支持的语音编码", "The other side supports none of our voice codecs.")
	case 403:
		return pick(lang, "呼叫被拒绝：没有权限", "The call was refused: not allowed.")
	case 401, 407:
		return pick(lang, "认证失败，请检查账号和密码", "Authentication failed: check the user name and password.")
	case 491:
		return pick(lang, "对方正在处理另一个请求，请稍后再试", "The other side is busy with another request; try again.")
	case 503:
		return pick(lang, "服务暂时不可用", "The service is temporarily unavailable.")
	}
	switch {
	case e.Code >= 500 && e.Code < 600:
		return pick(lang, fmt.Sprintf("服务器错误（%d）", e.Code), fmt.Sprintf("The server failed (%d %s).", e.Code, e.Reason))
	default:
		return pick(lang, fmt.Sprintf("呼叫失败（%d）", e.Code), fmt.Sprintf("The call failed (%d %s).", e.Code, e.Reason))
	}
}

// RegistrationError is why a REGISTER failed: a final status from the
// registrar (Code > 0) or a transport failure (Code 0, Err set).
type RegistrationError struct {
	Code   int
	Reason string
	Err    error
}

func (e *RegistrationError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("phone: register: %v", e.Err)
	}
	return fmt.Sprintf("phone: register: %d %s", e.Code, e.Reason)
}

func (e *RegistrationError) Unwrap() error { return e.Err }

// Sentence returns the agent-facing sentence.
func (e *RegistrationError) Sentence(lang string) string {
	switch e.Code {
	case 0:
		var unknownCA x509.UnknownAuthorityError
		var hostname x509.HostnameError
		var invalid x509.CertificateInvalidError
		if errors.As(e.Err, &unknownCA) || errors.As(e.Err, &hostname) || errors.As(e.Err, &invalid) {
			return pick(lang, "服务器证书不受信任，无法安全连接", "The server's certificate is not trusted; cannot connect securely.")
		}
		return pick(lang, "无法连接到服务器", "Cannot reach the server.")
	case 401, 403, 407:
		return pick(lang, "注册失败：账号或密码错误", "Sign-in failed: wrong user name or password.")
	case 404:
		return pick(lang, "注册失败：账号不存在", "Sign-in failed: the account does not exist.")
	case 408, 503, 504:
		return pick(lang, "服务器暂时不可用", "The server is temporarily unavailable.")
	}
	return pick(lang, fmt.Sprintf("注册失败（%d）", e.Code), fmt.Sprintf("Sign-in failed (%d %s).", e.Code, e.Reason))
}
