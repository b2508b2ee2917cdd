package phone

import "github.com/emiago/sipgo/sip"

// allowedMethods is our Allow header: what this user agent answers.
const allowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE"

// commonHeaders go on every INVITE and every answer to one.
func (p *Phone) commonHeaders() []sip.Header {
	return []sip.Header{
		sip.NewHeader("Allow", allowedMethods),
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
