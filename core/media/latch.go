package media

import (
	"net/netip"
	"sync"
	"time"
)

// latch decides which source address a stream is accepted from (see the
// package comment for the rule) and where we therefore send.
type latch struct {
	mu           sync.Mutex
	relatchAfter time.Duration
	expected     netip.AddrPort // from SDP
	current      netip.AddrPort // where packets are accepted from, once latched
	latched      bool
	lastSeen     time.Time
}

func (l *latch) reset(expected netip.AddrPort) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expected, l.latched = expected, false
}

// accept reports whether a packet from `from` belongs to the stream, and
// whether the send address changed because of it.
func (l *latch) accept(from netip.AddrPort, now time.Time) (ok, moved bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.latched && from == l.current:
		l.lastSeen = now
		return true, false
	case !l.latched, now.Sub(l.lastSeen) >= l.relatchAfter:
		moved = from != l.target()
		l.current, l.latched, l.lastSeen = from, true, now
		return true, moved
	}
	return false, false
}

// target is where to send: the latched source, else the SDP address.
func (l *latch) target() netip.AddrPort {
	if l.latched {
		return l.current
	}
	return l.expected
}

// destination is target() under the lock.
func (l *latch) destination() netip.AddrPort {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.target()
}
