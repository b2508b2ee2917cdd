package phone

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/core/media"
)

// Hold puts the call on hold: a re-INVITE offering sendonly (inactive when
// the other side already holds us). The call is then Held.
func (c *Call) Hold(ctx context.Context) error { return c.setHold(ctx, true) }

// Resume takes the call off hold: a re-INVITE offering sendrecv.
func (c *Call) Resume(ctx context.Context) error { return c.setHold(ctx, false) }

func (c *Call) setHold(ctx context.Context, hold bool) error {
	if err := c.lockOp(ctx); err != nil {
		return err
	}
	defer c.unlockOp()
	c.mu.Lock()
	switch {
	case c.state == Ended:
		c.mu.Unlock()
		return ErrCallEnded
	case !c.establishedLocked():
		c.mu.Unlock()
		return ErrWrongState
	case c.localHold == hold:
		c.mu.Unlock()
		return nil
	}
	port := c.port
	c.mu.Unlock()
	if hold && port != nil {
		port.held.Store(true) // silent from now on, not from the answer on
	}
	err := c.reoffer(ctx, hold)
	if err != nil && port != nil {
		c.mu.Lock()
		port.held.Store(c.localHold)
		c.mu.Unlock()
	}
	return err
}

// wantedDirection is what we offer for our hold state (RFC 3264 §8.4).
func wantedDirection(hold, heldByThem bool) media.Direction {
	switch {
	case !hold:
		return media.SendRecv
	case heldByThem:
		return media.Inactive
	}
	return media.SendOnly
}

// glareRetries is how often a re-INVITE answered 491 is tried again.
const glareRetries = 2

// reoffer runs one offer/answer exchange by re-INVITE for hold state hold
// (also the session refresh). The caller holds the op lock.
func (c *Call) reoffer(ctx context.Context, hold bool) error {
	for attempt := 0; ; attempt++ {
		c.mu.Lock()
		if c.state == Ended {
			c.mu.Unlock()
			return ErrCallEnded
		}
		if theirs := c.theirOffer; theirs != nil {
			// We are answering their re-INVITE: ours goes once its ACK is in.
			c.mu.Unlock()
			select {
			case <-theirs:
			case <-c.ended:
				return ErrCallEnded
			case <-ctx.Done():
				return ctx.Err()
			}
			attempt--
			continue
		}
		want := wantedDirection(hold, c.remoteHold)
		body, err := c.offerLocked(want)
		if err != nil {
			c.mu.Unlock()
			return err
		}
		c.offerPending = true
		timerHeaders := c.refreshHeadersLocked()
		c.mu.Unlock()

		target := c.remoteTarget()
		req := c.newRequest(sip.INVITE, target)
		for _, h := range append(c.phone.commonHeaders()[:2], timerHeaders...) {
			req.AppendHeader(h)
		}
		req.AppendHeader(sdpContentType())
		req.SetBody(body)
		res, err := c.send(ctx, req)
		if err != nil {
			c.clearOfferPending()
			return err
		}
		if res.StatusCode == 491 && attempt < glareRetries {
			c.clearOfferPending()
			if err := c.glareWait(ctx); err != nil {
				return err
			}
			continue
		}
		if !res.IsSuccess() {
			c.clearOfferPending()
			if res.StatusCode == 491 {
				return ErrRequestPending
			}
			if res.StatusCode == 481 || res.StatusCode == 408 {
				// RFC 5057: the dialog is gone on the other side.
				c.end(&CallError{Code: res.StatusCode, Reason: res.Reason, Method: "INVITE"})
			}
			return &CallError{Code: res.StatusCode, Reason: res.Reason, Method: "INVITE"}
		}
		ack := c.newRequest(sip.ACK, target)
		c.mu.Lock()
		dlg := c.dlg
		c.mu.Unlock()
		if err := dlg.WriteRequest(ack); err != nil {
			c.phone.log.Warn("ACK of re-INVITE failed", "call", c.id, "error", err)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.offerPending = false
		if err := c.takeAnswerLocked(res, want); err != nil {
			return err
		}
		c.localHold = hold
		if c.port != nil {
			c.port.held.Store(hold)
		}
		c.setStateLocked(c.holdStateLocked())
		c.sessionTimerAnsweredLocked(res)
		return nil
	}
}

func (c *Call) clearOfferPending() {
	c.mu.Lock()
	c.offerPending = false
	c.mu.Unlock()
}

// glareWait is RFC 3261 §14.1's pause after a 491: 2.1-4 s when we placed
// the call (we own the Call-ID), 0-2 s otherwise.
func (c *Call) glareWait(ctx context.Context) error {
	c.phone.log.Info("glare: waiting before offering again", "call", c.id)
	d := time.Duration(rand.Int64N(int64(2 * time.Second)))
	if c.direction == Outbound {
		d = 2100*time.Millisecond + time.Duration(rand.Int64N(int64(1900*time.Millisecond)))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.ended:
		return ErrCallEnded
	case <-ctx.Done():
		return ctx.Err()
	}
}
