package emicnet

// mapping.go is the whole translation between the Emicnet wire contract
// (package wire, docs/vendors/emicnet.md) and the engine's model: seat
// states, call events, failure and kick codes, monitor states, members.
// The sentences of the codes live with the codes in package wire; this file
// decides what each code means to the engine. When a real server disagrees
// with the contract, this file and package wire are what change.

import (
	"strings"

	"agentbar/core"
	"agentbar/vendors/emicnet/wire"
)

// --- agent states -----------------------------------------------------------

// agentStateOfSeat maps statusChanged's status: 0 离线, 1 在线(空闲), 2 忙碌.
func agentStateOfSeat(s wire.SeatStatus) (core.AgentState, bool) {
	switch s {
	case wire.SeatOffline:
		return core.OfflineState(), true
	case wire.SeatIdle:
		return core.ReadyState(), true
	case wire.SeatBusy:
		return core.BusyState(), true
	}
	return core.AgentState{}, false
}

// seatOfAgentState maps a requested state to changeStaus' argument: only
// ready (1) and busy (2) exist; there are no break reasons, and sign-out is
// logout.
func seatOfAgentState(s core.AgentState) (wire.SeatStatus, bool) {
	switch s.Name() {
	case "ready":
		return wire.SeatIdle, true
	case "busy":
		return wire.SeatBusy, true
	}
	return 0, false
}

// agentStateOfKefu maps a member's kefuStatus: 0 离线, 1 空闲, 2 忙碌.
func agentStateOfKefu(k wire.KefuStatus) core.AgentState {
	switch k {
	case wire.KefuIdle:
		return core.ReadyState()
	case wire.KefuBusy:
		return core.BusyState()
	}
	return core.OfflineState()
}

// seatStateOf is checkSeatState(): 0 离线 until the platform says the seat
// is online; then 3 振铃, 4 通话 or 5 保持 after the calls (the busiest
// wins), else 1 空闲 or 2 忙碌 after statusChanged.
func seatStateOf(login wire.LoginState, seat wire.SeatStatus, calls []core.CallState) wire.SeatState {
	if login != wire.LoginOnline {
		return wire.StateOffline
	}
	best := wire.SeatState(-1)
	for _, s := range calls {
		var st wire.SeatState
		switch s {
		case core.CallRinging, core.CallDialing, core.CallRemoteRinging:
			st = wire.StateRinging
		case core.CallTalking, core.CallConsulting, core.CallConference:
			st = wire.StateTalking
		case core.CallHeld:
			st = wire.StateHeld
		default:
			continue
		}
		// Talking outranks held outranks ringing: what the agent is busy with.
		if best < 0 || seatRank[st] > seatRank[best] {
			best = st
		}
	}
	if best >= 0 {
		return best
	}
	if seat == wire.SeatBusy {
		return wire.StateBusy
	}
	return wire.StateIdle
}

var seatRank = map[wire.SeatState]int{wire.StateRinging: 1, wire.StateHeld: 2, wire.StateTalking: 3}

// --- calls -------------------------------------------------------------------

// callStep is what one callEvent does to a call.
type callStep struct {
	state  core.CallState // 0: no change (or the call ends)
	ends   bool
	reason core.EndReason // when it ends; "" lets the engine infer it
	// failure is the `a` that ended it, if a failure code did.
	failure wire.CallFailure
}

// stepOf maps a callEvent (its type and `a`) for a call that was answered
// or not. newPBXCall rings the agent; the responses follow the callee of
// an outbound call (180 ringing, 200 answered, a failure code ends it);
// answeredPBXCall is the conversation; cancelPBXCall ends a call that was
// never answered (rejected, or the customer gave up); endPBXCall ends it.
func stepOf(typ string, d wire.CallEventData, answered bool) (callStep, bool) {
	switch typ {
	case wire.NewPBXCall:
		return callStep{state: core.CallRinging}, true
	case wire.CallinResponse, wire.CalloutResponse:
		if f, failed := d.Failure(); failed {
			return callStep{ends: true, reason: endReasonOfFailure(f), failure: f}, true
		}
		switch string(d.A) {
		case wire.StatusRinging:
			return callStep{state: core.CallRemoteRinging}, true
		case wire.StatusAnswered:
			return callStep{state: core.CallTalking}, true
		}
		return callStep{}, true // a provisional code we do not show
	case wire.CallinFaildResponse:
		f, failed := d.Failure()
		if !failed {
			f = wire.FailNoAnswer
		}
		return callStep{ends: true, reason: core.EndNoAnswer, failure: f}, true
	case wire.AnsweredPBXCall:
		return callStep{state: core.CallTalking}, true
	case wire.CancelPBXCall:
		return callStep{ends: true}, true // rejected (the engine knows) or missed
	case wire.EndPBXCall:
		if !answered {
			return callStep{ends: true}, true // never talked: the engine infers
		}
		return callStep{ends: true, reason: core.EndRemoteHangup}, true
	}
	return callStep{}, false
}

