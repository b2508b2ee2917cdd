package emicnet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// Login fetches the seat's data (getUser, or getUser2 for the callback and
// SIP phones), then registers the SIP user agent over the WebSocket with
// the X-Emic headers (init + register). It returns once REGISTER is
// answered: 200 signs in; the seat's state follows with statusChanged.
func (a *Adapter) Login(ctx context.Context, sink core.Sink) error {
	a.sink = sink
	a.life, a.cancel = context.WithCancel(context.Background())
	user, err := a.fetchUser(ctx)
	if err != nil {
		_ = a.shutdown(context.Background())
		return err
	}
	gid := a.acct.gid
	if gid == "" {
		gid = "0" // the seed: 如果不在任何技能组填0
		if len(user.InGroups) > 0 {
			gid = string(user.InGroups[0].ID)
		}
	}
	a.mu.Lock()
	a.user, a.gid = user, gid
	a.supervisor = a.acct.supervisor || bool(user.UserData.Supervisor)
	supervisor := a.supervisor
	a.mu.Unlock()
	if err := a.startPhone(ctx, gid); err != nil {
		_ = a.shutdown(context.Background())
		return err
	}
	groups := make([]string, 0, len(user.InGroups))
	for _, g := range user.InGroups {
		groups = append(groups, g.Name)
	}
	a.report(core.SessionUpdate{AgentID: a.acct.un, DisplayName: user.UserData.Displayname, Extension: a.acct.un,
		Groups: groups, IsSupervisor: supervisor})
	a.report(core.ConnectionUpdate{State: core.ConnConnected})
	if !a.voip() {
		a.report(core.MediaUpdate{Registered: false, Detail: fmt.Sprintf("来电振铃：%s %s", callinLabel(a.acct.callintype, "zh"), a.acct.number)})
	}
	if supervisor {
		a.wg.Add(1)
		go a.pollWall()
	}
	return nil
}

// startPhone starts the SIP user agent over WSS and waits for the first
// REGISTER's answer (RegisterWait).
func (a *Adapter) startPhone(ctx context.Context, gid string) error {
	headers := map[string]string{wire.HeaderGid: gid, wire.HeaderCallintype: string(a.acct.callintype)}
	if a.acct.callintype.NeedsNumber() {
		headers[wire.HeaderNumber] = a.acct.number
	}
	cfg := phone.Config{
		URI: wire.AOR(a.acct.un, a.acct.switchnumber), Password: a.acct.pwd, Register: true,
		WebSocketURL: a.acct.socketURI, KeepAlive: a.opts.KeepAlive, TLSRootCAs: a.opts.TLSRootCAs,
		Media: phone.MediaWebRTC, ICEServers: a.acct.ice, DTMFMode: phone.DTMFInfo,
		RegisterHeaders: headers, OnMessage: a.onMessage,
		UserAgent: "agentbar", Logger: a.log,
	}
	if a.ports != nil && a.voip() {
		cfg.NewPort = a.newPort
	}
	ph, err := phone.New(cfg)
	if err != nil {
		return err
	}
	firstReg := make(chan error, 1)
	pumpDone := make(chan struct{})
	a.phoneMu.Lock()
	a.mu.Lock()
	a.ph, a.firstReg, a.pumpDone = ph, firstReg, pumpDone
	a.mu.Unlock()
	go a.pumpPhone(ph, pumpDone)
	err = ph.Start(ctx)
	a.phoneMu.Unlock()
	if err != nil {
		return err
	}
	t := time.NewTimer(a.opts.RegisterWait)
	defer t.Stop()
	select {
	case err := <-firstReg:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return &TimeoutError{Cmd: "REGISTER", After: a.opts.RegisterWait}
	}
}

// stopPhone unregisters (Expires: 0) and stops the user agent; its calls
// end. Safe to call twice and from several goroutines.
func (a *Adapter) stopPhone(ctx context.Context) error {
	a.phoneMu.Lock()
	defer a.phoneMu.Unlock()
	a.mu.Lock()
	ph, done := a.ph, a.pumpDone
	a.ph = nil
	a.mu.Unlock()
	if ph == nil {
		return nil
	}
	err := ph.Close(ctx)
	select {
	case <-done:
	case <-ctx.Done():
	}
	return err
}

