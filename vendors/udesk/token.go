package udesk

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"

	"agentbar/vendors/udesk/wire"
)

// tokenSource asks the customer's backend for a token (the SDK's GetToken)
// and keeps it until the platform refuses it.
type tokenSource struct {
	url     string
	secret  string // sent as a bearer token when set
	appID   string
	agentID string
	client  *http.Client

	mu  sync.Mutex
	cur *wire.Token
}

// get returns the cached token, or a new one when fresh is set or none is
// cached. The backend is asked with GET url?appId=..&agentId=..
func (t *tokenSource) get(ctx context.Context, fresh bool) (wire.Token, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur != nil && !fresh {
		return *t.cur, nil
	}
	u, err := url.Parse(t.url)
	if err != nil {
		return wire.Token{}, &TokenError{URL: t.url, Err: err}
	}
	q := u.Query()
	q.Set("appId", t.appID)
	q.Set("agentId", t.agentID)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return wire.Token{}, &TokenError{URL: t.url, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if t.secret != "" {
		req.Header.Set("Authorization", "Bearer "+t.secret)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return wire.Token{}, &TokenError{URL: t.url, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, wire.MaxFrameSize+1))
	if err != nil {
		return wire.Token{}, &TokenError{URL: t.url, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return wire.Token{}, &TokenError{URL: t.url, Status: resp.StatusCode, Err: fmt.Errorf("%s", truncate(body, 120))}
	}
	tok, err := wire.DecodeToken(body)
	if err != nil {
		return wire.Token{}, &TokenError{URL: t.url, Err: err}
	}
	if string(tok.AppId) != t.appID {
		return wire.Token{}, &TokenError{URL: t.url, Err: fmt.Errorf("%w: token is for app %q, the account is %q", wire.ErrMalformedToken, tok.AppId, t.appID)}
	}
	t.cur = &tok
	return tok, nil
}

// drop forgets the cached token (the platform refused it).
func (t *tokenSource) drop() {
	t.mu.Lock()
	t.cur = nil
	t.mu.Unlock()
}
