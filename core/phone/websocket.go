package phone

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// SIP over WebSocket (RFC 7118), the way JsSIP does it: one socket to the
// server carries everything both ways; Via and Contact carry a random
// "<name>.invalid" host with transport=ws (the server reaches us over the
// socket, never at an address); in-dialog requests follow the dialog's
// route set or, without one, go back where the dialog came from
// (sipgo's RewriteContact).
//
// Keeping the socket: a CRLF keep-alive every Config.KeepAlive (RFC 5626
// §4.4.1; WebSocket pings with a payload break sipgo's reader, see
// notes/go-stack.md). A server that answers CRLF with CRLF is expected to
// keep doing so: two keep-alives in a row unanswered and the socket is taken
// as dead.
// A socket the server closes (restart, idle timeout) is noticed within a
// second by looking at sipgo's connection pool. Either way the registration
// loop is poked: it registers again over a new socket, retrying at
// wsReconnectDelay while the server cannot be reached, so the account is
// back within about 2 s of the server's return.
//
// Calls survive a new socket as far as they can: their media does not go
// through it, our in-dialog requests follow the route set over the new
// socket; requests from the other side may be lost if the server routed
// them to the old one.

// wsWatchEvery is how often the phone looks for its socket in sipgo's pool.
const wsWatchEvery = time.Second

// wsMissedKeepAlives unanswered in a row make a socket dead (when the server
// answers them at all).
const wsMissedKeepAlives = 2

// wsLink is what the phone knows about its WebSocket, learned from what it
// reads (see Phone.readFilter).
type wsLink struct {
	mu       sync.Mutex
	peer     string    // the server's address as the socket reports it; "" = no socket seen yet
	pongs    bool      // the server answers CRLF keep-alives
	lastPong time.Time // when it last did
}

var crlf = []byte("\r\n")

// heard notes one read from the socket to peer.
func (w *wsLink) heard(peer string, data []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.peer = peer
	if bytes.Equal(data, crlf) {
		w.pongs, w.lastPong = true, time.Now()
	}
}

func (w *wsLink) state() (peer string, pongs bool, lastPong time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peer, w.pongs, w.lastPong
}

// forget drops peer, unless a new socket has been heard from meanwhile.
func (w *wsLink) forget(peer string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.peer != peer {
		return false
	}
	w.peer, w.pongs = "", false
	return true
}

// toWebSocketServer sends every request of ours to the WebSocket server,
// over the one socket, as JsSIP does: a route set naming the server by
// another address (or port) must not open a second socket, which sipgo
// would keep under that name after it closes.
type toWebSocketServer struct{ p *Phone }

func (r *toWebSocketServer) Request(ctx context.Context, req *sip.Request) (sip.ClientTransaction, error) {
	req.SetDestination(r.p.cfg.wsServer)
	if req.IsAck() {
		return nil, r.p.ua.TransportLayer().WriteMsg(req)
	}
	return r.p.ua.TransactionLayer().Request(ctx, req)
}

// toServer sends a request that starts a dialog or a registration to the
// WebSocket server, whatever its Request-URI says (the server is the only
// peer a WebSocket client has).
func (p *Phone) toServer(req *sip.Request) {
	if p.cfg.overWebSocket() {
		req.SetDestination(p.cfg.wsServer)
	}
}

// network is sipgo's name of our transport.
func (p *Phone) network() string { return strings.ToLower(p.cfg.Transport) }

// keepWebSocket runs the keep-alive and the socket watch until ctx ends.
func (p *Phone) keepWebSocket(ctx context.Context) {
	keepEvery, watchEvery := p.cfg.KeepAlive, wsWatchEvery
	if p.hooks.wsWatchEvery > 0 {
		watchEvery = p.hooks.wsWatchEvery
	}
	keep := time.NewTicker(keepEvery)
	defer keep.Stop()
	watch := time.NewTicker(watchEvery)
	defer watch.Stop()
	var pingedAt time.Time
	var pingedPeer string
	missed := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-watch.C:
			if peer, _, _ := p.ws.state(); peer != "" && !p.socketOpen(peer) {
				p.wsLost(peer, "the server closed the WebSocket")
			}
		case <-keep.C:
			peer, pongs, lastPong := p.ws.state()
			if peer == "" {
				continue
			}
			if pongs && peer == pingedPeer && lastPong.Before(pingedAt) {
				missed++
			} else {
				missed = 0
			}
			if missed >= wsMissedKeepAlives {
				missed = 0
				p.closeSocket(peer)
				p.wsLost(peer, fmt.Sprintf("%d keep-alives in a row unanswered", wsMissedKeepAlives))
				continue
			}
			if err := p.sendKeepAlive(peer); err != nil {
				p.closeSocket(peer)
				p.wsLost(peer, "keep-alive failed: "+err.Error())
				continue
			}
			pingedAt, pingedPeer = time.Now(), peer
		}
	}
}

// socketOpen tells whether sipgo still has the socket to peer.
func (p *Phone) socketOpen(peer string) bool {
	conn, err := p.ua.TransportLayer().GetConnection(p.network(), peer)
	if err != nil || conn == nil {
		return false
	}
	conn.TryClose() // GetConnection took a reference
	return true
}

// sendKeepAlive writes a double CRLF (RFC 5626 §4.4.1) as a text frame.
func (p *Phone) sendKeepAlive(peer string) error {
	conn, err := p.ua.TransportLayer().GetConnection(p.network(), peer)
	if err != nil {
		return err
	}
	defer conn.TryClose()
	w, ok := conn.(io.Writer)
	if !ok {
		return fmt.Errorf("phone: %T cannot write a keep-alive", conn)
	}
	_, err = w.Write([]byte("\r\n\r\n"))
	return err
}

// closeSocket drops a socket that no longer works, so that the next request
// opens a new one.
func (p *Phone) closeSocket(peer string) {
	conn, err := p.ua.TransportLayer().GetConnection(p.network(), peer)
	if err != nil {
		return
	}
	conn.TryClose()
	conn.Close()
}

// wsLost reports a lost socket and has the registration loop open a new one.
func (p *Phone) wsLost(peer, why string) {
	if !p.ws.forget(peer) {
		return
	}
	p.log.Info("WebSocket lost; connecting again", "server", peer, "why", why)
	// Say so at once: the new socket's REGISTER may take a while, and the
	// agent should see "reconnecting" meanwhile, not a healthy line.
	p.reportRegistration(RegistrationChanged{State: Registering})
	p.poke("WebSocket lost: " + why)
}

// Reconnect schedule over WebSocket while the server cannot be reached:
// 0.5 s, 1 s, then every 1.5 s (±20 %), so that the account is back within
// 2 s of the server's return. Refusals (403...) keep the slower
// registration backoff.
func wsReconnectDelay(attempt int) time.Duration {
	d := 1500 * time.Millisecond
	switch attempt {
	case 0:
		d = 500 * time.Millisecond
	case 1:
		d = time.Second
	}
	jitter := time.Duration(rand.Int64N(int64(d)*2/5+1)) - d/5
	return d + jitter
}

// randomInvalidHost is a Via/Contact host in JsSIP's style: random letters
// under the reserved .invalid top-level domain (RFC 2606).
func randomInvalidHost() string {
	var b [5]byte
	if _, err := crand.Read(b[:]); err != nil {
		return "agentbar.invalid"
	}
	return hex.EncodeToString(b[:]) + ".invalid"
}
