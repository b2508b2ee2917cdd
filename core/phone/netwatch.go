package phone

import (
	"context"
	"net"
	"slices"
	"strings"
	"time"
)

// Network watch: a laptop changes Wi-Fi, docks, sleeps. Polling the
// interface addresses every few seconds is portable and cheap; netlink
// would only save a few seconds of latency.
const (
	netPollEvery = 3 * time.Second
	// sleepJump is how far the wall clock may run ahead of the monotonic
	// clock (which stops while the machine sleeps) before we call it a wake-up.
	sleepJump = 5 * time.Second
)

// watchNetwork pokes the registration loop when the machine's addresses
// change or it wakes from sleep.
func (p *Phone) watchNetwork(ctx context.Context) {
	tick := p.hooks.netTick
	if tick == nil {
		t := time.NewTicker(netPollEvery)
		defer t.Stop()
		tick = t.C
	}
	addrs := p.hooks.interfaceAddrs
	if addrs == nil {
		addrs = net.InterfaceAddrs
	}
	wallNow := p.hooks.wallNow
	if wallNow == nil {
		wallNow = func() time.Time { return time.Now().Round(0) } // Round(0) drops the monotonic reading
	}
	last := addressFingerprint(addrs)
	prevWall, prevMono := wallNow(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		if fp := addressFingerprint(addrs); fp != last {
			last = fp
			p.rehome(ctx)
			p.poke("network changed")
		}
		nowWall, nowMono := wallNow(), time.Now()
		if nowWall.Sub(prevWall)-nowMono.Sub(prevMono) > sleepJump {
			p.poke("resumed from sleep")
		}
		prevWall, prevMono = nowWall, nowMono
	}
}

// addressFingerprint is the sorted list of the machine's addresses.
func addressFingerprint(addrs func() ([]net.Addr, error)) string {
	list, err := addrs()
	if err != nil {
		return "error: " + err.Error()
	}
	s := make([]string, 0, len(list))
	for _, a := range list {
		s = append(s, a.String())
	}
	slices.Sort(s)
	return strings.Join(s, ",")
}
