package core

import (
	"context"
	"slices"
	"time"
)

// state is everything the loop owns. Only loop code touches it.
type state struct {
	seq  uint64
	subs []*Subscription

	// gen numbers sessions; a sink from an older session is ignored.
	gen      uint64
	vendor   Vendor
	info     Info
	account  string
	starting bool // Login in progress

	conn       ConnState
	connErr    error
	media      MediaUpdate
	session    SessionUpdate
	agent      AgentState
	agentSince time.Time
	caps       Capabilities
	breaks     []BreakReason
	agents     map[string]AgentInfo

	calls      map[CallID]*callEntry
	order      []CallID // active calls, oldest first
	byPlatform map[string]CallID
}

// callEntry is a call plus what only the engine needs to know about it.
type callEntry struct {
	Call
	localEnd   EndReason          // set when the agent asked to end it
	dialCancel context.CancelFunc // outbound: cancels the Dial request in flight
	authority  *ActionSet         // the platform's own allowed-now flags
	located    bool               // offline location lookup done
}

func (s *state) init(now time.Time) {
	s.agent = OfflineState()
	s.agentSince = now
	s.calls = map[CallID]*callEntry{}
	s.byPlatform = map[string]CallID{}
	s.agents = map[string]AgentInfo{}
}

// resetSession forgets the session; the caller has ended its calls.
func (s *state) resetSession() {
	s.gen++
	s.vendor = nil
	s.info = Info{}
	s.account = ""
	s.starting = false
	s.conn = ConnOffline
	s.media = MediaUpdate{}
	s.session = SessionUpdate{}
	s.caps = Capabilities{}
	s.breaks = nil
	s.agents = map[string]AgentInfo{}
	s.calls = map[CallID]*callEntry{}
	s.order = nil
	s.byPlatform = map[string]CallID{}
}

func (s *state) activeCalls() []Call {
	out := make([]Call, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.calls[id].clone())
	}
	return out
}

// resolve finds the call a command is about. An empty id means "the current
// call" for that action: the oldest ringing call for answer and reject,
// otherwise the call in conversation, else the newest active one.
func (s *state) resolve(id CallID, a Action) (*callEntry, error) {
	if id != "" {
		c, ok := s.calls[id]
		if !ok {
			return nil, ErrNoSuchCall
		}
		return c, nil
	}
	if len(s.order) == 0 {
		return nil, ErrNoSuchCall
	}
	if a == ActAnswer || a == ActReject {
		for _, cid := range s.order {
			if s.calls[cid].State == CallRinging {
				return s.calls[cid], nil
			}
		}
	}
	for _, want := range []CallState{CallTalking, CallConsulting, CallConference, CallDialing, CallRemoteRinging, CallHeld, CallRinging} {
		for i := len(s.order) - 1; i >= 0; i-- {
			if c := s.calls[s.order[i]]; c.State == want {
				return c, nil
			}
		}
	}
	return s.calls[s.order[len(s.order)-1]], nil
}

func (s *state) removeCall(id CallID) {
	c, ok := s.calls[id]
	if !ok {
		return
	}
	delete(s.calls, id)
	if c.PlatformCallID != "" && s.byPlatform[c.PlatformCallID] == id {
		delete(s.byPlatform, c.PlatformCallID)
	}
	s.order = slices.DeleteFunc(s.order, func(x CallID) bool { return x == id })
}
