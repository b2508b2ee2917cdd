package sipfront

import (
	"time"

	"github.com/emiago/sipgo"
)

// An agent registered over WS or WSS is bound to its socket. When the
// socket closes (the client went away, the Drop fault, a restart):
//
//   - the binding goes at once (the agent is signed out as after an
//     expiry; OnUnregister hears of it);
//   - an offer still ringing there fails as unreachable, and the agent's
//     own call still ringing out is given up;
//   - an answered call keeps its media (it never went through the socket)
//     for Options.WSGrace: an agent that registers again in time, over a
//     new socket, keeps the call, whose in-dialog requests (BYE, NOTIFY)
//     then go over the new socket. After the grace the leg is hung up for
//     the agent. A WebRTC leg whose peer is really gone ends sooner: ICE
//     consent fails after about 15 s (media lost).

// socketClosed hears from the WebSocket listener that a connection closed.
// sipgo calls it with its pool's lock held: the work runs elsewhere.
func (f *Front) socketClosed(network, raddr string) {
	f.goTracked(func() { f.socketLost(network, raddr) })
}

// socketLost applies the rules above to whatever ran over the socket.
func (f *Front) socketLost(network, raddr string) {
	f.mu.Lock()
	var agent string
	var bound *binding
	for id, b := range f.bindings {
		if b.transport == network && b.source == raddr {
			agent, bound = id, b
		}
	}
	var legs []*leg
	for _, l := range f.legs {
		if l.transport == network && l.source == raddr {
			legs = append(legs, l)
		}
	}
	f.mu.Unlock()
	if bound != nil && f.removeBinding(agent, bound, "connection lost") {
		f.log.Info("sipfront: WebSocket closed: binding removed", "agent", agent, "socket", raddr)
	}
	for _, l := range legs {
		l.socketLost()
	}
	f.mu.Lock()
	hook := f.socketDone
	f.mu.Unlock()
	if hook != nil {
		hook(network, raddr)
	}
}

// socketLost: the WebSocket this leg's dialog runs over closed.
func (l *leg) socketLost() {
	l.mu.Lock()
	state, cancel := l.state, l.ringCancel
	if state != legEnded {
		l.socketGone = true
	}
	l.mu.Unlock()
	switch {
	case state == legEnded:
	case state == legRinging && l.inbound:
		l.lostOnce.Do(func() { close(l.lost) })
	case state == legRinging:
		if cancel != nil {
			// No CANCEL can reach the endpoint: give the INVITE up now.
			cancel(sipgo.WaitAnswerForceCancelErr)
		}
	default:
		l.startGrace()
	}
}

// startGrace gives an answered leg whose socket closed Options.WSGrace to
// come back.
func (l *leg) startGrace() {
	grace := l.f.opts.WSGrace
	if grace < 0 {
		grace = 0
	}
	l.f.log.Info("sipfront: WebSocket closed during a call; waiting for the agent", "call", l.call, "agent", l.agent, "grace", grace)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.grace != nil {
		l.grace.Stop()
	}
	l.grace = time.AfterFunc(grace, func() { l.f.goTracked(l.abandon) })
}

// abandon ends a leg whose agent did not come back within the grace: no
// BYE can reach it; the center hears the agent hung up.
func (l *leg) abandon() {
	l.mu.Lock()
	gone, state := l.socketGone, l.state
	l.mu.Unlock()
	if !gone || state != legUp {
		return
	}
	l.f.log.Info("sipfront: the agent did not come back; call leg ended", "call", l.call, "agent", l.agent)
	l.end()
	if err := l.f.cc.LegHangup(l.call, l.agent); err != nil {
		l.f.log.Debug("sipfront: hang-up after the center moved on", "call", l.call, "agent", l.agent, "err", err)
	}
}

// retarget moves the answered calls of an agent that registered over a new
// WebSocket onto it.
func (f *Front) retarget(b *binding) {
	if !isWebSocket(b.transport) {
		return
	}
	f.mu.Lock()
	var moved []*leg
	for _, l := range f.legs {
		if l.agent == b.agent && l.transport == b.transport && l.source != b.source && l.getState() == legUp {
			l.source = b.source
			moved = append(moved, l)
		}
	}
	f.mu.Unlock()
	for _, l := range moved {
		l.moveTo(b.source)
	}
}

// moveTo makes the leg's in-dialog requests go to source: sipgo sends them
// where the dialog's messages came from (DialogUA.RewriteContact), so that
// is what changes. Our own requests in the dialog read it after taking
// l.mu.
func (l *leg) moveTo(source string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.socketGone = false
	if l.grace != nil {
		l.grace.Stop()
		l.grace = nil
	}
	switch {
	case l.uac != nil && l.uac.InviteResponse != nil:
		l.uac.InviteResponse.SetSource(source)
	case l.uas != nil:
		l.uas.InviteRequest.SetSource(source)
	}
	l.f.log.Info("sipfront: call continues over the agent's new WebSocket", "call", l.call, "agent", l.agent, "socket", source)
}
