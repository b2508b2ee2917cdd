package sip

import (
	"mime"
	"strings"
	"time"
	"unicode/utf8"

	"agentbar/core"
	"agentbar/core/phone"
)

// maxNoticeRunes bounds how much of a text message is shown to the agent.
const maxNoticeRunes = 500

// kickGrace is how long a kick waits so that its MESSAGE is answered
// before the user agent closes.
const kickGrace = 200 * time.Millisecond

// onMessage takes the SIP MESSAGEs a PBX sends outside calls. Plain text
// is shown to the agent as a notice; a message whose Reason says the seat
// was taken by another sign-in (403 "Logged In Elsewhere", as the simulated
// center and several PBXs send before dropping the binding) signs the
// agent out for that reason instead of retrying into a refusal.
func (a *Adapter) onMessage(m phone.Message) int {
	if m.ContentType != "" {
		mt, _, err := mime.ParseMediaType(m.ContentType)
		if err != nil || mt != "text/plain" {
			return 415
		}
	}
	if !utf8.Valid(m.Body) {
		return 400
	}
	text := strings.TrimSpace(string(m.Body))
	if r := []rune(text); len(r) > maxNoticeRunes {
		text = string(r[:maxNoticeRunes]) + "…"
	}
	a.mu.Lock()
	sink := a.sink
	a.mu.Unlock()
	if sink == nil {
		return 480
	}
	if loggedInElsewhere(m.Header("Reason")) {
		a.log.Warn("sip: the registrar says the seat was taken by another sign-in", "from", m.From, "text", text)
		// Reported a moment later: signing out closes the user agent, and
		// the registrar should still get its 200 first.
		time.AfterFunc(kickGrace, func() { sink.Report(core.KickedUpdate{Err: &KickedError{Text: text}, CanRelogin: true}) })
		return 200
	}
	if text == "" {
		return 200
	}
	sink.Report(core.NoticeUpdate{Level: "info", Text: userOf(m.From) + "：" + text})
	return 200
}

// loggedInElsewhere recognises the Reason header of a kick
// (`SIP;cause=403;text="Logged In Elsewhere"`).
func loggedInElsewhere(reason string) bool {
	r := strings.ToLower(reason)
	return strings.Contains(r, "cause=403") && strings.Contains(r, "elsewhere")
}
