package core

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// DialOptions is an outbound call request.
type DialOptions struct {
	Target   string            // what the agent typed or pasted, or a sip: URI
	CallerID string            // optional: the trunk or pool number to show
	UserData map[string]string // optional call data
	// NumType says Target is an encrypted number and names the scheme
	// agreed with the platform (Emicnet's call(number, callNumType)). The
	// target is then passed on untouched and shown as it is: the agent
	// never sees the real number. "" is a plain number.
	NumType string
}

// Dial places a call. The call exists (Dialing) as soon as Dial returns its
// id, so the agent sees it at once; if the platform refuses, the call ends
// as failed and the error is returned.
func (e *Engine) Dial(ctx context.Context, o DialOptions) (CallID, error) {
	number := strings.TrimSpace(o.Target)
	if o.NumType != "" && number == "" {
		return "", fmt.Errorf("%w: empty encrypted number", ErrInvalidArgument)
	}
	if o.NumType == "" && !isURI(number) {
		n, err := e.opts.Normalize(number)
		if err != nil {
			return "", err
		}
		number = n
	}
	var (
		v      Vendor
		id     CallID
		dialCx context.Context
	)
	err := e.do(ctx, func(s *state) error {
		if s.vendor == nil {
			return ErrNotLoggedIn
		}
		if s.conn != ConnConnected {
			return fmt.Errorf("%w (%s)", ErrNotConnected, s.conn)
		}
		if o.NumType != "" {
			ed, ok := s.vendor.(EncryptedDialer)
			if !ok || !slices.Contains(ed.NumTypes(), o.NumType) {
				return &NumTypeError{NumType: o.NumType}
			}
		}
		v = s.vendor
		id = e.opts.NewCallID()
		now := e.opts.Now()
		c := &callEntry{Call: Call{
			ID: id, Direction: Outbound, RemoteNumber: number, State: CallDialing,
			Started: now, StateSince: now, UserData: maps.Clone(o.UserData),
		}}
		if o.CallerID != "" {
			c.DisplayNumber = o.CallerID
		}
		if o.NumType == "" {
			e.locate(c) // an encrypted number has no location to look up
		}
		var cancel context.CancelFunc
		dialCx, cancel = context.WithCancel(context.WithoutCancel(ctx))
		c.dialCancel = cancel
		c.Allowed = c.allowedNow(s.caps)
		s.calls[id] = c
		s.order = append(s.order, id)
		e.journal(c)
		e.publish(func(m EventMeta) Event { return CallAdded{EventMeta: m, Call: c.clone()} })
		return nil
	})
	if err != nil {
		return "", err
	}
	err = e.callVendor(dialCx, "dial", func(ctx context.Context) error {
		return v.Dial(ctx, DialRequest{Tag: id, Number: number, CallerID: o.CallerID, UserData: maps.Clone(o.UserData), NumType: o.NumType})
	})
	e.post(func() {
		c, ok := e.st.calls[id]
		if !ok {
			return
		}
		if c.dialCancel != nil {
			c.dialCancel()
			c.dialCancel = nil
		}
		if err != nil {
			reason := EndFailed
			if c.localEnd != "" {
				reason = EndCancelled
			}
			e.endCall(c, reason, err.Error(), e.opts.Now())
		}
	})
	return id, err
}

func isURI(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "sip:") || strings.HasPrefix(l, "sips:")
}

// callOp validates an action on a call on the loop and returns what the
// platform request needs. mark runs on the loop after validation (e.g. to
// remember that the agent ended the call).
func (e *Engine) callOp(ctx context.Context, id CallID, a Action, mark func(c *callEntry)) (Vendor, string, error) {
	var (
		v   Vendor
		pid string
	)
	err := e.do(ctx, func(s *state) error {
		if s.vendor == nil {
			return ErrNotLoggedIn
		}
		c, err := s.resolve(id, a)
		if err != nil {
			return err
		}
		if !s.caps.Has(a) {
			return &UnsupportedError{Action: a}
		}
		if !c.Allowed.Has(a) {
			return &NotAllowedError{Action: a, State: c.State.String()}
		}
		v, pid = s.vendor, c.PlatformCallID
		if mark != nil {
			mark(c)
		}
		return nil
	})
	return v, pid, err
}

