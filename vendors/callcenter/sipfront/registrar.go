package sipfront

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"agentbar/vendors/callcenter"
)

// binding is an agent's registered contact. Over WS and WSS the binding
// is the socket itself: requests to the agent go over it (source), whatever
// its Contact says.
type binding struct {
	agent     string
	contact   sip.Uri
	transport string // "udp", "tcp", "ws" or "wss"
	source    string // where the REGISTER came from
	expires   time.Time
	timer     *time.Timer
}

// route sends req the way the binding reaches the agent: over its
// transport, and over a WebSocket through the socket it registered on.
func (b *binding) route(req *sip.Request) {
	req.SetTransport(strings.ToUpper(b.transport))
	if isWebSocket(b.transport) {
		req.SetDestination(b.source)
	}
}

// Registered tells whether the agent has a binding now.
func (f *Front) Registered(agentID string) bool {
	_, ok := f.binding(agentID)
	return ok
}

// Binding is a registration as tests and the admin state see it.
type Binding struct {
	Agent     string    `json:"agent"`
	Contact   string    `json:"contact"`
	Transport string    `json:"transport"`
	Source    string    `json:"source"` // where the last REGISTER came from
	Expires   time.Time `json:"expires"`
}

// Bindings lists the registered agents.
func (f *Front) Bindings() []Binding {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Binding
	for _, id := range slices.Sorted(maps.Keys(f.bindings)) {
		b := f.bindings[id]
		out = append(out, Binding{Agent: id, Contact: b.contact.String(), Transport: b.transport, Source: b.source, Expires: b.expires})
	}
	return out
}

func (f *Front) binding(agent string) (*binding, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.bindings[agent]
	return b, ok
}

// onRegister binds, refreshes or removes an agent's contact.
func (f *Front) onRegister(req *sip.Request, tx sip.ServerTransaction) {
	to := req.To()
	if to == nil || to.Address.User == "" {
		f.respond(tx, req, 400, "Missing To user")
		return
	}
	agent := to.Address.User
	if !f.authenticate(tx, req, agent) {
		return
	}
	expiry, remove := requestedExpiry(req)
	contacts := req.GetHeaders("Contact")
	if len(contacts) == 0 {
		// A query: answer with the current binding.
		f.answerRegistered(tx, req, agent)
		return
	}
	var contact *sip.ContactHeader
	var named []sip.Uri // every contact the request gives (those it removes, when it removes)
	wildcard := false
	for _, h := range contacts {
		if c, ok := h.(*sip.ContactHeader); ok {
			if c.Address.Wildcard {
				remove, wildcard = true, true
				break
			}
			named = append(named, c.Address)
			if v, ok := c.Params.Get("expires"); ok {
				if n, err := strconv.Atoi(v); err == nil && n == 0 {
					// A stale contact removed alongside the new one.
					continue
				}
			}
			if contact == nil {
				contact = c
			}
		}
	}
	if remove || contact == nil {
		f.unregister(agent, req, wildcard, named)
		f.answerRegistered(tx, req, agent)
		return
	}
	if expiry < minExpiry {
		f.respond(tx, req, 423, "Interval Too Brief", sip.NewHeader("Min-Expires", strconv.Itoa(int(minExpiry.Seconds()))))
		return
	}
	if hook := f.opts.OnRegister; hook != nil {
		if err := hook(agent, req); err != nil {
			f.log.Info("sipfront: registration refused by the platform", "agent", agent, "err", err)
			f.respond(tx, req, 403, reasonText(err.Error()))
			return
		}
	}
	expiry = min(expiry, f.opts.MaxExpiry)
	transport := transportOf(req)
	b := &binding{agent: agent, contact: *contact.Address.Clone(), transport: transport, source: req.Source(),
		expires: time.Now().Add(expiry)}
	f.mu.Lock()
	old, had := f.bindings[agent]
	if had {
		old.timer.Stop()
	}
	b.timer = time.AfterFunc(expiry, func() { f.expire(agent, b) })
	f.bindings[agent] = b
	f.mu.Unlock()
	if !had {
		f.log.Info("sipfront: registered", "agent", agent, "contact", b.contact.String(), "transport", transport, "source", b.source)
	}
	f.forgetHeld(agent)
	// Calls of an agent back over a new socket continue over it.
	f.retarget(b)
	// Every registration signs in: the first makes the agent ready, a
	// refresh makes an agent the center set busy (no answer, 486) ready
	// again.
	if err := f.cc.SignIn(agent); err != nil {
		f.log.Warn("sipfront: sign-in", "agent", agent, "err", err)
	}
	f.answerRegistered(tx, req, agent)
	f.mu.Lock()
	hook := f.registered
	f.mu.Unlock()
	if hook != nil {
		hook(agent)
	}
}

// answerRegistered answers 200 with the agent's binding and its expiry.
func (f *Front) answerRegistered(tx sip.ServerTransaction, req *sip.Request, agent string) {
	res := sip.NewResponseFromRequest(req, 200, "OK", nil)
	if b, ok := f.binding(agent); ok {
		c := &sip.ContactHeader{Address: *b.contact.Clone(), Params: sip.NewParams()}
		left := max(int(time.Until(b.expires).Round(time.Second).Seconds()), 1)
		c.Params.Add("expires", strconv.Itoa(left))
		res.AppendHeader(c)
		exp := sip.ExpiresHeader(left)
		res.AppendHeader(&exp)
	}
	res.AppendHeader(sip.NewHeader("Server", userAgent))
	if err := tx.Respond(res); err != nil {
		f.log.Debug("sipfront: REGISTER response", "err", err)
	}
}

