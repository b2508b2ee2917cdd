package phone

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"agentbar/core/media"
	"agentbar/core/webrtc"
)

// CallDirection says who placed a call.
type CallDirection int

const (
	Inbound  CallDirection = iota // they called us
	Outbound                      // we called them
)

func (d CallDirection) String() string {
	if d == Outbound {
		return "Outbound"
	}
	return "Inbound"
}

// dialog is what a call needs from sipgo's client- or server-side dialog
// session; both satisfy it.
type dialog interface {
	Do(ctx context.Context, req *sip.Request) (*sip.Response, error)
	WriteRequest(req *sip.Request) error
	Bye(ctx context.Context) error
	Context() context.Context
	ReadRequest(req *sip.Request, tx sip.ServerTransaction) error
}

var (
	_ dialog = (*sipgo.DialogClientSession)(nil)
	_ dialog = (*sipgo.DialogServerSession)(nil)
)

// Call is one call of a Phone. Its methods are safe for concurrent use.
type Call struct {
	phone     *Phone
	id        string // SIP Call-ID
	direction CallDirection
	remote    string // the other side's URI
	display   string // the other side's display name

	ended chan struct{} // closed when the call is over
	// op serialises our in-dialog client transactions (re-INVITE, REFER,
	// INFO, NOTIFY...), which keeps CSeq order and ACKs right.
	op chan struct{}

	mu           sync.Mutex
	firstHeaders headerFields // of their INVITE (incoming) or their 2xx (outgoing); see Header
	state        CallState
	endReason    error
	localHold    bool
	remoteHold   bool
	offerPending bool          // an offer/answer exchange is in progress (ours or theirs)
	theirOffer   chan struct{} // while we answer their re-INVITE: closed when its ACK is in
	answering    bool          // Answer or Reject has taken the ringing call

	dlg       dialog
	uac       *sipgo.DialogClientSession // outgoing calls
	uas       *sipgo.DialogServerSession // incoming calls
	key       string                     // dialogKey once the dialog exists
	origin    *sdpOrigin
	ackWaiter chan *sip.Request // set while we wait for the ACK of our 2xx

	// outgoing, before the answer
	dialCancel context.CancelCauseFunc
	dialDone   chan struct{} // closed when Dial has returned
	// incoming, before the answer
	offer        *remoteMedia  // the INVITE's offer, plain RTP (nil: offerless INVITE, or WebRTC)
	offerSDP     []byte        // the INVITE's offer as received (empty: offerless INVITE)
	inviteDone   chan struct{} // closed once the INVITE has its final response
	cancelReason error         // from the CANCEL's Reason header

	// negotiated media
	codec   codecSpec
	agreed  media.Direction
	params  media.Params
	sess    *media.Session  // plain RTP media
	rtc     *webrtc.Session // WebRTC media (Config.Media "webrtc"); sess is then nil
	port    *holdPort
	running bool // sess.Start done

	timer       *sessionTimer
	transferCh  chan TransferProgress // set while a transfer we started is in progress
	transferred bool                  // a transfer of this call succeeded: its end is ErrTransferred
}

func newCall(p *Phone, dir CallDirection) *Call {
	return &Call{
		phone:     p,
		direction: dir,
		ended:     make(chan struct{}),
		op:        make(chan struct{}, 1),
		origin:    newSDPOrigin(),
		agreed:    media.SendRecv,
	}
}

// ID is the SIP Call-ID.
func (c *Call) ID() string { return c.id }

// Remote is the other side's SIP URI.
func (c *Call) Remote() string { return c.remote }

// RemoteDisplay is the other side's display name, "" when it sent none.
func (c *Call) RemoteDisplay() string { return c.display }

// Direction says who placed the call.
func (c *Call) Direction() CallDirection { return c.direction }

// State is where the call stands now.
func (c *Call) State() CallState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Done is closed when the call has ended; Err then says why.
func (c *Call) Done() <-chan struct{} { return c.ended }

// Err is why the call ended: nil while it goes on or when we ended it.
func (c *Call) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endReason
}

