package udesk

import (
	"context"
	"time"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/udesk/wire"
)

// onEvent handles one event of socket s, on its read goroutine, in order.
// It never blocks: updates go to the sink, slow follow-ups to goroutines.
func (a *Adapter) onEvent(s *socket, f wire.ServerFrame) {
	a.mu.Lock()
	current := a.eventSock == s || a.sock == s
	a.mu.Unlock()
	if !current {
		return
	}
	if !f.OK() {
		// An asynchronous failure (e.g. a transfer target that did not answer).
		err := &PlatformError{Method: f.Event, Code: f.Code, Message: f.Message, Visible: bool(f.Visible)}
		a.log.Warn("udesk: event with an error code", "event", f.Event, "code", f.Code, "message", f.Message)
		if f.Visible {
			a.report(core.NoticeUpdate{Level: "warning", Err: err})
		}
		return
	}
	var err error
	switch {
	case wire.CallEvents[f.Event]:
		var ev wire.CallEvent
		if err = wire.DecodeData(f.Data, &ev); err == nil {
			a.onCallEvent(f.Event, ev)
		}
	case f.Event == wire.EventAdvancedCallStatusChanged:
		var st wire.AdvancedCallStatus
		if err = wire.DecodeData(f.Data, &st); err == nil {
			a.onCallStatus(st)
		}
	case f.Event == wire.EventAgentStateChanged:
		var ch wire.AgentStateChange
		var ok bool
		if ok, err = wire.DecodeListItem(f.Data, &ch); err == nil && ok {
			a.onAgentState(ch.CurState, string(ch.CurStateSubId))
		}
	case f.Event == wire.EventPhoneModeChanged:
		var ch wire.PhoneModeChange
		var ok bool
		if ok, err = wire.DecodeListItem(f.Data, &ch); err == nil && ok {
			a.onPhoneMode(ch.CurContact, ch.CurNumber, ch.CurExtState)
		}
	case f.Event == wire.EventPhoneStateChanged:
		var ch wire.PhoneStateChange
		var ok bool
		if ok, err = wire.DecodeListItem(f.Data, &ch); err == nil && ok {
			a.log.Debug("udesk: terminal state", "state", ch.CurState, "call", ch.CallID)
		}
	case f.Event == wire.EventReady:
		var r wire.ReadyInfo
		var ok bool
		if ok, err = wire.DecodeListItem(f.Data, &r); err == nil && ok {
			a.onAgentState(r.CurState, "")
			a.onPhoneMode(r.CurMode, "", r.CurExtState)
		}
	case f.Event == wire.EventGetState:
		var st wire.State
		if err = wire.DecodeData(f.Data, &st); err == nil {
			a.resync(st)
		}
	default:
		a.log.Warn("udesk: unknown event ignored", "event", f.Event)
		return
	}
	if err != nil {
		a.log.Warn("udesk: malformed event ignored", "event", f.Event, "err", err, "data", truncate(f.Data, 200))
	}
}

// onAgentState reports the agent's state. A break keeps the reason's label;
// wrap-up lasts the platform's wrap-up time from now.
func (a *Adapter) onAgentState(cur, sub string) {
	a.mu.Lock()
	st, ok := agentStateFromWire(cur, sub, a.labels, a.wrapUp, a.now())
	a.mu.Unlock()
	if !ok {
		a.log.Warn("udesk: unknown agent state", "state", cur, "sub", sub)
		return
	}
	a.report(core.AgentStateUpdate{State: st})
}

