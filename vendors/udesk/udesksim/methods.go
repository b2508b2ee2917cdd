package udesksim

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/udesk/wire"
)

// connect signs a socket in: ConnectAsync with a token. A second socket of
// the same agent closes the first with 4001 (signed in elsewhere).
func (f *Front) connect(s *session, params json.RawMessage) wire.Envelope {
	f.delay(wire.MethodConnect)
	var p wire.ConnectParams
	if err := json.Unmarshal(params, &p); err != nil {
		return failure(wire.CodeBadParams, "ConnectAsync 参数错误", false)
	}
	if code := f.checkToken(p.AppId, p.AgentId, p.Timestamp, p.Token); code != wire.CodeOK {
		if code == wire.CodeTokenExpired {
			return failure(code, "令牌已过期", false)
		}
		return failure(code, "令牌无效", false)
	}
	if _, ok := f.cc.Agent(p.AgentId); !ok {
		return failure(wire.CodeAgentDisabled, "坐席不存在", true)
	}
	if _, err := f.cc.Secret(p.AgentId); err != nil {
		var ae *callcenter.AgentError
		if errors.As(err, &ae) {
			code := wire.CodeAgentDisabled
			if strings.Contains(ae.Detail, "kick") {
				code = wire.CodeElsewhere
			}
			return failure(code, ae.Sentence("zh"), true)
		}
		return failure(wire.CodeServerError, "登录失败", false)
	}
	if err := f.cc.SignIn(p.AgentId); err != nil {
		return centerFailure(err)
	}
	// Where its calls ring follows its phone mode (kept across sign-ins;
	// the center refuses a change in the middle of a call, which a
	// reconnecting agent may be in: its device is already the mode's).
	if err := f.applyDevice(p.AgentId, f.Mode(p.AgentId)); err != nil {
		f.log.Info("udesksim: device at sign-in", "agent", p.AgentId, "err", err)
	}
	f.mu.Lock()
	old := f.sessions[p.AgentId]
	f.sessions[p.AgentId] = s
	s.agent = p.AgentId
	a := f.agentLocked(p.AgentId)
	if info, ok := f.cc.Agent(p.AgentId); ok {
		if st, ok := udeskState(info.State); ok {
			a.state, a.since = st, info.StateSince
		}
	}
	f.mu.Unlock()
	if old != nil && old != s {
		old.close(wire.CloseElsewhere, "logged in elsewhere")
	}
	// Ready and GetState follow the reply (read() sends the reply first).
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		st := f.snapshotLocked(p.AgentId)
		f.pushLocked(p.AgentId, okEvent(wire.EventReady, readyData(st.ExtState, st.Mode, st.Agent)))
		f.pushLocked(p.AgentId, okEvent(wire.EventGetState, stateData(st)))
	}()
	return success(nil)
}

// delay applies the center's delay knob to a method.
func (f *Front) delay(method string) {
	d := f.cc.Faults().Delay(method)
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-f.stop:
	}
}

