package sipfront

import (
	"context"
	"sync"
	"time"

	"github.com/emiago/sipgo"

	"agentbar/audio"
	"agentbar/core/media"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
)

type legState int

const (
	legRinging legState = iota // INVITE out (or in) and not answered
	legUp                      // answered, media running
	legEnded
)

// leg is one endpoint's SIP dialog in a call, with its RTP session.
type leg struct {
	f         *Front
	call      callcenter.CallID
	agent     string
	sipCallID string
	transport string
	inbound   bool // the agent sent the INVITE (it dialled)

	uac    *sipgo.DialogClientSession // we invited the agent
	uas    *sipgo.DialogServerSession // the agent invited us
	origin *sdpOrigin

	answer chan struct{} // inbound: the center says answer now
	fail   chan int      // inbound: the center says fail with this status
	done   chan struct{} // closed once the leg has ended

	mu         sync.Mutex
	state      legState
	ringCancel context.CancelCauseFunc
	sess       *media.Session
	port       *room.LegPort
	remote     *remoteSDP
	referred   bool // the agent's REFER was accepted: it will BYE by itself
	endOnce    sync.Once
	byeTimeout time.Duration
}

func newLeg(f *Front, call callcenter.CallID, agent, sipCallID, transport string) *leg {
	return &leg{f: f, call: call, agent: agent, sipCallID: sipCallID, transport: transport,
		origin: f.newOrigin(), answer: make(chan struct{}, 1), fail: make(chan int, 1),
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

func (l *leg) getState() legState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// openSession binds the leg's RTP socket (before the SDP is written).
func (l *leg) openSession() error {
	s, err := media.NewSession(media.Config{LocalIP: l.f.host, PortMin: l.f.opts.RTPPortMin,
		PortMax: l.f.opts.RTPPortMax, Logger: l.f.log,
		// G.711 only: packets of up to 60 ms, not the 1500 bytes a wide-band
		// codec may need (a call's buffer shrinks from ~200 KB to ~60 KB).
		JitterBuffer: audio.JitterBufferOptions{MaxPayload: 480}})
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.sess = s
	l.mu.Unlock()
	return nil
}

// startMedia joins the call's room and starts RTP with the endpoint.
func (l *leg) startMedia(remote *remoteSDP) error {
	cm := l.f.media(l.call)
	if cm == nil {
		return ErrNoCall
	}
	port, _, err := cm.room.NewLegPort(l.agent)
	if err != nil {
		return err
	}
	l.mu.Lock()
	sess := l.sess
	l.port, l.remote = port, remote
	l.mu.Unlock()
	if err := sess.Start(remote.params(), port); err != nil {
		return err
	}
	cm.joined(l.f, l.agent)
	l.f.goTracked(func() {
		for d := range sess.DTMF() {
			if err := l.f.cc.DTMF(l.call, l.agent, string(d)); err != nil {
				l.f.log.Debug("sipfront: DTMF", "call", l.call, "err", err)
			}
		}
	})
	return nil
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
		sess, port, cancel := l.sess, l.port, l.ringCancel
		l.mu.Unlock()
		if cancel != nil {
			cancel(nil)
		}
		if sess != nil {
			_ = sess.Close()
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
	byeTimeout := l.byeTimeout
	l.mu.Unlock()
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
