package phone

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/google/uuid"
)

// registration is what the registration loop keeps between REGISTERs (one
// Call-ID and a rising CSeq for the whole registration, RFC 3261 §10.2).
// Owned by the loop goroutine, then by Close once the loop has stopped.
type registration struct {
	callID     string
	fromTag    string
	cseq       uint32
	registered bool
	contact    sip.ContactHeader // the Contact the registrar has
}

// Registration is where the registration loop stands now.
func (p *Phone) Registration() RegistrationState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.regState
}

func (p *Phone) reportRegistration(e RegistrationChanged) {
	p.mu.Lock()
	p.regState = e.State
	p.mu.Unlock()
	p.emit(e)
}

// registrationLoop keeps the account registered: refresh at 75 % of the
// granted expiry, back off 1, 2, 4 ... 60 s after a failure, register again
// at once when poked (network change, wake-up from sleep, NAT rewrite).
func (p *Phone) registrationLoop(ctx context.Context) {
	p.reg.callID = uuid.NewString()
	p.reg.fromTag = sip.GenerateTagN(16)
	backoff := registrationBackoff
	if p.hooks.backoff != nil {
		backoff = p.hooks.backoff
	}
	attempt := 0
	for {
		if !p.reg.registered {
			p.reportRegistration(RegistrationChanged{State: Registering})
		}
		granted, again, err := p.register(ctx, p.cfg.Expiry)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			p.reg.registered = false
			delay := backoff(attempt)
			var regErr *RegistrationError
			if p.cfg.overWebSocket() && p.hooks.backoff == nil && errors.As(err, &regErr) && regErr.Code == 0 {
				delay = wsReconnectDelay(attempt)
			}
			attempt++
			p.log.Info("registration failed", "error", err, "retry_in", delay)
			p.reportRegistration(RegistrationChanged{State: RegistrationFailed, Err: err, RetryIn: delay})
			if !p.waitOrPoke(ctx, delay) {
				return
			}
			continue
		}
		attempt = 0
		p.reportRegistration(RegistrationChanged{State: Registered, Expires: granted})
		if again {
			continue
		}
		if !p.waitOrPoke(ctx, granted*3/4) {
			return
		}
	}
}

// waitOrPoke waits d, or less when poked; false when ctx ends.
func (p *Phone) waitOrPoke(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case reason := <-p.nudge:
		p.log.Info("registering again", "why", reason)
		return true
	case <-ctx.Done():
		return false
	}
}

// poke asks the registration loop to register again now.
func (p *Phone) poke(reason string) {
	select {
	case p.nudge <- reason:
	default:
	}
}

// register runs one REGISTER (with digest auth) for expiry. again is true
// when the registrar showed us our public address (received/rport) and the
// Contact was rewritten: it must be registered at once.
func (p *Phone) register(ctx context.Context, expiry time.Duration) (granted time.Duration, again bool, err error) {
	client := p.sipClient()
	contact := p.currentContact()
	if p.cfg.Transport == TransportTLS && expiry > 0 {
		// Each time: a new connection (registrar restarted) has a new port.
		if err := p.learnTLSPort(ctx); err != nil {
			return 0, false, &RegistrationError{Err: err}
		}
		contact = p.currentContact()
	}
	req := p.buildRegister(contact, expiry)
	res, err := client.Do(ctx, req)
	if err != nil {
		return 0, false, &RegistrationError{Err: transactionError(err)}
	}
	for tries := 0; (res.StatusCode == 401 || res.StatusCode == 407) && tries < 2; tries++ {
		if p.cfg.Password == "" || !p.realmAccepted(res) {
			break
		}
		res, err = client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: p.cfg.authUser, Password: p.cfg.Password})
		if err != nil {
			return 0, false, &RegistrationError{Err: transactionError(err)}
		}
	}
	p.reg.cseq = req.CSeq().SeqNo
	if res.StatusCode == 423 && expiry > 0 {
		// RFC 3261 §10.2.8: ask again with at least Min-Expires.
		if h := res.GetHeader("Min-Expires"); h != nil {
			if n, err := strconv.Atoi(h.Value()); err == nil && n <= maxDeltaSeconds && time.Duration(n)*time.Second > expiry {
				return p.register(ctx, time.Duration(n)*time.Second)
			}
		}
	}
	if !res.IsSuccess() {
		return 0, false, &RegistrationError{Code: res.StatusCode, Reason: res.Reason}
	}
	if expiry == 0 {
		p.reg.registered = false
		return 0, false, nil
	}
	p.reg.registered = true
	p.reg.contact = contact
	granted = grantedExpiry(res, contact, expiry)
	if p.followNAT(res) {
		again = true
	}
	return granted, again, nil
}

