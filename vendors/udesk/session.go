package udesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// Login fetches a token, opens the socket, signs in with ConnectAsync,
// resyncs with GetState, loads the break reasons and the wrap-up time, sets
// the account's phone mode and, in voip and webrtc modes, registers the
// softphone (the IP phone, the web phone).
func (a *Adapter) Login(ctx context.Context, sink core.Sink) error {
	a.mu.Lock()
	a.sink = sink
	a.mu.Unlock()
	a.life, a.cancel = context.WithCancel(context.Background())
	if err := a.connect(ctx); err != nil {
		a.shutdown(context.Background())
		return err
	}
	a.loadSettings(ctx)
	if err := a.ensureMode(ctx); err != nil {
		a.shutdown(context.Background())
		return err
	}
	// From here on the platform's mode changes start and stop the
	// softphone; before, the mode seen at sign-in was not yet the account's.
	a.mu.Lock()
	a.modeSettled = true
	a.mu.Unlock()
	if mode := a.currentMode(); hasSoftphone(mode) {
		if err := a.startPhone(ctx, mode); err != nil {
			a.shutdown(context.Background())
			return err
		}
	} else {
		a.reportDevice()
	}
	a.report(core.SessionUpdate{AgentID: a.agentID, Extension: a.device(), IsSupervisor: a.supervisor})
	a.report(core.ConnectionUpdate{State: core.ConnConnected})
	a.wg.Add(1)
	go a.supervise()
	if a.supervisor {
		a.wg.Add(1)
		go a.pollWall()
	}
	return nil
}

// connect opens a socket and signs it in. A refused token is fetched again
// once. The socket becomes the adapter's only after ConnectAsync succeeded.
func (a *Adapter) connect(ctx context.Context) error {
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		tok, err := a.tokens.get(ctx, attempt > 0)
		if err != nil {
			return err
		}
		s, err := dialSocket(ctx, a.domain, a.opts.socket, a.log, a.onEvent)
		if err != nil {
			return err
		}
		// Its events count from now on: the platform pushes Ready and
		// GetState as soon as ConnectAsync succeeds.
		a.mu.Lock()
		a.eventSock = s
		a.mu.Unlock()
		_, err = s.call(ctx, wire.MethodConnect, wire.ConnectParams{
			AppId: a.appID, AgentId: a.agentID, Timestamp: string(tok.Timestamp), Token: tok.Token,
		})
		if err != nil {
			s.abort()
			lastErr = err
			if errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenRejected) {
				a.tokens.drop()
				continue
			}
			return err
		}
		a.mu.Lock()
		if a.closing {
			a.mu.Unlock()
			s.close()
			return core.ErrClosed
		}
		a.sock = s
		a.mu.Unlock()
		var st wire.State
		env, err := s.call(ctx, wire.MethodGetState, nil)
		if err == nil {
			err = wire.DecodeData(env.Data, &st)
		}
		if err != nil {
			return fmt.Errorf("udesk: resync: %w", err)
		}
		a.resync(st)
		return nil
	}
	return lastErr
}

// loadSettings reads the break reasons and the wrap-up time. They only
// enrich the session: a failure is a notice, not a failed sign-in.
func (a *Adapter) loadSettings(ctx context.Context) {
	if _, err := a.BreakReasons(ctx); err != nil {
		a.log.Warn("udesk: break reasons", "err", err)
		a.report(core.NoticeUpdate{Level: "warning", Err: err})
	}
	var w wire.WrapUp
	if err := a.query(ctx, wire.MethodGetCallInWrapUpTime, nil, &w); err != nil {
		a.log.Warn("udesk: wrap-up time", "err", err)
		return
	}
	a.mu.Lock()
	a.wrapUp = time.Duration(w.WrapUpTime) * time.Second
	a.mu.Unlock()
}

// ensureMode sets the account's phone mode when the platform has another.
func (a *Adapter) ensureMode(ctx context.Context) error {
	if a.currentMode() == a.mode {
		return nil
	}
	if err := a.do(ctx, wire.MethodSetPhoneMode, wire.PhoneModeParams{PhoneMode: a.mode}); err != nil {
		return err
	}
	a.mu.Lock()
	a.curMode = a.mode
	a.mu.Unlock()
	return nil
}

