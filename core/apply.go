package core

import (
	"slices"
	"strings"
	"time"
)

// apply folds one platform update into the state and publishes what
// changed. Loop only.
func (e *Engine) apply(u Update) {
	s := &e.st
	now := e.opts.Now()
	switch u := u.(type) {
	case ConnectionUpdate:
		e.setConn(u.State, u.Err)
	case MediaUpdate:
		s.media = u
		e.publish(func(m EventMeta) Event {
			return MediaChanged{EventMeta: m, Registered: u.Registered, Detail: u.Detail, Err: u.Err}
		})
	case SessionUpdate:
		u.Groups = slices.Clone(u.Groups)
		s.session = u
		e.publish(func(m EventMeta) Event { return SessionChanged{EventMeta: m, Session: u} })
	case AgentStateUpdate:
		if !s.agent.Equal(u.State) || s.agent.BreakLabel != u.State.BreakLabel {
			if u.State.Reason == ReasonBreak && u.State.BreakLabel == "" {
				u.State.BreakLabel = labelOf(s.breaks, u.State.BreakCode)
			}
			e.setAgentState(u.State, now)
		}
	case CallUpdate:
		e.applyCall(u, now)
	case QualityUpdate:
		id, ok := s.byPlatform[u.PlatformCallID]
		if !ok {
			return
		}
		q := u.Quality
		s.calls[id].Quality = &q
		e.publish(func(m EventMeta) Event { return CallQualityChanged{EventMeta: m, CallID: id, Quality: q} })
	case BreakReasonsUpdate:
		s.breaks = slices.Clone(u.Reasons)
		e.publish(func(m EventMeta) Event {
			return BreakReasonsChanged{EventMeta: m, Reasons: slices.Clone(u.Reasons)}
		})
	case AgentsUpdate:
		if u.Full {
			s.agents = map[string]AgentInfo{}
		}
		for _, a := range u.Agents {
			s.agents[a.ID] = a
		}
		agents := slices.Clone(u.Agents)
		e.publish(func(m EventMeta) Event { return AgentsChanged{EventMeta: m, Agents: agents, Full: u.Full} })
	case NoticeUpdate:
		e.publish(func(m EventMeta) Event { return Notice{EventMeta: m, Level: u.Level, Err: u.Err, Text: u.Text} })
	case KickedUpdate:
		v := s.vendor
		e.log.Warn("engine: signed out by the platform", "err", u.Err)
		cause := u.Err
		if cause == nil {
			cause = ErrKicked
		}
		e.endSession(cause, true, u.CanRelogin)
		if v != nil {
			go e.releaseVendor(v)
		}
	default:
		e.log.Warn("engine: unknown update", "type", u)
	}
}

func labelOf(bs []BreakReason, code string) string {
	for _, b := range bs {
		if b.Code == code {
			return b.Label
		}
	}
	return ""
}

// applyCall creates or changes a call from a platform update.
func (e *Engine) applyCall(u CallUpdate, now time.Time) {
	s := &e.st
	c := e.findCall(u)
	if c == nil {
		if u.State == CallEnded && u.Direction == Inbound && u.PlatformCallID != "" && u.EndReason != "" {
			e.addEndedCall(u, now)
			return
		}
		if u.State == CallEnded || u.PlatformCallID == "" {
			e.log.Debug("engine: update for an unknown call ignored", "platform_call_id", u.PlatformCallID)
			return
		}
		c = e.newCall(u, now)
		e.journal(c)
		e.publish(func(m EventMeta) Event { return CallAdded{EventMeta: m, Call: c.clone()} })
		if u.State == 0 || u.State == c.State {
			return
		}
	}
	from := c.State
	changed := false
	if u.PlatformCallID != "" && c.PlatformCallID == "" {
		c.PlatformCallID = u.PlatformCallID
		s.byPlatform[u.PlatformCallID] = c.ID
		changed = true
	}
	if u.NewPlatformCallID != "" && u.NewPlatformCallID != c.PlatformCallID {
		delete(s.byPlatform, c.PlatformCallID)
		c.PlatformCallID = u.NewPlatformCallID
		s.byPlatform[c.PlatformCallID] = c.ID
		changed = true
	}
	changed = mergeDetails(&c.Call, u) || changed
	changed = e.locate(c) || changed
	if u.Authority != nil {
		a := *u.Authority
		c.authority = &a
		changed = true
	}
	if u.Muted != nil && *u.Muted != c.Muted {
		c.Muted = *u.Muted
		changed = true
	}
	if u.State == CallEnded {
		e.endCall(c, u.EndReason, u.EndDetail, now)
		return
	}
	if u.State != 0 && u.State != c.State {
		if !CanTransition(c.State, u.State) {
			e.log.Warn("engine: illegal call transition ignored", "call", c.ID, "from", c.State, "to", u.State)
		} else {
			c.State = u.State
			c.StateSince = now
			if u.State == CallTalking && c.Answered.IsZero() {
				c.Answered = now
			}
			// A platform's authority flags describe one state; a new state
			// without new flags falls back to the state's defaults.
			if u.Authority == nil {
				c.authority = nil
			}
			changed = true
		}
	}
	if !changed {
		return
	}
	c.Allowed = c.allowedNow(s.caps)
	e.journal(c)
	e.publish(func(m EventMeta) Event { return CallChanged{EventMeta: m, From: from, Call: c.clone()} })
}

