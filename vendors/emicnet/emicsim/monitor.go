package emicsim

import (
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// monitorState is a supervisor's checkMonitorState (§7): none, listening
// to a call, or joined to it (three-way).
type monitorState struct {
	status wire.MonitorStatus
	c      string
	call   callcenter.CallID
	agent  string // whose call it is
}

// State is the seat's checkMonitorState as the platform sees it (tests).
func (f *Front) MonitorState(un string) wire.MonitorState {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.seats[un]
	if s == nil {
		return wire.MonitorState{}
	}
	return wire.MonitorState{Status: s.mon.status, CcNumber: s.mon.c}
}

// monitorCommand runs a monitor command by the state machine:
//
//	none ──startCallMonitor──► listen ──joinFromMonitor──► join
//	 ▲  ◄──stopCallMonitor──────┘  ◄──exitJoinMonitor───────┘
//	 └──────── endCallMonitor (from listen or join: ends the call)
//	none ──terminateCall──► (ends the call without monitoring)
//
// Anything else is result 1 with the reason in info.
func (f *Front) monitorCommand(s *seat, cmd, c string) wire.Result {
	fail := func(info string) wire.Result {
		return wire.Result{Code: wire.CodeOK, Info: info, Data: wire.MustJSON(wire.MonitorResult{Result: wire.MonitorFailed})}
	}
	f.mu.Lock()
	sess := s.sess
	if sess == nil || !sess.supervisor {
		f.mu.Unlock()
		return fail("not a supervisor (班长)")
	}
	mon := s.mon
	id, known := f.numbers.call(c)
	e, sup, _ := f.enterpriseOf(s.un)
	f.mu.Unlock()
	if !known {
		return fail("no call " + c)
	}
	var mode callcenter.MonitorMode
	next := mon
	switch cmd {
	case wire.CmdStartCallMonitor:
		if mon.status != wire.MonitorNone {
			return fail("already monitoring " + mon.c)
		}
		mode, next.status = callcenter.MonitorListen, wire.MonitorListen
	case wire.CmdStopCallMonitor:
		if mon.status != wire.MonitorListen || mon.c != c {
			return fail("not listening to " + c)
		}
		mode, next = callcenter.MonitorEnd, monitorState{}
	case wire.CmdJoinFromMonitor:
		if mon.status != wire.MonitorListen || mon.c != c {
			return fail("join needs listening to " + c + " first")
		}
		mode, next.status = callcenter.MonitorBarge, wire.MonitorJoined
	case wire.CmdExitJoinMonitor:
		if mon.status != wire.MonitorJoined || mon.c != c {
			return fail("not joined to " + c)
		}
		mode, next.status = callcenter.MonitorListen, wire.MonitorListen
	case wire.CmdEndCallMonitor:
		if mon.status == wire.MonitorNone || mon.c != c {
			return fail("endCallMonitor needs listening to or joined to " + c + "; use terminateCall")
		}
		mode, next = callcenter.MonitorHangup, monitorState{}
	case wire.CmdTerminateCall:
		if mon.status != wire.MonitorNone {
			return fail("monitoring " + mon.c + ": use endCallMonitor")
		}
		mode = callcenter.MonitorHangup
	}
	agent := mon.agent
	if cmd == wire.CmdStartCallMonitor || cmd == wire.CmdTerminateCall {
		ci, ok := f.cc.Call(id)
		if !ok || ci.Agent == "" {
			return fail("call " + c + " has no agent talking")
		}
		a, ok := f.cc.Agent(ci.Agent)
		f.mu.Lock()
		inGroup := ok && e != nil && f.sameGroup(e, sup, a)
		f.mu.Unlock()
		if !inGroup {
			return fail("agent " + ci.Agent + " is not in the supervisor's group")
		}
		agent = ci.Agent
		next.c, next.call, next.agent = c, id, agent
	}
	if cmd == wire.CmdTerminateCall {
		next = monitorState{}
	}
	// The state moves before the center does: the events the move causes
	// (the monitor leg failing, the call ending) then find it and reset it.
	f.mu.Lock()
	s.mon = next
	f.mu.Unlock()
	if err := f.cc.Monitor(s.un, agent, mode); err != nil {
		f.mu.Lock()
		if s.mon == next {
			s.mon = mon
		}
		f.mu.Unlock()
		return fail(err.Error())
	}
	return wire.Result{Code: wire.CodeOK, Data: wire.MustJSON(wire.MonitorResult{Result: wire.MonitorSucceeded})}
}
