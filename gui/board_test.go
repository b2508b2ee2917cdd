package gui

import (
	"errors"
	"slices"
	"testing"
	"time"

	"agentbar/core"
)

func meta(seq uint64) core.EventMeta {
	return core.EventMeta{Seq: seq, At: time.Date(2026, 11, 21, 9, 0, int(seq), 0, time.UTC)}
}

func call(id core.CallID, s core.CallState) core.Call {
	return core.Call{ID: id, State: s, Direction: core.Inbound, RemoteNumber: "1380013800" + string(id)}
}

func callIDs(b board) []core.CallID {
	var out []core.CallID
	for _, c := range b.calls {
		out = append(out, c.ID)
	}
	return out
}

func TestBoardApply(t *testing.T) {
	kicked := errors.New("logged in elsewhere")
	tests := []struct {
		name   string
		start  board
		events []core.Event
		resync bool
		check  func(t *testing.T, b board)
	}{
		{
			name:   "login asks for a resync and clears the last notice",
			start:  board{noticeText: "old"},
			events: []core.Event{core.LoggedIn{EventMeta: meta(1), Account: "alice", Platform: "fake"}},
			resync: true,
			check: func(t *testing.T, b board) {
				if !b.loggedIn || b.account != "alice" || b.platform != "fake" || b.noticeText != "" {
					t.Errorf("%+v", b)
				}
			},
		},
		{
			name:  "calls are added in order, replaced in place, removed when ended",
			start: board{loggedIn: true},
			events: []core.Event{
				core.CallAdded{EventMeta: meta(1), Call: call("1", core.CallRinging)},
				core.CallAdded{EventMeta: meta(2), Call: call("2", core.CallRinging)},
				core.CallChanged{EventMeta: meta(3), From: core.CallRinging, Call: call("1", core.CallTalking)},
				core.CallChanged{EventMeta: meta(4), From: core.CallRinging, Call: call("2", core.CallEnded)},
				core.CallChanged{EventMeta: meta(5), From: core.CallRinging, Call: call("9", core.CallEnded)},
			},
			check: func(t *testing.T, b board) {
				if !slices.Equal(callIDs(b), []core.CallID{"1"}) || b.calls[0].State != core.CallTalking {
					t.Errorf("calls %+v", b.calls)
				}
			},
		},
		{
			name:  "events the board already reflects are ignored",
			start: board{seq: 10, agent: core.ReadyState()},
			events: []core.Event{
				core.AgentStateChanged{EventMeta: meta(9), From: core.ReadyState(), To: core.BusyState()},
				core.AgentStateChanged{EventMeta: meta(10), From: core.ReadyState(), To: core.BusyState()},
			},
			check: func(t *testing.T, b board) {
				if b.agent.Name() != "ready" || b.seq != 10 {
					t.Errorf("agent %s seq %d", b.agent, b.seq)
				}
			},
		},
		{
			name:   "dropped events ask for a resync",
			events: []core.Event{core.EventsDropped{EventMeta: meta(3), Count: 2}},
			resync: true,
		},
		{
			name: "logout forgets the session and keeps why",
			start: board{loggedIn: true, account: "alice", platform: "fake", calls: []core.Call{call("1", core.CallTalking)},
				breaks: []core.BreakReason{{Code: "1"}}, caps: core.Capabilities{AgentStates: []string{"ready"}}},
			events: []core.Event{core.LoggedOut{EventMeta: meta(1), Err: kicked, Kicked: true}},
			check: func(t *testing.T, b board) {
				if b.loggedIn || b.account != "" || len(b.calls) != 0 || len(b.breaks) != 0 || b.canChoose("ready") || b.notice != kicked {
					t.Errorf("%+v", b)
				}
			},
		},
		{
			name: "agent state carries its start time",
			events: []core.Event{
				core.AgentStateChanged{EventMeta: meta(4), From: core.BusyState(), To: core.BreakState("101", "午饭")},
			},
			check: func(t *testing.T, b board) {
				if b.agent.BreakLabel != "午饭" || !b.agentSince.Equal(meta(4).At) {
					t.Errorf("agent %s since %v", b.agent, b.agentSince)
				}
			},
		},
		{
			name: "connection, session, breaks and notices",
			events: []core.Event{
				core.ConnectionChanged{EventMeta: meta(1), State: core.ConnReconnecting, Err: kicked},
				core.SessionChanged{EventMeta: meta(2), Session: core.SessionUpdate{AgentID: "1001"}},
				core.BreakReasonsChanged{EventMeta: meta(3), Reasons: []core.BreakReason{{Code: "101", Label: "午饭"}}},
				core.Notice{EventMeta: meta(4), Level: "info", Text: "token refreshed"},
			},
			check: func(t *testing.T, b board) {
				if b.conn != core.ConnReconnecting || b.connErr != kicked || b.session.AgentID != "1001" ||
					len(b.breaks) != 1 || b.noticeText != "token refreshed" {
					t.Errorf("%+v", b)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.start
			resync := false
			for _, ev := range tt.events {
				resync = b.apply(ev) || resync
			}
			if resync != tt.resync {
				t.Errorf("resync %v, want %v", resync, tt.resync)
			}
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}

func TestBoardSnapshotIsACopy(t *testing.T) {
	b := board{calls: []core.Call{call("1", core.CallRinging)}, breaks: []core.BreakReason{{Code: "1"}}}
	s := b.snapshot()
	b.putCall(call("1", core.CallTalking))
	b.breaks[0].Code = "changed"
	if s.calls[0].State != core.CallRinging || s.breaks[0].Code != "1" {
		t.Error("the snapshot shares memory with the live board")
	}
}

func TestBoardFromStatusKeepsReasons(t *testing.T) {
	why := errors.New("network down")
	prev := board{conn: core.ConnReconnecting, connErr: why, noticeText: "hello"}
	b := boardFromStatus(core.Status{Seq: 7, LoggedIn: true, Connection: core.ConnReconnecting}).keep(prev)
	if b.connErr != why || b.noticeText != "hello" || b.seq != 7 {
		t.Errorf("%+v", b)
	}
	b = boardFromStatus(core.Status{Connection: core.ConnConnected}).keep(prev)
	if b.connErr != nil {
		t.Error("a reason for a connection state that has passed was kept")
	}
}

func TestStateChoices(t *testing.T) {
	all := core.Capabilities{AgentStates: []string{"ready", "busy", "break"}}
	tests := []struct {
		name string
		b    board
		lang string
		want []string
	}{
		{"offline offers nothing", board{caps: all}, "zh", nil},
		{"no break capability", board{loggedIn: true, caps: core.Capabilities{AgentStates: []string{"ready", "busy"}},
			breaks: []core.BreakReason{{Code: "1", Label: "午饭"}}}, "zh", []string{"空闲", "忙碌"}},
		{"break reasons", board{loggedIn: true, caps: all, breaks: []core.BreakReason{{Code: "1", Label: "午饭"}, {Code: "2"}}},
			"en", []string{"Ready", "Busy", "午饭", "Break"}},
		{"duplicate labels stay apart", board{loggedIn: true, caps: all, breaks: []core.BreakReason{{Code: "1", Label: "忙碌"}}},
			"zh", []string{"空闲", "忙碌", "忙碌 (1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range stateChoices(tt.b, tt.lang) {
				got = append(got, c.label)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("choices %q, want %q", got, tt.want)
			}
		})
	}
}
