package phone

import (
	"errors"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/core/media"
)

func (p *Phone) onReinvite(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	c.handleOffer(req, tx, false)
}

func (p *Phone) onUpdate(req *sip.Request, tx sip.ServerTransaction) {
	c := p.callFor(req)
	if c == nil {
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	c.handleOffer(req, tx, true)
}

// handleOffer answers a re-INVITE or UPDATE: hold or resume by the other
// side, a new address or codec, a session refresh. An offerless re-INVITE
// gets our offer in the 200 and its answer comes in the ACK.
func (c *Call) handleOffer(req *sip.Request, tx sip.ServerTransaction, update bool) {
	p := c.phone
	c.mu.Lock()
	dlg := c.dlg
	if dlg == nil || !c.establishedLocked() {
		c.mu.Unlock()
		p.respond(tx, req, 491, reasonPhrase(491), nil)
		return
	}
	if err := dlg.ReadRequest(req, tx); err != nil {
		c.mu.Unlock()
		p.respond(tx, req, 500, "CSeq out of order", nil, sip.NewHeader("Retry-After", "1"))
		return
	}
	if theirs := c.theirOffer; theirs != nil {
		// Their new offer means they ACKed the previous one, but sipgo
		// handles each message on its own goroutine: the ACK may still be
		// on its way to us. Give it a moment.
		c.mu.Unlock()
		t := time.NewTimer(sip.T1)
		select {
		case <-theirs:
		case <-t.C:
		}
		t.Stop()
		c.mu.Lock()
	}
	if c.state == Ended {
		c.mu.Unlock()
		p.respond(tx, req, 481, reasonPhrase(481), nil)
		return
	}
	if c.offerPending {
		// Glare: our own offer is out (RFC 3261 §14.2).
		c.mu.Unlock()
		p.respond(tx, req, 491, reasonPhrase(491), nil)
		return
	}
	localWant := wantedDirection(c.localHold, c.remoteHold)
	var body []byte
	offerless := len(req.Body()) == 0
	if !offerless && c.rtc != nil {
		want := media.SendRecv
		if c.localHold {
			want = media.SendOnly
		}
		var err error
		if !hasContentType(req, "application/sdp") {
			c.mu.Unlock()
			p.respond(tx, req, 415, reasonPhrase(415), nil, sip.NewHeader("Accept", "application/sdp"))
			return
		}
		if body, err = c.rtcAnswerLocked(p.life, req.Body(), want); err != nil {
			c.mu.Unlock()
			switch {
			case errors.Is(err, ErrNoCommonCodec):
				p.rejectOffer(tx, req, err)
			case errors.Is(err, ErrMalformedSDP):
				p.respond(tx, req, 400, "Bad SDP", nil)
			default:
				p.respond(tx, req, 500, reasonPhrase(500), nil)
			}
			return
		}
	} else if !offerless {
		offer, code, err := c.readOfferLocked(req)
		if err != nil {
			c.mu.Unlock()
			if code == 488 {
				p.rejectOffer(tx, req, err)
			} else {
				p.respond(tx, req, code, reasonPhrase(code), nil)
			}
			return
		}
		codec, _ := chooseForAnswer(offer, p.cfg.codecs, c.codec.name)
		want := media.SendRecv
		if c.localHold {
			want = media.SendOnly
		}
		dir := agree(want, offer.dir)
		body, err = c.origin.next(c.localMediaLocked([]codecSpec{codec}, offer.dtmfPT, dir, offer))
		if err == nil {
			err = c.applyMediaLocked(offer, codec, dir)
		}
		if err != nil {
			c.mu.Unlock()
			p.respond(tx, req, 500, reasonPhrase(500), nil)
			return
		}
		c.remoteHold = holdsUs(offer.dir)
	} else if !update {
		var err error
		if body, err = c.offerLocked(localWant); err != nil {
			c.mu.Unlock()
			p.respond(tx, req, 500, reasonPhrase(500), nil)
			return
		}
	}
	var acks chan *sip.Request
	var answered chan struct{}
	if !update {
		acks = make(chan *sip.Request, 1)
		c.ackWaiter = acks
		c.offerPending = true
		answered = make(chan struct{})
		c.theirOffer = answered
	}
	timerHeaders := c.sessionRefreshedLocked(req)
	c.setStateLocked(c.holdStateLocked())
	contact := p.currentContact()
	c.mu.Unlock()

	res := sip.NewResponseFromRequest(req, 200, "OK", body)
	res.AppendHeader(&contact)
	for _, h := range append(p.commonHeaders(), timerHeaders...) {
		res.AppendHeader(h)
	}
	if body != nil {
		res.AppendHeader(sdpContentType())
	}
	if err := tx.Respond(res); err != nil {
		p.log.Info("answer to re-INVITE not sent", "call", c.id, "error", err)
	}
	if update {
		return
	}
	ack := c.awaitAck(tx, res, acks)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ackWaiter = nil
	c.offerPending = false
	c.theirOffer = nil
	close(answered)
	if offerless && c.state != Ended {
		if err := c.takeAnswerLocked(ack, localWant); err != nil {
			p.log.Info("no usable answer in the ACK", "call", c.id, "error", err)
			return
		}
		c.setStateLocked(c.holdStateLocked())
	}
}

// readOfferLocked parses a mid-call offer; on failure it also gives the
// status to answer with.
func (c *Call) readOfferLocked(req *sip.Request) (*remoteMedia, int, error) {
	if !hasContentType(req, "application/sdp") {
		return nil, 415, errors.New("phone: offer is not application/sdp")
	}
	offer, err := parseSDP(req.Body())
	if err != nil {
		if errors.Is(err, ErrNoCommonCodec) {
			return nil, 488, err
		}
		return nil, 400, err
	}
	if _, ok := chooseForAnswer(offer, c.phone.cfg.codecs, c.codec.name); !ok {
		return nil, 488, ErrNoCommonCodec
	}
	return offer, 0, nil
}

// awaitAck waits for the ACK of our 2xx to a re-INVITE, retransmitting the
// 2xx over UDP (T1 doubling to T2, for 64*T1: RFC 3261 §13.3.1.4).
func (c *Call) awaitAck(tx sip.ServerTransaction, res *sip.Response, acks <-chan *sip.Request) *sip.Request {
	reliable := sip.IsReliable(res.Transport())
	interval := sip.T1
	retransmit := time.NewTimer(interval)
	defer retransmit.Stop()
	giveUp := time.NewTimer(64 * sip.T1)
	defer giveUp.Stop()
	for {
		select {
		case ack := <-acks:
			return ack
		case <-c.ended:
			return nil
		case <-giveUp.C:
			c.phone.log.Info("no ACK for our answer to a re-INVITE", "call", c.id)
			return nil
		case <-retransmit.C:
			if !reliable {
				if err := tx.Respond(res); err != nil {
					c.phone.log.Debug("2xx retransmission", "call", c.id, "error", err)
				}
			}
			interval = min(2*interval, sip.T2)
			retransmit.Reset(interval)
		}
	}
}

// currentContact is a copy of our Contact header.
func (p *Phone) currentContact() sip.ContactHeader {
	p.mu.Lock()
	defer p.mu.Unlock()
	return *p.contact.Clone()
}