func (a *Adapter) currentMode() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.curMode == "" {
		return a.mode
	}
	return a.curMode
}

func (a *Adapter) device() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.deviceNumber
}

// reportDevice tells the engine where the audio is when it is not here.
func (a *Adapter) reportDevice() {
	if a.currentMode() == wire.ModeCellphone {
		a.report(core.MediaUpdate{Registered: false, Detail: "手机模式：来电呼叫 " + a.device()})
	}
}

// supervise watches the socket; when it closes it reconnects (AutoConnect),
// or ends the session with the reason.
func (a *Adapter) supervise() {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		s := a.sock
		a.mu.Unlock()
		if s == nil {
			return
		}
		select {
		case <-a.life.Done():
			return
		case <-s.Done():
		}
		code, text, readErr := s.closeInfo()
		s.abort()
		a.mu.Lock()
		if a.sock == s {
			a.sock = nil
		}
		closing := a.closing
		a.mu.Unlock()
		if closing {
			return
		}
		a.log.Warn("udesk: socket closed", "code", code, "reason", text, "err", readErr)
		switch {
		case closeIsKick(code):
			a.report(core.KickedUpdate{Err: &SessionError{Err: ErrSignedInElsewhere, Code: code, Reason: text}, CanRelogin: true})
			return
		case closeNeedsToken(code):
			a.tokens.drop()
		}
		if !a.autoConn {
			a.report(core.KickedUpdate{Err: &SessionError{Err: ErrConnectionLost, Code: code, Reason: text}, CanRelogin: true})
			return
		}
		a.report(core.ConnectionUpdate{State: core.ConnReconnecting, Err: fmt.Errorf("%w: %v", ErrConnectionLost, readErr)})
		if !a.reconnect() {
			return
		}
		a.report(core.ConnectionUpdate{State: core.ConnConnected})
	}
}

// reconnect retries with a doubling backoff until it works, the session
// ends, or the platform says the agent is elsewhere.
func (a *Adapter) reconnect() bool {
	wait := a.opts.ReconnectMin
	for {
		t := time.NewTimer(wait)
		select {
		case <-a.life.Done():
			t.Stop()
			return false
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(a.life, 2*a.opts.RequestTimeout)
		err := a.connect(ctx)
		cancel()
		if err == nil {
			a.log.Info("udesk: reconnected")
			return true
		}
		var pe *PlatformError
		if errors.As(err, &pe) && (pe.Code == wire.CodeElsewhere || pe.Code == wire.CodeAgentDisabled) {
			a.report(core.KickedUpdate{Err: pe, CanRelogin: true})
			return false
		}
		if errors.Is(err, core.ErrClosed) || a.life.Err() != nil {
			return false
		}
		a.log.Info("udesk: reconnect failed", "err", err, "next_in", wait)
		a.report(core.ConnectionUpdate{State: core.ConnReconnecting, Err: err})
		wait = min(wait*2, a.opts.ReconnectMax)
	}
}

// Logout signs the agent off (offline), closes the socket, unregisters
// the softphone and stops every goroutine.
func (a *Adapter) Logout(ctx context.Context) error {
	return a.shutdown(ctx)
}

func (a *Adapter) shutdown(ctx context.Context) error {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		return nil
	}
	a.closing = true
	s := a.sock
	a.mu.Unlock()
	var err error
	if s != nil {
		// Best effort: the platform also signs out an agent whose socket closes.
		if _, e := s.call(ctx, wire.MethodSetAgentState, wire.AgentStateParams{State: wire.StateOffline}); e != nil && !errors.Is(e, core.ErrNotConnected) {
			a.log.Info("udesk: offline before disconnect", "err", e)
		}
		_ = s.notify(ctx, wire.MethodDisconnect)
		s.close()
	}
	if a.cancel != nil {
		a.cancel()
	}
	if e := a.stopPhone(ctx); e != nil {
		err = e
	}
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	a.mu.Lock()
	a.sock = nil
	a.mu.Unlock()
	a.http.CloseIdleConnections()
	return err
}
