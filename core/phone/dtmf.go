package phone

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/emiago/sipgo/sip"
)

// DTMF timing: 160 ms tones with 80 ms between them, what IVRs accept.
const (
	dtmfDuration = 160 * time.Millisecond
	dtmfGap      = 80 * time.Millisecond
)

// SendDTMF sends digits (0-9 * # A-D) as RFC 4733 events, or as SIP INFO
// when the account says so or the other side did not negotiate
// telephone-event.
func (c *Call) SendDTMF(ctx context.Context, digits string) error {
	normalized := make([]rune, 0, len(digits))
	for _, r := range digits {
		r = unicode.ToUpper(r)
		if !validDigit(r) {
			return fmt.Errorf("%w: %q", ErrInvalidDigit, r)
		}
		normalized = append(normalized, r)
	}
	for i, d := range normalized {
		c.mu.Lock()
		if c.state == Ended {
			c.mu.Unlock()
			return ErrCallEnded
		}
		if !c.establishedLocked() {
			c.mu.Unlock()
			return ErrWrongState
		}
		sess, rtc := c.sess, c.rtc
		useInfo := c.phone.cfg.DTMFMode == DTMFInfo
		if rtc != nil {
			useInfo = useInfo || !rtc.CanSendDTMF()
		} else {
			useInfo = useInfo || c.params.DTMFPayloadType == 0
		}
		c.mu.Unlock()
		var err error
		switch {
		case useInfo:
			if err := c.sendInfoDigit(ctx, d); err != nil {
				return err
			}
		case rtc != nil:
			err = rtc.SendDTMF(d, dtmfDuration)
		default:
			err = sess.SendDTMF(d, dtmfDuration)
		}
		if err != nil {
			return fmt.Errorf("phone: DTMF %q: %w", d, err)
		}
		if i == len(normalized)-1 {
			break
		}
		// Session.SendDTMF returns once the tone is over; an INFO returns at
		// once while the far end plays the tone for its Duration.
		pause := dtmfGap
		if useInfo {
			pause += dtmfDuration
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-c.ended:
			t.Stop()
			return ErrCallEnded
		}
	}
	return nil
}

func validDigit(r rune) bool {
	return (r >= '0' && r <= '9') || r == '*' || r == '#' || (r >= 'A' && r <= 'D')
}

func (c *Call) sendInfoDigit(ctx context.Context, d rune) error {
	if err := c.lockOp(ctx); err != nil {
		return err
	}
	defer c.unlockOp()
	req := c.newRequest(sip.INFO, c.remoteTarget())
	req.AppendHeader(sip.NewHeader("Content-Type", "application/dtmf-relay"))
	req.SetBody([]byte(fmt.Sprintf("Signal=%c\r\nDuration=%d\r\n", d, dtmfDuration/time.Millisecond)))
	res, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	if !res.IsSuccess() {
		return &CallError{Code: res.StatusCode, Reason: res.Reason, Method: "INFO"}
	}
	return nil
}

// onInfo takes DTMF sent as SIP INFO (application/dtmf-relay, or
// application/dtmf with the bare digit).
func (p *Phone) onInfo(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	if len(req.Body()) == 0 {
		p.respond(tx, req, 200, "OK", nil) // an INFO keep-alive
		return
	}
	var digit rune
	switch {
	case hasContentType(req, "application/dtmf-relay"):
		digit = parseDTMFRelay(req.Body())
	case hasContentType(req, "application/dtmf"):
		digit = parseDTMFEventCode(strings.TrimSpace(string(req.Body())))
	default:
		p.respond(tx, req, 415, reasonPhrase(415), nil, sip.NewHeader("Accept", "application/dtmf-relay, application/dtmf"))
		return
	}
	if digit == 0 {
		p.respond(tx, req, 400, "Bad DTMF body", nil)
		return
	}
	p.respond(tx, req, 200, "OK", nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != Ended {
		p.emit(DTMFReceived{Call: c, Digit: digit})
	}
}

// parseDTMFRelay reads "Signal=5\r\nDuration=160"; 0 when there is no digit.
func parseDTMFRelay(body []byte) rune {
	for _, line := range strings.Split(string(body), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "signal") {
			continue
		}
		return parseDTMFEventCode(strings.TrimSpace(v))
	}
	return 0
}

// parseDTMFEventCode reads a digit, or its RFC 4733 event number (10 = *, 11 = #, 12-15 = A-D).
func parseDTMFEventCode(v string) rune {
	if len(v) == 1 {
		r := unicode.ToUpper(rune(v[0]))
		if validDigit(r) {
			return r
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 15 {
		return 0
	}
	return []rune("0123456789*#ABCD")[n]
}