// Quality is the media report of the call so far (zero before media starts).
func (c *Call) Quality() media.Quality {
	c.mu.Lock()
	sess, rtc := c.sess, c.rtc
	c.mu.Unlock()
	switch {
	case rtc != nil:
		return rtc.Stats()
	case sess != nil:
		return sess.Stats()
	}
	return media.Quality{}
}

// FirstPacket is closed when the first RTP packet from the other side
// arrives (audio or DTMF); nil while the call has no media yet (an
// outgoing call before the answer, an incoming one before Answer).
func (c *Call) FirstPacket() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.rtc != nil && c.running:
		return c.rtc.FirstPacket()
	case c.sess != nil && c.running:
		return c.sess.FirstPacket()
	}
	return nil
}

// setStateLocked moves the call and reports it. c.mu is held.
func (c *Call) setStateLocked(s CallState) {
	if c.state == s || c.state == Ended {
		return
	}
	c.state = s
	c.phone.emit(CallStateChanged{Call: c, State: s})
}

// holdStateLocked is the state an established call is in given both holds.
func (c *Call) holdStateLocked() CallState {
	switch {
	case c.localHold:
		return Held
	case c.remoteHold:
		return RemoteHeld
	}
	return Talking
}

func (c *Call) establishedLocked() bool {
	switch c.state {
	case Talking, Held, RemoteHeld:
		return true
	}
	return false
}

// end finishes the call once: state Ended with reason, media closed, the
// phone forgets it. Safe to call from any goroutine, any number of times.
func (c *Call) end(reason error) {
	c.mu.Lock()
	if c.state == Ended {
		c.mu.Unlock()
		return
	}
	c.state = Ended
	c.endReason = reason
	sess, rtc, port := c.sess, c.rtc, c.port
	key := c.key
	c.phone.emit(CallStateChanged{Call: c, State: Ended, Reason: reason})
	close(c.ended)
	c.mu.Unlock()

	c.phone.removeCall(c, key)
	if sess != nil {
		if err := sess.Close(); err != nil {
			c.phone.log.Debug("closing media", "call", c.id, "error", err)
		}
	}
	if rtc != nil {
		if err := rtc.Close(); err != nil {
			c.phone.log.Debug("closing WebRTC media", "call", c.id, "error", err)
		}
	}
	if port != nil {
		port.Close()
	}
	c.phone.log.Info("call ended", "call", c.id, "reason", reason)
}

// lockOp takes the in-dialog transaction lock.
func (c *Call) lockOp(ctx context.Context) error {
	select {
	case c.op <- struct{}{}:
		return nil
	case <-c.ended:
		return ErrCallEnded
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Call) unlockOp() { <-c.op }

// newRequest starts an in-dialog request; the dialog session fills From,
// To, Call-ID, CSeq, Route and Contact.
func (c *Call) newRequest(method sip.RequestMethod, target sip.Uri) *sip.Request {
	req := sip.NewRequest(method, *target.Clone())
	req.AppendHeader(sip.NewHeader("User-Agent", c.phone.cfg.UserAgent))
	c.phone.fromListener(req)
	return req
}

// remoteTarget is where in-dialog requests go: the other side's Contact.
func (c *Call) remoteTarget() sip.Uri {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.uac != nil && c.uac.InviteResponse != nil {
		if ct := c.uac.InviteResponse.Contact(); ct != nil {
			return ct.Address
		}
		return c.uac.InviteRequest.Recipient
	}
	if c.uas != nil {
		if ct := c.uas.InviteRequest.Contact(); ct != nil {
			return ct.Address
		}
	}
	return sip.Uri{}
}

// send runs one in-dialog client transaction, answering a digest challenge
// once. The caller holds the op lock.
func (c *Call) send(ctx context.Context, req *sip.Request) (*sip.Response, error) {
	c.mu.Lock()
	dlg := c.dlg
	c.mu.Unlock()
	if dlg == nil {
		return nil, ErrWrongState
	}
	res, err := dlg.Do(ctx, req)
	if err != nil {
		return nil, transactionError(err)
	}
	if (res.StatusCode == 401 || res.StatusCode == 407) && c.phone.cfg.Password != "" {
		if err := c.phone.applyDigest(req, res); err != nil {
			return res, nil
		}
		req.RemoveHeader("Via")
		for req.RemoveHeader("Route") {
		}
		if res, err = dlg.Do(ctx, req); err != nil {
			return nil, transactionError(err)
		}
	}
	return res, nil
}

// transactionError maps sipgo's transaction failures to ours.
func transactionError(err error) error {
	if errors.Is(err, sip.ErrTransactionTimeout) {
		return fmt.Errorf("%w: %w", ErrNoResponse, err)
	}
	return err
}

// respond answers a request outside of a dialog session's helpers.
func (p *Phone) respond(tx sip.ServerTransaction, req *sip.Request, code int, reason string, body []byte, headers ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, body)
	for _, h := range headers {
		res.AppendHeader(h)
	}
	if err := tx.Respond(res); err != nil {
		p.log.Debug("responding failed", "request", req.StartLine(), "code", code, "error", err)
	}
}

