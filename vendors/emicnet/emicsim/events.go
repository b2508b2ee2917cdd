package emicsim

import (
	"strconv"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// The center's events, told to each seat as Emicnet events
// (docs/vendors/emicnet.md §5, §6). One goroutine reads them in the
// center's order; each seat's outbox keeps that order.

// Call data the front puts on the calls it places (PlaceOptions.UserData).
const (
	userDataN        = "emicnet_n"        // the number as passed to call() (maybe encrypted)
	userDataCallType = "emicnet_calltype" // "2" outside, "3" internal
)

func (f *Front) loop(sub *callcenter.Subscription) {
	defer f.wg.Done()
	for ev := range sub.C {
		f.handle(ev)
	}
}

func (f *Front) handle(ev callcenter.Event) {
	if ft, ok := ev.(callcenter.FaultInjected); ok {
		f.onFault(ft.Fault)
		return
	}
	now := f.cc.Clock().Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	switch e := ev.(type) {
	case callcenter.AgentStateChanged:
		f.stateChanged(e)
	case callcenter.LegOffer:
		f.offered(e.Call, e.Agent, e.Role, e.From, e.AutoAnswer, true, now)
	case callcenter.DeviceLeg:
		if e.Phase == callcenter.LegPhaseRinging {
			f.offered(e.Call, e.Agent, e.Role, e.From, e.AutoAnswer, false, now)
		}
	case callcenter.LegCancel:
		f.cancelled(e.Call, e.Agent)
	case callcenter.AgentCallStarted:
		f.started(e, now)
	case callcenter.AgentCallEnded:
		f.legEnded(e, now)
	case callcenter.CallAnswered:
		f.calleeAnswered(e.Call, now)
	case callcenter.CallEnded:
		f.callEnded(e, now)
	}
}

func callEvent(typ string, d wire.CallEventData) wire.Event {
	return wire.NewEvent(wire.EventCallEvent, typ, d)
}

// ccOf is the call's ccNumber. Caller holds f.mu.
func (f *Front) ccOf(ci callcenter.CallInfo, now time.Time) string {
	return f.numbers.of(ci.ID, ci.Arrived, now)
}

// viewOf finds or makes a seat's view of a call. Caller holds f.mu.
func (f *Front) viewOf(s *seat, ci callcenter.CallInfo, now time.Time) *view {
	if v, ok := s.views[ci.ID]; ok {
		return v
	}
	v := &view{c: f.ccOf(ci, now)}
	if ci.Placed && ci.From == s.un {
		v.placed = true
		v.n = ci.To
		if n := ci.UserData[userDataN]; n != "" {
			v.n = n
		}
		v.internal = ci.UserData[userDataCallType] == strconv.Itoa(int(wire.CallInternal))
	}
	s.views[ci.ID] = v
	return v
}

// stateChanged tells the seat's status (statusChanged), once its
// registration's first notice went out and only when it changes.
func (f *Front) stateChanged(e callcenter.AgentStateChanged) {
	s := f.seats[e.Agent]
	if s == nil || s.sess == nil || !s.sess.announced {
		return
	}
	st, ok := seatStatus(e.To)
	if !ok || st == s.lastStatus || st == wire.SeatOffline {
		// Offline while registered is a kick: kickedOffLine says it (the
		// SIP front sends it), and statusChanged 0 would race ahead of it.
		return
	}
	s.lastStatus = st
	s.out.push(wire.NewEvent(wire.EventStatusChanged, "", wire.StatusData{Status: st}), nil)
}

// offered: the seat's leg of a call rings (its WebRTC leg, or its phone
// elsewhere). A call offered to the seat is newPBXCall; the auto-answered
// legs (a call the seat placed, a monitor) say nothing until answered.
func (f *Front) offered(ci callcenter.CallInfo, agent string, role callcenter.Role, from string, auto, invite bool, now time.Time) {
	var sent chan struct{}
	if invite && !auto {
		// The INVITE waits in offerHeaders until newPBXCall went out.
		sent = f.announceChan(offerKey{ci.ID, agent})
	}
	s := f.seats[agent]
	if s == nil {
		closeChan(sent)
		return
	}
	v := f.viewOf(s, ci, now)
	if auto || v.placed {
		if role == callcenter.RoleSupervisor {
			v.monitor = true
		}
		closeChan(sent)
		return
	}
	if ci.Placed {
		if caller := f.seats[ci.From]; caller != nil {
			if cv := caller.views[ci.ID]; cv != nil && cv.placed {
				cv.offered = true
			}
		}
	}
	v.ringing, v.n = true, from
	s.out.push(callEvent(wire.NewPBXCall, wire.CallEventData{A: wire.StatusRinging, C: wire.FlexString(v.c), N: wire.FlexString(from)}), sent)
}

// announceChan is closed once the newPBXCall of an offer went out.
// Caller holds f.mu.
func (f *Front) announceChan(k offerKey) chan struct{} {
	ch, ok := f.announced[k]
	if !ok {
		ch = make(chan struct{})
		f.announced[k] = ch
	}
	return ch
}

func closeChan(ch chan struct{}) {
	if ch != nil {
		close(ch)
	}
}

// cancelled: the seat's ringing leg was taken back (the customer gave up,
// the seat refused, the ring timed out, another seat took the call).
func (f *Front) cancelled(id callcenter.CallID, agent string) {
	s := f.seats[agent]
	if s == nil {
		return
	}
	v := s.views[id]
	switch {
	case v == nil:
		return
	case v.monitor:
		delete(s.views, id)
		if s.mon.call == id {
			s.mon = monitorState{}
		}
	case v.placed:
		// The call's end tells it (CallEnded carries the status).
	case v.ringing && !v.ended:
		v.ended = true
		delete(s.views, id)
		s.out.push(callEvent(wire.CancelPBXCall, wire.CallEventData{C: wire.FlexString(v.c)}), nil)
	}
}

// started: the seat's leg was answered.
func (f *Front) started(e callcenter.AgentCallStarted, now time.Time) {
	s := f.seats[e.Agent]
	if s == nil {
		return
	}
	v := f.viewOf(s, e.Call, now)
	v.up, v.upAt = true, e.At
	switch {
	case e.Role == callcenter.RoleSupervisor || v.monitor:
		v.monitor = true
		s.out.push(callEvent(wire.AnsweredPBXCall, wire.CallEventData{A: wire.StatusAnswered, C: wire.FlexString(v.c)}), nil)
		return
	case v.placed:
		// The seat's own device is up: the platform dials the callee now.
		s.out.push(callEvent(responseType(v), wire.CallEventData{A: wire.StatusRinging, C: wire.FlexString(v.c), N: wire.FlexString(v.n)}), nil)
	default:
		v.ringing, v.talkAt = false, e.At
		s.out.push(callEvent(wire.AnsweredPBXCall, wire.CallEventData{A: wire.StatusAnswered, C: wire.FlexString(v.c), N: wire.FlexString(v.n)}), nil)
	}
	f.reportGroupCall(e.Agent, e.Call, e.At, time.Time{})
}

// calleeAnswered: the callee of a call a seat placed answered.
func (f *Front) calleeAnswered(ci callcenter.CallInfo, now time.Time) {
	if !ci.Placed {
		return
	}
	s := f.seats[ci.From]
	if s == nil {
		return
	}
	v := s.views[ci.ID]
	if v == nil || !v.placed || v.answered {
		return
	}
	v.answered, v.talkAt = true, now
	d := wire.CallEventData{A: wire.StatusAnswered, C: wire.FlexString(v.c), N: wire.FlexString(v.n)}
	s.out.push(callEvent(responseType(v), d), nil)
	s.out.push(callEvent(wire.AnsweredPBXCall, d), nil)
}

// legEnded: the seat's answered leg ended.
func (f *Front) legEnded(e callcenter.AgentCallEnded, now time.Time) {
	s := f.seats[e.Agent]
	if s == nil {
		return
	}
	if e.Role != callcenter.RoleSupervisor {
		f.reportGroupCall(e.Agent, e.Call, e.Started, e.At)
	}
	v := s.views[e.Call.ID]
	switch {
	case v == nil || v.ended:
		return
	case v.monitor:
		if s.mon.call == e.Call.ID {
			s.mon = monitorState{}
		}
	case v.placed && !v.answered:
		return // the call's end tells why (CallEnded)
	}
	f.endView(s, e.Call.ID, v, e.At)
}

// endView sends endPBXCall with the seconds of talk.
func (f *Front) endView(s *seat, id callcenter.CallID, v *view, at time.Time) {
	talk := wire.FlexInt(0)
	if !v.talkAt.IsZero() && at.After(v.talkAt) {
		talk = wire.FlexInt(at.Sub(v.talkAt).Round(time.Second) / time.Second)
	}
	v.ended = true
	delete(s.views, id)
	s.out.push(callEvent(wire.EndPBXCall, wire.CallEventData{C: wire.FlexString(v.c), CallTime: &talk}), nil)
}

// callEnded: the call is over; whatever a seat was not told yet is told
// now, a placed call's failure first.
func (f *Front) callEnded(e callcenter.CallEnded, now time.Time) {
	id := e.Call.ID
	for _, s := range f.seats {
		if s.mon.call == id {
			s.mon = monitorState{}
		}
		v := s.views[id]
		if v == nil || v.ended {
			delete(s.views, id)
			continue
		}
		switch {
		case v.placed && !v.answered:
			if typ, a := failure(v, e.Status); a != "" {
				s.out.push(callEvent(typ, wire.CallEventData{A: wire.FlexString(a), C: wire.FlexString(v.c), N: wire.FlexString(v.n)}), nil)
			}
			f.endView(s, id, v, now)
		case v.ringing:
			v.ended = true
			delete(s.views, id)
			s.out.push(callEvent(wire.CancelPBXCall, wire.CallEventData{C: wire.FlexString(v.c)}), nil)
		default:
			f.endView(s, id, v, now)
		}
	}
	for k := range f.announced {
		if k.call == id {
			delete(f.announced, k)
		}
	}
	f.numbers.end(id)
}

// responseType is the callEvent a seat's placed call reports on.
func responseType(v *view) string {
	if v.internal {
		return wire.CallinResponse
	}
	return wire.CalloutResponse
}

// failure is the callEvent and `a` of a placed call that ended before
// its callee answered: 486 and 600 are the seed's 503 对方忙碌; an
// extension that rang and did not answer is callinFaildResponse 408.
func failure(v *view, status int) (string, string) {
	switch {
	case status == 0:
		return "", ""
	case v.internal && v.offered && (status == 480 || status == 408):
		return wire.CallinFaildResponse, strconv.Itoa(int(wire.FailNoAnswer))
	case status == 486 || status == 600:
		return responseType(v), strconv.Itoa(int(wire.FailBusy))
	}
	return responseType(v), strconv.Itoa(status)
}

// reportGroupCall tells the supervisors of the seat's group that a call of
// the seat started (end zero) or ended (repCallStatus). Only calls whose
// start a supervisor was told are told ended to it. Caller holds f.mu.
func (f *Front) reportGroupCall(agent string, ci callcenter.CallInfo, start, end time.Time) {
	e, a, ok := f.enterpriseOf(agent)
	if !ok {
		return
	}
	callee := ci.From
	if ci.From == agent {
		callee = ci.To
	}
	key := offerKey{ci.ID, agent}
	d := wire.RepCallStatusData{Caller: wire.FlexString(agent), Callee: wire.FlexString(callee),
		CcNumber: wire.FlexString(f.numbers.of(ci.ID, ci.Arrived, start)), CallTime: wire.Timestamp(start.Unix())}
	if !end.IsZero() {
		d.EndTime = wire.Timestamp(end.Unix())
	}
	for _, sv := range f.seats {
		if sv.un == agent || sv.sess == nil || !sv.sess.supervisor {
			continue
		}
		if end.IsZero() {
			sup, ok := f.cc.Agent(sv.un)
			if !ok || !f.sameGroup(e, sup, a) {
				continue
			}
			sv.reps[key] = true
		} else {
			if !sv.reps[key] {
				continue
			}
			delete(sv.reps, key)
		}
		sv.out.push(wire.NewEvent(wire.EventRepCallStatus, "", d), nil)
	}
}
