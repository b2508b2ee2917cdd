package udesk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// query sends a method to HttpDomain (POST HttpDomain/<Method>) and decodes
// the reply's Data into out (when out is not nil). A refused token is
// fetched again and the query retried once.
func (a *Adapter) query(ctx context.Context, method string, params any, out any) error {
	env, err := a.queryOnce(ctx, method, params, false)
	if errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenRejected) {
		env, err = a.queryOnce(ctx, method, params, true)
	}
	if err != nil {
		return err
	}
	if out != nil {
		return wire.DecodeData(env.Data, out)
	}
	return nil
}

func (a *Adapter) queryOnce(ctx context.Context, method string, params any, freshToken bool) (wire.Envelope, error) {
	tok, err := a.tokens.get(ctx, freshToken)
	if err != nil {
		return wire.Envelope{}, err
	}
	body := []byte("{}")
	if params != nil {
		if body, err = json.Marshal(params); err != nil {
			return wire.Envelope{}, fmt.Errorf("udesk: %s: %w", method, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, a.opts.socket.requestTimeout)
	defer cancel()
	started := time.Now()
	url := strings.TrimRight(a.httpDomain, "/") + "/" + method
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return wire.Envelope{}, fmt.Errorf("udesk: %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(wire.HeaderAppId, a.appID)
	req.Header.Set(wire.HeaderAgentId, a.agentID)
	req.Header.Set(wire.HeaderTimestamp, string(tok.Timestamp))
	req.Header.Set(wire.HeaderToken, tok.Token)
	resp, err := a.http.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return wire.Envelope{}, &TimeoutError{Method: method, After: time.Since(started)}
		}
		return wire.Envelope{}, fmt.Errorf("udesk: %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, wire.MaxFrameSize+1))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return wire.Envelope{}, &TimeoutError{Method: method, After: time.Since(started)}
		}
		return wire.Envelope{}, fmt.Errorf("udesk: %s: %w", method, err)
	}
	env, err := wire.DecodeEnvelope(raw)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound {
			return wire.Envelope{}, fmt.Errorf("%w: %s (HTTP 404)", core.ErrNotSupported, method)
		}
		return wire.Envelope{}, fmt.Errorf("udesk: %s: HTTP %d: %w", method, resp.StatusCode, err)
	}
	if !env.OK() {
		if env.Code == wire.CodeTokenExpired || env.Code == wire.CodeTokenInvalid {
			a.tokens.drop()
		}
		return env, &PlatformError{Method: method, Code: env.Code, Message: env.Message, Visible: bool(env.Visible)}
	}
	return env, nil
}