// endReasonOfFailure says how a call that failed with `a` ended.
func endReasonOfFailure(f wire.CallFailure) core.EndReason {
	switch f {
	case wire.FailBusy, wire.FailBusyHere:
		return core.EndBusy
	case wire.FailNoAnswer, wire.FailUnavailable:
		return core.EndNoAnswer
	case wire.FailCancelled:
		return core.EndCancelled
	}
	return core.EndFailed // 507 停机, 508 非工作时间, 512 上限, 1000 无权限, 404 ...
}

// directionOfCallType maps call()'s return: 2 外线 → out, 3 内线 → internal.
func directionOfCallType(t wire.CallType) core.Direction {
	if t == wire.CallInternal {
		return core.Internal
	}
	return core.Outbound
}

// allowedIn is what a call in state allows with the account's callintype.
// voip: everything its state allows (mute is the softphone's microphone);
// callback and SIP phone: the microphone is on the phone elsewhere, so no
// mute. DTMF goes by sendDTMF there, so it stays. Consults, three-way calls
// and call data do not exist on this platform (the engine narrows to the
// adapter's capabilities anyway).
func allowedIn(callintype wire.CallInType, state core.CallState) core.ActionSet {
	set := core.AllowedByState(state)
	if callintype != wire.CallInVoIP {
		set = set.Without(core.ActMute, core.ActUnmute)
	}
	return set
}

// --- kicks -------------------------------------------------------------------

// kickUpdate is kickedOffLine for the engine: the session ends with the
// reason's sentence; only 897 (注册超时) offers signing in again, as 895
// means another sign-in took the seat and 898 that the account or the
// enterprise is gone.
func kickUpdate(r wire.KickReason) core.KickedUpdate {
	return core.KickedUpdate{Err: &KickError{Reason: r}, CanRelogin: r == wire.KickRegTimeout}
}

// --- register ----------------------------------------------------------------

// registerError turns a REGISTER's final failure into register({code, info}).
func registerError(code int, reason string) *wire.RegisterError {
	return &wire.RegisterError{Code: code, Info: reason}
}

// --- monitoring ----------------------------------------------------------------

// monitorPlan is the commands that take the supervisor from the current
// monitor state to mode on the call cc, following the state machine of §7:
//
//	none ─start─► listen ─join─► joined; joined ─exit─► listen ─stop─► none
//	listen|joined ─endCallMonitor─► (the call ends); none ─terminateCall─► (the call ends)
//
// listen from joined is exitJoinMonitor; barge from none is start then
// join; end from joined is exit then stop. Whisper and take-over do not
// exist on this platform. An empty plan means nothing to do.
func monitorPlan(cur wire.MonitorState, cc string, mode core.MonitorMode) ([]string, error) {
	if cur.Status != wire.MonitorNone && cur.CcNumber != cc {
		return nil, &MonitorStateError{Mode: mode, State: cur}
	}
	switch mode {
	case core.MonitorListen:
		switch cur.Status {
		case wire.MonitorNone:
			return []string{wire.CmdStartCallMonitor}, nil
		case wire.MonitorJoined:
			return []string{wire.CmdExitJoinMonitor}, nil
		}
		return nil, nil
	case core.MonitorBarge:
		switch cur.Status {
		case wire.MonitorNone:
			return []string{wire.CmdStartCallMonitor, wire.CmdJoinFromMonitor}, nil
		case wire.MonitorListen:
			return []string{wire.CmdJoinFromMonitor}, nil
		}
		return nil, nil
	case core.MonitorEnd:
		switch cur.Status {
		case wire.MonitorListen:
			return []string{wire.CmdStopCallMonitor}, nil
		case wire.MonitorJoined:
			return []string{wire.CmdExitJoinMonitor, wire.CmdStopCallMonitor}, nil
		}
		return nil, &MonitorStateError{Mode: mode, State: cur}
	case core.MonitorHangup:
		if cur.Status == wire.MonitorNone {
			return []string{wire.CmdTerminateCall}, nil
		}
		return []string{wire.CmdEndCallMonitor}, nil
	}
	return nil, &MonitorModeError{Mode: mode}
}

