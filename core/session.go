package core

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
)

// LoginRequest is what signing in needs.
type LoginRequest struct {
	Account  string            // the account's name, for history and logs
	Platform string            // registry id
	Fields   map[string]string // the account's settings (no secrets)
	Secret   string            // password or token, never stored by the engine
	// ExtraSecrets are the platform's further secret fields by key (see
	// FieldSecret), from the keyring; never stored by the engine.
	ExtraSecrets map[string]string
	// Services is passed through to the adapter (Config.Services).
	Services any
}

// sessionSink is the Sink of one session. Updates that arrive after the
// session ended (an old adapter's goroutine) are dropped.
type sessionSink struct {
	e   *Engine
	gen uint64
}

func (k sessionSink) Report(u Update) {
	k.e.post(func() {
		if k.e.st.gen != k.gen || k.e.st.vendor == nil && !k.e.st.starting {
			return
		}
		k.e.apply(u)
	})
}

// Login signs in to an account. It returns when the platform accepted or
// refused; a refusal ends the session and is returned (it usually carries
// the platform's own sentence).
func (e *Engine) Login(ctx context.Context, req LoginRequest) error {
	var (
		info Info
		sink sessionSink
	)
	err := e.do(ctx, func(s *state) error {
		if s.vendor != nil || s.starting {
			return ErrAlreadyLoggedIn
		}
		var ok bool
		info, ok = e.opts.Registry.Lookup(req.Platform)
		if !ok {
			return fmt.Errorf("%w: %q", ErrUnknownPlatform, req.Platform)
		}
		s.gen++
		s.starting = true
		s.info = info
		s.account = req.Account
		sink = sessionSink{e: e, gen: s.gen}
		e.setConn(ConnConnecting, nil)
		return nil
	})
	if err != nil {
		return err
	}
	fields, err := info.ValidateFields(req.Fields)
	var v Vendor
	if err == nil {
		v, err = info.New(Config{
			Account:      req.Account,
			Fields:       fields,
			Secret:       req.Secret,
			ExtraSecrets: maps.Clone(req.ExtraSecrets),
			Logger:       e.log.With("account", req.Account, "platform", info.ID),
			Services:     req.Services,
		})
	}
	if err == nil {
		// The adapter may report calls while Login runs; give the loop its
		// capabilities first.
		caps := capabilitiesOf(v)
		err = e.do(ctx, func(s *state) error {
			if s.gen != sink.gen {
				return ErrNotLoggedIn
			}
			s.caps = caps
			return nil
		})
	}
	if err == nil {
		err = e.callVendor(ctx, "login", func(ctx context.Context) error { return v.Login(ctx, sink) })
	}
	if err != nil {
		if v != nil {
			e.releaseVendor(v)
		}
		e.post(func() {
			if e.st.gen != sink.gen {
				return
			}
			e.endSession(err, false, false)
		})
		return err
	}
	return e.do(ctx, func(s *state) error {
		if s.gen != sink.gen || !s.starting {
			// Kicked or closed while signing in.
			go e.releaseVendor(v)
			return ErrNotLoggedIn
		}
		s.starting = false
		s.vendor = v
		e.publish(func(m EventMeta) Event {
			return LoggedIn{EventMeta: m, Account: s.account, Platform: s.info.ID}
		})
		if s.conn != ConnConnected {
			e.setConn(ConnConnected, nil)
		}
		if lister, ok := v.(BreakReasonLister); ok {
			go e.fetchBreakReasons(lister, sink.gen)
		}
		return nil
	})
}

// fetchBreakReasons loads the platform's break reasons after login.
func (e *Engine) fetchBreakReasons(l BreakReasonLister, gen uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), e.opts.CommandTimeout)
	defer cancel()
	reasons, err := l.BreakReasons(ctx)
	if err != nil {
		e.log.Warn("engine: break reasons", "err", err)
		return
	}
	sessionSink{e: e, gen: gen}.Report(BreakReasonsUpdate{Reasons: reasons})
}

// releaseVendor logs out an adapter that is no longer the session's.
func (e *Engine) releaseVendor(v Vendor) {
	ctx, cancel := context.WithTimeout(context.Background(), e.opts.CommandTimeout)
	defer cancel()
	if err := v.Logout(ctx); err != nil {
		e.log.Warn("engine: releasing platform session", "err", err)
	}
}

// Logout signs out. Calls still active end as interrupted in the history.
func (e *Engine) Logout(ctx context.Context) error {
	var v Vendor
	err := e.do(ctx, func(s *state) error {
		if s.vendor == nil && !s.starting {
			return ErrNotLoggedIn
		}
		v = s.vendor
		e.endSession(nil, false, false)
		return nil
	})
	if err != nil || v == nil {
		return err
	}
	return e.callVendor(ctx, "logout", v.Logout)
}

