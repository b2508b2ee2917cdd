package udesksim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"agentbar/vendors/udesk/wire"
)

// The simulator's tokens: hex(HMAC-SHA256(AppSecret, appId|agentId|timestamp)),
// timestamp in Unix seconds. A real platform's token scheme is its own; to
// the client a token is opaque.
func (f *Front) sign(agentID, timestamp string) string {
	m := hmac.New(sha256.New, []byte(f.opts.AppSecret))
	m.Write([]byte(f.opts.AppId + "|" + agentID + "|" + timestamp))
	return hex.EncodeToString(m.Sum(nil))
}

// checkToken verifies a token: its app, signature and age, and that it was
// issued after the agent's last forced expiry.
func (f *Front) checkToken(appID, agentID, timestamp, token string) wire.FlexString {
	if appID != f.opts.AppId || agentID == "" || !hmac.Equal([]byte(token), []byte(f.sign(agentID, timestamp))) {
		return wire.CodeTokenInvalid
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return wire.CodeTokenInvalid
	}
	issued := time.Unix(sec, 0)
	now := f.opts.Now()
	f.mu.Lock()
	notBefore := f.tokenNotBefore[agentID]
	if all := f.tokenNotBefore[""]; all.After(notBefore) {
		notBefore = all
	}
	f.mu.Unlock()
	if now.Sub(issued) > f.opts.TokenTTL || !notBefore.IsZero() && !issued.After(notBefore) {
		return wire.CodeTokenExpired
	}
	return wire.CodeOK
}

// serveToken is the customer's backend: GET ?appId=..&agentId=.. returns
// {"data": {appId, timestamp, token}}. With RequireKey the agent's password
// must come as a bearer token.
func (f *Front) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	appID, agentID := r.URL.Query().Get("appId"), r.URL.Query().Get("agentId")
	if appID != f.opts.AppId {
		http.Error(w, "unknown appId", http.StatusNotFound)
		return
	}
	if _, ok := f.cc.Agent(agentID); !ok {
		http.Error(w, "unknown agentId", http.StatusNotFound)
		return
	}
	if f.opts.RequireKey {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || f.cc.Authenticate(agentID, key) != nil {
			http.Error(w, "bad key", http.StatusUnauthorized)
			return
		}
	}
	// A token issued in the second of a forced expiry would still be stale.
	now := f.opts.Now()
	f.mu.Lock()
	if nb := max(f.tokenNotBefore[agentID].Unix(), f.tokenNotBefore[""].Unix()); now.Unix() <= nb {
		now = time.Unix(nb+1, 0)
	}
	f.mu.Unlock()
	ts := strconv.FormatInt(now.Unix(), 10)
	tok := wire.Token{AppId: wire.FlexString(f.opts.AppId), Timestamp: wire.FlexString(ts), Token: f.sign(agentID, ts)}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(wire.TokenResponse{Data: &tok})
}
