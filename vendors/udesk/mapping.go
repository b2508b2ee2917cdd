package udesk

// mapping.go is the whole translation between the Udesk wire contract
// (package wire, docs/vendors/udesk.md) and the engine's model. When a real
// server disagrees with the contract, this file and package wire are what
// change.

import (
	"strings"
	"time"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// --- agent states -----------------------------------------------------------

// breakCodePlain is the break without a sub-state: SetAgentStateAsync("onBreak").
const breakCodePlain = wire.StateOnBreak

// agentStateFromWire maps CurState and CurStateSubId into the model. A break
// sub-state "0" or "" is the plain break. neaten is wrap-up for the
// platform's wrap-up time, counted from since.
func agentStateFromWire(cur string, sub string, labels map[string]string, wrapUp time.Duration, since time.Time) (core.AgentState, bool) {
	switch cur {
	case wire.StateIdle:
		return core.ReadyState(), true
	case wire.StateBusy:
		return core.BusyState(), true
	case wire.StateOnBreak:
		code := strings.TrimSpace(sub)
		if code == "" || code == "0" {
			code = breakCodePlain
		}
		return core.BreakState(code, labels[code]), true
	case wire.StateNeaten:
		var until time.Time
		if wrapUp > 0 {
			until = since.Add(wrapUp)
		}
		return core.WrapUpState(until), true
	case wire.StateOffline:
		return core.OfflineState(), true
	}
	return core.AgentState{}, false
}

// agentStateToWire maps a requested state into SetAgentStateAsync's arguments.
func agentStateToWire(s core.AgentState) (wire.AgentStateParams, bool) {
	switch s.Name() {
	case "ready":
		return wire.AgentStateParams{State: wire.StateIdle}, true
	case "busy":
		return wire.AgentStateParams{State: wire.StateBusy}, true
	case "break":
		if s.BreakCode == "" || s.BreakCode == breakCodePlain {
			return wire.AgentStateParams{State: wire.StateOnBreak}, true
		}
		return wire.AgentStateParams{State: wire.StateOnBreak, SubState: wire.NumOrString(s.BreakCode)}, true
	case "offline":
		return wire.AgentStateParams{State: wire.StateOffline}, true
	}
	return wire.AgentStateParams{}, false // wrap-up is the platform's to set
}

// breakReasonsFromWire reads GetAgentStatesAsync: the plain break first (its
// label from the list), then the sub-states whose Owner is onBreak.
func breakReasonsFromWire(opts []wire.AgentStateOption) []core.BreakReason {
	plain := core.BreakReason{Code: breakCodePlain, Label: "小休"}
	var subs []core.BreakReason
	for _, o := range opts {
		switch {
		case string(o.Code) == wire.StateOnBreak && o.Owner == "":
			if o.Label != "" {
				plain.Label = o.Label
			}
		case o.Owner == wire.StateOnBreak && o.Code != "":
			subs = append(subs, core.BreakReason{Code: string(o.Code), Label: o.Label})
		}
	}
	return append([]core.BreakReason{plain}, subs...)
}

// agentStateFromCode maps GetOtherAgentsAsync's numeric State.
func agentStateFromCode(code int64) core.AgentState {
	switch code {
	case wire.AgentStateCodeIdle:
		return core.ReadyState()
	case wire.AgentStateCodeBusy:
		return core.BusyState()
	case wire.AgentStateCodeOnBreak:
		return core.BreakState(breakCodePlain, "")
	case wire.AgentStateCodeNeaten:
		return core.WrapUpState(time.Time{})
	}
	return core.OfflineState()
}

// extStateFromCode maps GetOtherAgentsAsync's numeric ExtState into the
// wall's call state ("" when idle).
func extStateFromCode(code int64) string {
	switch code {
	case wire.ExtStateCodeRinging:
		return core.CallRinging.String()
	case wire.ExtStateCodeBusy:
		return core.CallTalking.String()
	}
	return ""
}

// --- calls -----------------------------------------------------------------

// callStateOfEvent is the state each call event puts the call in (0: ends it
// or says nothing about the state).
var callStateOfEvent = map[string]core.CallState{
	wire.EventDelivered:   core.CallRinging,
	wire.EventOriginated:  core.CallRemoteRinging,
	wire.EventEstablished: core.CallTalking,
	wire.EventHeld:        core.CallHeld,
	wire.EventRetrieved:   core.CallTalking,
	wire.EventConferenced: core.CallConference,
}

// callStateOfStatus maps AdvancedCallStatus (and GetState's) into the model.
var callStateOfStatus = map[string]core.CallState{
	wire.StatusDelivered:    core.CallRinging,
	wire.StatusOriginated:   core.CallRemoteRinging,
	wire.StatusEstablished:  core.CallTalking,
	wire.StatusHeld:         core.CallHeld,
	wire.StatusRetrieved:    core.CallTalking,
	wire.StatusConsultation: core.CallConsulting,
	wire.StatusConferenced:  core.CallConference,
}

// endsCall reports the statuses and events that end the agent's part.
func endsCall(name string) bool {
	return name == wire.EventConnectionCleared || name == wire.EventTransferred
}

// directionOf reads the call's direction: CallDirection when given, else
// WorkFlow, else CallType. A call that rings this agent from a colleague (a
// consult, a transfer, a supervisor's leg: CallDirection Internal) is
// Inbound to the engine, which answers inbound calls only.
func directionOf(callDirection, workFlow, callType string) core.Direction {
	switch callDirection {
	case wire.DirectionOutbound:
		return core.Outbound
	case wire.DirectionInbound, wire.DirectionInternal:
		return core.Inbound
	}
	switch workFlow {
	case wire.WorkFlowOutDirect, wire.WorkFlowOutCallback:
		return core.Outbound
	case wire.WorkFlowIn:
		return core.Inbound
	}
	switch callType {
	case wire.CallTypeConsult, wire.CallTypeThreeWay, wire.CallTypeInternal, wire.CallTypeTransfer,
		wire.CallTypeEavesdrop, wire.CallTypeWhisper, wire.CallTypeForcePickup, wire.CallTypeSubstitute:
		return core.Inbound
	}
	return 0
}

// isMonitorLeg reports a supervisor's own leg on an agent's call.
func isMonitorLeg(callType string) bool {
	switch callType {
	case wire.CallTypeEavesdrop, wire.CallTypeWhisper, wire.CallTypeForcePickup, wire.CallTypeSubstitute:
		return true
	}
	return false
}

// callUpdateFromEvent maps a call event's Data into an update. Its state
// comes from the event's name; details from its fields.
func callUpdateFromEvent(name string, ev wire.CallEvent) core.CallUpdate {
	u := core.CallUpdate{
		PlatformCallID: ev.CallID,
		State:          callStateOfEvent[name],
		Direction:      directionOf("", ev.WorkFlow, ev.CallType),
		RemoteNumber:   ev.CustomerInfo.Tel(),
		Location:       cityOf(ev.CustomerInfo),
		Queue:          ev.FromQueue,
	}
	if ev.DisplayNum != nil {
		u.DisplayNumber = *ev.DisplayNum
	}
	if ev.CallAuthority.A != nil {
		set := actionsFromAuthority(*ev.CallAuthority.A, u.State)
		u.Authority = &set
	}
	return u
}

// callUpdateFromStatus maps AdvancedCallStatusChanged into an update with
// the platform's authority flags.
func callUpdateFromStatus(st wire.AdvancedCallStatus) core.CallUpdate {
	state := callStateOfStatus[st.AdvancedCallStatus]
	if state == 0 {
		state = callStateOfEvent[st.CallEvent]
	}
	u := core.CallUpdate{
		PlatformCallID: st.CallID,
		State:          state,
		Direction:      directionOf(st.CallDirection, st.WorkFlow, st.CallType),
		RemoteNumber:   st.CustomerInfo.Tel(),
		Location:       cityOf(st.CustomerInfo),
		DisplayNumber:  st.DisplayInfo.Tel(),
	}
	if st.CallAuthority.A != nil {
		set := actionsFromAuthority(*st.CallAuthority.A, state)
		u.Authority = &set
	}
	return u
}

func cityOf(p *wire.Party) string {
	if p == nil {
		return ""
	}
	return p.City
}

// actionsFromAuthority maps CallAuthority into the engine's "allowed now".
// Reject is hang-up while ringing (the platform has no reject of its own);
// mute, unmute and DTMF are the terminal's, added by the adapter per mode.
// OnBarButtonSwitch and AdvancedCallStatus are display flags with no action.
func actionsFromAuthority(a wire.CallAuthority, state core.CallState) core.ActionSet {
	var s core.ActionSet
	flag := func(on wire.FlexBool, acts ...core.Action) {
		if on {
			s = s.With(acts...)
		}
	}
	flag(a.AllowAnswer, core.ActAnswer)
	flag(a.AllowHangup, core.ActHangup)
	if a.AllowHangup && state == core.CallRinging {
		s = s.With(core.ActReject)
	}
	flag(a.AllowHold, core.ActHold)
	flag(a.AllowUnHold, core.ActResume)
	flag(a.AllowTransfer, core.ActTransferAgent, core.ActTransferNumber, core.ActTransferQueue, core.ActTransferIVR)
	flag(a.AllowConsultation, core.ActConsult)
	flag(a.AllowTransferAfterConsultation, core.ActConsultTransfer)
	flag(a.AllowThreeWayAfterConsultation, core.ActConsultConference)
	flag(a.AllowEndConsultation, core.ActConsultCancel)
	flag(a.AllowThreeWay, core.ActConference)
	flag(a.AllowCancel, core.ActConferenceRetrieve)
	flag(a.AllowTransferAfterThreeWay, core.ActConferenceTransfer)
	return s
}

// terminalActions are what the agent's own terminal adds to a call that is
// up: mute (voip: the local microphone; webrtc: MuteAsync and the web
// phone's microphone) and DTMF (on the softphone's SIP leg). A mobile
// (cellphone) has its own keypad and mute button.
func terminalActions(mode string, state core.CallState) core.ActionSet {
	up := state != core.CallRinging && state != core.CallEnded && state != 0
	if up && (mode == wire.ModeVoip || mode == wire.ModeWebRTC) {
		return core.Actions(core.ActMute, core.ActUnmute, core.ActDTMF)
	}
	return 0
}

// --- transfers, consults, monitors -------------------------------------------

// transferRequest picks the method and Params of a blind transfer.
func transferRequest(callID string, to core.Target) (string, any) {
	switch to.Kind {
	case core.TargetQueue:
		return wire.MethodTransferQueue, wire.TransferQueueParams{CallId: callID, QueueId: to.ID}
	case core.TargetIVR:
		ivr, node, _ := strings.Cut(to.ID, ivrTargetSep)
		return wire.MethodTransferIvr, wire.TransferIvrParams{CallId: callID, IvrId: ivr, NodeId: node, JumpType: wire.JumpTypeAgentHangup}
	case core.TargetNumber:
		return wire.MethodTransfer, wire.AgentParams{CallId: callID, AgentPhone: to.ID}
	}
	return wire.MethodTransfer, wire.AgentParams{CallId: callID, AgentId: to.ID}
}

// partyParams are the {CallId, AgentId | AgentPhone} of a consult or a
// three-way call: an agent by id, an outside line (咨询外线, 三方外线) by number.
func partyParams(callID string, to core.Target) wire.AgentParams {
	if to.Kind == core.TargetNumber {
		return wire.AgentParams{CallId: callID, AgentPhone: to.ID}
	}
	return wire.AgentParams{CallId: callID, AgentId: to.ID}
}

// monitorMethods maps the supervisor's actions to the document's methods:
// 监听 listen, 密语 whisper, 强插 barge-in (three-way), 拦截 take-over.
var monitorMethods = map[core.MonitorMode]string{
	core.MonitorListen:   wire.MethodEavesdrop,
	core.MonitorWhisper:  wire.MethodWhisper,
	core.MonitorBarge:    wire.MethodForcePickup,
	core.MonitorTakeOver: wire.MethodSubstitute,
}

// --- directory, caller ids, device modes -------------------------------------

// ivrTargetSep joins an IVR's id and a node's id in a Target's ID: "25/3".
const ivrTargetSep = "/"

func queueTargets(qs []wire.Queue) []core.Target {
	out := make([]core.Target, 0, len(qs))
	for _, q := range qs {
		out = append(out, core.Target{Kind: core.TargetQueue, ID: string(q.QueueId), Label: q.Name})
	}
	return out
}

// ivrTargets lists the nodes of one IVR as transfer targets.
func ivrTargets(ivr wire.IvrNode, nodes []wire.IvrNode) []core.Target {
	out := make([]core.Target, 0, len(nodes)+1)
	out = append(out, core.Target{Kind: core.TargetIVR, ID: string(ivr.Id), Label: ivr.Name})
	for _, n := range nodes {
		out = append(out, core.Target{Kind: core.TargetIVR, ID: string(ivr.Id) + ivrTargetSep + string(n.Id), Label: ivr.Name + " / " + n.Name})
	}
	return out
}

func agentTargets(as []wire.OtherAgent, self string) []core.Target {
	out := make([]core.Target, 0, len(as))
	for _, a := range as {
		if string(a.AgentId) == self || !a.Enable {
			continue
		}
		out = append(out, core.Target{Kind: core.TargetAgent, ID: string(a.AgentId), Label: a.Name,
			State: agentStateFromCode(int64(a.State)).Name()})
	}
	return out
}

func agentInfos(as []wire.OtherAgent, self string) []core.AgentInfo {
	out := make([]core.AgentInfo, 0, len(as))
	for _, a := range as {
		if string(a.AgentId) == self {
			continue
		}
		out = append(out, core.AgentInfo{
			ID: string(a.AgentId), Name: a.Name, Number: a.WorkId,
			State: agentStateFromCode(int64(a.State)), CallState: extStateFromCode(int64(a.ExtState)),
		})
	}
	return out
}

// Caller-id choices are trunk numbers (中继号) and number pools (号码池);
// their ids carry the kind.
const (
	callerIDTrunk = "sp:"
	callerIDPool  = "pool:"
)

func callerIDs(numbers []string, current string, pools wire.PoolList) []core.CallerID {
	var out []core.CallerID
	poolChosen := pools.DefaultId != nil && *pools.DefaultId != ""
	for _, n := range numbers {
		out = append(out, core.CallerID{ID: callerIDTrunk + n, Number: n, Label: "中继号 " + n, Current: !poolChosen && n == current})
	}
	for _, p := range pools.List {
		label := p.Name
		if label == "" {
			label = "号码池 " + string(p.Id)
		}
		out = append(out, core.CallerID{ID: callerIDPool + string(p.Id), Number: p.Number, Label: label,
			Current: poolChosen && string(p.Id) == *pools.DefaultId})
	}
	return out
}

func deviceModes(ms []wire.PhoneMode, current string) []core.DeviceMode {
	out := make([]core.DeviceMode, 0, len(ms))
	for _, m := range ms {
		out = append(out, core.DeviceMode{ID: m.Id, Label: m.Name, Current: m.Id == current})
	}
	return out
}

// --- codes -------------------------------------------------------------------

// codeSentences explain the contract's codes when the platform's Message is
// not for the agent's eyes (Visible false).
var codeSentences = map[wire.FlexString][2]string{
	wire.CodeTokenInvalid:  {"平台拒绝了登录令牌。请检查 AppId、坐席 ID 和令牌服务地址。", "The platform refused the sign-in token. Check the AppId, the agent id and the token service URL."},
	wire.CodeTokenExpired:  {"登录令牌已过期，正在重新获取。", "The sign-in token expired; fetching a new one."},
	wire.CodeNotConnected:  {"尚未连接到平台。", "Not connected to the platform yet."},
	wire.CodeElsewhere:     {"该坐席已在别处登录，本机已下线。", "This agent signed in somewhere else; this session was closed."},
	wire.CodeAgentDisabled: {"该坐席账号不存在或已停用。请联系管理员。", "This agent account does not exist or is disabled. Ask your administrator."},
	wire.CodeBadParams:     {"请求参数有误。", "The request's parameters were wrong."},
	wire.CodeUnknownMethod: {"平台不支持这个操作。", "The platform does not know this action."},
	wire.CodeNotAllowed:    {"当前状态下不能进行这个操作。", "That action is not possible in the current state."},
	wire.CodeNoSuchCall:    {"这通电话已经结束或不存在。", "That call has ended or does not exist."},
	wire.CodeUnavailable:   {"目标坐席、队列或号码现在无法接听。", "The target agent, queue or number cannot take the call now."},
	wire.CodeNoPermission:  {"没有班长权限，不能进行这个操作。", "You need the supervisor role for this."},
	wire.CodeModeMismatch:  {"当前话机模式不支持这个操作。", "The current phone mode does not support this."},
	wire.CodeServerError:   {"平台内部错误，请稍后重试。", "The platform had an internal error. Try again later."},
	wire.CodeBusyServer:    {"平台繁忙，请稍后重试。", "The platform is busy. Try again later."},
}

// codeSentinel is the engine error each code is a case of.
var codeSentinel = map[wire.FlexString]error{
	wire.CodeTokenInvalid:  ErrTokenRejected,
	wire.CodeTokenExpired:  ErrTokenExpired,
	wire.CodeNotConnected:  core.ErrNotConnected,
	wire.CodeElsewhere:     core.ErrKicked,
	wire.CodeAgentDisabled: ErrAgentRefused,
	wire.CodeBadParams:     core.ErrInvalidArgument,
	wire.CodeUnknownMethod: core.ErrNotSupported,
	wire.CodeNotAllowed:    core.ErrNotAllowedNow,
	wire.CodeNoSuchCall:    core.ErrNoSuchCall,
	wire.CodeModeMismatch:  core.ErrNotAllowedNow,
}

// Close codes the server ends a socket with.
func closeIsKick(code int) bool     { return code == wire.CloseElsewhere || code == wire.CloseDisabled }
func closeNeedsToken(code int) bool { return code == wire.CloseTokenExpired }