// handle runs one method for a signed-in agent.
func (f *Front) handle(agent, method string, params json.RawMessage) wire.Envelope {
	f.delay(method)
	if len(params) == 0 || string(params) == "null" {
		params = json.RawMessage("{}")
	}
	bad := func(err error) wire.Envelope {
		return failure(wire.CodeBadParams, method+" 参数错误: "+err.Error(), false)
	}
	switch method {
	case wire.MethodDisconnect:
		return success(nil)
	case wire.MethodGetState:
		f.mu.Lock()
		defer f.mu.Unlock()
		return success(stateData(f.snapshotLocked(agent)))
	case wire.MethodMakeCall:
		var p wire.MakeCallParams
		if err := json.Unmarshal(params, &p); err != nil || strings.TrimSpace(p.Number) == "" {
			return failure(wire.CodeBadParams, "请输入要拨打的号码", true)
		}
		return f.makeCall(agent, p)
	case wire.MethodHangup:
		return f.withCall(params, method, func(ci callcenter.CallInfo) error { return f.hangup(agent, ci) })
	case wire.MethodAnswer:
		return f.answer(agent)
	case wire.MethodSetPhoneMode:
		var p wire.PhoneModeParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.setMode(agent, p.PhoneMode)
	case wire.MethodGetPhoneModes:
		return success([]wire.PhoneMode{{Id: wire.ModeCellphone, Name: "手机"}, {Id: wire.ModeVoip, Name: "IP话机"}, {Id: wire.ModeWebRTC, Name: "网页电话"}})
	case wire.MethodGetAgentStates:
		return success(f.agentStateOptions())
	case wire.MethodSetAgentState:
		var p wire.AgentStateParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.setAgentState(agent, p)
	case wire.MethodGetWebPhoneInfo:
		return f.terminal(agent, wire.TerminalWebRTC)
	case wire.MethodGetCallInWrapUpTime:
		return success(wire.WrapUp{WrapUpTime: wire.FlexInt(f.wrapUp(agent) / time.Second)})
	case wire.MethodGetSpNumbers:
		var numbers []string
		for _, c := range f.cc.CallerIDs() {
			numbers = append(numbers, c.Number)
		}
		return success(numbers)
	case wire.MethodGetCurrentSpNumber:
		var p wire.OwnerParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return success(f.currentSpNumber(agent, p.OwnerType))
	case wire.MethodSetSpNumber:
		var p wire.SpNumberParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.setSpNumber(agent, p.OwnerType, p.DisplayNumber)
	case wire.MethodGetAgentTerminalInfo:
		var p wire.TerminalParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.terminal(agent, p.TerminalType)
	case wire.MethodGetIvrNodes:
		var p wire.IvrNodesParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.ivrNodes(agent, p.Id)
	case wire.MethodGetQueuesAgents:
		var out []wire.Queue
		for _, q := range f.cc.Queues() {
			// A queue's id is its number where it has one, else its name;
			// TransferQueueAsync takes either.
			out = append(out, wire.Queue{Name: q.Name, QueueId: wire.FlexString(firstNonEmpty(q.Number, q.Name)), Strategy: queueStrategyLongestIdle, Timeout: wire.FlexInt(q.RingTimeout / time.Second)})
		}
		return success(out)
	case wire.MethodGetOtherAgents:
		var p wire.OtherAgentsParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return success(f.otherAgents(agent, p.State))
	case wire.MethodGetNumberPoolAndSpNum:
		var p wire.PoolParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.poolList(agent, int(p.Type))
	case wire.MethodSetSpNumberPoolNum:
		var p wire.PoolParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.setPool(agent, int(p.Type), p.Id)
	case wire.MethodMute, wire.MethodUnmute:
		// The web phone's microphone is the client's; the platform checks
		// the mode and that the call is the agent's.
		return f.withCall(params, method, func(ci callcenter.CallInfo) error {
			if f.Mode(agent) != wire.ModeWebRTC {
				return errModeMismatch
			}
			if !slices.Contains(ci.Parties, agent) {
				return callcenter.ErrWrongState
			}
			return nil
		}, wire.EmptyObject)
	case wire.MethodHold, wire.MethodRecovery:
		on := method == wire.MethodHold
		return f.withCall(params, method, func(ci callcenter.CallInfo) error { return f.cc.LegHold(ci.ID, agent, on) })
	case wire.MethodTransfer:
		var p wire.AgentParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.withCall(params, method, func(ci callcenter.CallInfo) error {
			to, err := f.resolveParty(p)
			if err != nil {
				return err
			}
			return f.cc.Transfer(ci.ID, agent, to)
		})
	case wire.MethodTransferQueue:
		var p wire.TransferQueueParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.withCall(params, method, func(ci callcenter.CallInfo) error {
			to, ok := f.cc.ResolveTarget(p.QueueId)
			if !ok || to.Kind != callcenter.TargetQueue {
				to = callcenter.Target{Kind: callcenter.TargetQueue, ID: p.QueueId}
			}
			return f.cc.Transfer(ci.ID, agent, to)
		})
	case wire.MethodTransferIvr:
		var p wire.TransferIvrParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.withCall(params, method, func(ci callcenter.CallInfo) error {
			id := p.IvrId
			if p.NodeId != "" {
				id += "/" + p.NodeId
			}
			return f.cc.Transfer(ci.ID, agent, callcenter.Target{Kind: callcenter.TargetIVR, ID: id})
		})
	case wire.MethodConsultation, wire.MethodThreeway:
		var p wire.AgentParams
		if err := json.Unmarshal(params, &p); err != nil {
			return bad(err)
		}
		return f.withCall(params, method, func(ci callcenter.CallInfo) error {
			to, err := f.resolveParty(p)
			if err != nil {
				return err
			}
			if to.Kind != callcenter.TargetAgent && to.Kind != callcenter.TargetOutside {
				return errNotAParty
			}
			return f.cc.ConsultTo(ci.ID, agent, to, method == wire.MethodThreeway)
		})
	case wire.MethodConsultationToTransfer, wire.MethodTransferAfterThreeWay:
		return f.withCall(params, method, func(ci callcenter.CallInfo) error { return f.cc.ConsultTransfer(ci.ID, agent) })
	case wire.MethodConsultationToThreeWay:
		return f.withCall(params, method, func(ci callcenter.CallInfo) error { return f.cc.ConsultConference(ci.ID, agent) })
	case wire.MethodEndConsultation, wire.MethodRetrieveAfterThreeWay:
		return f.withCall(params, method, func(ci callcenter.CallInfo) error { return f.cc.ConsultCancel(ci.ID, agent) })
	case wire.MethodEavesdrop, wire.MethodWhisper, wire.MethodForcePickup, wire.MethodSubstitute:
		var p wire.AgentParams
		if err := json.Unmarshal(params, &p); err != nil || p.AgentId == "" {
			return failure(wire.CodeBadParams, "请指定被监控的坐席", true)
		}
		return f.monitor(agent, method, p)
	}
	return failure(wire.CodeUnknownMethod, "未知方法 "+method, false)
}