// pumpPhone turns the user agent's events into registration state, leg
// bindings and quality figures, in order.
func (a *Adapter) pumpPhone(ph *phone.Phone, done chan struct{}) {
	defer close(done)
	for ev := range ph.Events() {
		switch ev := ev.(type) {
		case phone.RegistrationChanged:
			a.onRegistration(ev)
		case phone.IncomingCall:
			a.onLeg(ev.Call)
		case phone.CallStateChanged:
			if ev.State == phone.Ended {
				a.legEnded(ev.Call)
			}
		case phone.CallQuality:
			a.mu.Lock()
			r := a.recOfLeg(ev.Call)
			a.mu.Unlock()
			if r != nil {
				q := ev.Quality
				a.report(core.QualityUpdate{PlatformCallID: r.cc, Quality: core.Quality{
					JitterMs: float64(q.Jitter.Microseconds()) / 1000, LossPercent: q.LossPercent,
					RTTMs: float64(q.RTT.Microseconds()) / 1000, MOS: q.MOS,
				}})
			}
		case phone.DTMFReceived:
			a.log.Debug("emicnet: DTMF received", "digit", string(ev.Digit))
		}
	}
}

// onRegistration follows the WebSocket registration, which is the control
// connection: the first answer ends Login; later, a lost registration is
// a reconnect (the phone registers again by itself) until it is back.
func (a *Adapter) onRegistration(ev phone.RegistrationChanged) {
	a.mu.Lock()
	was := a.registered
	quiet := a.closing || a.kicked
	first := a.firstReg
	switch ev.State {
	case phone.Registered:
		a.registered = true
		a.firstReg = nil
	case phone.RegistrationFailed:
		a.registered = false
		a.firstReg = nil
	}
	a.mu.Unlock()
	switch ev.State {
	case phone.Registered:
		if quiet {
			return
		}
		if a.voip() {
			a.report(core.MediaUpdate{Registered: true, Detail: fmt.Sprintf("%s@%s, %d s", a.acct.un, a.acct.switchnumber, int(ev.Expires.Seconds()))})
		}
		if first != nil {
			first <- nil // Login reports the connection
			return
		}
		if !was {
			a.report(core.ConnectionUpdate{State: core.ConnConnected})
		}
	case phone.RegistrationFailed:
		err := registrationFailure(ev.Err)
		if first != nil {
			first <- err
			return
		}
		if !quiet {
			a.log.Warn("emicnet: registration lost", "err", ev.Err, "retry_in", ev.RetryIn)
			if a.voip() {
				a.report(core.MediaUpdate{Registered: false, Err: err})
			}
			a.report(core.ConnectionUpdate{State: core.ConnReconnecting, Err: err})
		}
	case phone.Registering:
		if was && !quiet {
			a.report(core.ConnectionUpdate{State: core.ConnReconnecting})
		}
	}
}

// registrationFailure is register({code, info}) for a refusal, or the
// phone's own error (no connection, untrusted certificate).
func registrationFailure(err error) error {
	var re *phone.RegistrationError
	if errors.As(err, &re) && re.Code >= 300 {
		return registerError(re.Code, re.Reason)
	}
	return err
}

// Logout unregisters (logout()), stops the user agent and every goroutine.
func (a *Adapter) Logout(ctx context.Context) error { return a.shutdown(ctx) }

func (a *Adapter) shutdown(ctx context.Context) error {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		return nil
	}
	a.closing = true
	a.mu.Unlock()
	if a.cancel != nil {
		a.cancel()
	}
	err := a.stopPhone(ctx)
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	a.http.CloseIdleConnections()
	return err
}

// onKicked ends the session for kickedOffLine: the engine learns why, the
// user agent stops (no re-registration) and nothing signs in again.
func (a *Adapter) onKicked(r wire.KickReason) {
	a.mu.Lock()
	if a.kicked || a.closing {
		a.mu.Unlock()
		return
	}
	a.kicked = true
	a.login, a.seat = wire.LoginOffline, wire.SeatOffline
	a.mu.Unlock()
	a.log.Warn("emicnet: kicked off line", "r", int(r), "meaning", r.Meaning())
	a.report(kickUpdate(r))
	a.goAside(func(ctx context.Context) {
		if err := a.stopPhone(ctx); err != nil {
			a.log.Debug("emicnet: stopping the user agent after a kick", "err", err)
		}
	})
}

// CheckLogin is the SDK's checkLogin(): 1 once the platform said the seat
// is online (statusChanged after REGISTER), else 0.
func (a *Adapter) CheckLogin() wire.LoginState {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.login
}

// CheckSeatState is the SDK's checkSeatState(): 0 离线, 1 空闲, 2 忙碌, 3 振铃,
// 4 通话, 5 保持.
func (a *Adapter) CheckSeatState() wire.SeatState {
	a.mu.Lock()
	defer a.mu.Unlock()
	states := make([]core.CallState, 0, len(a.calls))
	for _, r := range a.calls {
		states = append(states, r.state)
	}
	return seatStateOf(a.login, a.seat, states)
}

// CheckMonitorState is the SDK's checkMonitorState(): {status, ccNumber}.
func (a *Adapter) CheckMonitorState() wire.MonitorState {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.monitor
}

// Callintype is where the seat's calls ring: 2 here, 4 a callback phone,
// 5 a SIP phone.
func (a *Adapter) Callintype() wire.CallInType { return a.acct.callintype }
