package gui

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"agentbar/core"
)

// fullPlatform is the fake platform with every optional capability: reject,
// mute, DTMF, transfer (agent, number, queue, IVR), consult, three-way,
// call data, a directory for the pickers, caller ids, and a supervisor's
// wall and monitoring. Its requests are recorded with the fake's.
type fullPlatform struct {
	*fakePlatform
	supervisor bool
	agents     []core.AgentInfo
	callData   map[string]map[string]string
}

var (
	_ core.Rejecter        = (*fullPlatform)(nil)
	_ core.Muter           = (*fullPlatform)(nil)
	_ core.DTMFSender      = (*fullPlatform)(nil)
	_ core.Transferrer     = (*fullPlatform)(nil)
	_ core.Consulter       = (*fullPlatform)(nil)
	_ core.Conferencer     = (*fullPlatform)(nil)
	_ core.CallDataSetter  = (*fullPlatform)(nil)
	_ core.Directory       = (*fullPlatform)(nil)
	_ core.CallerIDChooser = (*fullPlatform)(nil)
	_ core.Supervisor      = (*fullPlatform)(nil)
)

// register adds the full platform as "full", and as "narrow" with only
// some monitor modes (as Emicnet has).
func (f *fullPlatform) register(reg *core.Registry) {
	reg.Register(core.Info{
		ID: "full", Name: core.Text{ZH: "全功能平台", EN: "Full platform"},
		New: func(core.Config) (core.Vendor, error) { return f, nil },
	})
	reg.Register(core.Info{
		ID: "narrow", Name: core.Text{ZH: "部分监控平台", EN: "Narrow platform"},
		New: func(core.Config) (core.Vendor, error) { return narrowPlatform{f}, nil },
	})
}

// narrowPlatform's supervisors can listen, barge in, stop and end calls.
type narrowPlatform struct{ *fullPlatform }

func (narrowPlatform) MonitorModes() []core.MonitorMode {
	return []core.MonitorMode{core.MonitorListen, core.MonitorBarge, core.MonitorEnd, core.MonitorHangup}
}

func (f *fullPlatform) Login(ctx context.Context, sink core.Sink) error {
	if err := f.fakePlatform.Login(ctx, sink); err != nil {
		return err
	}
	f.mu.Lock()
	sup := f.supervisor
	f.mu.Unlock()
	sink.Report(core.SessionUpdate{AgentID: "8001", DisplayName: "王小明", Extension: "8001", IsSupervisor: sup})
	return nil
}

func (f *fullPlatform) Reject(ctx context.Context, id string) error {
	if err := f.record(ctx, "reject", "reject:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndRejected})
	return nil
}

func (f *fullPlatform) Mute(ctx context.Context, id string, on bool) error {
	op := "unmute:" + id
	if on {
		op = "mute:" + id
	}
	if err := f.record(ctx, "mute", op); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, Muted: &on})
	return nil
}

func (f *fullPlatform) SendDTMF(ctx context.Context, id, digits string) error {
	return f.record(ctx, "dtmf", "dtmf:"+id+":"+digits)
}

func (f *fullPlatform) TransferKinds() []core.TargetKind {
	return []core.TargetKind{core.TargetAgent, core.TargetNumber, core.TargetQueue, core.TargetIVR}
}

func (f *fullPlatform) Transfer(ctx context.Context, id string, to core.Target) error {
	if err := f.record(ctx, "transfer", "transfer:"+id+":"+string(to.Kind)+":"+to.ID); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndTransferred})
	return nil
}

func (f *fullPlatform) Consult(ctx context.Context, id string, to core.Target) error {
	if err := f.record(ctx, "consult", "consult:"+id+":"+string(to.Kind)+":"+to.ID); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallConsulting})
	return nil
}

func (f *fullPlatform) ConsultTransfer(ctx context.Context, id string) error {
	if err := f.record(ctx, "consult", "consult-transfer:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndTransferred})
	return nil
}

func (f *fullPlatform) ConsultCancel(ctx context.Context, id string) error {
	if err := f.record(ctx, "consult", "consult-cancel:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallTalking})
	return nil
}

func (f *fullPlatform) Conference(ctx context.Context, id string, to core.Target) error {
	if err := f.record(ctx, "conference", "conference:"+id+":"+string(to.Kind)+":"+to.ID); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallConference})
	return nil
}

func (f *fullPlatform) ConsultConference(ctx context.Context, id string) error {
	if err := f.record(ctx, "conference", "consult-conference:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallConference})
	return nil
}

func (f *fullPlatform) ConferenceRetrieve(ctx context.Context, id string) error {
	if err := f.record(ctx, "conference", "conference-retrieve:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallTalking})
	return nil
}

func (f *fullPlatform) ConferenceTransfer(ctx context.Context, id string) error {
	if err := f.record(ctx, "conference", "conference-leave:"+id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndTransferred})
	return nil
}

func (f *fullPlatform) SetCallData(ctx context.Context, id string, data map[string]string) error {
	keys := slices.Sorted(maps.Keys(data))
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+data[k])
	}
	return f.record(ctx, "calldata", "calldata:"+id+":"+strings.Join(parts, "&"))
}

