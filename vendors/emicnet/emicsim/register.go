package emicsim

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// Registration (docs/vendors/emicnet.md §3) through the SIP front's
// hooks: the digest is the SIP front's, the rest is the platform's.

// errRefused is a REGISTER the platform refuses; its text is the 403's
// reason phrase.
type errRefused string

func (e errRefused) Error() string { return string(e) }

// initialStatusDelay defers the first statusChanged after a registration
// a little: the SIP front signs the seat in just before it answers the
// REGISTER, and the seed has the online notice follow the register
// callback ("注册成功后马上").
const initialStatusDelay = 100 * time.Millisecond

// kickNoticeTimeout bounds the 895 notice to the seat a new sign-in takes.
const kickNoticeTimeout = time.Second

// onRegister is sipfront.Options.OnRegister: it runs for every REGISTER
// that binds or refreshes, after the digest, before the 200.
func (f *Front) onRegister(un string, req *sip.Request) error {
	to := req.To()
	if to == nil {
		return errRefused("Missing To")
	}
	sw := to.Address.Host
	gid := headerValue(req, wire.HeaderGid)
	ct := wire.CallInType(headerValue(req, wire.HeaderCallintype))
	number := headerValue(req, wire.HeaderNumber)

	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return errRefused("Closed")
	}
	e, a, ok := f.enterpriseOf(un)
	switch {
	case !ok || e.Switchnumber != sw:
		f.mu.Unlock()
		return errRefused("Unknown Enterprise")
	case e.Disabled:
		f.mu.Unlock()
		return errRefused("Enterprise Disabled")
	case f.disabled[un]:
		f.mu.Unlock()
		return errRefused("Account Disabled")
	}
	if gid != "" && gid != "0" {
		g, ok := f.group(e, gid)
		if !ok || !inGroup(a, f.queueSkills()[g.Queue]) {
			f.mu.Unlock()
			return errRefused("Not In Group " + gid)
		}
	}
	s := f.seatLocked(un)
	if ct == "" {
		ct, number = s.callintype, s.number
	}
	if ct == "" {
		ct = wire.CallInVoIP
	}
	if !ct.Valid() || (ct.NeedsNumber() && number == "") {
		f.mu.Unlock()
		return errRefused("Bad Callintype")
	}
	source := req.Source()
	if f.kickedSockets.has(source) {
		f.mu.Unlock()
		return errRefused("Signed In Elsewhere")
	}
	old := s.sess
	fresh := old == nil || old.source != source
	if fresh && old != nil && old.timer != nil {
		old.timer.Stop()
	}
	sess := old
	if fresh {
		sess = &session{source: source}
		s.sess = sess
	}
	sess.gid, sess.callintype, sess.number, sess.supervisor = gid, ct, number, a.Supervisor
	if sess.timer != nil {
		sess.timer.Stop()
	}
	timeout := time.Duration(float64(grantedExpiry(req, f.opts.MaxExpiry)) * registrationTimeout)
	sess.timer = time.AfterFunc(timeout, func() { f.registrationTimedOut(un, sess) })
	f.mu.Unlock()

	if fresh && old != nil && f.sip.Registered(un) {
		f.mu.Lock()
		f.kickedSockets.add(old.source)
		f.mu.Unlock()
		// Another sign-in takes the seat: the one there is told (895) over
		// its own socket, before the binding moves to the new one.
		ctx, cancel := context.WithTimeout(f.life, kickNoticeTimeout)
		err := f.sip.SendMessage(ctx, un, wire.ContentTypeEvent,
			wire.MustJSON(wire.NewEvent(wire.EventKickedOffLine, "", wire.KickedOffLineData{R: wire.KickOtherLogin})))
		cancel()
		f.log.Info("emicsim: seat taken by another sign-in (895)", "seat", un, "notice_err", err)
	}
	f.setDevice(un, ct, number)
	if fresh {
		time.AfterFunc(initialStatusDelay, func() { f.announceOnline(un, sess) })
	}
	return nil
}

// setDevice points the center at where the seat's calls ring.
func (f *Front) setDevice(un string, ct wire.CallInType, number string) {
	d := callcenter.Device{Kind: callcenter.DeviceFront}
	switch ct {
	case wire.CallInCallback:
		d = callcenter.Device{Kind: callcenter.DeviceCallback, Number: number, AnswerAfter: f.opts.CallbackAnswerAfter, Voice: f.deviceVoice(un)}
	case wire.CallInSIPPhone:
		d = callcenter.Device{Kind: callcenter.DeviceSIPPhone, Number: number, AnswerAfter: callcenter.AnswerWhenAsked, Voice: f.deviceVoice(un)}
	}
	if err := f.cc.SetAgentDevice(un, d); err != nil {
		// In a call (a registration refreshed mid-call): the device stays
		// as it is until the call is over and the seat registers again.
		f.log.Info("emicsim: device not changed", "seat", un, "callintype", ct, "err", err)
	}
}

