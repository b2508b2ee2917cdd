package phone

import (
	"context"
	"errors"
	"fmt"

	"agentbar/core/media"
	"agentbar/core/webrtc"
)

// WebRTC media (Config.Media = "webrtc"): the call's SDP comes from a
// core/webrtc session instead of our plain RTP SDP, and its audio flows
// through that session; everything else (dialogs, hold directions,
// DTMF by INFO, transfer, session timers) is the same code. The session
// never sees directions: we tell it the one we agreed (RFC 3264, direction.go).

// usesWebRTC tells the call's media mode.
func (p *Phone) usesWebRTC() bool { return p.cfg.Media == MediaWebRTC }

// openRTC creates the call's WebRTC session.
func (c *Call) openRTC() error {
	p := c.phone
	cfg := p.cfg.rtcConfig(p.log.With("call", c.id))
	if p.hooks.rtcConnectTimeout > 0 {
		cfg.ConnectTimeout = p.hooks.rtcConnectTimeout
	}
	sess, err := webrtc.NewSession(cfg)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMediaFailed, err)
	}
	c.mu.Lock()
	c.rtc = sess
	c.mu.Unlock()
	return nil
}

// rtcOffer is our offer (or re-offer) with direction dir.
func (c *Call) rtcOffer(ctx context.Context, rtc *webrtc.Session, dir media.Direction) ([]byte, error) {
	body, err := rtc.Offer(ctx, dir)
	if err != nil {
		return nil, rtcSDPError(err)
	}
	return c.phone.outgoingSDP(body), nil
}

// rtcAnswer answers the peer's offer, we wanting want; it returns our SDP
// and applies the agreed direction. c.mu is held (a re-offer is answered
// without gathering; a first answer gathers before the lock is taken, see
// answer).
func (c *Call) rtcAnswerLocked(ctx context.Context, offer []byte, want media.Direction) ([]byte, error) {
	offer = c.phone.incomingSDP(offer)
	remote, err := webrtc.InspectSDP(offer)
	if err != nil {
		return nil, rtcSDPError(err)
	}
	dir := agree(want, remote.Direction)
	body, _, err := c.rtc.Answer(ctx, offer, dir)
	if err != nil {
		return nil, rtcSDPError(err)
	}
	if err := c.applyRTCLocked(dir); err != nil {
		return nil, err
	}
	c.remoteHold = holdsUs(remote.Direction)
	return c.phone.outgoingSDP(body), nil
}

// rtcTakeAnswerLocked applies the peer's answer to our offer of want.
func (c *Call) rtcTakeAnswerLocked(answer []byte, want media.Direction) error {
	answer = c.phone.incomingSDP(answer)
	remote, err := c.rtc.AcceptAnswer(answer)
	if err != nil {
		return rtcSDPError(err)
	}
	if err := c.applyRTCLocked(agree(want, remote.Direction)); err != nil {
		return err
	}
	c.remoteHold = holdsUs(remote.Direction)
	return nil
}

// applyRTCLocked starts the call's audio on the first exchange and sets our
// direction on every one. c.mu is held.
func (c *Call) applyRTCLocked(dir media.Direction) error {
	c.rtc.SetDirection(dir)
	if !c.running {
		inner, err := c.phone.newPort(c.rtc.SampleRate())
		if err != nil {
			return fmt.Errorf("%w: audio port: %w", ErrMediaFailed, err)
		}
		port := &holdPort{Port: inner}
		port.held.Store(c.localHold)
		if err := c.rtc.Start(port); err != nil {
			port.Close()
			return fmt.Errorf("%w: %w", ErrMediaFailed, err)
		}
		c.port = port
		c.running = true
		c.phone.goTracked(c.watchMedia)
	}
	c.agreed = dir
	c.params.Direction = dir
	return nil
}

// inspectOffer checks an offer the way the account's media mode reads it:
// ErrNoCommonCodec (answered 488) or ErrMalformedSDP (400).
func (p *Phone) inspectOffer(body []byte) (*remoteMedia, error) {
	if p.usesWebRTC() {
		if _, err := webrtc.InspectSDP(body); err != nil {
			return nil, rtcSDPError(err)
		}
		return nil, nil
	}
	offer, err := parseSDP(body)
	if err != nil {
		return nil, err
	}
	if _, ok := chooseForAnswer(offer, p.cfg.codecs, ""); !ok {
		return nil, ErrNoCommonCodec
	}
	return offer, nil
}

// rtcSDPError maps the WebRTC session's SDP verdicts onto ours, keeping the
// detail: a plain RTP offer to a WebRTC account is a 488, as is one without
// a common codec.
func rtcSDPError(err error) error {
	switch {
	case errors.Is(err, webrtc.ErrNotWebRTC), errors.Is(err, webrtc.ErrNoCommonCodec):
		return fmt.Errorf("%w: %w", ErrNoCommonCodec, err)
	case errors.Is(err, webrtc.ErrMalformedSDP):
		return fmt.Errorf("%w: %w", ErrMalformedSDP, err)
	}
	return fmt.Errorf("%w: %w", ErrMediaFailed, err)
}

// incomingSDP is the hook for fault injection in tests.
func (p *Phone) incomingSDP(body []byte) []byte {
	if p.hooks.mangleRemoteSDP != nil {
		return p.hooks.mangleRemoteSDP(body)
	}
	return body
}

// outgoingSDP is the hook for fault injection in tests.
func (p *Phone) outgoingSDP(body []byte) []byte {
	if p.hooks.mangleLocalSDP != nil {
		return p.hooks.mangleLocalSDP(body)
	}
	return body
}

// rtcFirstAnswer is our SDP in the 200 to the INVITE: the answer to its
// offer (agreed direction from the offer's), or our offer when the INVITE
// had none. Not under c.mu: it gathers.
func (c *Call) rtcFirstAnswer() ([]byte, error) {
	if len(c.offerSDP) == 0 {
		return c.rtcOffer(c.phone.life, c.rtc, media.SendRecv)
	}
	offer := c.phone.incomingSDP(c.offerSDP)
	remote, err := webrtc.InspectSDP(offer)
	if err != nil {
		return nil, rtcSDPError(err)
	}
	body, _, err := c.rtc.Answer(c.phone.life, offer, agree(media.SendRecv, remote.Direction))
	if err != nil {
		return nil, rtcSDPError(err)
	}
	return c.phone.outgoingSDP(body), nil
}

// rtcAppliedFirstAnswerLocked starts the audio for the answer rtcFirstAnswer
// made. c.mu is held.
func (c *Call) rtcAppliedFirstAnswerLocked() error {
	remote, err := webrtc.InspectSDP(c.offerSDP)
	if err != nil {
		return rtcSDPError(err)
	}
	c.remoteHold = holdsUs(remote.Direction)
	return c.applyRTCLocked(agree(media.SendRecv, remote.Direction))
}