// findCall matches an update to a call: by platform id, else by dial tag.
func (e *Engine) findCall(u CallUpdate) *callEntry {
	s := &e.st
	if id, ok := s.byPlatform[u.PlatformCallID]; ok && u.PlatformCallID != "" {
		return s.calls[id]
	}
	if u.Tag != "" {
		if c, ok := s.calls[u.Tag]; ok {
			return c
		}
	}
	return nil
}

func (e *Engine) newCall(u CallUpdate, now time.Time) *callEntry {
	s := &e.st
	dir := u.Direction
	if dir == 0 {
		dir = Inbound
	}
	state := u.State
	if state == 0 || state == CallEnded {
		state = CallRinging
		if dir != Inbound {
			state = CallDialing
		}
	}
	c := &callEntry{Call: Call{
		ID: e.opts.NewCallID(), PlatformCallID: u.PlatformCallID, Direction: dir,
		State: state, Started: now, StateSince: now,
	}}
	mergeDetails(&c.Call, u)
	e.locate(c)
	if state == CallTalking {
		c.Answered = now
	}
	if u.Authority != nil {
		a := *u.Authority
		c.authority = &a
	}
	s.calls[c.ID] = c
	s.order = append(s.order, c.ID)
	s.byPlatform[u.PlatformCallID] = c.ID
	c.Allowed = c.allowedNow(s.caps)
	return c
}

// mergeDetails copies the update's non-empty details into the call and
// fills location and carrier offline when the platform sent none.
func mergeDetails(c *Call, u CallUpdate) bool {
	changed := false
	set := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst, changed = v, true
		}
	}
	set(&c.RemoteNumber, u.RemoteNumber)
	set(&c.DisplayNumber, u.DisplayNumber)
	set(&c.Location, u.Location)
	set(&c.Queue, u.Queue)
	if len(u.UserData) > 0 {
		if c.UserData == nil {
			c.UserData = map[string]string{}
		}
		for k, v := range u.UserData {
			if c.UserData[k] != v {
				c.UserData[k], changed = v, true
			}
		}
	}
	if u.Direction != 0 && u.Direction != c.Direction {
		c.Direction, changed = u.Direction, true
	}
	return changed
}

// endCall moves a call to Ended with the best reason known and forgets it.
func (e *Engine) endCall(c *callEntry, reason EndReason, detail string, now time.Time) {
	s := &e.st
	from := c.State
	if reason == "" || reason == EndRemoteHangup && c.localEnd != "" {
		reason = e.inferEndReason(c)
	}
	if c.dialCancel != nil {
		c.dialCancel()
		c.dialCancel = nil
	}
	c.State, c.StateSince, c.Ended = CallEnded, now, now
	c.EndReason, c.EndDetail = reason, detail
	c.Allowed = 0
	e.journal(c)
	e.publish(func(m EventMeta) Event { return CallChanged{EventMeta: m, From: from, Call: c.clone()} })
	s.removeCall(c.ID)
}

// addEndedCall records an inbound call the agent never saw ring (refused
// while on do-not-disturb, taken back by the platform first): it goes to
// the history and to subscribers as one CallAdded already ended, so no
// window pops up and no ringtone starts for it.
func (e *Engine) addEndedCall(u CallUpdate, now time.Time) {
	c := e.newCall(u, now)
	c.State, c.StateSince, c.Ended = CallEnded, now, now
	c.EndReason, c.EndDetail = u.EndReason, u.EndDetail
	c.Allowed = 0
	e.journal(c)
	e.publish(func(m EventMeta) Event { return CallAdded{EventMeta: m, Call: c.clone()} })
	e.st.removeCall(c.ID)
}

// inferEndReason says why a call ended when the platform did not.
func (e *Engine) inferEndReason(c *callEntry) EndReason {
	answered := !c.Answered.IsZero()
	switch {
	case c.localEnd == EndRejected && !answered:
		return EndRejected
	case c.localEnd != "" && !answered && c.Direction != Inbound:
		return EndCancelled
	case c.localEnd != "":
		return EndLocalHangup
	case !answered && c.Direction == Inbound:
		return EndMissed
	case !answered:
		return EndNoAnswer
	}
	return EndRemoteHangup
}

// journal records a call change. It runs before the change is published,
// so that whoever hears of a change can already find it in the history.
func (e *Engine) journal(c *callEntry) {
	if e.opts.Journal == nil {
		return
	}
	e.opts.Journal.Record(CallRecord{Call: c.clone(), Account: e.st.account, Platform: e.st.info.ID})
}

// trimNumber is the default number check: digits, '+', '*', '#' and SIP
// URIs pass through trimmed. The application installs core/numbers instead.
func trimNumber(raw string) (string, error) {
	n := strings.TrimSpace(raw)
	if n == "" {
		return "", ErrInvalidArgument
	}
	return n, nil
}

// locate fills location and carrier offline once the number is known.
// It reports whether anything changed.
func (e *Engine) locate(c *callEntry) bool {
	if e.opts.Locate == nil || c.located || c.RemoteNumber == "" {
		return false
	}
	c.located = true
	loc, carrier := e.opts.Locate(c.RemoteNumber)
	changed := false
	if c.Location == "" && loc != "" {
		c.Location, changed = loc, true
	}
	if c.Carrier == "" && carrier != "" {
		c.Carrier, changed = carrier, true
	}
	return changed
}
