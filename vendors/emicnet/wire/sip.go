package wire

import (
	"strings"
	"unicode/utf8"
)

// SIP over WSS (docs/vendors/emicnet.md §3–§6): agentbar's choice of the
// headers and MESSAGE content types that carry the SDK's names.
const (
	// WebSocketSubprotocol is JsSIP's.
	WebSocketSubprotocol = "sip"

	// REGISTER headers: the skill group the agent signs in to, the device
	// mode (CallInType) and, for 4 and 5, the device's number.
	HeaderGid        = "X-Emic-Gid"
	HeaderCallintype = "X-Emic-Callintype"
	HeaderNumber     = "X-Emic-Number"

	// HeaderCcNumber is on every INVITE the platform sends: the call's ccNumber.
	HeaderCcNumber = "X-Emic-CcNumber"

	// HeaderCallInfo with AutoAnswerCallInfo marks the INVITE that rings
	// the agent's own device for a call it placed (or a monitor it
	// started): the softphone answers it by itself.
	HeaderCallInfo     = "Call-Info"
	AutoAnswerCallInfo = "<sip:pbx>;answer-after=0"

	// Content types of the MESSAGE bodies.
	ContentTypeCommand = "application/emicnet-cmd+json"
	ContentTypeResult  = "application/emicnet-result+json"
	ContentTypeEvent   = "application/emicnet-event+json"
	// ContentTypeDTMFRelay is SIP INFO's body type for voip DTMF (§5).
	ContentTypeDTMFRelay = "application/dtmf-relay"

	// PBXUser is the user part of the command target sip:pbx@{switchnumber}.
	PBXUser = "pbx"
)

// CommandURI is where commands go: sip:pbx@{switchnumber}.
func CommandURI(switchnumber string) string { return "sip:" + PBXUser + "@" + switchnumber }

// AOR is the agent's address of record: sip:{un}@{switchnumber}.
func AOR(un, switchnumber string) string { return "sip:" + un + "@" + switchnumber }

// IsAutoAnswer reports whether a Call-Info header value asks for an
// answer without ringing (answer-after=0), in any case and spacing.
func IsAutoAnswer(callInfo string) bool {
	for _, param := range strings.Split(callInfo, ";")[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
		if strings.EqualFold(strings.TrimSpace(k), "answer-after") && strings.TrimSpace(v) == "0" {
			return true
		}
	}
	return false
}

// ValidDTMF reports whether s is exactly one DTMF digit (0-9 * #; A-D are
// not offered): the platform takes one digit per request.
func ValidDTMF(s string) bool {
	return len(s) == 1 && strings.ContainsRune("0123456789*#", rune(s[0]))
}

// ValidCcNumber reports whether c can be a ccNumber: non-empty, bounded,
// printable ASCII without spaces (the seed: "ccNumber由数字字母组成"; the
// example also has an underscore).
func ValidCcNumber(c string) bool {
	if c == "" || len(c) > MaxCcNumberLength || !utf8.ValidString(c) {
		return false
	}
	for _, r := range c {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// IsDigits reports whether s is a non-empty run of ASCII digits: what a
// plain (or decrypted) number must be.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Register answers (§3): 200 signs in; these are the failures and their
// sentences (RegisterError).
const (
	RegisterUnauthorized = 401 // wrong password (after the digest)
	RegisterForbidden    = 403 // account or enterprise disabled, or wrong gid
	RegisterNotFound     = 404 // no such extension
)