// queueStrategyLongestIdle is the Strategy the center's routing is (the
// document shows 2).
const queueStrategyLongestIdle = 2

var (
	errModeMismatch = errors.New("udesksim: only in webrtc mode")
	errNotAParty    = errors.New("udesksim: consult and three-way need an agent or an outside number")
)

// withCall decodes {CallId}, finds the call and runs fn; the reply's Data
// is data (null when not given).
func (f *Front) withCall(params json.RawMessage, method string, fn func(callcenter.CallInfo) error, data ...json.RawMessage) wire.Envelope {
	var p wire.CallParams
	if err := json.Unmarshal(params, &p); err != nil || p.CallId == "" {
		return failure(wire.CodeBadParams, method+" 需要 CallId", false)
	}
	ci, ok := f.cc.Call(callcenter.CallID(p.CallId))
	if !ok {
		return failure(wire.CodeNoSuchCall, "通话不存在或已结束", true)
	}
	if err := fn(ci); err != nil {
		return centerFailure(err)
	}
	env := success(nil)
	if len(data) > 0 {
		env.Data = data[0]
	}
	return env
}

// centerFailure turns a center refusal into a code and a sentence.
func centerFailure(err error) wire.Envelope {
	var ae *callcenter.AgentError
	switch {
	case errors.Is(err, errModeMismatch):
		return failure(wire.CodeModeMismatch, "注:只有在网页电话模式下才有此功能", true)
	case errors.Is(err, errNotAParty):
		return failure(wire.CodeBadParams, "咨询和三方只能选择坐席或外线号码", true)
	case errors.Is(err, callcenter.ErrInvalidNumber):
		return failure(wire.CodeBadParams, "号码格式不正确", true)
	case errors.Is(err, callcenter.ErrInvalidCallData):
		return failure(wire.CodeBadParams, "附带数据（Options）不符合要求", true)
	case errors.As(err, &ae):
		return failure(wire.CodeAgentDisabled, ae.Sentence("zh"), true)
	case errors.Is(err, callcenter.ErrUnknownCall):
		return failure(wire.CodeNoSuchCall, "通话不存在或已结束", true)
	case errors.Is(err, callcenter.ErrAgentBusy), errors.Is(err, callcenter.ErrAgentOffline):
		return failure(wire.CodeUnavailable, "目标坐席忙或不在线", true)
	case errors.Is(err, callcenter.ErrNotSupervisor):
		return failure(wire.CodeNoPermission, "没有班长权限", true)
	case errors.Is(err, callcenter.ErrWrongState):
		return failure(wire.CodeNotAllowed, "当前状态不允许此操作", true)
	case errors.Is(err, callcenter.ErrUnknownAgent), errors.Is(err, callcenter.ErrUnknownQueue),
		errors.Is(err, callcenter.ErrUnknownBreak), errors.Is(err, callcenter.ErrInvalidConfig):
		return failure(wire.CodeBadParams, "目标不存在", true)
	case errors.Is(err, callcenter.ErrClosed):
		return failure(wire.CodeBusyServer, "服务暂不可用", false)
	}
	return failure(wire.CodeServerError, err.Error(), false)
}

