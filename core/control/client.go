package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// maxReplyBytes bounds what the client reads of one reply or event
// (history pages and supervisor walls can be large; nothing is larger).
const maxReplyBytes = 16 << 20

// Client talks to the running instance found in a config directory.
type Client struct {
	endpoint  Endpoint
	token     string
	transport *http.Transport
	hc        *http.Client
}

// NewClient reads <dir>/control.json and <dir>/control-token. It returns a
// *NotRunningError when no instance has published an endpoint there (or
// its process is gone).
func NewClient(dir string) (*Client, error) {
	ep, err := ReadEndpoint(dir)
	if err != nil {
		return nil, err
	}
	tok, err := readToken(filepath.Join(dir, TokenFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	tr := &http.Transport{
		Proxy:               nil, // loopback never goes through a proxy
		DialContext:         (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     30 * time.Second,
	}
	return &Client{endpoint: ep, token: tok, transport: tr, hc: &http.Client{Transport: tr}}, nil
}

// Endpoint is where the client connects.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// Close releases idle connections.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// Do sends one command. path is "/v1/status" or just "status"; body is
// marshalled to JSON (a []byte or json.RawMessage is sent as is; nil sends
// nothing). It returns the whole success body ({"ok":true,...}) or an
// *APIError, or a *NotRunningError when nothing listens any more.
func (c *Client) Do(ctx context.Context, method, path string, body any) (json.RawMessage, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case json.RawMessage:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("control: encode request: %w", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+c.endpoint.Addr+routePath(path), rd)
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.transportError(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	if err != nil {
		return nil, fmt.Errorf("control: read reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, apiError(resp.StatusCode, raw)
	}
	return json.RawMessage(bytes.TrimSpace(raw)), nil
}

// routePath turns "status" into "/v1/status"; a full path passes through.
func routePath(p string) string {
	if strings.HasPrefix(p, "/") {
		return p
	}
	return apiPrefix + p
}

// transportError: a refused or failed connection to a loopback port means
// the instance that wrote the endpoint file is gone.
func (c *Client) transportError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return &NotRunningError{Reason: fmt.Sprintf("nothing answers at %s: %v", c.endpoint.Addr, op.Err)}
	}
	return fmt.Errorf("control: %w", err)
}

// apiError reads an error reply; a body that is not ours still yields an
// error with the status.
func apiError(status int, raw []byte) *APIError {
	var r errorReply
	if err := json.Unmarshal(raw, &r); err != nil || r.Code == "" {
		return &APIError{Status: status, Code: fmt.Sprintf("http_%d", status), Technical: shorten(string(raw), 200)}
	}
	return &APIError{Status: status, Code: r.Code, Technical: r.Error, Message: r.Message,
		MessageZH: r.MessageZH, MessageEN: r.MessageEN}
}

// Events opens the event stream. The first message is the hello snapshot
// ({"type":"hello","status":...}), then one JSON object per event, in
// order. The message channel closes when the stream ends; the error
// channel then yields one value: nil when ctx ended it, a
// *StreamEndedError when agentbar closed it, or what went wrong.
func (c *Client) Events(ctx context.Context) (<-chan []byte, <-chan error) {
	msgs := make(chan []byte)
	errc := make(chan error, 1)
	d := websocket.Dialer{
		NetDialContext:   (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		HandshakeTimeout: 10 * time.Second,
	}
	hdr := http.Header{"Authorization": {"Bearer " + c.token}}
	conn, resp, err := d.DialContext(ctx, "ws://"+c.endpoint.Addr+apiPrefix+"events", hdr)
	if err != nil {
		close(msgs)
		switch {
		case resp != nil:
			raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
			resp.Body.Close()
			err = apiError(resp.StatusCode, raw)
		case ctx.Err() != nil:
			err = nil
		default:
			err = c.transportError(err)
		}
		errc <- err
		close(errc)
		return msgs, errc
	}
	conn.SetReadLimit(maxReplyBytes)
	go readEvents(ctx, conn, msgs, errc)
	return msgs, errc
}

// readEvents pumps messages until the stream or ctx ends.
func readEvents(ctx context.Context, conn *websocket.Conn, msgs chan<- []byte, errc chan<- error) {
	done := make(chan struct{})
	watcherDone := make(chan struct{})
	go func() { // ReadMessage does not take a ctx: closing the conn unblocks it
		defer close(watcherDone)
		select {
		case <-ctx.Done():
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			_ = conn.Close()
		case <-done:
		}
	}()
	err := func() error {
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return err
			}
			select {
			case msgs <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}()
	close(done)
	<-watcherDone
	_ = conn.Close()
	close(msgs)
	var ce *websocket.CloseError
	switch {
	case ctx.Err() != nil:
		err = nil
	case errors.As(err, &ce):
		err = &StreamEndedError{Code: ce.Code, Text: ce.Text}
	default:
		err = fmt.Errorf("control: event stream: %w", err)
	}
	errc <- err
	close(errc)
}
