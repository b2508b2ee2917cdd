package phone

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Transfer hands the call to target (blind transfer, RFC 3515 REFER). It
// returns when the other side reports the outcome: nil once the target
// answered (our leg is then hung up and ends with ErrTransferred), an error
// wrapping ErrTransferFailed when it did not (the call goes on), or ctx's
// error. Progress also arrives as TransferProgress events.
func (c *Call) Transfer(ctx context.Context, target string) error {
	uri, err := parseTarget(target, c.phone.cfg.aor)
	if err != nil {
		return err
	}
	progress := make(chan TransferProgress, 16)
	c.mu.Lock()
	switch {
	case c.state == Ended:
		c.mu.Unlock()
		return ErrCallEnded
	case !c.establishedLocked() || c.transferCh != nil:
		c.mu.Unlock()
		return ErrWrongState
	}
	c.transferCh = progress
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.transferCh = nil
		c.mu.Unlock()
	}()

	if err := c.lockOp(ctx); err != nil {
		return err
	}
	req := c.newRequest(sip.REFER, c.remoteTarget())
	req.AppendHeader(sip.NewHeader("Refer-To", "<"+uri.String()+">"))
	req.AppendHeader(sip.NewHeader("Referred-By", "<"+addressOnly(c.phone.cfg.aor)+">"))
	res, err := c.send(ctx, req)
	c.unlockOp()
	if err != nil {
		return err
	}
	if !res.IsSuccess() {
		c.emitTransfer(TransferProgress{Call: c, Code: res.StatusCode, Reason: res.Reason, Final: true})
		return fmt.Errorf("%w: %w", ErrTransferFailed, &CallError{Code: res.StatusCode, Reason: res.Reason, Method: "REFER"})
	}
	c.emitTransfer(TransferProgress{Call: c, Code: res.StatusCode, Reason: res.Reason})

	for {
		select {
		case n := <-progress:
			if !n.Final {
				continue
			}
			if n.Code >= 200 && n.Code < 300 {
				c.bye(context.WithoutCancel(ctx), ErrTransferred)
				return nil
			}
			return fmt.Errorf("%w: %w", ErrTransferFailed, &CallError{Code: n.Code, Reason: n.Reason, Method: "REFER"})
		case <-c.ended:
			// The other side cleared our leg itself once it took the transfer.
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *Call) emitTransfer(tp TransferProgress) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != Ended {
		c.phone.emit(tp)
	}
}

// onNotify takes the progress of a transfer we asked for (RFC 3515 §2.4.4:
// message/sipfrag bodies such as "SIP/2.0 180 Ringing").
func (p *Phone) onNotify(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	event := ""
	if h := req.GetHeader("Event"); h != nil {
		event, _, _ = strings.Cut(strings.TrimSpace(h.Value()), ";")
	}
	if !strings.EqualFold(event, "refer") {
		p.respond(tx, req, 489, "Bad Event", nil)
		return
	}
	p.respond(tx, req, 200, "OK", nil)
	code, reason, ok := parseSipfrag(req.Body())
	terminated := false
	if h := req.GetHeader("Subscription-State"); h != nil {
		terminated = strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Value())), "terminated")
	}
	if !ok {
		if !terminated {
			return
		}
		code, reason = 500, "Subscription terminated without a final status"
	}
	tp := TransferProgress{Call: c, Code: code, Reason: reason, Final: code >= 200 || terminated}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == Ended {
		return
	}
	p.emit(tp)
	if tp.Final && code >= 200 && code < 300 {
		c.transferred = true
	}
	if c.transferCh != nil {
		select {
		case c.transferCh <- tp:
		default:
		}
	}
}

// parseSipfrag reads the status line of a message/sipfrag body.
func parseSipfrag(body []byte) (int, string, bool) {
	line, _, _ := bufio.NewReader(bytes.NewReader(body)).ReadLine()
	fields := strings.SplitN(strings.TrimSpace(string(line)), " ", 3)
	if len(fields) < 2 || !strings.HasPrefix(strings.ToUpper(fields[0]), "SIP/") {
		return 0, "", false
	}
	code, err := strconv.Atoi(fields[1])
	if err != nil || code < 100 || code > 699 {
		return 0, "", false
	}
	reason := ""
	if len(fields) == 3 {
		reason = fields[2]
	}
	return code, reason, true
}

