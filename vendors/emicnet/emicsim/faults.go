package emicsim

import (
	"context"
	"fmt"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// onFault carries out the center's malformed knob on this front: the
// seat's client gets an event MESSAGE that does not decode. The SIP-level
// knobs (drop, restart, the SIP kinds of malformed, expire token) are the
// SIP front's; delay applies to the account API's method names
// ("getUser", "getUser2", "getGroups", "searchEpMembers"); refuse_login
// makes getUser answer 50005 (401: 50003) and REGISTER 403.
func (f *Front) onFault(ft callcenter.Fault) {
	m, ok := ft.(callcenter.Malformed)
	if !ok {
		return
	}
	body, ok := malformedEvents[m.What]
	if !ok {
		return
	}
	if err := f.Inject(m.Agent, body); err != nil {
		f.log.Info("emicsim: malformed event not delivered", "seat", m.Agent, "err", err)
	}
}

// malformedEvents are what the malformed knob sends with these kinds.
var malformedEvents = map[string][]byte{
	"event_garbage":    []byte("\x00\x01 not json {"),
	"event_shape":      []byte(`{"event": 5, "data": []}`),
	"event_data":       []byte(`{"event":"callEvent","type":"newPBXCall","data":{"c":{"x":1},"a":[]}}`),
	"event_oversize":   append(append([]byte(`{"event":"statusChanged","data":{"status":1},"pad":"`), make([]byte, wire.MaxMessageBody)...), '"', '}'),
	"event_unknown":    []byte(`{"event":"somethingNew","data":{}}`),
	"event_bad_status": []byte(`{"event":"statusChanged","data":{"status":"9"}}`),
}

// MalformedKinds lists the kinds the malformed knob takes on this front
// (besides the SIP front's garbage, bad_header and bad_sdp).
func MalformedKinds() []string {
	return []string{"event_garbage", "event_shape", "event_data", "event_oversize", "event_unknown", "event_bad_status"}
}

// Inject sends a seat any body as an event MESSAGE (golden and robustness
// tests), over its registration, and returns when the client answered
// (a *sipfront.StatusError for a non-2xx answer).
func (f *Front) Inject(un string, body []byte) error {
	if !f.sip.Registered(un) {
		return fmt.Errorf("%w: %s", ErrNotSignedIn, un)
	}
	ctx, cancel := context.WithTimeout(f.life, messageTimeout)
	defer cancel()
	return f.sip.SendMessage(ctx, un, wire.ContentTypeEvent, body)
}
