package control

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"agentbar/core"
)

// testPlatform is an in-memory platform adapter: what is under test here
// is the control API, so the platform only records requests, reports the
// obvious outcome through the sink, and fails or blocks on demand.
type testPlatform struct {
	mu     sync.Mutex
	sink   core.Sink
	ops    []string
	failOn map[string]error         // op name → error to return
	block  map[string]chan struct{} // op name → released when closed (or ctx ends)
}

func newTestPlatform() *testPlatform {
	return &testPlatform{failOn: map[string]error{}, block: map[string]chan struct{}{}}
}

// record notes an op and applies the injected failure or block.
func (p *testPlatform) record(ctx context.Context, op string, detail ...string) error {
	p.mu.Lock()
	p.ops = append(p.ops, strings.Join(append([]string{op}, detail...), ":"))
	err := p.failOn[op]
	blk := p.block[op]
	p.mu.Unlock()
	if blk != nil {
		select {
		case <-blk:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func (p *testPlatform) report(u core.Update) {
	p.mu.Lock()
	s := p.sink
	p.mu.Unlock()
	s.Report(u)
}

func (p *testPlatform) setFail(op string, err error) {
	p.mu.Lock()
	p.failOn[op] = err
	p.mu.Unlock()
}

func (p *testPlatform) setBlock(op string, c chan struct{}) {
	p.mu.Lock()
	p.block[op] = c
	p.mu.Unlock()
}

func (p *testPlatform) recorded() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.ops...)
}

func (p *testPlatform) Login(ctx context.Context, sink core.Sink) error {
	p.mu.Lock()
	p.sink = sink
	p.mu.Unlock()
	if err := p.record(ctx, "login"); err != nil {
		return err
	}
	sink.Report(core.AgentStateUpdate{State: core.BusyState()})
	return nil
}

func (p *testPlatform) Logout(ctx context.Context) error { return nil }

func (p *testPlatform) SetAgentState(ctx context.Context, s core.AgentState) error {
	if err := p.record(ctx, "state", s.String()); err != nil {
		return err
	}
	p.report(core.AgentStateUpdate{State: s})
	return nil
}

func (p *testPlatform) Dial(ctx context.Context, r core.DialRequest) error {
	if err := p.record(ctx, "dial", r.Number); err != nil {
		return err
	}
	p.report(core.CallUpdate{PlatformCallID: "p-" + string(r.Tag), Tag: r.Tag, Direction: core.Outbound, State: core.CallDialing})
	return nil
}

func (p *testPlatform) Answer(ctx context.Context, id string) error {
	if err := p.record(ctx, "answer", id); err != nil {
		return err
	}
	p.report(core.CallUpdate{PlatformCallID: id, State: core.CallTalking})
	return nil
}

func (p *testPlatform) Hangup(ctx context.Context, id string) error {
	if err := p.record(ctx, "hangup", id); err != nil {
		return err
	}
	p.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndLocalHangup})
	return nil
}

// fullPlatform adds every optional capability; each op moves the call to
// the state the real platform would report.
type fullPlatform struct{ *testPlatform }

func (f fullPlatform) to(ctx context.Context, id string, st core.CallState, op string, detail ...string) error {
	if err := f.record(ctx, op, detail...); err != nil {
		return err
	}
	if st != 0 {
		f.report(core.CallUpdate{PlatformCallID: id, State: st})
	}
	return nil
}