// onPhoneMode follows the platform's phone mode: the softphone runs as the
// IP phone in voip mode and as the web phone in webrtc mode, not in
// cellphone mode. Starting or stopping it is slow, so it happens aside.
func (a *Adapter) onPhoneMode(mode, number, extState string) {
	if mode == "" {
		return
	}
	a.mu.Lock()
	changed := a.curMode != mode
	a.curMode = mode
	if number != "" {
		a.deviceNumber = number
	}
	closing := a.closing
	loggedIn := a.sock != nil && a.modeSettled
	a.mu.Unlock()
	a.log.Debug("udesk: phone mode", "mode", mode, "number", number, "terminal", extState)
	if !changed || closing || !loggedIn {
		return
	}
	a.report(core.SessionUpdate{AgentID: a.agentID, Extension: a.device(), IsSupervisor: a.supervisor})
	a.goAside(func(ctx context.Context) {
		if hasSoftphone(mode) {
			if err := a.startPhone(ctx, mode); err != nil {
				a.report(core.MediaUpdate{Err: err})
			}
			return
		}
		_ = a.stopPhone(ctx)
		a.reportDevice()
	})
}

// goAside runs a follow-up that may block, bounded by the session's life.
func (a *Adapter) goAside(f func(ctx context.Context)) {
	a.mu.Lock()
	if a.closing || a.life == nil {
		a.mu.Unlock()
		return
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(a.life, 2*a.opts.RequestTimeout)
		defer cancel()
		f(ctx)
	}()
}

// onCallEvent handles Delivered ... Transferred.
func (a *Adapter) onCallEvent(name string, ev wire.CallEvent) {
	if ev.CallID == "" {
		a.log.Warn("udesk: call event without CallID", "event", name)
		return
	}
	u := callUpdateFromEvent(name, ev)
	if endsCall(name) {
		a.endCall(u.PlatformCallID, name == wire.EventTransferred)
		return
	}
	if u.Direction == 0 {
		switch name {
		case wire.EventDelivered:
			u.Direction = core.Inbound
		case wire.EventOriginated:
			u.Direction = core.Outbound
		}
	}
	a.applyCall(u, ev.CallType)
}

// onCallStatus handles AdvancedCallStatusChanged: the state and the
// platform's authority flags.
func (a *Adapter) onCallStatus(st wire.AdvancedCallStatus) {
	if st.CallID == "" {
		return
	}
	if endsCall(st.AdvancedCallStatus) || endsCall(st.CallEvent) && st.AdvancedCallStatus == "" {
		a.endCall(st.CallID, st.AdvancedCallStatus == wire.StatusTransferred)
		return
	}
	a.applyCall(callUpdateFromStatus(st), st.CallType)
}

// applyCall tracks the call, links a pending dial, adds the terminal's own
// actions to the platform's authority, and reports.
func (a *Adapter) applyCall(u core.CallUpdate, callType string) {
	var (
		answerLeg *phone.Call
		announced *pendingDial
	)
	a.mu.Lock()
	r := a.calls[u.PlatformCallID]
	if r == nil {
		if u.State == 0 || a.ignored[u.PlatformCallID] {
			a.mu.Unlock()
			return // nothing to show yet, or a dial the agent gave up
		}
		if pd := a.pending; pd != nil && u.Direction == core.Outbound && !isMonitorLeg(callType) {
			a.pending = nil
			if pd.cancelled {
				// The agent hung up before the platform named the call.
				a.ignored[u.PlatformCallID] = true
				a.mu.Unlock()
				a.goAside(func(ctx context.Context) { _ = a.do(ctx, wire.MethodHangup, wire.CallParams{CallId: u.PlatformCallID}) })
				return
			}
			announced = pd
			u.Tag, u.RemoteNumber = pd.tag, firstNonEmpty(u.RemoteNumber, pd.number)
		}
		r = a.newRec(u.PlatformCallID, u.Direction, callType)
	}
	var step *core.CallUpdate
	if u.State != 0 && u.State != r.state && skipsTalking(r.state, u.State) {
		// Ringing straight into hold, a consult or a three-way call: the
		// engine's call goes through talking, as the agent's did.
		step = &core.CallUpdate{PlatformCallID: u.PlatformCallID, Tag: u.Tag, State: core.CallTalking}
		u.Tag = ""
	}
	if u.State != 0 {
		r.state = u.State
		if u.State == core.CallTalking || u.State == core.CallHeld || u.State == core.CallConsulting || u.State == core.CallConference {
			r.answered = true
		}
	}
	if u.Authority != nil {
		set := *u.Authority | terminalActions(a.curModeLocked(), r.state)
		u.Authority = &set
	}
	if r.answered && r.leg != nil && r.leg.Direction() == phone.Inbound {
		answerLeg = r.leg // if it still rings; asked below, without mu
	}
	a.mu.Unlock()
	if answerLeg != nil && answerLeg.State() != phone.Ringing {
		answerLeg = nil
	}
	if announced != nil {
		announced.callID = u.PlatformCallID
		close(announced.announced)
	}
	if step != nil {
		a.report(*step)
	}
	a.report(u)
	if answerLeg != nil {
		a.answerLegAside(answerLeg)
	}
}

