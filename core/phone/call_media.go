package phone

import (
	"context"
	"fmt"
	"net"
	"time"

	"agentbar/audio"
	"agentbar/core/media"
)

// openMedia binds the call's RTP session (before our SDP can name its port).
func (c *Call) openMedia() error {
	p := c.phone
	if p.usesWebRTC() {
		return c.openRTC()
	}
	sess, err := media.NewSession(media.Config{
		LocalIP: p.currentLocalIP(),
		PortMin: p.cfg.RTPPortMin,
		PortMax: p.cfg.RTPPortMax,
		Logger:  p.log.With("call", c.id),
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMediaFailed, err)
	}
	c.mu.Lock()
	c.sess = sess
	c.mu.Unlock()
	return nil
}

// localMediaLocked describes our stream for an SDP. c.mu is held.
func (c *Call) localMediaLocked(codecs []codecSpec, dtmfPT uint8, dir media.Direction, mirror *remoteMedia) localMedia {
	addr := c.sess.LocalAddr()
	ip := addr.IP.To4()
	if ip == nil || ip.IsUnspecified() {
		ip = c.phone.currentLocalIP()
	}
	l := localMedia{ip: ip, port: addr.Port, codecs: codecs, dtmfPT: dtmfPT, dir: dir, mirror: mirror}
	if mirror != nil {
		l.rtcpMux = mirror.rtcpMux
	}
	return l
}

// offerLocked is a full offer: every codec of the account, the running one
// first, and telephone-event. c.mu is held.
func (c *Call) offerLocked(dir media.Direction) ([]byte, error) {
	if c.rtc != nil {
		// A re-offer: the agreed SDP with a new direction, nothing to gather.
		return c.rtcOffer(c.phone.life, c.rtc, dir)
	}
	codecs := c.phone.cfg.codecs
	if c.codec.name != "" {
		codecs = preferFirst(codecs, c.codec.name)
	}
	return c.origin.next(c.localMediaLocked(codecs, telephoneEventPT, dir, nil))
}

// applyMediaLocked starts or updates the RTP session for what was agreed.
// dir is OUR direction. c.mu is held.
func (c *Call) applyMediaLocked(remote *remoteMedia, codec codecSpec, dir media.Direction) error {
	if c.sess == nil {
		return fmt.Errorf("%w: no RTP session", ErrMediaFailed)
	}
	ac, err := audio.CodecByName(codec.name)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMediaFailed, err)
	}
	p := media.Params{
		Remote:          &net.UDPAddr{IP: remote.ip, Port: remote.port},
		RemoteRTCP:      remote.rtcp,
		RTCPMux:         remote.rtcpMux,
		PayloadType:     codec.pt,
		Codec:           ac,
		DTMFPayloadType: remote.dtmfPT,
		Direction:       dir,
	}
	if remote.ip == nil {
		// c=0.0.0.0: nothing may be sent; keep the last address we knew.
		if c.params.Remote != nil {
			p.Remote = c.params.Remote
		} else {
			p.Remote = &net.UDPAddr{IP: net.IPv4zero, Port: remote.port}
		}
		if dir == media.SendRecv {
			p.Direction = media.RecvOnly
		} else if dir == media.SendOnly {
			p.Direction = media.Inactive
		}
	}
	if !c.running {
		inner, err := c.phone.newPort(ac.SampleRate())
		if err != nil {
			return fmt.Errorf("%w: audio port: %w", ErrMediaFailed, err)
		}
		port := &holdPort{Port: inner}
		port.held.Store(c.localHold)
		if err := c.sess.Start(p, port); err != nil {
			port.Close()
			return fmt.Errorf("%w: %w", ErrMediaFailed, err)
		}
		c.port = port
		c.running = true
		c.phone.goTracked(c.watchMedia)
	} else if err := c.sess.Update(p); err != nil {
		return fmt.Errorf("%w: %w", ErrMediaFailed, err)
	}
	c.codec, c.agreed, c.params = codec, dir, p
	return nil
}

func (p *Phone) newPort(rate int) (audio.Port, error) {
	if p.cfg.NewPort == nil {
		return newSilentPort(rate), nil
	}
	return p.cfg.NewPort(rate)
}

// qualityEvery is how often a call in progress reports CallQuality.
const qualityEvery = 5 * time.Second

// watchMedia forwards what the RTP session reports (RFC 4733 digits,
// quality) as events until the call ends.
func (c *Call) watchMedia() {
	c.mu.Lock()
	sess, rtc := c.sess, c.rtc
	c.mu.Unlock()
	every := qualityEvery
	if c.phone.hooks.qualityEvery > 0 {
		every = c.phone.hooks.qualityEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	var digits <-chan rune
	var failed <-chan struct{}
	stats := func() media.Quality { return media.Quality{} }
	switch {
	case rtc != nil:
		digits, failed, stats = rtc.DTMF(), rtc.Failed(), rtc.Stats
	case sess != nil:
		digits, stats = sess.DTMF(), sess.Stats
	}
	for {
		select {
		case <-c.ended:
			return
		case <-failed:
			// ICE or DTLS could not connect, or the connection was lost:
			// the call cannot carry audio, end it on both sides.
			// The call ends for this reason even when the other side's BYE
			// (its media failed too) crosses ours.
			reason := rtc.Err()
			c.phone.log.Warn("WebRTC media failed; hanging up", "call", c.id, "error", reason)
			c.end(reason)
			ctx, cancel := context.WithTimeout(c.phone.life, byeTimeout)
			if err := c.writeBye(ctx); err != nil {
				c.phone.log.Info("BYE not confirmed", "call", c.id, "error", err)
			}
			cancel()
			return
		case d, ok := <-digits:
			if !ok {
				digits = nil
				continue
			}
			c.mu.Lock()
			if c.state != Ended {
				c.phone.emit(DTMFReceived{Call: c, Digit: d})
			}
			c.mu.Unlock()
		case <-tick.C:
			q := stats()
			c.mu.Lock()
			if c.state != Ended {
				c.phone.emit(CallQuality{Call: c, Quality: q})
			}
			c.mu.Unlock()
		}
	}
}