// Answer answers a ringing call; "" means the oldest ringing call.
func (e *Engine) Answer(ctx context.Context, id CallID) error {
	v, pid, err := e.callOp(ctx, id, ActAnswer, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "answer", func(ctx context.Context) error { return v.Answer(ctx, pid) })
}

// Reject refuses a ringing call.
func (e *Engine) Reject(ctx context.Context, id CallID) error {
	v, pid, err := e.callOp(ctx, id, ActReject, func(c *callEntry) { c.localEnd = EndRejected })
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "reject", func(ctx context.Context) error {
		if r, ok := v.(Rejecter); ok {
			return r.Reject(ctx, pid)
		}
		return v.Hangup(ctx, pid)
	})
}

// Hangup ends a call in any state. A call still being dialled whose
// platform id is not known yet is cancelled by cancelling the dial request.
func (e *Engine) Hangup(ctx context.Context, id CallID) error {
	var cancelled bool
	v, pid, err := e.callOp(ctx, id, ActHangup, func(c *callEntry) {
		c.localEnd = EndLocalHangup
		if c.PlatformCallID == "" && c.dialCancel != nil {
			c.dialCancel()
			c.dialCancel = nil
			cancelled = true
		}
	})
	if err != nil || cancelled {
		return err
	}
	return e.callVendor(ctx, "hangup", func(ctx context.Context) error { return v.Hangup(ctx, pid) })
}

// Hold puts a call on hold.
func (e *Engine) Hold(ctx context.Context, id CallID) error {
	v, pid, err := e.callOp(ctx, id, ActHold, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "hold", func(ctx context.Context) error { return v.(Holder).Hold(ctx, pid) })
}

// Resume takes a call off hold.
func (e *Engine) Resume(ctx context.Context, id CallID) error {
	v, pid, err := e.callOp(ctx, id, ActResume, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "resume", func(ctx context.Context) error { return v.(Holder).Resume(ctx, pid) })
}

// Mute mutes or unmutes the agent's microphone on a call.
func (e *Engine) Mute(ctx context.Context, id CallID, on bool) error {
	a := ActMute
	if !on {
		a = ActUnmute
	}
	var cid CallID
	v, pid, err := e.callOp(ctx, id, a, func(c *callEntry) { cid = c.ID })
	if err != nil {
		return err
	}
	if err := e.callVendor(ctx, a.String(), func(ctx context.Context) error { return v.(Muter).Mute(ctx, pid, on) }); err != nil {
		return err
	}
	// Local mute has no platform event: record it ourselves.
	e.post(func() {
		if c, ok := e.st.calls[cid]; ok && c.Muted != on {
			on := on
			e.applyCall(CallUpdate{PlatformCallID: c.PlatformCallID, Tag: cid, Muted: &on}, e.opts.Now())
		}
	})
	return nil
}

// validDTMF are the characters a phone keypad sends.
const validDTMF = "0123456789*#ABCDabcd"

// SendDTMF sends digits to the far end.
func (e *Engine) SendDTMF(ctx context.Context, id CallID, digits string) error {
	if digits == "" || strings.Trim(digits, validDTMF) != "" || len(digits) > 64 {
		return fmt.Errorf("%w: digits must be 0-9, *, # or A-D (at most 64): %q", ErrInvalidArgument, digits)
	}
	v, pid, err := e.callOp(ctx, id, ActDTMF, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "dtmf", func(ctx context.Context) error {
		return v.(DTMFSender).SendDTMF(ctx, pid, strings.ToUpper(digits))
	})
}

var transferAction = map[TargetKind]Action{
	TargetAgent: ActTransferAgent, TargetNumber: ActTransferNumber,
	TargetQueue: ActTransferQueue, TargetIVR: ActTransferIVR,
}

