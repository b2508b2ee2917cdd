package core

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// vendorAs returns the session's adapter as capability T, or the reason it
// cannot be.
func vendorAs[T any](e *Engine, ctx context.Context, what string) (T, error) {
	var zero T
	var got T
	err := e.do(ctx, func(s *state) error {
		if s.vendor == nil {
			return ErrNotLoggedIn
		}
		t, ok := s.vendor.(T)
		if !ok {
			return fmt.Errorf("%w: %s", ErrNotSupported, what)
		}
		got = t
		return nil
	})
	if err != nil {
		return zero, err
	}
	return got, nil
}

// BreakReasons returns the platform's break reasons (fetched again).
func (e *Engine) BreakReasons(ctx context.Context) ([]BreakReason, error) {
	l, err := vendorAs[BreakReasonLister](e, ctx, "break reasons")
	if err != nil {
		return nil, err
	}
	var out []BreakReason
	err = e.callVendor(ctx, "break_reasons", func(ctx context.Context) (err error) {
		out, err = l.BreakReasons(ctx)
		return err
	})
	return out, err
}

// Targets lists transfer and consult destinations of one kind, for pickers.
func (e *Engine) Targets(ctx context.Context, kind TargetKind) ([]Target, error) {
	d, err := vendorAs[Directory](e, ctx, "directory")
	if err != nil {
		return nil, err
	}
	var out []Target
	err = e.callVendor(ctx, "targets", func(ctx context.Context) (err error) {
		out, err = d.Targets(ctx, kind)
		return err
	})
	return out, err
}

// CallerIDs lists the numbers the customer may see.
func (e *Engine) CallerIDs(ctx context.Context) ([]CallerID, error) {
	c, err := vendorAs[CallerIDChooser](e, ctx, "caller id choice")
	if err != nil {
		return nil, err
	}
	var out []CallerID
	err = e.callVendor(ctx, "caller_ids", func(ctx context.Context) (err error) {
		out, err = c.CallerIDs(ctx)
		return err
	})
	return out, err
}

// SetCallerID chooses the number the customer sees.
func (e *Engine) SetCallerID(ctx context.Context, id string) error {
	c, err := vendorAs[CallerIDChooser](e, ctx, "caller id choice")
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "set_caller_id", func(ctx context.Context) error { return c.SetCallerID(ctx, id) })
}

// DeviceModes lists where the agent's audio can ring.
func (e *Engine) DeviceModes(ctx context.Context) ([]DeviceMode, error) {
	d, err := vendorAs[DeviceModer](e, ctx, "device modes")
	if err != nil {
		return nil, err
	}
	var out []DeviceMode
	err = e.callVendor(ctx, "device_modes", func(ctx context.Context) (err error) {
		out, err = d.DeviceModes(ctx)
		return err
	})
	return out, err
}

// SetDeviceMode switches where the agent's audio rings.
func (e *Engine) SetDeviceMode(ctx context.Context, mode string) error {
	d, err := vendorAs[DeviceModer](e, ctx, "device modes")
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "set_device_mode", func(ctx context.Context) error { return d.SetDeviceMode(ctx, mode) })
}

// GroupAgents lists the supervisor's group (and refreshes the wall).
func (e *Engine) GroupAgents(ctx context.Context) ([]AgentInfo, error) {
	sv, err := vendorAs[Supervisor](e, ctx, "supervisor")
	if err != nil {
		return nil, err
	}
	var out []AgentInfo
	err = e.callVendor(ctx, "group_agents", func(ctx context.Context) (err error) {
		out, err = sv.GroupAgents(ctx)
		return err
	})
	return out, err
}

// allMonitorModes are the supervisor actions the engine knows, in the
// order a supervisor's toolbar shows them.
func allMonitorModes() []MonitorMode {
	return []MonitorMode{MonitorListen, MonitorWhisper, MonitorBarge, MonitorTakeOver, MonitorEnd, MonitorHangup}
}

// Monitor listens to, whispers to, barges into, takes over or ends an
// agent's call.
func (e *Engine) Monitor(ctx context.Context, agentID string, mode MonitorMode) error {
	if strings.TrimSpace(agentID) == "" || !slices.Contains(allMonitorModes(), mode) {
		return fmt.Errorf("%w: monitor needs an agent and one of listen, whisper, barge, takeover, end, hangup", ErrInvalidArgument)
	}
	sv, err := vendorAs[Supervisor](e, ctx, "supervisor")
	if err != nil {
		return err
	}
	if l, ok := sv.(MonitorModeLister); ok && !slices.Contains(l.MonitorModes(), mode) {
		return &MonitorModeError{Mode: mode}
	}
	return e.callVendor(ctx, "monitor", func(ctx context.Context) error { return sv.Monitor(ctx, agentID, mode) })
}