// requestedExpiry reads Expires (the header; the Contact parameter is read
// with the contact). remove is set for Expires: 0.
func requestedExpiry(req *sip.Request) (time.Duration, bool) {
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
	return time.Duration(secs) * time.Second, secs == 0
}

// expire drops a binding nobody refreshed.
func (f *Front) expire(agent string, b *binding) {
	if f.removeBinding(agent, b, "registration expired") {
		f.log.Info("sipfront: registration expired", "agent", agent)
	}
}

// unregister removes the agent's binding if the request names it (see
// namedBy): a client that was replaced by a new sign-in, and unregisters
// as it closes, does not sign the new one out.
func (f *Front) unregister(agent string, req *sip.Request, wildcard bool, named []sip.Uri) {
	b, ok := f.binding(agent)
	if !ok {
		return
	}
	if !b.namedBy(req, wildcard, named) {
		f.log.Info("sipfront: unregistration of another binding ignored", "agent", agent,
			"from", req.Source(), "transport", transportOf(req), "bound", b.contact.String(), "socket", b.source)
		return
	}
	if f.removeBinding(agent, b, "unregistered") {
		f.log.Info("sipfront: binding removed", "agent", agent, "why", "unregistered")
	}
}

// namedBy tells whether an unregistration (Expires 0, a contact with
// expires=0, or "*") names this binding. Over a WebSocket the binding is
// the socket: only a request over that socket does. Over UDP and TCP a
// request naming its Contact does, and "*" (RFC 3261 §10.3: every binding
// of the address).
func (b *binding) namedBy(req *sip.Request, wildcard bool, named []sip.Uri) bool {
	if isWebSocket(b.transport) {
		return transportOf(req) == b.transport && req.Source() == b.source
	}
	if wildcard {
		return true
	}
	for _, u := range named {
		if sameContact(u, b.contact) {
			return true
		}
	}
	return false
}

// sameContact compares two Contact URIs as bindings: scheme, user, host,
// port (the scheme's default when absent) and transport.
func sameContact(a, b sip.Uri) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && a.User == b.User && strings.EqualFold(a.Host, b.Host) &&
		portOf(a) == portOf(b) && strings.EqualFold(a.UriParams.GetOr("transport", "udp"), b.UriParams.GetOr("transport", "udp"))
}

func portOf(u sip.Uri) int {
	switch {
	case u.Port != 0:
		return u.Port
	case strings.EqualFold(u.Scheme, "sips"):
		return 5061
	}
	return 5060
}

// removeBinding removes the agent's binding (when only is set, only if the
// binding is still that one), tells the platform hook, and signs the agent
// out unless its calls ring a device elsewhere (elsewhere.go; a call in
// progress goes on either way). It reports whether it removed one.
func (f *Front) removeBinding(agent string, only *binding, why string) bool {
	b := f.takeBinding(agent, only)
	if b == nil {
		return false
	}
	f.unregistered(agent)
	f.signOutUnlessElsewhere(agent, why)
	return true
}

// takeBinding removes and returns the agent's binding (only that one
// unless only is nil); nil when there is none or the front is closed.
func (f *Front) takeBinding(agent string, only *binding) *binding {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.bindings[agent]
	if !ok || f.closed || (only != nil && b != only) {
		return nil
	}
	b.timer.Stop()
	delete(f.bindings, agent)
	return b
}

// unregistered tells the platform hook a binding went.
func (f *Front) unregistered(agent string) {
	if hook := f.opts.OnUnregister; hook != nil {
		hook(agent)
	}
}

// kick tells an endpoint it was signed out elsewhere: its binding goes and
// an out-of-dialog MESSAGE says why (the center refuses its REGISTERs for
// the hold-off time).
func (f *Front) kick(ev callcenter.AgentKicked) {
	b := f.takeBinding(ev.Agent, nil)
	if b == nil {
		return
	}
	f.unregistered(ev.Agent)
	contentType, body := "text/plain;charset=UTF-8", []byte(ev.Err.Sentence("zh")+"\n"+ev.Err.Sentence("en")+"\n")
	if hook := f.opts.KickMessage; hook != nil {
		if ct, custom := hook(ev.Agent, ev.Err.Detail); ct != "" {
			contentType, body = ct, custom
		}
	}
	ctx, cancel := context.WithTimeout(f.life, 3*time.Second)
	defer cancel()
	err := f.sendMessage(ctx, b, contentType, body, sip.NewHeader("Reason", `SIP;cause=403;text="Logged In Elsewhere"`))
	if err != nil {
		f.log.Info("sipfront: kick notice not delivered", "agent", ev.Agent, "err", err)
		return
	}
	f.log.Info("sipfront: agent kicked", "agent", ev.Agent)
}

// reasonText makes s fit a SIP reason phrase: one line.
func reasonText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "Forbidden"
	}
	return s
}