func (f *Front) deviceVoice(un string) callcenter.Voice {
	if f.opts.DeviceVoice != nil {
		return f.opts.DeviceVoice(un)
	}
	return callcenter.Voice{ToneHz: defaultDeviceTone}
}

// announceOnline sends the first statusChanged of a registration: the
// seat's state (the one it returns to after a call when it is in one).
func (f *Front) announceOnline(un string, sess *session) {
	a, ok := f.cc.Agent(un)
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.seats[un]
	if !ok || s == nil || s.sess != sess || f.closed {
		return
	}
	sess.announced = true
	st, ok := seatStatus(a.State)
	if !ok {
		st, ok = seatStatus(a.Presence)
	}
	if !ok || st == wire.SeatOffline {
		st = wire.SeatIdle
	}
	s.lastStatus = st
	s.out.push(wire.NewEvent(wire.EventStatusChanged, "", wire.StatusData{Status: st}), nil)
}

// registrationTimedOut: the registration was not refreshed in time (897).
func (f *Front) registrationTimedOut(un string, sess *session) {
	f.mu.Lock()
	s := f.seats[un]
	current := s != nil && s.sess == sess && !f.closed
	f.mu.Unlock()
	if !current {
		return
	}
	f.log.Info("emicsim: registration timed out (897)", "seat", un)
	if err := f.cc.Kick(un, kickReason(wire.KickRegTimeout)); err != nil {
		f.log.Info("emicsim: kick", "seat", un, "err", err)
	}
}

// onUnregister is sipfront.Options.OnUnregister: the seat's binding went
// (logout, expiry, its socket closed, a kick).
func (f *Front) onUnregister(un string) {
	f.mu.Lock()
	s := f.seats[un]
	var ct wire.CallInType
	if s != nil && s.sess != nil {
		if s.sess.timer != nil {
			s.sess.timer.Stop()
		}
		ct = s.sess.callintype
		s.sess = nil
		s.lastStatus = -1
	}
	f.mu.Unlock()
	if ct == wire.CallInCallback || ct == wire.CallInSIPPhone {
		if err := f.cc.SetAgentDevice(un, callcenter.Device{Kind: callcenter.DeviceFront}); err != nil {
			f.log.Debug("emicsim: device kept", "seat", un, "err", err)
		}
	}
}

// kickPrefix marks the center kicks this front asked for, with their reason.
const kickPrefix = "emicnet:"

func kickReason(r wire.KickReason) string { return kickPrefix + strconv.Itoa(int(r)) }

// kickMessage is sipfront.Options.KickMessage: a kicked seat gets
// kickedOffLine with the reason the kick was made for; the center's own
// kicks (its kick knob: logged in elsewhere) are 895.
func (f *Front) kickMessage(un, reason string) (string, []byte) {
	r := wire.KickOtherLogin
	if code, ok := strings.CutPrefix(reason, kickPrefix); ok {
		if n, err := strconv.Atoi(code); err == nil {
			r = wire.KickReason(n)
		}
	}
	return wire.ContentTypeEvent, wire.MustJSON(wire.NewEvent(wire.EventKickedOffLine, "", wire.KickedOffLineData{R: r}))
}

// Kick signs a seat out with a kickedOffLine reason (895, 897, 898 or any
// other code).
func (f *Front) Kick(un string, r wire.KickReason) error {
	if !f.sip.Registered(un) {
		return fmt.Errorf("%w: %s", ErrNotSignedIn, un)
	}
	return f.cc.Kick(un, kickReason(r))
}

// grantedExpiry is the expiry the SIP front grants a REGISTER.
func grantedExpiry(req *sip.Request, maxExpiry time.Duration) time.Duration {
	secs := 3600
	if h := req.GetHeader("Expires"); h != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(h.Value())); err == nil {
			secs = n
		}
	}
	for _, h := range req.GetHeaders("Contact") {
		if c, ok := h.(*sip.ContactHeader); ok {
			if v, ok := c.Params.Get("expires"); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					secs = n
				}
			}
		}
	}
	return min(time.Duration(secs)*time.Second, maxExpiry)
}

func headerValue(req *sip.Request, name string) string {
	if h := req.GetHeader(name); h != nil {
		return strings.TrimSpace(h.Value())
	}
	return ""
}

var _ error = errRefused("")

// socketSet remembers the sockets whose seat another sign-in took (895):
// their REGISTERs are refused from then on, so that a client that keeps
// refreshing cannot take the seat back. Bounded: the oldest go first.
type socketSet struct {
	order []string
	set   map[string]bool
}

const maxKickedSockets = 1024

func (k *socketSet) add(source string) {
	if k.set == nil {
		k.set = map[string]bool{}
	}
	if k.set[source] {
		return
	}
	k.set[source] = true
	k.order = append(k.order, source)
	if len(k.order) > maxKickedSockets {
		delete(k.set, k.order[0])
		k.order = k.order[1:]
	}
}

func (k *socketSet) has(source string) bool { return k.set[source] }
