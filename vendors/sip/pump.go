package sip

import (
	"errors"
	"fmt"
	"strings"

	"agentbar/core"
	"agentbar/core/phone"
)

// pump turns the phone's events into engine updates, in order, until the
// phone closes its event channel.
func (a *Adapter) pump(ph *phone.Phone) {
	defer close(a.pumpDone)
	registered := false
	for ev := range ph.Events() {
		a.mu.Lock()
		sink := a.sink
		a.mu.Unlock()
		switch ev := ev.(type) {
		case phone.RegistrationChanged:
			registered = a.onRegistration(sink, ev, registered)
		case phone.IncomingCall:
			a.track(ev.Call)
			sink.Report(core.CallUpdate{
				PlatformCallID: ev.Call.ID(), Direction: core.Inbound, State: core.CallRinging,
				RemoteNumber: userOf(ev.From), DisplayNumber: ev.Display,
			})
		case phone.CallRefused:
			// Do not disturb: it never rang, but the agent should find it
			// among the missed calls.
			sink.Report(core.CallUpdate{
				PlatformCallID: ev.CallID, Direction: core.Inbound, State: core.CallEnded,
				RemoteNumber: userOf(ev.From), DisplayNumber: ev.Display,
				EndReason: core.EndMissed, EndDetail: fmt.Sprintf("refused %d: do not disturb", ev.Code),
			})
		case phone.CallStateChanged:
			a.onCallState(sink, ev)
		case phone.CallQuality:
			q := ev.Quality
			sink.Report(core.QualityUpdate{PlatformCallID: ev.Call.ID(), Quality: core.Quality{
				JitterMs: float64(q.Jitter.Microseconds()) / 1000, LossPercent: q.LossPercent,
				RTTMs: float64(q.RTT.Microseconds()) / 1000, MOS: q.MOS,
			}})
		case phone.TransferProgress:
			if ev.Final && ev.Code >= 200 && ev.Code < 300 {
				a.mu.Lock()
				a.transferred[ev.Call.ID()] = true
				a.mu.Unlock()
			}
			if ev.Final {
				level, text := "info", fmt.Sprintf("转接完成（%d %s）", ev.Code, ev.Reason)
				if ev.Code >= 300 {
					level, text = "warning", fmt.Sprintf("转接失败（%d %s）", ev.Code, ev.Reason)
				}
				sink.Report(core.NoticeUpdate{Level: level, Text: text})
			}
		case phone.TransferRequested:
			sink.Report(core.NoticeUpdate{Level: "info", Text: "对方请求将通话转到 " + userOf(ev.Target)})
		case phone.DTMFReceived:
			a.log.Debug("sip: DTMF received", "call", ev.Call.ID(), "digit", string(ev.Digit))
		}
	}
}

func (a *Adapter) onRegistration(sink core.Sink, ev phone.RegistrationChanged, registered bool) bool {
	switch ev.State {
	case phone.Registered:
		detail := fmt.Sprintf("%s@%s, %d s", a.user, hostOf(a.pcfg.URI), int(ev.Expires.Seconds()))
		sink.Report(core.MediaUpdate{Registered: true, Detail: detail})
		if registered {
			sink.Report(core.ConnectionUpdate{State: core.ConnConnected})
		}
		a.signalRegistration(nil)
		return true
	case phone.RegistrationFailed:
		sink.Report(core.MediaUpdate{Registered: false, Err: ev.Err})
		if registered {
			sink.Report(core.ConnectionUpdate{State: core.ConnReconnecting, Err: ev.Err})
		}
		a.signalRegistration(ev.Err)
		return registered
	}
	return registered
}

// signalRegistration hands Login the first registration result.
func (a *Adapter) signalRegistration(err error) {
	select {
	case a.firstReg <- err:
	default:
	}
}

func (a *Adapter) track(c *phone.Call) {
	a.mu.Lock()
	a.calls[c.ID()] = c
	a.mu.Unlock()
}

// callStates maps the phone's call states into the engine's.
var callStates = map[phone.CallState]core.CallState{
	phone.Dialing: core.CallDialing, phone.RemoteRinging: core.CallRemoteRinging,
	phone.EarlyMedia: core.CallRemoteRinging, phone.Ringing: core.CallRinging,
	phone.Talking: core.CallTalking, phone.Held: core.CallHeld,
	// The customer holding us does not change what the agent can do.
	phone.RemoteHeld: core.CallTalking,
}

func (a *Adapter) onCallState(sink core.Sink, ev phone.CallStateChanged) {
	id := ev.Call.ID()
	a.mu.Lock()
	_, known := a.calls[id]
	pd := a.pending
	if !known {
		a.calls[id] = ev.Call
	}
	a.mu.Unlock()
	if ev.State == phone.Ended {
		reason, detail := endReason(ev.Reason)
		a.mu.Lock()
		if a.transferred[id] {
			reason = core.EndTransferred
		}
		delete(a.calls, id)
		delete(a.transferred, id)
		a.mu.Unlock()
		sink.Report(core.CallUpdate{PlatformCallID: id, State: core.CallEnded, EndReason: reason, EndDetail: detail})
		return
	}
	u := core.CallUpdate{PlatformCallID: id, State: callStates[ev.State]}
	if !known && ev.Call.Direction() == phone.Outbound {
		u.Direction = core.Outbound
		u.RemoteNumber = userOf(ev.Call.Remote())
		if pd != nil && ev.State == phone.Dialing {
			u.Tag = pd.tag
			u.RemoteNumber = pd.number
			a.mu.Lock()
			a.pending = nil
			a.mu.Unlock()
			sink.Report(u)
			close(pd.announced)
			return
		}
	}
	sink.Report(u)
}

// endReason says why a call ended, from the phone's reason.
func endReason(err error) (core.EndReason, string) {
	if err == nil {
		return "", "" // we ended it: the engine knows how
	}
	detail := core.Sentence(err, "zh")
	var ce *phone.CallError
	switch {
	case errors.Is(err, phone.ErrRemoteHangup):
		return core.EndRemoteHangup, ""
	case errors.Is(err, phone.ErrCallerCanceled):
		return core.EndMissed, ""
	case errors.Is(err, phone.ErrCanceled):
		return core.EndCancelled, ""
	case errors.As(err, &ce):
		switch ce.Code {
		case 486, 600:
			return core.EndBusy, detail
		case 408, 480:
			return core.EndNoAnswer, detail
		case 487:
			return core.EndCancelled, detail
		}
	}
	return core.EndFailed, detail
}

func hostOf(uri string) string {
	_, host, _ := strings.Cut(uri, "@")
	host, _, _ = strings.Cut(host, ";")
	return host
}
