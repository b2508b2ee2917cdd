package emicsim

import (
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// seat is what the platform keeps of one extension while the front runs:
// its registration (sess), the calls it sees (views), the supervisor's
// monitor state and the events on their way to it. Guarded by Front.mu
// (the outbox has its own lock).
type seat struct {
	un   string
	sess *session // nil while not registered
	out  *outbox
	// views are the calls the seat takes part in, by center call.
	views map[callcenter.CallID]*view
	mon   monitorState
	// lastStatus is the last statusChanged sent (-1: none yet).
	lastStatus wire.SeatStatus
	// fetched: getUser succeeded, so webApiHandler may answer (the seed:
	// 50001 "localstorage.userData没有数据" otherwise).
	fetched bool
	// device is what getUser2 asked for, used when REGISTER does not say.
	callintype wire.CallInType
	number     string
	// reps are the group calls told to this supervisor (repCallStatus):
	// the end goes only where the start went.
	reps map[offerKey]bool
}

// session is one registration of a seat: one WebSocket.
type session struct {
	source     string // the socket the REGISTER came over
	gid        string
	callintype wire.CallInType
	number     string
	supervisor bool
	timer      *time.Timer // registration timeout (897)
	// announced: the first statusChanged after the registration was sent;
	// until then state changes are not told (the first one tells them).
	announced bool
}

// view is a call as one seat sees it.
type view struct {
	c        string
	n        string // the other party's number as the seat knows it (call()'s n)
	placed   bool   // the seat placed it (call command)
	internal bool   // placed to an extension or a group number (calltype 3)
	ringing  bool   // offered to the seat, not answered
	up       bool   // the seat's leg is answered
	upAt     time.Time
	talkAt   time.Time // both sides on the line (callTime counts from here)
	answered bool      // placed: the callee answered
	offered  bool      // placed internal: the callee extension rang
	monitor  bool      // the seat's leg is a supervisor's monitor leg
	ended    bool      // endPBXCall or cancelPBXCall sent
}

func newSeat(f *Front, un string) *seat {
	s := &seat{un: un, views: map[callcenter.CallID]*view{}, lastStatus: -1, reps: map[offerKey]bool{}}
	s.out = newOutbox(f, un)
	return s
}

// seatLocked finds or makes the seat of an extension. Caller holds f.mu.
func (f *Front) seatLocked(un string) *seat {
	s, ok := f.seats[un]
	if !ok {
		s = newSeat(f, un)
		f.seats[un] = s
	}
	return s
}
