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
	agent        core.AgentState
	agentSince   time.Time
	calls        []core.Call // active calls, oldest first
	breaks       []core.BreakReason
	caps         core.Capabilities
	notice       error  // the last thing the agent should read (kicked, a platform notice)
	noticeText   string // a plain-text notice, when notice is nil
}

// boardFromStatus starts a board from an engine snapshot.
func boardFromStatus(st core.Status) board {
	b := board{
		seq: st.Seq, loggedIn: st.LoggedIn, account: st.Account, platform: st.Platform,
		platformName: st.PlatformName, session: st.Session, conn: st.Connection,
		agent: st.Agent, agentSince: st.AgentSince, calls: slices.Clone(st.Calls),
		breaks: slices.Clone(st.BreakReasons), caps: st.Capabilities,
	}
	return b
}

// keep carries over from the previous board what a Status cannot say: the
// reasons (errors, not strings) for being offline and the last notice.
func (b board) keep(prev board) board {
	if b.conn == prev.conn {
		b.connErr = prev.connErr
	}
	b.notice, b.noticeText = prev.notice, prev.noticeText
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
		return true
	case core.LoggedOut:
		b.loggedIn = false
		b.account, b.platform, b.platformName = "", "", ""
		b.session = core.SessionUpdate{}
		b.calls, b.breaks, b.caps = nil, nil, core.Capabilities{}
		b.notice, b.noticeText = ev.Err, ""
	case core.SessionChanged:
		b.session = ev.Session
	case core.AgentStateChanged:
		b.agent, b.agentSince = ev.To, ev.At
	case core.CallAdded:
		b.putCall(ev.Call)
	case core.CallChanged:
		b.putCall(ev.Call)
	case core.BreakReasonsChanged:
		b.breaks = slices.Clone(ev.Reasons)
	case core.Notice:
		b.notice, b.noticeText = ev.Err, ev.Text
	}
	return false
}

// putCall adds, replaces or (when ended) removes a call.
func (b *board) putCall(c core.Call) {
	i := slices.IndexFunc(b.calls, func(x core.Call) bool { return x.ID == c.ID })
	switch {
	case c.State == core.CallEnded && i >= 0:
		b.calls = slices.Delete(b.calls, i, i+1)
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
	return b
}

// ringing reports whether any call is alerting the agent.
func (b board) ringing() bool {
	return slices.ContainsFunc(b.calls, func(c core.Call) bool { return c.State == core.CallRinging })
}

// onCall reports whether the agent is in any call past ringing.
func (b board) onCall() bool {
	return slices.ContainsFunc(b.calls, func(c core.Call) bool { return c.State != core.CallRinging })
}

// canChoose reports whether the platform offers an agent state ("ready",
// "busy", "break").
func (b board) canChoose(name string) bool {
	return b.loggedIn && slices.Contains(b.caps.AgentStates, name)
}