// Hangup ends the call: CANCEL before an outgoing call is answered, a
// rejection (BusyCode) while an incoming call rings, BYE once talking. It
// returns when the call has ended or ctx is done.
func (c *Call) Hangup(ctx context.Context) error {
	c.mu.Lock()
	state := c.state
	cancelDial := c.dialCancel
	established := c.establishedLocked()
	c.mu.Unlock()
	switch {
	case state == Ended:
		return ErrCallEnded
	case c.direction == Inbound && state == Ringing:
		return c.Reject(ctx, 0)
	case !established && cancelDial != nil:
		cancelDial(ErrCanceled)
		select {
		case <-c.ended:
			return nil
		case <-c.dialDone:
			// The answer won the race against our CANCEL: hang up for real.
			return c.Hangup(ctx)
		case <-ctx.Done():
			return ctx.Err()
		}
	case !established:
		// An incoming call being answered: wait for the answer to settle, then BYE.
		select {
		case <-c.ended:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-c.inviteDone:
			return c.Hangup(ctx)
		}
	}
	return c.bye(ctx, nil)
}

// bye sends BYE and ends the call with reason.
func (c *Call) bye(ctx context.Context, reason error) error {
	c.mu.Lock()
	dlg := c.dlg
	c.mu.Unlock()
	var err error
	if dlg != nil {
		byeCtx, cancel := context.WithTimeout(ctx, byeTimeout)
		err = c.writeBye(byeCtx)
		cancel()
		if err != nil {
			c.phone.log.Info("BYE not confirmed", "call", c.id, "error", err)
		}
	}
	c.end(reason)
	// The call is over for us whatever the far end said.
	return nil
}

// writeBye is the dialog's Bye, from our listening socket.
func (c *Call) writeBye(ctx context.Context) error {
	c.mu.Lock()
	uac, uas := c.uac, c.uas
	c.mu.Unlock()
	bye := c.newRequest(sip.BYE, c.remoteTarget())
	switch {
	case uac != nil:
		bye.SetTransport(uac.InviteRequest.Transport())
		return uac.WriteBye(ctx, bye)
	case uas != nil:
		bye.SetTransport(uas.InviteRequest.Transport())
		return uas.WriteBye(ctx, bye)
	}
	return ErrWrongState
}

// byeTimeout caps how long a BYE waits for its 200: the call ends anyway.
const byeTimeout = 8 * time.Second

// closeForShutdown ends the call because the phone closes.
func (c *Call) closeForShutdown(ctx context.Context) {
	c.mu.Lock()
	state := c.state
	ringing := c.direction == Inbound && state == Ringing && !c.answering
	c.mu.Unlock()
	switch {
	case state == Ended:
		return
	case ringing:
		c.reject(ctx, 480, ErrClosed)
	default:
		c.mu.Lock()
		cancelDial := c.dialCancel
		established := c.establishedLocked()
		c.mu.Unlock()
		if !established && cancelDial != nil {
			cancelDial(ErrClosed)
			select {
			case <-c.ended:
				return
			case <-c.dialDone:
				if c.State() == Ended {
					return
				}
			case <-ctx.Done():
				c.end(ErrClosed)
				return
			}
		}
		c.bye(ctx, ErrClosed)
	}
}