// buildRegister writes a REGISTER for contact. A Contact registered before
// that differs (new address) is removed in the same request.
func (p *Phone) buildRegister(contact sip.ContactHeader, expiry time.Duration) *sip.Request {
	aor := p.cfg.aor
	req := sip.NewRequest(sip.REGISTER, sip.Uri{Scheme: aor.Scheme, Host: aor.Host, Port: aor.Port})
	req.SetTransport(p.transportName())
	p.toServer(req)
	p.reg.cseq++
	from := &sip.FromHeader{DisplayName: p.cfg.DisplayName, Address: sip.Uri{Scheme: aor.Scheme, User: aor.User, Host: aor.Host, Port: aor.Port}}
	from.Params = sip.NewParams()
	from.Params.Add("tag", p.reg.fromTag)
	to := &sip.ToHeader{Address: from.Address}
	callID := sip.CallIDHeader(p.reg.callID)
	req.AppendHeader(from)
	req.AppendHeader(to)
	req.AppendHeader(&callID)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: p.reg.cseq, MethodName: sip.REGISTER})
	req.AppendHeader(&contact)
	if old := p.reg.contact; p.reg.registered && expiry > 0 && old.Address.String() != contact.Address.String() {
		stale := old.Clone()
		stale.Params = sip.NewParams()
		stale.Params.Add("expires", "0")
		req.AppendHeader(stale)
	}
	exp := sip.ExpiresHeader(expiry / time.Second)
	req.AppendHeader(&exp)
	if route := p.outboundRoute(); route != nil {
		req.AppendHeader(route)
	}
	req.AppendHeader(sip.NewHeader("Allow", p.allowedMethods()))
	req.AppendHeader(sip.NewHeader("Supported", "timer"))
	req.AppendHeader(sip.NewHeader("User-Agent", p.cfg.UserAgent))
	p.appendRegisterHeaders(req)
	return req
}

// maxDeltaSeconds bounds the delta-seconds we take from a peer (RFC 3261
// allows 2^32-1): far beyond any sane interval, well inside time.Duration.
const maxDeltaSeconds = 1<<31 - 1

// grantedExpiry reads what the registrar granted our Contact: its expires
// parameter, else the Expires header, else what we asked. A registrar may
// shorten the expiry, never lengthen it (RFC 3261 §10.3 step 7).
func grantedExpiry(res *sip.Response, ours sip.ContactHeader, asked time.Duration) time.Duration {
	var contacts []*sip.ContactHeader
	for _, h := range res.GetHeaders("Contact") {
		if c, ok := h.(*sip.ContactHeader); ok {
			contacts = append(contacts, c)
		}
	}
	for _, c := range contacts {
		if sameBinding(c.Address, ours.Address) || len(contacts) == 1 {
			if v, ok := c.Params.Get("expires"); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					return min(time.Duration(min(n, maxDeltaSeconds))*time.Second, asked)
				}
			}
		}
	}
	if h := res.GetHeader("Expires"); h != nil {
		if n, err := strconv.Atoi(h.Value()); err == nil && n > 0 {
			return min(time.Duration(min(n, maxDeltaSeconds))*time.Second, asked)
		}
	}
	return asked
}

func sameBinding(a, b sip.Uri) bool {
	port := func(u sip.Uri) int {
		if u.Port == 0 {
			return 5060
		}
		return u.Port
	}
	return a.User == b.User && a.Host == b.Host && port(a) == port(b)
}

// followNAT rewrites our Contact with the address the registrar saw
// (received/rport of our Via, RFC 3581). Over TCP and TLS only a different
// IP counts: the port is the connection's, not a listener's.
func (p *Phone) followNAT(res *sip.Response) bool {
	if p.cfg.overWebSocket() {
		// The server reaches us over the socket: the .invalid Contact stays.
		return false
	}
	via := res.Via()
	if via == nil {
		return false
	}
	received, _ := via.Params.Get("received")
	rport, _ := via.Params.Get("rport")
	p.mu.Lock()
	defer p.mu.Unlock()
	host, port := p.contact.Address.Host, p.contact.Address.Port
	if received != "" {
		host = received
	}
	if n, err := strconv.Atoi(rport); err == nil && n > 0 {
		if p.cfg.Transport == TransportUDP || host != p.contact.Address.Host {
			port = n
		}
	}
	if host == p.contact.Address.Host && port == p.contact.Address.Port {
		return false
	}
	p.log.Info("behind NAT: rewriting Contact", "from", p.contact.Address.String(), "host", host, "port", port)
	p.contact.Address.Host, p.contact.Address.Port = host, port
	return true
}

// unregister removes our binding (Expires: 0); Close calls it once the
// loop has stopped.
func (p *Phone) unregister(ctx context.Context) error {
	if !p.reg.registered {
		return nil
	}
	_, _, err := p.register(ctx, 0)
	p.reg.registered = false
	if err != nil && !errors.Is(err, context.Canceled) {
		p.reportRegistration(RegistrationChanged{State: Unregistered, Err: err})
		return err
	}
	p.reportRegistration(RegistrationChanged{State: Unregistered})
	return nil
}

// learnTLSPort opens the TLS connection to the registrar (sipgo keeps it
// for the REGISTER that follows) to put its local port in our Contact: over
// TLS that connection is how requests reach us.
func (p *Phone) learnTLSPort(ctx context.Context) error {
	req := p.buildRegister(p.currentContact(), p.cfg.Expiry)
	p.reg.cseq-- // this one is never sent
	via := &sip.ViaHeader{ProtocolName: "SIP", ProtocolVersion: "2.0", Transport: "TLS", Host: p.currentLocalIP().String(), Params: sip.NewParams()}
	req.PrependHeader(via)
	conn, err := p.ua.TransportLayer().ClientRequestConnection(ctx, req)
	if err != nil {
		return err
	}
	defer conn.TryClose()
	addr, ok := conn.LocalAddr().(*net.TCPAddr)
	if !ok {
		return fmt.Errorf("phone: TLS connection has no TCP address")
	}
	p.mu.Lock()
	p.contact.Address.Port = addr.Port
	p.mu.Unlock()
	return nil
}
