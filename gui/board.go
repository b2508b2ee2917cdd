package gui

import (
	"slices"
	"time"

	"agentbar/core"
)

// board is the window's picture of the engine: a Status snapshot kept up to
// date by folding events into it. The event loop owns the live board; the
// UI thread only ever sees copies (snapshot).
type board struct {
	seq          uint64 // the last event reflected
	loggedIn     bool
	account      string
	platform     string // registry id
	platformName string // the engine's (Chinese) name, used without a registry
	session      core.SessionUpdate
	conn         core.ConnState
	connErr      error // why the connection is not up, when known
	media        mediaState
	agent        core.AgentState
	agentSince   time.Time
	calls        []core.Call // active calls, oldest first
	breaks       []core.BreakReason
	caps         core.Capabilities
	notice       error  // the last thing the agent should read (kicked, a platform notice)
	noticeText   string // a plain-text notice, when notice is nil

	// Transient: what happened since the board was last handed to the UI
	// thread. The loop clears it after each hand-over (takeTransient).
	ended  []core.Call // calls that ended, with their end reason
	agents agentsDelta // changes to the supervisor wall
}

// mediaState is the audio side's registration (SIP REGISTER, a WebRTC
// socket). known is false for platforms that never report one (a mobile or
// desk phone rings instead): the window then shows no indicator.
type mediaState struct {
	known      bool
	registered bool
	detail     string
	err        error
}

// agentsDelta is what changed on the supervisor wall: with full, agents is
// the whole group; otherwise upserts. The wall keeps the whole list itself,
// so that the loop never copies 2,000 agents per event.
type agentsDelta struct {
	changed bool
	full    bool
	agents  []core.AgentInfo
}

// add folds one AgentsChanged into the delta.
func (d *agentsDelta) add(agents []core.AgentInfo, full bool) {
	if full {
		d.agents = d.agents[:0]
		d.full = true
	}
	d.changed = true
	d.agents = append(d.agents, agents...)
}

// boardFromStatus starts a board from an engine snapshot.
func boardFromStatus(st core.Status) board {
	b := board{
		seq: st.Seq, loggedIn: st.LoggedIn, account: st.Account, platform: st.Platform,
		platformName: st.PlatformName, session: st.Session, conn: st.Connection,
		media: mediaState{known: st.MediaOK || st.MediaDetail != "", registered: st.MediaOK, detail: st.MediaDetail},
		agent: st.Agent, agentSince: st.AgentSince, calls: slices.Clone(st.Calls),
		breaks: slices.Clone(st.BreakReasons), caps: st.Capabilities,
	}
	b.agents.add(st.Agents, true)
	return b
}

// keep carries over from the previous board what a Status cannot say: the
// reasons (errors, not strings) for being offline, the last notice, whether
// the media side ever reported, and what has not been handed over yet.
func (b board) keep(prev board) board {
	if b.conn == prev.conn {
		b.connErr = prev.connErr
	}
	if b.loggedIn && prev.loggedIn && b.account == prev.account {
		b.media.known = b.media.known || prev.media.known
		if b.media.registered == prev.media.registered {
			b.media.err = prev.media.err
		}
	}
	b.notice, b.noticeText = prev.notice, prev.noticeText
	b.ended = prev.ended
	return b
}

