package callcenter

import (
	"slices"
	"sync"
	"time"
)

// FakeClock is a Clock that moves only when Advance is called. Timers that
// fall due run in the advancing goroutine, in order of their due time (then
// of creation), so a test that advances the clock sees every consequence
// before Advance returns. Safe for concurrent use.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    uint64
	timers []*fakeTimer
}

type fakeTimer struct {
	clock *FakeClock
	due   time.Time
	seq   uint64
	f     func()
	done  bool
}

// NewFakeClock starts a fake clock at start.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{now: start} }

// Now implements Clock.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc implements Clock. A zero or negative d is due at the next
// Advance (even Advance(0)).
func (c *FakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &fakeTimer{clock: c, due: c.now.Add(max(d, 0)), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Stop implements Timer.
func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	t.clock.timers = slices.DeleteFunc(t.clock.timers, func(x *fakeTimer) bool { return x == t })
	return true
}

// Advance moves the clock forward by d, running every timer that falls due
// on the way (timers created by those timers included) at its due time.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		next := c.nextDueLocked(end)
		if next == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		next.done = true
		c.timers = slices.DeleteFunc(c.timers, func(x *fakeTimer) bool { return x == next })
		if next.due.After(c.now) {
			c.now = next.due
		}
		c.mu.Unlock()
		next.f()
	}
}

// Pending is the number of timers not yet run or stopped.
func (c *FakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

func (c *FakeClock) nextDueLocked(end time.Time) *fakeTimer {
	var best *fakeTimer
	for _, t := range c.timers {
		if t.due.After(end) {
			continue
		}
		if best == nil || t.due.Before(best.due) || t.due.Equal(best.due) && t.seq < best.seq {
			best = t
		}
	}
	return best
}
