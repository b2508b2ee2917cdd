package phone

import "github.com/emiago/sipgo/sip"

// baseAllowedMethods is our Allow header without OnMessage.
const baseAllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE"

// allowedMethods is our Allow header: what this user agent answers
// (MESSAGE when Config.OnMessage takes them).
func (p *Phone) allowedMethods() string {
	if p.cfg.OnMessage != nil {
		return baseAllowedMethods + ", MESSAGE"
	}
	return baseAllowedMethods
}

// commonHeaders go on every INVITE and every answer to one.
func (p *Phone) commonHeaders() []sip.Header {
	return []sip.Header{
		sip.NewHeader("Allow", p.allowedMethods()),
		sip.NewHeader("Supported", "timer"),
		sip.NewHeader("User-Agent", p.cfg.UserAgent),
	}
}

func sdpContentType() sip.Header { return sip.NewHeader("Content-Type", "application/sdp") }

// reasonPhrase is the standard phrase for the codes we send.
func reasonPhrase(code int) string {
	switch code {
	case 200:
		return "OK"
	case 202:
		return "Accepted"
	case 400:
		return "Bad Request"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 413:
		return "Request Entity Too Large"
	case 415:
		return "Unsupported Media Type"
	case 422:
		return "Session Interval Too Small"
	case 480:
		return "Temporarily Unavailable"
	case 481:
		return "Call/Transaction Does Not Exist"
	case 486:
		return "Busy Here"
	case 487:
		return "Request Terminated"
	case 488:
		return "Not Acceptable Here"
	case 491:
		return "Request Pending"
	case 500:
		return "Server Internal Error"
	case 501:
		return "Not Implemented"
	case 503:
		return "Service Unavailable"
	case 600:
		return "Busy Everywhere"
	case 603:
		return "Decline"
	}
	switch {
	case code >= 600:
		return "Global Failure"
	case code >= 500:
		return "Server Error"
	case code >= 400:
		return "Request Failure"
	}
	return "Unknown"
}
