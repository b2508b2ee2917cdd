package sipfront

import (
	"context"
	"sync"
	"time"

	"github.com/emiago/sipgo"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
)

type legState int

const (
	legRinging legState = iota // INVITE out (or in) and not answered
	legUp                      // answered, media running
	legEnded
)

// leg is one endpoint's SIP dialog in a call, with its media (RTP or
// WebRTC).
type leg struct {
	f         *Front
	call      callcenter.CallID
	agent     string
	sipCallID string
	transport string
	source    string // the endpoint's address (its socket over WS/WSS); guarded by f.mu
	inbound   bool   // the agent sent the INVITE (it dialled)
	offerSDP  []byte // inbound: the agent's offer
	webRTC    bool   // inbound: the agent's offer is WebRTC

	uac    *sipgo.DialogClientSession // we invited the agent
	uas    *sipgo.DialogServerSession // the agent invited us
	origin *sdpOrigin

	answer   chan struct{} // inbound: the center says answer now
	fail     chan int      // inbound: the center says fail with this status
	lost     chan struct{} // inbound, ringing: the agent's WebSocket closed
	lostOnce sync.Once
	done     chan struct{} // closed once the leg has ended

	mu         sync.Mutex
	state      legState
	ringCancel context.CancelCauseFunc
	media      legMedia
	port       *room.LegPort
	referred   bool        // the agent's REFER was accepted: it will BYE by itself
	socketGone bool        // the WebSocket the leg's dialog runs over closed
	grace      *time.Timer // an answered leg whose socket closed ends when it fires
	endOnce    sync.Once
	byeTimeout time.Duration
}

func newLeg(f *Front, call callcenter.CallID, agent, sipCallID, transport, source string) *leg {
	return &leg{f: f, call: call, agent: agent, sipCallID: sipCallID, transport: transport, source: source,
		origin: f.newOrigin(), answer: make(chan struct{}, 1), fail: make(chan int, 1), lost: make(chan struct{}),
		done: make(chan struct{}), byeTimeout: 5 * time.Second}
}

// key indexes legs by call and agent.
type partyKey struct {
	call  callcenter.CallID
	agent string
}

// addLeg makes a leg findable by its SIP Call-ID and by call and agent.
func (f *Front) addLeg(l *leg) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.legs[l.sipCallID] = l
	return true
}

func (f *Front) legBySIP(callID string) *leg {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.legs[callID]
}

func (f *Front) legOf(call callcenter.CallID, agent string) *leg {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.legs {
		// An agent's own INVITE is in the map before the center has named
		// its call: an agent dials one call at a time.
		if l.agent == agent && (l.call == call || l.call == "" && l.inbound) {
			return l
		}
	}
	return nil
}

func (f *Front) legsOfCall(call callcenter.CallID) []*leg {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*leg
	for _, l := range f.legs {
		if l.call == call {
			out = append(out, l)
		}
	}
	return out
}

// callID is the leg's call; an agent's own INVITE learns it from the
// center while its other requests may already arrive.
func (l *leg) callID() callcenter.CallID {
	l.f.mu.Lock()
	defer l.f.mu.Unlock()
	return l.call
}

func (l *leg) getState() legState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// openMedia prepares the leg's media (before its SDP is written): WebRTC
// or plain RTP.
func (l *leg) openMedia(webRTC bool) error {
	var m legMedia
	var err error
	if webRTC {
		m, err = newRTCMedia(l.f, l.agent)
	} else {
		m, err = newRTPMedia(l.f, l.origin)
	}
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.media = m
	l.mu.Unlock()
	return nil
}

// getMedia is the leg's media, nil before openMedia.
func (l *leg) getMedia() legMedia {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.media
}

// startMedia joins the call's room and starts the audio with the
// endpoint, once the first offer/answer exchange is done.
func (l *leg) startMedia() error {
	cm := l.f.media(l.call)
	if cm == nil {
		return ErrNoCall
	}
	port, _, err := cm.room.NewLegPort(l.agent)
	if err != nil {
		return err
	}
	l.mu.Lock()
	m := l.media
	l.port = port
	l.mu.Unlock()
	if err := m.start(port); err != nil {
		return err
	}
	cm.joined(l.f, l.agent)
	l.f.goTracked(func() {
		for d := range m.dtmf() {
			if err := l.f.cc.DTMF(l.call, l.agent, string(d)); err != nil {
				l.f.log.Debug("sipfront: DTMF", "call", l.call, "err", err)
			}
		}
	})
	if failed := m.failed(); failed != nil {
		l.f.goTracked(func() {
			select {
			case <-failed:
				l.mediaLost()
			case <-l.done:
			}
		})
	}
	return nil
}

