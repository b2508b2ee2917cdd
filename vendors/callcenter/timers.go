package callcenter

import "time"

// timerSlot holds at most one pending timer. Scheduling again replaces it;
// a callback whose timer was replaced or stopped does nothing, so a late
// timer can never act on a newer state.
type timerSlot struct{ t Timer }

// schedule runs fn with the center locked after d, unless the slot is
// stopped or rescheduled first. Caller holds cc.mu.
func (cc *Center) schedule(slot *timerSlot, d time.Duration, fn func()) {
	slot.stop()
	var t Timer
	t = cc.clock.AfterFunc(d, func() {
		cc.mu.Lock()
		defer cc.mu.Unlock()
		if cc.closed || slot.t != t {
			return
		}
		slot.t = nil
		fn()
	})
	slot.t = t
}

// stop cancels the pending timer, if any.
func (s *timerSlot) stop() {
	if s.t != nil {
		s.t.Stop()
		s.t = nil
	}
}

// callTimer returns the call's named slot.
func (c *call) timer(name string) *timerSlot {
	if c.timers == nil {
		c.timers = map[string]*timerSlot{}
	}
	s, ok := c.timers[name]
	if !ok {
		s = &timerSlot{}
		c.timers[name] = s
	}
	return s
}

func (c *call) stopTimer(name string) {
	if s, ok := c.timers[name]; ok {
		s.stop()
	}
}

func (c *call) stopTimers() {
	for _, s := range c.timers {
		s.stop()
	}
}

// Timer names of a call.
const (
	tRing     = "ring"     // the offered agent rings
	tPatience = "patience" // the customer gives up waiting
	tOverflow = "overflow" // the queue's MaxWait
	tIVR      = "ivr"      // the current prompt ends
	tScript   = "script"   // the current script step ends
	tAnswer   = "answer"   // the outbound callee answers
	tConsult  = "consult"  // the consulted agent rings
	tMonitor  = "monitor"  // the supervisor's leg rings
	tCallback = "callback" // a placed call rings the agent's own device
	tOutside  = "outside"  // an outside callee rings
	// tOutsideScript: the outside callee's current script step ends.
	tOutsideScript = "outside-script"
)