// endSession ends every call, goes offline and forgets the session. Loop only.
func (e *Engine) endSession(cause error, kicked, canRelogin bool) {
	s := &e.st
	now := e.opts.Now()
	for _, id := range append([]CallID(nil), s.order...) {
		c := s.calls[id]
		detail := "signed out"
		if cause != nil {
			detail = cause.Error()
		}
		e.endCall(c, EndInterrupted, detail, now)
	}
	if !s.agent.Equal(OfflineState()) {
		e.setAgentState(OfflineState(), now)
	}
	e.setConn(ConnOffline, cause)
	wasIn := s.vendor != nil
	s.resetSession()
	if wasIn || cause != nil {
		e.publish(func(m EventMeta) Event {
			return LoggedOut{EventMeta: m, Err: cause, Kicked: kicked, CanRelogin: canRelogin}
		})
	}
}

// SetAgentState asks the platform for ready, busy or a break. Offline is
// Logout; wrap-up is the platform's to start.
func (e *Engine) SetAgentState(ctx context.Context, want AgentState) error {
	var v Vendor
	err := e.do(ctx, func(s *state) error {
		if s.vendor == nil {
			return ErrNotLoggedIn
		}
		switch want.Name() {
		case "offline":
			return fmt.Errorf("%w: use logout to go offline", ErrInvalidArgument)
		case "wrapup":
			return fmt.Errorf("%w: wrap-up starts after a call; it cannot be chosen", ErrInvalidArgument)
		case "break":
			if _, ok := s.vendor.(BreakReasonLister); !ok {
				return fmt.Errorf("%w: break reasons", ErrNotSupported)
			}
			if len(s.breaks) > 0 {
				found := false
				for _, b := range s.breaks {
					if b.Code == want.BreakCode {
						want.BreakLabel, found = b.Label, true
					}
				}
				if !found {
					return fmt.Errorf("%w: unknown break reason %q (known: %s)", ErrInvalidArgument, want.BreakCode, breakCodes(s.breaks))
				}
			}
		}
		v = s.vendor
		return nil
	})
	if err != nil {
		return err
	}
	return e.callVendor(ctx, "set_agent_state", func(ctx context.Context) error { return v.SetAgentState(ctx, want) })
}

func breakCodes(bs []BreakReason) string {
	var parts []string
	for _, b := range bs {
		parts = append(parts, b.Code+" "+b.Label)
	}
	return strings.Join(parts, ", ")
}

// setConn records and announces a connection change. Loop only.
func (e *Engine) setConn(c ConnState, err error) {
	s := &e.st
	if s.conn == c && errors.Is(err, s.connErr) && errors.Is(s.connErr, err) {
		return
	}
	s.conn, s.connErr = c, err
	e.publish(func(m EventMeta) Event { return ConnectionChanged{EventMeta: m, State: c, Err: err} })
}

// setAgentState records and announces an agent state change. Loop only.
func (e *Engine) setAgentState(to AgentState, now time.Time) {
	s := &e.st
	from := s.agent
	s.agent, s.agentSince = to, now
	e.publish(func(m EventMeta) Event { return AgentStateChanged{EventMeta: m, From: from, To: to} })
}

// Status is a snapshot of the engine. Seq is the last event it reflects.
type Status struct {
	Seq          uint64        `json:"seq"`
	LoggedIn     bool          `json:"logged_in"`
	Account      string        `json:"account,omitempty"`
	Platform     string        `json:"platform,omitempty"`
	PlatformName string        `json:"platform_name,omitempty"`
	Connection   ConnState     `json:"connection"`
	ConnError    string        `json:"connection_error,omitempty"`
	Session      SessionUpdate `json:"session"`
	MediaOK      bool          `json:"media_registered"`
	MediaDetail  string        `json:"media_detail,omitempty"`
	Agent        AgentState    `json:"agent"`
	AgentSince   time.Time     `json:"agent_since"`
	Calls        []Call        `json:"calls"`
	Capabilities Capabilities  `json:"capabilities"`
	BreakReasons []BreakReason `json:"break_reasons"`
	Agents       []AgentInfo   `json:"agents,omitempty"`
}

// Status returns a consistent snapshot of the engine's state.
func (e *Engine) Status(ctx context.Context) (Status, error) {
	var st Status
	err := e.do(ctx, func(s *state) error {
		st = Status{
			Seq: s.seq, LoggedIn: s.vendor != nil, Account: s.account, Platform: s.info.ID,
			PlatformName: s.info.Name.In("zh"), Connection: s.conn, Session: s.session,
			MediaOK: s.media.Registered, MediaDetail: s.media.Detail,
			Agent: s.agent, AgentSince: s.agentSince, Calls: s.activeCalls(),
			Capabilities: s.caps, BreakReasons: append([]BreakReason{}, s.breaks...),
		}
		if st.Capabilities.AgentStates == nil {
			st.Capabilities.AgentStates = []string{}
		}
		if s.connErr != nil {
			st.ConnError = s.connErr.Error()
		}
		for _, a := range s.agents {
			st.Agents = append(st.Agents, a)
		}
		st.Session.Groups = append([]string(nil), s.session.Groups...)
		return nil
	})
	return st, err
}
