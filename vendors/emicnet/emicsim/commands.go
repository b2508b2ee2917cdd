package emicsim

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// Commands (docs/vendors/emicnet.md §4): MESSAGE agent → platform, the
// result in the 200 OK.

// onMessage is sipfront.Options.OnMessage: a MESSAGE from a registered
// seat over its socket.
func (f *Front) onMessage(un string, req *sip.Request) (int, string, []byte) {
	ct := ""
	if h := req.ContentType(); h != nil {
		ct = strings.ToLower(strings.TrimSpace(strings.Split(h.Value(), ";")[0]))
	}
	if ct != wire.ContentTypeCommand {
		return 415, "", nil
	}
	cmd, err := wire.DecodeCommand(req.Body())
	if err != nil {
		f.log.Info("emicsim: malformed command", "seat", un, "err", err)
		return 400, "", nil
	}
	f.mu.Lock()
	s := f.seats[un]
	f.mu.Unlock()
	if s == nil {
		return 403, "", nil
	}
	s.out.begin()
	defer s.out.end()
	res := f.command(s, cmd)
	res.Seq = cmd.Seq
	return 200, wire.ContentTypeResult, wire.MustJSON(res)
}

// command runs one command of a seat.
func (f *Front) command(s *seat, cmd wire.Command) wire.Result {
	if wire.MonitorCommands[cmd.Cmd] {
		var d wire.CcData
		if err := wire.DecodeData(cmd.Data, &d); err != nil || !wire.ValidCcNumber(string(d.C)) {
			return refused(wire.ResultBadRequest, "data needs c")
		}
		return f.monitorCommand(s, cmd.Cmd, string(d.C))
	}
	switch cmd.Cmd {
	case wire.CmdCall:
		var d wire.CallData
		if err := wire.DecodeData(cmd.Data, &d); err != nil {
			return refused(wire.ResultBadRequest, err.Error())
		}
		return f.call(s, strings.TrimSpace(string(d.Number)), strings.TrimSpace(string(d.N)))
	case wire.CmdChangeStaus:
		var d wire.StatusData
		if err := wire.DecodeData(cmd.Data, &d); err != nil {
			return refused(wire.ResultBadRequest, err.Error())
		}
		st := callcenter.StateReady
		switch d.Status {
		case wire.SeatIdle:
		case wire.SeatBusy:
			st = callcenter.AgentState{Kind: callcenter.Busy}
		default:
			return refused(wire.ResultBadRequest, "status must be 1 or 2")
		}
		return result(f.cc.SetAgentState(s.un, st), nil)
	case wire.CmdAnswerPBXCall, wire.CmdTerminate, wire.CmdHold, wire.CmdUnhold:
		var d wire.CcData
		if err := wire.DecodeData(cmd.Data, &d); err != nil {
			return refused(wire.ResultBadRequest, err.Error())
		}
		id, v, res, ok := f.seatCall(s, string(d.C))
		if !ok {
			return res
		}
		switch cmd.Cmd {
		case wire.CmdAnswerPBXCall:
			return f.answer(s, id)
		case wire.CmdTerminate:
			return f.terminate(s, id, v)
		default:
			return result(f.cc.LegHold(id, s.un, cmd.Cmd == wire.CmdHold), nil)
		}
	case wire.CmdSendDTMF:
		var d wire.DTMFData
		if err := wire.DecodeData(cmd.Data, &d); err != nil {
			return refused(wire.ResultBadRequest, err.Error())
		}
		if !wire.ValidDTMF(string(d.DTMF)) {
			return refused(wire.ResultBadRequest, "dtmf must be one digit of 0-9 * #")
		}
		id, _, res, ok := f.seatCall(s, string(d.C))
		if !ok {
			return res
		}
		return result(f.cc.DTMF(id, s.un, string(d.DTMF)), nil)
	case wire.CmdTransferPBXCall:
		var d wire.TransferData
		if err := wire.DecodeData(cmd.Data, &d); err != nil {
			return refused(wire.ResultBadRequest, err.Error())
		}
		id, _, res, ok := f.seatCall(s, string(d.C))
		if !ok {
			return res
		}
		return f.transfer(s, id, d)
	}
	return refused(wire.ResultUnknownCmd, "unknown command "+cmd.Cmd)
}

func refused(code int, info string) wire.Result {
	return wire.Result{Code: wire.FlexInt(code), Info: info}
}