// mediaLost ends an answered leg whose WebRTC connection broke: BYE, and
// the center hears the agent hung up.
func (l *leg) mediaLost() {
	if l.getState() != legUp {
		return
	}
	var why error
	if m, ok := l.getMedia().(*rtcMedia); ok {
		why = m.err()
	}
	l.f.log.Info("sipfront: media lost", "call", l.call, "agent", l.agent, "err", why)
	l.hangup("media lost")
	if err := l.f.cc.LegHangup(l.call, l.agent); err != nil {
		l.f.log.Debug("sipfront: hang-up after the center moved on", "call", l.call, "agent", l.agent, "err", err)
	}
}

// setUp marks the leg answered.
func (l *leg) setUp() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != legRinging {
		return false
	}
	l.state = legUp
	return true
}

// end releases the leg's media and forgets it. Safe to call many times.
func (l *leg) end() {
	l.endOnce.Do(func() {
		l.mu.Lock()
		l.state = legEnded
		m, port, cancel := l.media, l.port, l.ringCancel
		if l.grace != nil {
			l.grace.Stop()
		}
		l.mu.Unlock()
		if cancel != nil {
			cancel(nil)
		}
		if m != nil {
			m.close()
		}
		if port != nil {
			_ = port.Close()
			if cm := l.f.media(l.call); cm != nil {
				_ = cm.room.Leave(l.agent)
			}
		}
		l.f.mu.Lock()
		if l.f.legs[l.sipCallID] == l {
			delete(l.f.legs, l.sipCallID)
		}
		l.f.mu.Unlock()
		close(l.done)
	})
}

// hangup ends the leg because the center says so: CANCEL while it rings
// out, a failure status while the agent's own INVITE waits, BYE once up.
func (l *leg) hangup(reason string) {
	l.mu.Lock()
	state, cancel, referred := l.state, l.ringCancel, l.referred
	l.mu.Unlock()
	switch {
	case state == legEnded:
		return
	case state == legRinging && l.inbound:
		l.failWith(480)
		return
	case state == legRinging:
		if cancel != nil {
			cancel(nil) // WaitAnswer sends the CANCEL; ring() ends the leg
		}
		return
	}
	if referred {
		// The transferor hangs up itself after the final NOTIFY (RFC 5589).
		t := time.NewTimer(3 * time.Second)
		defer t.Stop()
		select {
		case <-l.done:
			return
		case <-t.C:
		case <-l.f.life.Done():
		}
	}
	l.mu.Lock()
	byeTimeout, gone := l.byeTimeout, l.socketGone
	l.mu.Unlock()
	if gone {
		// Its WebSocket is closed: no BYE can reach the endpoint.
		l.end()
		return
	}
	ctx, cancelBye := context.WithTimeout(context.Background(), byeTimeout)
	defer cancelBye()
	var err error
	switch {
	case l.uac != nil:
		err = l.uac.Bye(ctx)
	case l.uas != nil:
		err = l.uas.Bye(ctx)
	}
	if err != nil {
		l.f.log.Debug("sipfront: BYE", "call", l.call, "agent", l.agent, "reason", reason, "err", err)
	}
	l.end()
}

// abort ends the leg at once for a closing front: a ringing INVITE is
// given up without waiting for the endpoint's 487, an answered leg gets a
// BYE bounded by a short timeout.
func (l *leg) abort() {
	l.mu.Lock()
	state, cancel := l.state, l.ringCancel
	l.byeTimeout = time.Second
	l.mu.Unlock()
	if state == legRinging && !l.inbound && cancel != nil {
		cancel(sipgo.WaitAnswerForceCancelErr)
		return
	}
	l.hangup("front closed")
}

// failWith answers the agent's pending INVITE with status (inbound legs).
func (l *leg) failWith(status int) {
	select {
	case l.fail <- status:
	default:
	}
}

// remoteHangup: the endpoint hung up (BYE received and answered).
func (l *leg) remoteHangup() {
	state := l.getState()
	l.end()
	if state != legUp {
		return
	}
	if err := l.f.cc.LegHangup(l.call, l.agent); err != nil {
		l.f.log.Debug("sipfront: hang-up after the center moved on", "call", l.call, "agent", l.agent, "err", err)
	}
}
