package phone

import (
	"fmt"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// applyDigest answers a 401/407 challenge on req (RFC 3261 §22, RFC 2617).
func (p *Phone) applyDigest(req *sip.Request, res *sip.Response) error {
	challengeHeader, answerHeader := "WWW-Authenticate", "Authorization"
	if res.StatusCode == 407 {
		challengeHeader, answerHeader = "Proxy-Authenticate", "Proxy-Authorization"
	}
	h := res.GetHeader(challengeHeader)
	if h == nil {
		return fmt.Errorf("phone: %d without %s", res.StatusCode, challengeHeader)
	}
	chal, err := digest.ParseChallenge(h.Value())
	if err != nil {
		return fmt.Errorf("phone: parse %s: %w", challengeHeader, err)
	}
	if p.cfg.Realm != "" && chal.Realm != p.cfg.Realm {
		return fmt.Errorf("phone: challenge from realm %q, account is for %q", chal.Realm, p.cfg.Realm)
	}
	chal.Algorithm = sip.ASCIIToUpper(chal.Algorithm)
	cred, err := digest.Digest(chal, digest.Options{
		Method:   req.Method.String(),
		URI:      req.Recipient.Addr(),
		Username: p.cfg.authUser,
		Password: p.cfg.Password,
	})
	if err != nil {
		return fmt.Errorf("phone: digest: %w", err)
	}
	req.RemoveHeader(answerHeader)
	req.AppendHeader(sip.NewHeader(answerHeader, cred.String()))
	return nil
}

// realmAccepted tells whether we answer a challenge in res.
func (p *Phone) realmAccepted(res *sip.Response) bool {
	if p.cfg.Realm == "" {
		return true
	}
	for _, name := range []string{"WWW-Authenticate", "Proxy-Authenticate"} {
		if h := res.GetHeader(name); h != nil {
			chal, err := digest.ParseChallenge(h.Value())
			return err == nil && chal.Realm == p.cfg.Realm
		}
	}
	return false
}
