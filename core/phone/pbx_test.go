package phone

import (
	"fmt"
	"sync"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

// testPBX answers the MESSAGEs addressed to a test server itself, as a
// platform's command endpoint does: 200 with a result body that echoes the
// request's. Knobs: challenge (digest auth first, 401), mute (answer
// nothing: the sender times out).
type testPBX struct {
	realm, user, password string // user "" = any user with the password

	mu        sync.Mutex
	challenge bool
	mute      bool
	nonce     int
	got       []*sip.Request // every MESSAGE, challenged and muted ones too
}

// pbxResultType is the Content-Type of the test PBX's results.
const pbxResultType = "application/x-test-result"

func newTestPBX(realm, user, password string) *testPBX {
	return &testPBX{realm: realm, user: user, password: password}
}

func (x *testPBX) set(challenge, mute bool) {
	x.mu.Lock()
	x.challenge, x.mute = challenge, mute
	x.mu.Unlock()
}

func (x *testPBX) received() []*sip.Request {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]*sip.Request(nil), x.got...)
}

func (x *testPBX) onMessage(req *sip.Request, tx sip.ServerTransaction) {
	x.mu.Lock()
	x.got = append(x.got, req)
	mute, challenge := x.mute, x.challenge
	authorized := !challenge || x.authorizedLocked(req)
	if !authorized {
		x.nonce++
	}
	nonce := x.nonce
	x.mu.Unlock()
	switch {
	case mute:
		return
	case !authorized:
		res := sip.NewResponseFromRequest(req, 401, "Unauthorized", nil)
		chal := digest.Challenge{Realm: x.realm, Nonce: fmt.Sprintf("msg-nonce%d", nonce), Algorithm: "MD5"}
		res.AppendHeader(sip.NewHeader("WWW-Authenticate", chal.String()))
		tx.Respond(res)
		return
	}
	res := sip.NewResponseFromRequest(req, 200, "OK", append([]byte("result:"), req.Body()...))
	res.AppendHeader(sip.NewHeader("Content-Type", pbxResultType))
	res.AppendHeader(sip.NewHeader("X-Test-Result", "yes"))
	tx.Respond(res)
}

func (x *testPBX) authorizedLocked(req *sip.Request) bool {
	h := req.GetHeader("Authorization")
	if h == nil {
		return false
	}
	cred, err := digest.ParseCredentials(h.Value())
	if err != nil || (x.user != "" && cred.Username != x.user) || cred.Nonce != fmt.Sprintf("msg-nonce%d", x.nonce) {
		return false
	}
	want, err := digest.Digest(&digest.Challenge{Realm: x.realm, Nonce: cred.Nonce, Algorithm: "MD5"},
		digest.Options{Method: string(req.Method), URI: cred.URI, Username: cred.Username, Password: x.password, Cnonce: cred.Cnonce, Count: cred.Nc})
	return err == nil && want.Response == cred.Response
}