// apply folds one event into the board. It reports whether the board needs
// a fresh Status: after dropped events, and after a login (the capabilities
// and the platform's name arrive only with Status). Events the board
// already reflects (seq at or below its own) are ignored.
func (b *board) apply(ev core.Event) (resync bool) {
	if d, ok := ev.(core.EventsDropped); ok {
		return d.Count > 0
	}
	if ev.Meta().Seq <= b.seq {
		return false
	}
	b.seq = ev.Meta().Seq
	switch ev := ev.(type) {
	case core.ConnectionChanged:
		b.conn, b.connErr = ev.State, ev.Err
	case core.LoggedIn:
		b.loggedIn, b.account, b.platform = true, ev.Account, ev.Platform
		b.notice, b.noticeText = nil, ""
		b.media = mediaState{}
		return true
	case core.LoggedOut:
		b.loggedIn = false
		b.account, b.platform, b.platformName = "", "", ""
		b.session = core.SessionUpdate{}
		for _, c := range b.calls {
			c.State = core.CallEnded
			b.ended = append(b.ended, c)
		}
		b.calls, b.breaks, b.caps = nil, nil, core.Capabilities{}
		b.media = mediaState{}
		b.notice, b.noticeText = ev.Err, ""
		b.agents.add(nil, true)
	case core.SessionChanged:
		b.session = ev.Session
	case core.MediaChanged:
		b.media = mediaState{known: true, registered: ev.Registered, detail: ev.Detail, err: ev.Err}
	case core.AgentStateChanged:
		b.agent, b.agentSince = ev.To, ev.At
	case core.CallAdded:
		b.putCall(ev.Call)
	case core.CallChanged:
		b.putCall(ev.Call)
	case core.CallQualityChanged:
		for i := range b.calls {
			if b.calls[i].ID == ev.CallID {
				q := ev.Quality
				b.calls[i].Quality = &q
			}
		}
	case core.BreakReasonsChanged:
		b.breaks = slices.Clone(ev.Reasons)
	case core.AgentsChanged:
		b.agents.add(ev.Agents, ev.Full)
	case core.Notice:
		b.notice, b.noticeText = ev.Err, ev.Text
	}
	return false
}

// putCall adds, replaces or (when ended) removes a call; an ended call is
// remembered in ended until the UI thread has seen it.
func (b *board) putCall(c core.Call) {
	i := slices.IndexFunc(b.calls, func(x core.Call) bool { return x.ID == c.ID })
	switch {
	case c.State == core.CallEnded && i >= 0:
		b.calls = slices.Delete(b.calls, i, i+1)
		b.ended = append(b.ended, c)
	case c.State == core.CallEnded:
	case i >= 0:
		b.calls[i] = c
	default:
		b.calls = append(b.calls, c)
	}
}

// snapshot returns a copy the UI thread may keep while the loop goes on
// changing the board: slices are copied (Calls are values already).
func (b board) snapshot() board {
	b.calls = slices.Clone(b.calls)
	b.breaks = slices.Clone(b.breaks)
	b.ended = slices.Clone(b.ended)
	b.agents.agents = slices.Clone(b.agents.agents)
	return b
}

// takeTransient forgets what has been handed to the UI thread.
func (b *board) takeTransient() {
	b.ended = nil
	b.agents = agentsDelta{agents: b.agents.agents[:0]}
}

// ringing reports whether any call is alerting the agent.
func (b board) ringing() bool {
	return slices.ContainsFunc(b.calls, func(c core.Call) bool { return c.State == core.CallRinging })
}

// onCall reports whether the agent is in any call past ringing.
func (b board) onCall() bool {
	return slices.ContainsFunc(b.calls, func(c core.Call) bool { return c.State != core.CallRinging })
}

// firstRinging returns the oldest call alerting the agent.
func (b board) firstRinging() (core.Call, bool) {
	for _, c := range b.calls {
		if c.State == core.CallRinging {
			return c, true
		}
	}
	return core.Call{}, false
}

// current is the call the shortcuts and the tray act on: the oldest call
// that is neither ringing nor held, else the oldest held one.
func (b board) current() (core.Call, bool) {
	for _, c := range b.calls {
		if c.State != core.CallRinging && c.State != core.CallHeld {
			return c, true
		}
	}
	for _, c := range b.calls {
		if c.State == core.CallHeld {
			return c, true
		}
	}
	return core.Call{}, false
}

// call finds an active call by id.
func (b board) call(id core.CallID) (core.Call, bool) {
	for _, c := range b.calls {
		if c.ID == id {
			return c, true
		}
	}
	return core.Call{}, false
}

// canChoose reports whether the platform offers an agent state ("ready",
// "busy", "break").
func (b board) canChoose(name string) bool {
	return b.loggedIn && slices.Contains(b.caps.AgentStates, name)
}

// canMonitor reports whether the platform's supervisors have this action
// (a platform that lists none has them all).
func (b board) canMonitor(m core.MonitorMode) bool {
	return b.caps.MonitorModes == nil || slices.Contains(b.caps.MonitorModes, m)
}

// supervisor reports whether the wall is offered: the platform can
// supervise and the signed-in agent is a supervisor.
func (b board) supervisor() bool {
	return b.loggedIn && b.caps.Supervisor && b.session.IsSupervisor
}
