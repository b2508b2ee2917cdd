package sipfront

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"

	"agentbar/vendors/callcenter"
)

// nonceLife is how long a digest nonce may be used.
const nonceLife = 5 * time.Minute

// challenge answers 401 with a fresh nonce (stale=true when the client's
// nonce had expired: it may retry at once without asking the user).
func (f *Front) challenge(tx sip.ServerTransaction, req *sip.Request, stale bool) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	nonce := hex.EncodeToString(b[:])
	f.mu.Lock()
	now := time.Now()
	for n, at := range f.nonces {
		if now.Sub(at) > nonceLife {
			delete(f.nonces, n)
		}
	}
	f.nonces[nonce] = now
	f.mu.Unlock()
	chal := digest.Challenge{Realm: f.opts.Realm, Nonce: nonce, Algorithm: "MD5", Stale: stale}
	f.respond(tx, req, 401, "Unauthorized", sip.NewHeader("WWW-Authenticate", chal.String()))
}

// authResult is what checking a request's credentials found.
type authResult int

const (
	authMissing authResult = iota // no or unreadable Authorization: challenge
	authStale                     // a nonce we no longer know: challenge, stale
	authWrong                     // wrong password (or user)
	authOK
)

// checkAuth verifies the request's digest for user with secret.
func (f *Front) checkAuth(req *sip.Request, user, secret string) authResult {
	h := req.GetHeader("Authorization")
	if h == nil {
		return authMissing
	}
	cred, err := digest.ParseCredentials(h.Value())
	if err != nil {
		return authMissing
	}
	f.mu.Lock()
	issued, known := f.nonces[cred.Nonce]
	f.mu.Unlock()
	if !known || time.Since(issued) > nonceLife {
		return authStale
	}
	if cred.Username != user || cred.Realm != f.opts.Realm {
		return authWrong
	}
	want, err := digest.Digest(&digest.Challenge{Realm: f.opts.Realm, Nonce: cred.Nonce, Algorithm: "MD5", QOP: qops(cred)},
		digest.Options{Method: string(req.Method), URI: cred.URI, Username: user, Password: secret, Cnonce: cred.Cnonce, Count: cred.Nc})
	if err != nil || want.Response != cred.Response {
		return authWrong
	}
	return authOK
}

func qops(c *digest.Credentials) []string {
	if c.QOP == "" {
		return nil
	}
	return []string{c.QOP}
}

// expireNonces makes every nonce stale (the ExpireToken fault).
func (f *Front) expireNonces() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.nonces)
}

// authenticate runs the whole check for an agent's request and answers the
// failures itself: unknown agent 404, refused 403 (or the fault's status),
// no or stale credentials 401 with a challenge, wrong password 403 after a
// fresh challenge was already refused. It reports whether to go on.
func (f *Front) authenticate(tx sip.ServerTransaction, req *sip.Request, agent string) bool {
	secret, err := f.cc.Secret(agent)
	var ae *callcenter.AgentError
	switch {
	case errors.Is(err, callcenter.ErrUnknownAgent):
		f.respond(tx, req, 404, "Not Found")
		return false
	case errors.As(err, &ae):
		reason := "Forbidden"
		if errors.Is(err, callcenter.ErrLoginRefused) && ae.Detail != "fault: refuse login" {
			reason = "Logged In Elsewhere"
		}
		if ae.Status == 401 {
			f.challenge(tx, req, false)
			return false
		}
		f.respond(tx, req, ae.Status, reason, sip.NewHeader("Warning", `399 callcenter "`+ae.Sentence("en")+`"`))
		return false
	case err != nil:
		f.respond(tx, req, 500, "Server Internal Error")
		return false
	}
	switch f.checkAuth(req, agent, secret) {
	case authOK:
		return true
	case authStale:
		f.challenge(tx, req, true)
	case authWrong:
		// A new challenge: the client asks the user again or gives up (the
		// phone gives up after two tries and reports a wrong password).
		f.challenge(tx, req, false)
	default:
		f.challenge(tx, req, false)
	}
	return false
}