// Transfer hands a call blind to an agent, number, queue or IVR node.
func (e *Engine) Transfer(ctx context.Context, id CallID, to Target) error {
	a, ok := transferAction[to.Kind]
	if !ok || strings.TrimSpace(to.ID) == "" {
		return fmt.Errorf("%w: transfer needs a kind (agent, number, queue, ivr) and a target", ErrInvalidArgument)
	}
	if to.Kind == TargetNumber {
		n, err := e.opts.Normalize(to.ID)
		if err != nil {
			return err
		}
		to.ID = n
	}
	v, pid, err := e.callOp(ctx, id, a, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "transfer", func(ctx context.Context) error { return v.(Transferrer).Transfer(ctx, pid, to) })
}

// Consult calls a second party while the customer waits.
func (e *Engine) Consult(ctx context.Context, id CallID, to Target) error {
	if to.Kind == "" {
		to.Kind = TargetAgent
	}
	if strings.TrimSpace(to.ID) == "" {
		return fmt.Errorf("%w: consult needs a target", ErrInvalidArgument)
	}
	v, pid, err := e.callOp(ctx, id, ActConsult, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "consult", func(ctx context.Context) error { return v.(Consulter).Consult(ctx, pid, to) })
}

// ConsultTransfer completes a consult as a transfer.
func (e *Engine) ConsultTransfer(ctx context.Context, id CallID) error {
	return e.simpleOp(ctx, id, ActConsultTransfer, func(ctx context.Context, v Vendor, pid string) error {
		return v.(Consulter).ConsultTransfer(ctx, pid)
	})
}

// ConsultCancel ends the consult leg and returns to the customer.
func (e *Engine) ConsultCancel(ctx context.Context, id CallID) error {
	return e.simpleOp(ctx, id, ActConsultCancel, func(ctx context.Context, v Vendor, pid string) error {
		return v.(Consulter).ConsultCancel(ctx, pid)
	})
}

// ConsultConference joins a consult into a three-way call.
func (e *Engine) ConsultConference(ctx context.Context, id CallID) error {
	return e.simpleOp(ctx, id, ActConsultConference, func(ctx context.Context, v Vendor, pid string) error {
		return v.(Conferencer).ConsultConference(ctx, pid)
	})
}

// Conference adds a third party directly.
func (e *Engine) Conference(ctx context.Context, id CallID, to Target) error {
	if strings.TrimSpace(to.ID) == "" {
		return fmt.Errorf("%w: three-way call needs a target", ErrInvalidArgument)
	}
	return e.simpleOp(ctx, id, ActConference, func(ctx context.Context, v Vendor, pid string) error {
		return v.(Conferencer).Conference(ctx, pid, to)
	})
}

// ConferenceRetrieve takes the customer back from a three-way call.
func (e *Engine) ConferenceRetrieve(ctx context.Context, id CallID) error {
	return e.simpleOp(ctx, id, ActConferenceRetrieve, func(ctx context.Context, v Vendor, pid string) error {
		return v.(Conferencer).ConferenceRetrieve(ctx, pid)
	})
}

// ConferenceTransfer leaves a three-way call to the other two.
func (e *Engine) ConferenceTransfer(ctx context.Context, id CallID) error {
	return e.simpleOp(ctx, id, ActConferenceTransfer, func(ctx context.Context, v Vendor, pid string) error {
		return v.(Conferencer).ConferenceTransfer(ctx, pid)
	})
}

// SetCallData attaches tags, notes or user data to a call.
func (e *Engine) SetCallData(ctx context.Context, id CallID, data map[string]string) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: no call data", ErrInvalidArgument)
	}
	return e.simpleOp(ctx, id, ActCallData, func(ctx context.Context, v Vendor, pid string) error {
		return v.(CallDataSetter).SetCallData(ctx, pid, maps.Clone(data))
	})
}

func (e *Engine) simpleOp(ctx context.Context, id CallID, a Action, fn func(ctx context.Context, v Vendor, pid string) error) error {
	v, pid, err := e.callOp(ctx, id, a, nil)
	if err != nil {
		return err
	}
	return e.callVendor(ctx, a.String(), func(ctx context.Context) error { return fn(ctx, v, pid) })
}