// resolveParty reads {AgentId | AgentPhone}: an agent by id, or a number
// read as the center dials it (an agent's, a queue's, a trunk, else an
// outside number: 转外线, 咨询外线, 三方外线).
func (f *Front) resolveParty(p wire.AgentParams) (callcenter.Target, error) {
	if p.AgentId != "" {
		return callcenter.Target{Kind: callcenter.TargetAgent, ID: p.AgentId}, nil
	}
	return f.cc.ResolveNumber(p.AgentPhone)
}

// makeCall: MakeCallAsync, in every phone mode (WorkFlow out_callback): the
// platform rings the agent's own terminal first with auto-answer (the IP
// phone, the web phone, or the mobile, which its person picks up), then the
// number; Options are the call's data.
func (f *Front) makeCall(agent string, p wire.MakeCallParams) wire.Envelope {
	if _, err := f.cc.PlaceCall(agent, strings.TrimSpace(p.Number), callcenter.PlaceOptions{UserData: p.Options}); err != nil {
		return centerFailure(err)
	}
	return success(nil)
}

// hangup ends the agent's part of a call, whatever its part is.
func (f *Front) hangup(agent string, ci callcenter.CallInfo) error {
	up := slices.Contains(ci.Parties, agent)
	switch agent {
	case ci.Agent:
		switch ci.Phase {
		case callcenter.PhaseOffering:
			return f.cc.LegFailed(ci.ID, agent, callcenter.FailRejected)
		case callcenter.PhaseDialing:
			return f.cc.DialHangup(ci.ID, agent)
		}
		return f.cc.LegHangup(ci.ID, agent)
	case ci.CustomerEP:
		if ci.Phase == callcenter.PhaseTalking || ci.Phase == callcenter.PhaseIVR || ci.Phase == callcenter.PhaseSurvey {
			return f.cc.LegHangup(ci.ID, agent)
		}
		return f.cc.DialHangup(ci.ID, agent)
	case ci.Consultee, ci.Supervisor:
		if up {
			return f.cc.LegHangup(ci.ID, agent)
		}
		return f.cc.LegFailed(ci.ID, agent, callcenter.FailRejected)
	}
	return callcenter.ErrUnknownCall
}

// answer: AnswerAsync takes the agent's mobile off hook (cellphone mode).
// The IP phone and the web phone are the client's own: answered there, by
// answering the platform's INVITE. What rings is the center's truth.
func (f *Front) answer(agent string) wire.Envelope {
	switch f.Mode(agent) {
	case wire.ModeVoip:
		return failure(wire.CodeModeMismatch, "IP话机模式请在话机上接听", true)
	case wire.ModeWebRTC:
		return failure(wire.CodeModeMismatch, "网页电话模式请在网页电话上接听", true)
	}
	ci, ok := f.cc.CallOf(agent)
	if !ok || !ringingFor(ci, agent) {
		return failure(wire.CodeNotAllowed, "没有振铃中的来电", true)
	}
	if err := f.cc.AnswerDevice(ci.ID, agent); err != nil {
		return centerFailure(err)
	}
	return success(nil)
}