// monitorAfter is the monitor state once cmd succeeded on cc.
func monitorAfter(cmd, cc string) wire.MonitorState {
	switch cmd {
	case wire.CmdStartCallMonitor, wire.CmdExitJoinMonitor:
		return wire.MonitorState{Status: wire.MonitorListen, CcNumber: cc}
	case wire.CmdJoinFromMonitor:
		return wire.MonitorState{Status: wire.MonitorJoined, CcNumber: cc}
	}
	return wire.MonitorState{} // stop, end, terminate
}

// monitorModeOf is the wall's name of what this supervisor does to a call.
func monitorModeOf(s wire.MonitorStatus) core.MonitorMode {
	switch s {
	case wire.MonitorListen:
		return core.MonitorListen
	case wire.MonitorJoined:
		return core.MonitorBarge
	}
	return ""
}

// --- directory -------------------------------------------------------------------

// targetSep joins a group id and an extension in a transfer Target's ID:
// "2033/1024". An ID without it is an extension of the agent's own group.
const targetSep = "/"

// transferTarget reads a Target into transferPBXCall's gid and number.
func transferTarget(to core.Target, ownGid string) (gid, number string) {
	if g, n, ok := strings.Cut(to.ID, targetSep); ok {
		return strings.TrimSpace(g), strings.TrimSpace(n)
	}
	return ownGid, strings.TrimSpace(to.ID)
}

// memberTarget is a group member as a transfer target.
func memberTarget(g wire.Group, m wire.Member) core.Target {
	label := m.Displayname
	if label == "" {
		label = string(m.Number)
	} else {
		label += " (" + string(m.Number) + ")"
	}
	if g.Name != "" {
		label = g.Name + " / " + label
	}
	return core.Target{Kind: core.TargetAgent, ID: string(g.ID) + targetSep + string(m.Number), Label: label,
		State: agentStateOfKefu(m.KefuStatus).Name()}
}

// memberInfo is a group member on the supervisor wall, with its call from
// repCallStatus (if any) and what this supervisor does to it.
func memberInfo(m wire.Member, call *wire.RepCallStatusData, mon wire.MonitorState) core.AgentInfo {
	info := core.AgentInfo{ID: string(m.Number), Name: m.Displayname, Number: string(m.Number), State: agentStateOfKefu(m.KefuStatus)}
	if call != nil {
		info.CallState = core.CallTalking.String()
		info.CallNumber = string(call.Callee)
		info.StateSince = int64(call.CallTime)
		if mon.Status != wire.MonitorNone && mon.CcNumber == string(call.CcNumber) {
			info.Monitor = string(monitorModeOf(mon.Status))
		}
	}
	return info
}

// --- labels ----------------------------------------------------------------------

func callinLabel(c wire.CallInType, lang string) string {
	switch c {
	case wire.CallInVoIP:
		return pick(lang, "本机软电话", "softphone")
	case wire.CallInCallback:
		return pick(lang, "回拨话机", "callback phone")
	case wire.CallInSIPPhone:
		return pick(lang, "SIP 话机", "SIP desk phone")
	}
	return string(c)
}

func monitorLabel(m core.MonitorMode, lang string) string {
	switch m {
	case core.MonitorListen:
		return pick(lang, "监听", "listen")
	case core.MonitorBarge:
		return pick(lang, "强插（三方通话）", "barge in")
	case core.MonitorEnd:
		return pick(lang, "结束监听", "stop monitoring")
	case core.MonitorHangup:
		return pick(lang, "结束通话", "end the call")
	case core.MonitorWhisper:
		return pick(lang, "密语", "whisper")
	case core.MonitorTakeOver:
		return pick(lang, "拦截", "take over")
	}
	return string(m)
}

func monitorStateLabel(s wire.MonitorStatus) string {
	return [...]string{"not monitoring", "listening", "in a three-way call"}[min(max(int(s), 0), 2)]
}