// endCall ends the agent's part of a call: ConnectionCleared, or
// Transferred for the agent who transferred it.
func (a *Adapter) endCall(id string, transferred bool) {
	a.mu.Lock()
	r, ok := a.calls[id]
	delete(a.calls, id)
	delete(a.consulted, id)
	delete(a.ignored, id)
	idle := len(a.calls) == 0
	a.mu.Unlock()
	if idle {
		// The microphone's mute belongs to the calls: the next call starts
		// unmuted, as the engine shows it.
		a.muteMicrophone(false)
	}
	if !ok {
		return
	}
	u := core.CallUpdate{PlatformCallID: id, State: core.CallEnded}
	if transferred {
		u.EndReason = core.EndTransferred
	}
	a.report(u)
	if leg := r.leg; leg != nil {
		// The platform releases the leg itself; this is for a platform
		// that forgets, after a grace period.
		a.goAside(func(ctx context.Context) {
			t := time.NewTimer(legReleaseGrace)
			defer t.Stop()
			select {
			case <-leg.Done():
			case <-t.C:
				_ = leg.Hangup(ctx)
			case <-ctx.Done():
			}
		})
	}
}

// legReleaseGrace is how long a call's SIP leg may outlive the call.
const legReleaseGrace = 2 * time.Second

// resync applies GetState: the agent's state, the phone mode, and the one
// call the platform knows; calls it does not know any more have ended.
func (a *Adapter) resync(st wire.State) {
	a.onAgentState(st.CurState, string(st.CurSubStateId))
	a.mu.Lock()
	if st.CurContact != "" {
		a.deviceNumber = st.CurContact
	}
	if st.CurMode != "" && a.curMode == "" {
		a.curMode = st.CurMode
	}
	var gone []string
	for id := range a.calls {
		if id != st.CallID {
			gone = append(gone, id)
		}
	}
	a.mu.Unlock()
	if st.CurMode != "" {
		a.onPhoneMode(st.CurMode, st.CurContact, st.CurExtState)
	}
	for _, id := range gone {
		a.endCall(id, false)
	}
	if st.CallID == "" {
		return
	}
	status := ""
	if st.AdvancedCallStatus != nil {
		status = *st.AdvancedCallStatus
	}
	callType := ""
	if st.CallType != nil {
		callType = *st.CallType
	}
	if endsCall(status) {
		a.endCall(st.CallID, status == wire.StatusTransferred)
		return
	}
	u := core.CallUpdate{
		PlatformCallID: st.CallID,
		State:          callStateOfStatus[status],
		Direction:      directionOf(st.CallDirection, "", callType),
		RemoteNumber:   firstNonEmpty(st.DestNumber, st.CustomerInfo.Tel()),
		Location:       firstNonEmpty(st.DestNumberLoc, cityOf(st.CustomerInfo)),
		DisplayNumber:  st.SpNumber,
	}
	a.applyCall(u, callType)
}

func (a *Adapter) curModeLocked() string {
	if a.curMode == "" {
		return a.mode
	}
	return a.curMode
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// skipsTalking reports a jump from a setup state to a state that needs an
// answered call.
func skipsTalking(from, to core.CallState) bool {
	setup := from == 0 || from == core.CallRinging || from == core.CallDialing || from == core.CallRemoteRinging
	return setup && (to == core.CallHeld || to == core.CallConsulting || to == core.CallConference)
}
