package callcenter

import (
	"sync"
	"time"
)

// Clock is the center's sense of time. Every timer of the model (ring
// timeouts, patience, wrap-up, arrivals, script steps) goes through it, so a
// test can run the model on a FakeClock it advances by hand, and a demo can
// run it faster with a ScaledClock.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine (or, for a FakeClock, in the
	// goroutine that advances it) once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface {
	// Stop prevents the call if it has not happened; it reports whether it
	// stopped it.
	Stop() bool
}

// RealClock is wall-clock time.
type RealClock struct{}

// Now implements Clock.
func (RealClock) Now() time.Time { return time.Now() }

// AfterFunc implements Clock.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// ScaledClock runs Factor times faster than the wall clock: with Factor 10 a
// 30 s ring timeout passes in 3 s. Now starts at the real time of the first
// call and advances Factor seconds per real second.
type ScaledClock struct {
	Factor float64

	once  sync.Once
	start time.Time
}

func (c *ScaledClock) origin() time.Time {
	c.once.Do(func() { c.start = time.Now() })
	return c.start
}

func (c *ScaledClock) factor() float64 {
	if c.Factor <= 0 {
		return 1
	}
	return c.Factor
}

// Now implements Clock.
func (c *ScaledClock) Now() time.Time {
	start := c.origin()
	return start.Add(time.Duration(float64(time.Since(start)) * c.factor()))
}

// AfterFunc implements Clock.
func (c *ScaledClock) AfterFunc(d time.Duration, f func()) Timer {
	c.origin()
	return time.AfterFunc(time.Duration(float64(d)/c.factor()), f)
}
