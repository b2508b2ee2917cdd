package webrtc

import "strings"

// Error is one of this package's sentinel errors. Error() is the technical
// text for logs; Sentence gives what the agent is shown.
type Error struct {
	msg    string
	zh, en string
}

func (e *Error) Error() string { return "webrtc: " + e.msg }

// Sentence returns the agent-facing sentence in lang ("zh" or "en"; anything
// else gets Chinese).
func (e *Error) Sentence(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return e.en
	}
	return e.zh
}

var (
	// ErrClosed: the session has been closed.
	ErrClosed = &Error{"session closed", "语音通道已关闭", "The audio channel has been closed."}
	// ErrMalformedSDP: the peer's SDP cannot be parsed.
	ErrMalformedSDP = &Error{"malformed SDP", "对方的媒体描述无法解析", "The other side sent a media description that cannot be read."}
	// ErrNotWebRTC: the peer's SDP has no audio stream that WebRTC can use
	// (plain RTP/AVP, no DTLS fingerprint or no ICE credentials): answered 488.
	ErrNotWebRTC = &Error{"no WebRTC audio stream (ICE + DTLS-SRTP) offered", "对方不支持 WebRTC 语音（需要 ICE 和 DTLS-SRTP）", "The other side does not offer WebRTC audio (ICE and DTLS-SRTP)."}
	// ErrNoCommonCodec: nothing in common among Opus, PCMU and PCMA.
	ErrNoCommonCodec = &Error{"no common codec", "没有共同支持的语音编码", "The other side supports none of our voice codecs."}
	// ErrICEFailed: no network path to the other side's media (ICE found no
	// working candidate pair in time, or lost the one it had).
	ErrICEFailed = &Error{"ICE failed: no media path to the other side", "无法与对方建立语音连接（网络不通，可能被防火墙拦截）", "No audio path to the other side could be set up (the network or a firewall blocks it)."}
	// ErrDTLSFailed: the network path works but the DTLS handshake failed
	// (certificate fingerprint mismatch, or the other side aborted it).
	ErrDTLSFailed = &Error{"DTLS handshake failed", "语音加密握手失败，通话无法建立", "The encrypted audio channel could not be set up."}
	// ErrMediaLost: the media connection broke during the call.
	ErrMediaLost = &Error{"media connection lost", "语音连接已中断", "The audio connection was lost."}
	// ErrNotNegotiated: an operation that needs an offer/answer exchange first.
	ErrNotNegotiated = &Error{"offer/answer not complete", "语音通道尚未协商完成", "The audio channel is not set up yet."}
	// ErrNoDTMF: telephone-event was not negotiated.
	ErrNoDTMF = &Error{"telephone-event not negotiated", "对方不支持按键信号（RFC 4733）", "The other side does not accept keypad tones (RFC 4733)."}
	// ErrNotSending: the negotiated direction does not let us send (on hold).
	ErrNotSending = &Error{"direction does not allow sending", "保持中，无法发送", "Nothing can be sent while the call is on hold."}
	// ErrBadDigit: not a DTMF key (0-9 * # A-D).
	ErrBadDigit = &Error{"not a DTMF digit", "按键无效（只能是 0-9、*、#、A-D）", "Not a keypad digit (0-9, *, #, A-D)."}
	// ErrInvalidConfig: NewSession was given a Config it cannot use.
	ErrInvalidConfig = &Error{"invalid configuration", "WebRTC 配置不正确", "The WebRTC settings are not valid."}
)
