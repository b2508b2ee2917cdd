package emicnet

import (
	"context"
	"mime"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// onMessage takes a MESSAGE platform → agent (§6), one at a time and in
// the order read (core/phone's OnMessage). It never blocks: updates go to
// the sink, slow follow-ups to goroutines. The answer is 200, 400 for a
// body that does not decode, 415 for a body that is not an event; an
// unknown event is answered 200 and logged.
func (a *Adapter) onMessage(m phone.Message) int {
	if mt, _, err := mime.ParseMediaType(m.ContentType); err != nil || mt != wire.ContentTypeEvent {
		a.log.Warn("emicnet: MESSAGE that is not an event", "content_type", m.ContentType, "from", m.From)
		return 415
	}
	ev, err := wire.DecodeEvent(m.Body)
	if err != nil {
		a.log.Warn("emicnet: malformed event", "err", err, "body", truncate(m.Body, 200))
		return 400
	}
	switch ev.Event {
	case wire.EventCallEvent:
		d, err := ev.CallEvent()
		if err != nil {
			a.log.Warn("emicnet: malformed callEvent", "type", ev.Type, "err", err, "body", truncate(m.Body, 200))
			return 400
		}
		a.onCallEvent(ev.Type, d)
	case wire.EventStatusChanged:
		d, err := ev.StatusChanged()
		if err != nil {
			a.log.Warn("emicnet: malformed statusChanged", "err", err, "body", truncate(m.Body, 200))
			return 400
		}
		a.onStatus(d.Status)
	case wire.EventKickedOffLine:
		d, err := ev.KickedOffLine()
		if err != nil {
			a.log.Warn("emicnet: malformed kickedOffLine", "err", err, "body", truncate(m.Body, 200))
			// Still a kick: the platform wants the seat gone.
			d.R = 0
		}
		a.onKicked(d.R)
	case wire.EventRepCallStatus:
		d, err := ev.RepCallStatus()
		if err != nil {
			a.log.Warn("emicnet: malformed repCallStatus", "err", err, "body", truncate(m.Body, 200))
			return 400
		}
		a.onRepCall(d)
	default:
		a.log.Warn("emicnet: unknown event ignored", "event", ev.Event, "type", ev.Type)
	}
	return 200
}

// onStatus is statusChanged: the seat is offline, online (idle) or busy.
// The first status after REGISTER makes checkLogin() 1.
func (a *Adapter) onStatus(s wire.SeatStatus) {
	st, ok := agentStateOfSeat(s)
	if !ok {
		return
	}
	a.mu.Lock()
	if a.kicked {
		a.mu.Unlock()
		return
	}
	a.seat = s
	a.login = wire.LoginOnline
	if s == wire.SeatOffline {
		a.login = wire.LoginOffline
	}
	a.report(core.AgentStateUpdate{State: st})
	a.mu.Unlock()
}

// onCallEvent is callEvent(type, data).
func (a *Adapter) onCallEvent(typ string, d wire.CallEventData) {
	if !wire.IsCallEventType(typ) {
		a.log.Warn("emicnet: unknown callEvent type ignored", "type", typ, "c", d.C)
		return
	}
	var fs followups
	a.mu.Lock()
	a.callEventLocked(typ, d, &fs)
	a.mu.Unlock()
	a.runAside(fs)
}

// callEventLocked applies one callEvent. Caller holds a.mu; reports are
// made under it so that a dial's first update and the events that follow
// reach the engine in order.
func (a *Adapter) callEventLocked(typ string, d wire.CallEventData, fs *followups) {
	c := string(d.C)
	if a.monitorCcLocked(c) {
		// The supervisor's own leg on an agent's call: not a call of its
		// own. Its end (endCallMonitor, or the call ended) ends monitoring.
		if typ == wire.EndPBXCall || typ == wire.CancelPBXCall {
			a.monitorEndedLocked(c)
		}
		return
	}
	r := a.calls[c]
	if r == nil && a.ended.has(c) {
		// A late event of a call that already ended (its endPBXCall after
		// the failure that ended it): never a new call's early event.
		a.log.Debug("emicnet: late event of an ended call", "type", typ, "c", c)
		return
	}
	if r == nil {
		switch typ {
		case wire.NewPBXCall:
			r = a.newRecLocked(c, core.Inbound, false, fs)
		case wire.CancelPBXCall, wire.EndPBXCall:
			if a.claimEarlyLocked(typ, d, fs) {
				return
			}
			a.log.Debug("emicnet: end of a call we do not know", "type", typ, "c", c)
			return
		default:
			if a.claimEarlyLocked(typ, d, fs) {
				return
			}
			a.log.Info("emicnet: event of a call we do not know ignored", "type", typ, "c", c)
			return
		}
	}
	step, _ := stepOf(typ, d, r.talked)
	u := core.CallUpdate{RemoteNumber: string(d.N)}
	if typ == wire.NewPBXCall {
		u.Direction = core.Inbound
	}
	switch {
	case step.ends:
		reason, detail := step.reason, ""
		if step.failure != 0 {
			detail = core.Sentence(&wire.CallFailedError{Code: step.failure, C: c}, "zh")
		}
		if r.transferring && typ == wire.EndPBXCall {
			reason = core.EndTransferred
		}
		a.endRecLocked(r, reason, detail, fs)
	case step.state != 0 && step.state != r.state:
		if step.state == core.CallTalking && r.leg != nil {
			// The platform says the call is up: a leg still ringing is answered.
			*fs = append(*fs, answerLeg(a, r.leg))
		}
		a.setStateLocked(r, step.state, u)
	case u.RemoteNumber != "" || u.Direction != 0:
		u.PlatformCallID = r.cc
		a.report(u)
	}
}

// claimEarlyLocked keeps an event of a call not named yet for the dial in
// flight (the call command's result may come after the call's first
// events), or hangs up the call of a dial the engine gave up. Caller holds
// a.mu.
func (a *Adapter) claimEarlyLocked(typ string, d wire.CallEventData, fs *followups) bool {
	if typ == wire.NewPBXCall || typ == wire.CancelPBXCall {
		return false // inbound only
	}
	c := string(d.C)
	if pd := a.abandoned; pd != nil && (pd.cc == "" || pd.cc == c) {
		pd.cc = c
		if !pd.terminated && typ != wire.EndPBXCall {
			pd.terminated = true
			*fs = append(*fs, func(ctx context.Context) {
				if err := a.do(ctx, wire.CmdTerminate, cc(c)); err != nil {
					a.log.Info("emicnet: hanging up an abandoned dial", "c", c, "err", err)
				}
			})
		}
		if typ == wire.EndPBXCall {
			a.abandoned = nil
		}
		return true
	}
	pd := a.pending
	if pd == nil || (pd.cc != "" && pd.cc != c) {
		return false
	}
	pd.cc = c
	if len(pd.early) < maxEarly {
		pd.early = append(pd.early, earlyEvent{typ: typ, d: d})
	}
	return true
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