// result is success with data, or the refusal an error of the center means.
func result(err error, data any) wire.Result {
	if err == nil {
		r := wire.Result{Code: wire.CodeOK}
		if data != nil {
			r.Data = wire.MustJSON(data)
		}
		return r
	}
	code := wire.ResultServerError
	switch {
	case errors.Is(err, callcenter.ErrUnknownCall):
		code = wire.ResultNoSuchCall
	case errors.Is(err, callcenter.ErrWrongState), errors.Is(err, callcenter.ErrAgentBusy), errors.Is(err, callcenter.ErrAgentOffline):
		code = wire.ResultWrongState
	case errors.Is(err, callcenter.ErrInvalidNumber), errors.Is(err, callcenter.ErrInvalidCallData):
		code = wire.ResultBadRequest
	case errors.Is(err, callcenter.ErrNotSupervisor), errors.Is(err, callcenter.ErrUnknownAgent):
		code = wire.ResultForbidden
	}
	return refused(code, err.Error())
}

// seatCall finds the call of a ccNumber that the seat takes part in.
func (f *Front) seatCall(s *seat, c string) (callcenter.CallID, view, wire.Result, bool) {
	if !wire.ValidCcNumber(c) {
		return "", view{}, refused(wire.ResultBadRequest, "data needs c"), false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.numbers.call(c)
	if !ok {
		return "", view{}, refused(wire.ResultNoSuchCall, "no call "+c), false
	}
	v, ok := s.views[id]
	if !ok {
		return "", view{}, refused(wire.ResultForbidden, "the seat is not in call "+c), false
	}
	return id, *v, wire.Result{}, true
}

// answer takes the seat's phone elsewhere off hook (modes 4 and 5); in
// voip the INVITE is what the client answers.
func (f *Front) answer(s *seat, id callcenter.CallID) wire.Result {
	f.mu.Lock()
	voip := s.sess == nil || s.sess.callintype == wire.CallInVoIP
	f.mu.Unlock()
	if voip {
		return refused(wire.ResultWrongState, "voip: answer the call's INVITE")
	}
	return result(f.cc.AnswerDevice(id, s.un), nil)
}

// terminate hangs up the seat's leg, or refuses it while it rings (the
// call goes back to its queue and on to another free seat).
func (f *Front) terminate(s *seat, id callcenter.CallID, v view) wire.Result {
	if v.ringing && !v.up {
		return result(f.cc.LegFailed(id, s.un, callcenter.FailRejected), nil)
	}
	err := f.cc.LegHangup(id, s.un)
	if errors.Is(err, callcenter.ErrWrongState) {
		// A placed call whose own leg still rings: give it up.
		err = f.cc.LegFailed(id, s.un, callcenter.FailRejected)
	}
	return result(err, nil)
}

// transfer hands the call blind to a member of a group (or an outside
// number): transferCallFaild when the member cannot take it now.
func (f *Front) transfer(s *seat, id callcenter.CallID, d wire.TransferData) wire.Result {
	number, gid := strings.TrimSpace(string(d.Number)), strings.TrimSpace(string(d.Gid))
	detail := wire.TransferDetail{C: d.C, Gid: wire.FlexString(gid), Number: wire.FlexString(number)}
	faild := func(a int, info string) wire.Result {
		detail.A, detail.Info = wire.FlexString(strconv.Itoa(a)), info
		return result(nil, wire.TransferResult{Type: wire.TransferCallFaild, Data: wire.MustJSON(detail)})
	}
	f.mu.Lock()
	e, _, _ := f.enterpriseOf(s.un)
	target, isAgent := f.cc.Agent(number)
	internal := isAgent && e != nil && target.Tenant == e.Tenant
	member := internal
	if internal && gid != "" && gid != "0" {
		g, ok := f.group(e, gid)
		member = ok && inGroup(target, f.queueSkills()[g.Queue])
	}
	f.mu.Unlock()
	to := callcenter.Target{Kind: callcenter.TargetAgent, ID: number}
	switch {
	case number == s.un:
		return faild(int(wire.FailBusy), "cannot transfer to oneself")
	case internal && !member:
		return faild(int(wire.FailNotFound), "not a member of group "+gid)
	case internal && target.State.Kind == callcenter.Offline:
		return faild(int(wire.FailUnavailable), "the seat is offline")
	case internal && (target.State.Kind != callcenter.Ready || target.Call != ""):
		return faild(int(wire.FailBusy), "the seat is busy")
	case !internal && wire.IsDigits(number) && len(number) >= 5:
		to = callcenter.Target{Kind: callcenter.TargetOutside, ID: number}
	case !internal:
		return faild(int(wire.FailNotFound), "no seat "+number)
	}
	if err := f.cc.Transfer(id, s.un, to); err != nil {
		if r := result(err, nil); r.Code == wire.ResultNoSuchCall {
			return r
		}
		return faild(int(wire.FailServerFailure), err.Error())
	}
	return result(nil, wire.TransferResult{Type: wire.TransferCallSuccess, Data: wire.MustJSON(detail)})
}

// call places a call for the seat (callback first: the seat's own device
// rings, then the callee), after the front's own rules.
func (f *Front) call(s *seat, number, n string) wire.Result {
	if n == "" {
		n = number
	}
	if len(n) > wire.MaxNumberLength || len(number) > 64 {
		return refused(wire.ResultBadRequest, "number too long")
	}
	now := f.cc.Clock().Now()
	f.mu.Lock()
	e, a, ok := f.enterpriseOf(s.un)
	if !ok {
		f.mu.Unlock()
		return refused(wire.ResultForbidden, "no enterprise")
	}
	if key := e.EncryptKey; key != nil && n != number {
		plain, err := wire.Decrypt(key, n)
		if err != nil || plain != number {
			f.mu.Unlock()
			return refused(wire.ResultBadRequest, "n does not decrypt to number")
		}
	}
	internal := f.isInternal(e, number)
	if !internal && !wire.IsDigits(number) {
		f.mu.Unlock()
		return refused(wire.ResultBadRequest, "number must be digits or an extension")
	}
	calltype := wire.CallOutside
	if internal {
		calltype = wire.CallInternal
	}
	if fail := f.rule(e, a, number, internal, now); fail != 0 {
		c := f.numbers.fresh(now, now)
		typ := wire.CalloutResponse
		if internal {
			typ = wire.CallinResponse
		}
		zero := wire.FlexInt(0)
		// Out after the result (the outbox waits for the command).
		s.out.push(callEvent(typ, wire.CallEventData{A: wire.FlexString(strconv.Itoa(int(fail))), C: wire.FlexString(c), N: wire.FlexString(n)}), nil)
		s.out.push(callEvent(wire.EndPBXCall, wire.CallEventData{C: wire.FlexString(c), CallTime: &zero}), nil)
		f.mu.Unlock()
		f.log.Info("emicsim: call refused by the platform's rules", "seat", s.un, "a", int(fail))
		return result(nil, wire.CallResult{CallType: calltype, C: wire.FlexString(c)})
	}
	f.mu.Unlock()
	ci, err := f.cc.PlaceCall(s.un, number, callcenter.PlaceOptions{UserData: map[string]string{
		userDataN: n, userDataCallType: strconv.Itoa(int(calltype)),
	}})
	if err != nil {
		return result(err, nil)
	}
	f.mu.Lock()
	if !internal {
		f.countCall(e, number, now)
	}
	c := f.ccOf(ci, now)
	f.viewOf(s, ci, now)
	f.mu.Unlock()
	return result(nil, wire.CallResult{CallType: calltype, C: wire.FlexString(c)})
}

// offerHeaders is sipfront.Options.OfferHeaders: every INVITE carries the
// ccNumber, auto-answered legs Call-Info answer-after=0. An INVITE that
// rings the seat waits until its newPBXCall went out (a moment), so that
// the client knows the call before its INVITE.
func (f *Front) offerHeaders(ev callcenter.LegOffer) []sip.Header {
	now := f.cc.Clock().Now()
	f.mu.Lock()
	c := f.ccOf(ev.Call, now)
	var wait chan struct{}
	if !ev.AutoAnswer {
		wait = f.announceChan(offerKey{ev.Call.ID, ev.Agent})
	}
	f.mu.Unlock()
	if wait != nil {
		t := time.NewTimer(announceTimeout)
		select {
		case <-wait:
		case <-t.C:
			f.log.Info("emicsim: INVITE sent before its newPBXCall", "seat", ev.Agent, "c", c)
		case <-f.life.Done():
		}
		t.Stop()
		f.mu.Lock()
		delete(f.announced, offerKey{ev.Call.ID, ev.Agent})
		f.mu.Unlock()
	}
	hs := []sip.Header{sip.NewHeader(wire.HeaderCcNumber, c)}
	if ev.AutoAnswer {
		hs = append(hs, sip.NewHeader(wire.HeaderCallInfo, wire.AutoAnswerCallInfo))
	}
	return hs
}

// announceTimeout bounds how long an INVITE waits for its newPBXCall.
const announceTimeout = 2 * time.Second