// ringingFor reports whether the call is ringing the agent's terminal.
func ringingFor(ci callcenter.CallInfo, agent string) bool {
	up := slices.Contains(ci.Parties, agent)
	switch agent {
	case ci.Agent:
		return ci.Phase == callcenter.PhaseOffering || ci.Phase == callcenter.PhaseCallback
	case ci.CustomerEP:
		return ci.Phase == callcenter.PhaseCallback
	case ci.Consultee, ci.Supervisor:
		return !up
	}
	return false
}

func (f *Front) setMode(agent, mode string) wire.Envelope {
	switch mode {
	case wire.ModeVoip, wire.ModeCellphone, wire.ModeWebRTC:
	default:
		return failure(wire.CodeBadParams, "话机模式只能是 voip、cellphone、webrtc", true)
	}
	if f.Mode(agent) == mode {
		return success(nil)
	}
	if err := f.applyDevice(agent, mode); err != nil {
		if errors.Is(err, callcenter.ErrAgentBusy) {
			return failure(wire.CodeNotAllowed, "通话中不能切换话机模式", true)
		}
		return centerFailure(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.agentLocked(agent).mode = mode
	f.pushLocked(agent, okEvent(wire.EventPhoneModeChanged, phoneModeChangedData(mode, f.extStateLocked(agent), agent)))
	return success(nil)
}

func (f *Front) agentStateOptions() []wire.AgentStateOption {
	out := []wire.AgentStateOption{
		{Code: wire.StateIdle, Label: "空闲"}, {Code: wire.StateBusy, Label: "忙碌"},
		{Code: wire.StateOnBreak, Label: "小休"}, {Code: wire.StateOffline, Label: "离线"},
	}
	for _, b := range f.cc.BreakReasons() {
		out = append(out, wire.AgentStateOption{Code: wire.NumOrString(b.Code), Label: b.Label, Owner: wire.StateOnBreak})
	}
	return out
}

// setAgentState: SetAgentStateAsync. A plain onBreak takes the center's
// break reason labelled 小休 (or its first).
func (f *Front) setAgentState(agent string, p wire.AgentStateParams) wire.Envelope {
	var st callcenter.AgentState
	switch p.State {
	case wire.StateIdle:
		st = callcenter.StateReady
	case wire.StateBusy:
		st = callcenter.StateBusy
	case wire.StateOnBreak:
		code := string(p.SubState)
		if code == "" || code == "0" {
			code = f.plainBreak()
		}
		st = callcenter.StateBreak(code)
	case wire.StateOffline:
		if err := f.cc.SignOut(agent, "SetAgentStateAsync offline"); err != nil {
			return centerFailure(err)
		}
		return success(nil)
	default:
		return failure(wire.CodeBadParams, "未知的坐席状态 "+p.State, true)
	}
	if err := f.cc.SetAgentState(agent, st); err != nil {
		if errors.Is(err, callcenter.ErrAgentOffline) {
			_ = f.cc.SignIn(agent)
			err = f.cc.SetAgentState(agent, st)
		}
		if err != nil {
			return centerFailure(err)
		}
	}
	return success(nil)
}

func (f *Front) plainBreak() string {
	bs := f.cc.BreakReasons()
	for _, b := range bs {
		if b.Label == "小休" {
			return b.Code
		}
	}
	if len(bs) > 0 {
		return bs[0].Code
	}
	return ""
}

// wrapUp is the longest wrap-up of the queues the agent serves.
func (f *Front) wrapUp(agent string) time.Duration {
	info, _ := f.cc.Agent(agent)
	var w time.Duration
	for _, q := range f.cc.Queues() {
		if q.Tenant == info.Tenant && (q.Skill == "" || slices.Contains(info.Skills, q.Skill)) {
			w = max(w, q.WrapUp)
		}
	}
	return w
}

// currentSpNumber: the agent's own choice, else the tenant's default.
func (f *Front) currentSpNumber(agent, owner string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if owner == wire.OwnerAgent {
		if n := f.agentLocked(agent).spNumber; n != "" {
			return n
		}
	}
	if f.appSpNumber != "" {
		return f.appSpNumber
	}
	if ids := f.cc.CallerIDs(); len(ids) > 0 {
		return ids[0].Number
	}
	return ""
}

func (f *Front) setSpNumber(agent, owner, number string) wire.Envelope {
	var entry *callcenter.CallerIDConfig
	for _, c := range f.cc.CallerIDs() {
		if c.Number == number {
			entry = &c
			break
		}
	}
	if entry == nil {
		return failure(wire.CodeBadParams, "中继号 "+number+" 不存在", true)
	}
	if owner == wire.OwnerApp {
		f.mu.Lock()
		f.appSpNumber = number
		f.mu.Unlock()
		return success(nil)
	}
	if err := f.cc.SetCallerID(agent, entry.ID); err != nil {
		return centerFailure(err)
	}
	f.mu.Lock()
	a := f.agentLocked(agent)
	a.spNumber, a.pool = number, ""
	f.mu.Unlock()
	return success(nil)
}

// terminal: GetAgentTerminalInfoAsync (voip: the center's SIP front) and
// GetWebPhoneInfoAsync (the web phone: the SIP front's WebSocket URL).
func (f *Front) terminal(agent, kind string) wire.Envelope {
	secret, err := f.cc.Secret(agent)
	if err != nil {
		return centerFailure(err)
	}
	switch kind {
	case wire.TerminalVoip:
		if f.opts.SIPServer == "" {
			return failure(wire.CodeNotAllowed, "未配置 IP 话机服务器", true)
		}
		return success(wire.TerminalInfo{SipServer: f.opts.SIPServer, Number: agent, Password: secret})
	case wire.TerminalWebRTC:
		if f.opts.WebPhoneServer == "" {
			return failure(wire.CodeNotAllowed, "未配置网页电话服务器", true)
		}
		return success(wire.TerminalInfo{SipServer: f.opts.WebPhoneServer, Number: agent, Password: secret})
	}
	return failure(wire.CodeBadParams, "TerminalType 只能是 voip 或 webrtc", true)
}

// ivrNodes: GetIvrNodesAsync. An empty id lists the IVR flows (agentbar's
// addition: the document says how to list nodes, not flows).
func (f *Front) ivrNodes(agent, id string) wire.Envelope {
	info, _ := f.cc.Agent(agent)
	var out []wire.IvrNode
	for _, flow := range f.cc.IVRFlows() {
		if flow.Tenant != "" && flow.Tenant != info.Tenant {
			continue
		}
		if id == "" {
			out = append(out, wire.IvrNode{Id: wire.NumOrString(flow.Name), Name: flow.Name})
			continue
		}
		if flow.Name != id {
			continue
		}
		for _, n := range flow.Nodes {
			out = append(out, wire.IvrNode{Id: wire.NumOrString(n.ID), Name: firstNonEmpty(n.Prompt, n.ID)})
		}
		return success(out)
	}
	if id != "" {
		return failure(wire.CodeBadParams, "IVR "+id+" 不存在", true)
	}
	return success(out)
}

// otherAgents: GetOtherAgentsAsync, the agent's tenant without itself.
func (f *Front) otherAgents(agent, state string) []wire.OtherAgent {
	me, _ := f.cc.Agent(agent)
	out := []wire.OtherAgent{}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.cc.Agents() {
		if a.ID == agent || a.Tenant != me.Tenant {
			continue
		}
		code, ext := f.numericStatesLocked(a)
		if state != "" && udeskStateName(code) != state {
			continue
		}
		role := "agent"
		if a.Supervisor {
			role = "supervisor"
		}
		p := f.opts.Profiles[a.ID]
		oa := wire.OtherAgent{
			AgentId: wire.FlexString(a.ID), AppId: f.opts.AppId, Email: p.Email, Enable: true, ExtState: wire.FlexInt(ext),
			Mobile: p.Mobile, Name: a.Name, Role: role, State: wire.FlexInt(code), WorkId: p.WorkId, CallID: string(a.Call),
			WrapUpTime: wire.FlexInt(f.wrapUpLocked(a) / time.Second),
		}
		out = append(out, oa)
	}
	return out
}

func (f *Front) wrapUpLocked(a callcenter.AgentInfo) time.Duration {
	var w time.Duration
	for _, q := range f.cc.Queues() {
		if q.Tenant == a.Tenant && (q.Skill == "" || slices.Contains(a.Skills, q.Skill)) {
			w = max(w, q.WrapUp)
		}
	}
	return w
}

// poolList: GetNumberPoolAndSpNumAsync, type 1 trunk numbers, 2 pools.
func (f *Front) poolList(agent string, kind int) wire.Envelope {
	var list wire.PoolList
	list.List = []wire.PoolItem{}
	f.mu.Lock()
	a := f.agentLocked(agent)
	pool, sp := a.pool, a.spNumber
	f.mu.Unlock()
	switch kind {
	case wire.PoolTypeSpNumber:
		for _, c := range f.cc.CallerIDs() {
			list.List = append(list.List, wire.PoolItem{Id: wire.FlexString(c.Number), Name: c.Label, Number: c.Number})
		}
		if pool == "" && sp != "" {
			list.DefaultId = &sp
		}
	case wire.PoolTypeNumberPool:
		for _, p := range f.cc.Pools() {
			item := wire.PoolItem{Id: wire.FlexString(p.Name), Name: p.Name}
			if len(p.Numbers) > 0 {
				item.Number = p.Numbers[0]
			}
			list.List = append(list.List, item)
		}
		if pool != "" {
			list.DefaultId = &pool
		}
	default:
		return failure(wire.CodeBadParams, "type 只能是 1（中继号）或 2（号码池）", true)
	}
	return success(list)
}

// setPool: SetSpNumberPoolNumAsync; Data is {} as documented.
func (f *Front) setPool(agent string, kind int, id string) wire.Envelope {
	switch kind {
	case wire.PoolTypeSpNumber:
		env := f.setSpNumber(agent, wire.OwnerAgent, id)
		if env.OK() {
			env.Data = wire.EmptyObject
		}
		return env
	case wire.PoolTypeNumberPool:
		if err := f.cc.SetCallerID(agent, "pool:"+id); err != nil {
			return failure(wire.CodeBadParams, "号码池 "+id+" 不存在", true)
		}
		f.mu.Lock()
		f.agentLocked(agent).pool = id
		f.mu.Unlock()
		return wire.Envelope{Code: wire.CodeOK, Data: wire.EmptyObject}
	}
	return failure(wire.CodeBadParams, "type 只能是 1（中继号）或 2（号码池）", true)
}

// monitor: 监听, 密语, 强插, 拦截 on the agent's current call.
func (f *Front) monitor(supervisor, method string, p wire.AgentParams) wire.Envelope {
	ci, ok := f.cc.CallOf(p.AgentId)
	if !ok || p.CallId != "" && string(ci.ID) != p.CallId {
		return failure(wire.CodeNoSuchCall, "该坐席当前没有这通电话", true)
	}
	mode := map[string]callcenter.MonitorMode{
		wire.MethodEavesdrop: callcenter.MonitorListen, wire.MethodWhisper: callcenter.MonitorWhisper,
		wire.MethodForcePickup: callcenter.MonitorBarge, wire.MethodSubstitute: callcenter.MonitorTakeOver,
	}[method]
	if err := f.cc.Monitor(supervisor, p.AgentId, mode); err != nil {
		return centerFailure(err)
	}
	return success(nil)
}