// directory is what the pickers list.
var directory = map[core.TargetKind][]core.Target{
	core.TargetAgent: {
		{Kind: core.TargetAgent, ID: "8002", Label: "李娜", State: "ready"},
		{Kind: core.TargetAgent, ID: "8003", Label: "张伟", State: "busy"},
		{Kind: core.TargetAgent, ID: "8004", Label: "刘洋", State: "ready"},
	},
	core.TargetQueue: {
		{Kind: core.TargetQueue, ID: "q1", Label: "售前咨询"},
		{Kind: core.TargetQueue, ID: "q2", Label: "售后服务"},
	},
	core.TargetIVR: {
		{Kind: core.TargetIVR, ID: "sat", Label: "满意度调查"},
	},
}

func (f *fullPlatform) Targets(ctx context.Context, kind core.TargetKind) ([]core.Target, error) {
	if err := f.record(ctx, "targets", "targets:"+string(kind)); err != nil {
		return nil, err
	}
	return slices.Clone(directory[kind]), nil
}

func (f *fullPlatform) CallerIDs(ctx context.Context) ([]core.CallerID, error) {
	return []core.CallerID{
		{ID: "t1", Number: "02150001111", Label: "上海总机", Current: true},
		{ID: "t2", Number: "4008001234", Label: "400 热线"},
	}, nil
}

func (f *fullPlatform) SetCallerID(ctx context.Context, id string) error {
	return f.record(ctx, "callerid", "callerid:"+id)
}

func (f *fullPlatform) GroupAgents(ctx context.Context) ([]core.AgentInfo, error) {
	if err := f.record(ctx, "group", "group"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.agents), nil
}

func (f *fullPlatform) Monitor(ctx context.Context, agentID string, mode core.MonitorMode) error {
	if err := f.record(ctx, "monitor", "monitor:"+agentID+":"+string(mode)); err != nil {
		return err
	}
	f.mu.Lock()
	i := slices.IndexFunc(f.agents, func(a core.AgentInfo) bool { return a.ID == agentID })
	var a core.AgentInfo
	if i >= 0 {
		if mode == core.MonitorEnd {
			f.agents[i].Monitor = ""
		} else {
			f.agents[i].Monitor = string(mode)
		}
		a = f.agents[i]
	}
	f.mu.Unlock()
	if i >= 0 {
		f.report(core.AgentsUpdate{Agents: []core.AgentInfo{a}})
	}
	return nil
}

// registerFormPlatform adds a platform with one field of every kind (for
// the account form) and a demo platform with a choice.
func registerFormPlatform(reg *core.Registry) {
	reg.Register(core.Info{
		ID: "form", Name: core.Text{ZH: "表单平台", EN: "Form platform"},
		Fields: []core.Field{
			{Key: "server", Kind: core.FieldURL, Required: true, Schemes: []string{"wss", "https"},
				Label: core.Text{ZH: "服务器地址", EN: "Server"}, Help: core.Text{ZH: "如 wss://cti.example.com/ws", EN: "e.g. wss://cti.example.com/ws"}},
			{Key: "agent", Kind: core.FieldText, Required: true, Label: core.Text{ZH: "工号", EN: "Agent ID"}},
			{Key: "port", Kind: core.FieldNumber, Default: "5060", Label: core.Text{ZH: "端口", EN: "Port"}},
			{Key: "mode", Kind: core.FieldChoice, Default: "sip", Label: core.Text{ZH: "接听方式", EN: "Answer on"},
				Choices: []core.Choice{
					{Value: "sip", Label: core.Text{ZH: "软电话", EN: "Softphone"}},
					{Value: "pstn", Label: core.Text{ZH: "手机", EN: "Mobile phone"}},
				}},
			{Key: "encrypt", Kind: core.FieldBool, Default: "false", Label: core.Text{ZH: "号码加密", EN: "Encrypt numbers"}},
			{Key: "password", Kind: core.FieldSecret, Required: true, Label: core.Text{ZH: "密码", EN: "Password"}},
		},
		New: func(core.Config) (core.Vendor, error) { return nil, core.ErrNotSupported },
	})
	reg.Register(core.Info{
		ID: "demo", Name: core.Text{ZH: "演示呼叫中心", EN: "Demo call center"}, Demo: true,
		Fields: []core.Field{{Key: "login_as", Kind: core.FieldChoice, Default: "8001",
			Label: core.Text{ZH: "登录身份", EN: "Sign in as"},
			Choices: []core.Choice{
				{Value: "8001", Label: core.Text{ZH: "演示坐席 8001", EN: "Demo agent 8001"}},
				{Value: "8000", Label: core.Text{ZH: "演示班长 8000", EN: "Demo supervisor 8000"}},
			}}},
		New: func(core.Config) (core.Vendor, error) { return nil, core.ErrNotSupported },
	})
}

// agentWall makes n agents for the wall, in a spread of states.
func agentWall(n int) []core.AgentInfo {
	out := make([]core.AgentInfo, n)
	for i := range out {
		id := 10000 + i
		a := core.AgentInfo{ID: strconv.Itoa(id), Name: "坐席" + strconv.Itoa(i), Number: strconv.Itoa(id), StateSince: 1795770000 - int64(i)}
		switch i % 4 {
		case 0:
			a.State = core.ReadyState()
		case 1:
			a.State = core.BusyState()
		case 2:
			a.State = core.ReadyState()
			a.CallState, a.CallNumber = "talking", "1380013"+strconv.Itoa(1000+i%9000)
		case 3:
			a.State = core.OfflineState()
		}
		out[i] = a
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