func (f fullPlatform) Reject(ctx context.Context, id string) error {
	if err := f.record(ctx, "reject", id); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndRejected})
	return nil
}
func (f fullPlatform) Hold(ctx context.Context, id string) error {
	return f.to(ctx, id, core.CallHeld, "hold")
}
func (f fullPlatform) Resume(ctx context.Context, id string) error {
	return f.to(ctx, id, core.CallTalking, "resume")
}
func (f fullPlatform) Mute(ctx context.Context, id string, on bool) error {
	return f.record(ctx, "mute", fmt.Sprint(on))
}
func (f fullPlatform) SendDTMF(ctx context.Context, id, digits string) error {
	return f.record(ctx, "dtmf", digits)
}
func (f fullPlatform) TransferKinds() []core.TargetKind {
	return []core.TargetKind{core.TargetAgent, core.TargetNumber, core.TargetQueue, core.TargetIVR}
}
func (f fullPlatform) Transfer(ctx context.Context, id string, t core.Target) error {
	if err := f.record(ctx, "transfer", string(t.Kind), t.ID); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndTransferred})
	return nil
}
func (f fullPlatform) Consult(ctx context.Context, id string, t core.Target) error {
	return f.to(ctx, id, core.CallConsulting, "consult", string(t.Kind), t.ID)
}
func (f fullPlatform) ConsultTransfer(ctx context.Context, id string) error {
	if err := f.record(ctx, "consult-transfer"); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndTransferred})
	return nil
}
func (f fullPlatform) ConsultCancel(ctx context.Context, id string) error {
	return f.to(ctx, id, core.CallTalking, "consult-cancel")
}
func (f fullPlatform) Conference(ctx context.Context, id string, t core.Target) error {
	return f.to(ctx, id, core.CallConference, "conference", string(t.Kind), t.ID)
}
func (f fullPlatform) ConsultConference(ctx context.Context, id string) error {
	return f.to(ctx, id, core.CallConference, "consult-conference")
}
func (f fullPlatform) ConferenceRetrieve(ctx context.Context, id string) error {
	return f.to(ctx, id, core.CallTalking, "conference-retrieve")
}
func (f fullPlatform) ConferenceTransfer(ctx context.Context, id string) error {
	if err := f.record(ctx, "conference-transfer"); err != nil {
		return err
	}
	f.report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: core.EndTransferred})
	return nil
}
func (f fullPlatform) SetCallData(ctx context.Context, id string, d map[string]string) error {
	return f.record(ctx, "call-data", fmt.Sprint(d))
}
func (f fullPlatform) BreakReasons(ctx context.Context) ([]core.BreakReason, error) {
	if err := f.record(ctx, "break-reasons"); err != nil {
		return nil, err
	}
	return []core.BreakReason{{Code: "101", Label: "午饭"}, {Code: "102", Label: "培训"}}, nil
}
func (f fullPlatform) Targets(ctx context.Context, kind core.TargetKind) ([]core.Target, error) {
	if err := f.record(ctx, "targets", string(kind)); err != nil {
		return nil, err
	}
	return []core.Target{{Kind: kind, ID: "1001", Label: "张三"}}, nil
}
func (f fullPlatform) CallerIDs(ctx context.Context) ([]core.CallerID, error) {
	return []core.CallerID{{ID: "t1", Number: "02100000000", Current: true}}, f.record(ctx, "caller-ids")
}
func (f fullPlatform) SetCallerID(ctx context.Context, id string) error {
	return f.record(ctx, "caller-id", id)
}
func (f fullPlatform) DeviceModes(ctx context.Context) ([]core.DeviceMode, error) {
	return []core.DeviceMode{{ID: "voip", Label: "软电话", Current: true}}, f.record(ctx, "device-modes")
}
func (f fullPlatform) SetDeviceMode(ctx context.Context, mode string) error {
	return f.record(ctx, "device-mode", mode)
}
func (f fullPlatform) GroupAgents(ctx context.Context) ([]core.AgentInfo, error) {
	return []core.AgentInfo{{ID: "a1", Name: "李四", State: core.ReadyState()}}, f.record(ctx, "agents")
}
func (f fullPlatform) Monitor(ctx context.Context, agentID string, mode core.MonitorMode) error {
	return f.record(ctx, "monitor", agentID, string(mode))
}

var (
	_ core.Vendor            = (*testPlatform)(nil)
	_ core.Rejecter          = fullPlatform{}
	_ core.Holder            = fullPlatform{}
	_ core.Muter             = fullPlatform{}
	_ core.DTMFSender        = fullPlatform{}
	_ core.Transferrer       = fullPlatform{}
	_ core.Consulter         = fullPlatform{}
	_ core.Conferencer       = fullPlatform{}
	_ core.CallDataSetter    = fullPlatform{}
	_ core.BreakReasonLister = fullPlatform{}
	_ core.Directory         = fullPlatform{}
	_ core.CallerIDChooser   = fullPlatform{}
	_ core.DeviceModer       = fullPlatform{}
	_ core.Supervisor        = fullPlatform{}
)

// platformError is a refusal with the platform's own sentence.
type platformError struct{ zh, en string }

func (e *platformError) Error() string { return "platform refused: " + e.en }
func (e *platformError) Sentence(lang string) string {
	if lang == "en" {
		return e.en
	}
	return e.zh
}