// onRefer carries out a transfer the other side asks of us: 202, a new
// call to the Refer-To target, NOTIFYs of its progress, and on success our
// leg to the transferor is hung up.
func (p *Phone) onRefer(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	referTo := req.ReferTo()
	if referTo == nil || referTo.Address.Host == "" {
		p.respond(tx, req, 400, "Missing Refer-To", nil)
		return
	}
	c.mu.Lock()
	established := c.establishedLocked()
	c.mu.Unlock()
	if !established {
		p.respond(tx, req, 491, reasonPhrase(491), nil)
		return
	}
	target := referTo.Address
	target.Headers = nil // Replaces (attended transfer) is not supported: placed as a blind transfer
	p.respond(tx, req, 202, reasonPhrase(202), nil)
	c.mu.Lock()
	if c.state != Ended {
		p.emit(TransferRequested{Call: c, Target: target.String()})
	}
	c.mu.Unlock()
	var referredBy []sip.Header
	if h := req.GetHeader("Referred-By"); h != nil {
		referredBy = append(referredBy, sip.NewHeader("Referred-By", h.Value()))
	}
	p.goTracked(func() { c.carryOutTransfer(target, referredBy) })
}

// transferDialTimeout bounds the call we place for a transfer.
const transferDialTimeout = 60 * time.Second

func (c *Call) carryOutTransfer(target sip.Uri, extra []sip.Header) {
	c.notifyTransfer(100, "Trying", false)
	ctx, cancel := context.WithTimeout(c.phone.life, transferDialTimeout)
	defer cancel()
	_, err := c.phone.dial(ctx, target.String(), extra)
	if err != nil {
		code, reason := 503, "Service Unavailable"
		var ce *CallError
		if errors.As(err, &ce) {
			code, reason = ce.Code, ce.Reason
		} else if ctx.Err() != nil {
			code, reason = 408, "Request Timeout"
		}
		c.notifyTransfer(code, reason, true)
		c.emitTransfer(TransferProgress{Call: c, Code: code, Reason: reason, Final: true})
		return
	}
	c.mu.Lock()
	c.transferred = true
	c.mu.Unlock()
	c.notifyTransfer(200, "OK", true)
	c.emitTransfer(TransferProgress{Call: c, Code: 200, Reason: "OK", Final: true})
	// RFC 5589: the transferor hangs up once it has the final NOTIFY; give
	// it the chance, then clear the leg ourselves.
	t := time.NewTimer(transfereeByeGrace)
	defer t.Stop()
	select {
	case <-c.ended:
		return
	case <-t.C:
	}
	byeCtx, cancelBye := context.WithTimeout(context.Background(), byeTimeout)
	defer cancelBye()
	c.bye(byeCtx, ErrTransferred)
}

// transfereeByeGrace is how long we wait for the transferor's BYE.
const transfereeByeGrace = 2 * time.Second

// notifyTransfer tells the transferor how its REFER goes.
func (c *Call) notifyTransfer(code int, reason string, final bool) {
	ctx, cancel := context.WithTimeout(context.Background(), byeTimeout)
	defer cancel()
	if err := c.lockOp(ctx); err != nil {
		return
	}
	defer c.unlockOp()
	req := c.newRequest(sip.NOTIFY, c.remoteTarget())
	req.AppendHeader(sip.NewHeader("Event", "refer"))
	state := "active;expires=60"
	if final {
		state = "terminated;reason=noresource"
	}
	req.AppendHeader(sip.NewHeader("Subscription-State", state))
	req.AppendHeader(sip.NewHeader("Content-Type", "message/sipfrag;version=2.0"))
	req.SetBody([]byte(fmt.Sprintf("SIP/2.0 %d %s\r\n", code, reason)))
	res, err := c.send(ctx, req)
	if err != nil {
		c.phone.log.Info("NOTIFY of transfer progress failed", "call", c.id, "error", err)
		return
	}
	if !res.IsSuccess() {
		c.phone.log.Info("NOTIFY of transfer progress refused", "call", c.id, "status", res.StatusCode)
	}
}
