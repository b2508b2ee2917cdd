package phone

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// minSessionExpires is RFC 4028's floor and the Min-SE we ask for.
const minSessionExpires = 90 * time.Second

// sessionTimer is a call's RFC 4028 session timer.
type sessionTimer struct {
	interval  time.Duration
	weRefresh bool
	kick      chan struct{} // a refresh happened or the settings changed
}

// parseSessionExpires reads "1800;refresher=uac".
func parseSessionExpires(v string) (time.Duration, string, bool) {
	parts := strings.Split(v, ";")
	n, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || n <= 0 || n > maxDeltaSeconds {
		return 0, "", false
	}
	refresher := ""
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "refresher") {
			refresher = strings.ToLower(strings.TrimSpace(val))
		}
	}
	return time.Duration(n) * time.Second, refresher, true
}

func parseMinSE(res *sip.Response) (time.Duration, bool) {
	h := res.GetHeader("Min-SE")
	if h == nil {
		return 0, false
	}
	d, _, ok := parseSessionExpires(h.Value())
	return d, ok && d >= minSessionExpires
}

func supportsTimer(msg interface{ GetHeaders(string) []sip.Header }) bool {
	for _, h := range msg.GetHeaders("Supported") {
		for _, opt := range strings.Split(h.Value(), ",") {
			if strings.EqualFold(strings.TrimSpace(opt), "timer") {
				return true
			}
		}
	}
	return false
}

// sessionIntervalAcceptable refuses (422) an INVITE asking for an interval
// below our minimum.
func (p *Phone) sessionIntervalAcceptable(tx sip.ServerTransaction, req *sip.Request) bool {
	h := req.GetHeader("Session-Expires")
	if h == nil {
		return true
	}
	if d, _, ok := parseSessionExpires(h.Value()); ok && d < minSessionExpires {
		p.respond(tx, req, 422, reasonPhrase(422), nil,
			sip.NewHeader("Min-SE", strconv.Itoa(int(minSessionExpires/time.Second))))
		return false
	}
	return true
}

// sessionHeaders says interval and refresher in a response; Require: timer
// when the other side (the UAC of this transaction) must refresh.
func sessionHeaders(interval time.Duration, refresher string) []sip.Header {
	h := []sip.Header{sip.NewHeader("Session-Expires", strconv.Itoa(int(interval/time.Second))+";refresher="+refresher)}
	if refresher == "uac" {
		h = append(h, sip.NewHeader("Require", "timer"))
	}
	return h
}

// acceptSessionTimerLocked settles the timer for an incoming INVITE we
// answer (we are its UAS) and gives the headers for our 200. c.mu is held.
func (c *Call) acceptSessionTimerLocked(req *sip.Request) []sip.Header {
	interval, refresher := time.Duration(0), ""
	if h := req.GetHeader("Session-Expires"); h != nil {
		var ok bool
		if interval, refresher, ok = parseSessionExpires(h.Value()); !ok {
			return nil
		}
		if refresher != "uac" && refresher != "uas" {
			// RFC 4028 §9: the UAS picks; the caller refreshes when it can.
			refresher = "uas"
			if supportsTimer(req) {
				refresher = "uac"
			}
		}
	} else if c.phone.cfg.SessionExpires > 0 {
		interval, refresher = c.phone.cfg.SessionExpires, "uas"
	} else {
		return nil
	}
	c.setSessionTimerLocked(interval, refresher == "uas")
	return sessionHeaders(interval, refresher)
}

// startSessionTimerLocked reads the 2xx to our INVITE (we are its UAC).
func (c *Call) startSessionTimerLocked(h sip.Header, weAreUAC bool) {
	if h == nil {
		return
	}
	interval, refresher, ok := parseSessionExpires(h.Value())
	if !ok {
		return
	}
	if refresher == "" {
		refresher = "uac"
	}
	c.setSessionTimerLocked(interval, (refresher == "uac") == weAreUAC)
}

// sessionTimerAnsweredLocked follows the 2xx to a re-INVITE we sent.
func (c *Call) sessionTimerAnsweredLocked(res *sip.Response) {
	if h := res.GetHeader("Session-Expires"); h != nil {
		c.startSessionTimerLocked(h, true)
	} else if c.timer != nil {
		c.kickSessionTimerLocked()
	}
}

// sessionRefreshedLocked handles a re-INVITE or UPDATE from the other side
// (we are its UAS): it refreshes the session; returns our 200's headers.
func (c *Call) sessionRefreshedLocked(req *sip.Request) []sip.Header {
	h := req.GetHeader("Session-Expires")
	if h == nil {
		if c.timer != nil {
			c.kickSessionTimerLocked()
		}
		return nil
	}
	interval, refresher, ok := parseSessionExpires(h.Value())
	if !ok {
		return nil
	}
	if refresher != "uac" && refresher != "uas" {
		refresher = "uac"
	}
	c.setSessionTimerLocked(interval, refresher == "uas")
	return sessionHeaders(interval, refresher)
}

// refreshHeadersLocked are the Session-Expires of a re-INVITE we send while
// a timer runs: whoever refreshed goes on refreshing.
func (c *Call) refreshHeadersLocked() []sip.Header {
	if c.timer == nil {
		return nil
	}
	refresher := "uas"
	if c.timer.weRefresh {
		refresher = "uac"
	}
	return []sip.Header{sip.NewHeader("Session-Expires", strconv.Itoa(int(c.timer.interval/time.Second))+";refresher="+refresher)}
}

func (c *Call) setSessionTimerLocked(interval time.Duration, weRefresh bool) {
	if interval < minSessionExpires {
		interval = minSessionExpires
	}
	if c.timer == nil {
		c.timer = &sessionTimer{interval: interval, weRefresh: weRefresh, kick: make(chan struct{}, 1)}
		c.phone.goTracked(c.runSessionTimer)
		return
	}
	c.timer.interval, c.timer.weRefresh = interval, weRefresh
	c.kickSessionTimerLocked()
}

func (c *Call) kickSessionTimerLocked() {
	select {
	case c.timer.kick <- struct{}{}:
	default:
	}
}

// runSessionTimer refreshes at half the interval when we are the
// refresher, and ends the call when the other side should have refreshed
// and did not (RFC 4028 §10).
func (c *Call) runSessionTimer() {
	for {
		c.mu.Lock()
		t := c.timer
		interval, weRefresh := t.interval, t.weRefresh
		c.mu.Unlock()
		wait := interval / 2
		if !weRefresh {
			wait = interval - min(32*time.Second, interval/3)
		}
		if scale := c.phone.hooks.sessionTimerScale; scale > 0 {
			wait = time.Duration(float64(wait) * scale)
		}
		timer := time.NewTimer(wait)
		select {
		case <-c.ended:
			timer.Stop()
			return
		case <-t.kick:
			timer.Stop()
			continue
		case <-timer.C:
		}
		if !weRefresh {
			c.phone.log.Info("session expired without a refresh", "call", c.id)
			c.bye(context.Background(), ErrSessionExpired)
			return
		}
		if c.phone.hooks.skipRefresh {
			continue
		}
		if err := c.refreshSession(interval); err != nil {
			c.phone.log.Warn("session refresh failed", "call", c.id, "error", err)
		}
	}
}

// refreshSession is our refresh: a re-INVITE repeating the current SDP.
func (c *Call) refreshSession(interval time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), interval/4)
	defer cancel()
	if err := c.lockOp(ctx); err != nil {
		return err
	}
	defer c.unlockOp()
	c.mu.Lock()
	hold := c.localHold
	c.mu.Unlock()
	return c.reoffer(ctx, hold)
}
