package sipfront

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"
)

// wsListener stands between the WS/WSS TCP socket and sipgo's WebSocket
// server, for two reasons:
//
//   - sipgo upgrades each connection (TLS handshake included) inside its
//     accept loop, with no deadline: one client that connects and says
//     nothing would keep every other one out. Here each connection gets its
//     TLS handshake and its HTTP upgrade request on its own goroutine,
//     bounded by handshakeTimeout, and only then goes to sipgo, which finds
//     the request already read.
//   - sipgo tells nobody when a WebSocket closes; the front must know (the
//     connection is the agent's binding). Every connection handed over
//     reports its closing once, with its remote address as sipgo names it.
type wsListener struct {
	raw       net.Listener
	network   string // "ws" or "wss"
	tlsConfig *tls.Config
	timeout   time.Duration
	closed    func(network, raddr string)

	ready chan net.Conn
	done  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup

	mu      sync.Mutex
	pending map[net.Conn]struct{} // connections still in their handshake
}

// handshakeTimeout bounds a new connection's TLS handshake and upgrade
// request.
const handshakeTimeout = 5 * time.Second

// maxUpgradeRequest is the most an HTTP upgrade request may take.
const maxUpgradeRequest = 16 << 10

// listenWS binds a WebSocket listener; tlsConfig is set for WSS, timeout
// bounds each connection's handshake.
func listenWS(addr *net.TCPAddr, network string, tlsConfig *tls.Config, timeout time.Duration, closed func(network, raddr string)) (*wsListener, error) {
	raw, err := net.ListenTCP("tcp4", addr)
	if err != nil {
		return nil, err
	}
	l := &wsListener{raw: raw, network: network, tlsConfig: tlsConfig, timeout: timeout, closed: closed,
		ready: make(chan net.Conn), done: make(chan struct{}), pending: map[net.Conn]struct{}{}}
	l.wg.Add(1)
	go l.acceptLoop()
	return l, nil
}

// Accept implements net.Listener: a connection whose upgrade request has
// arrived.
func (l *wsListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Addr implements net.Listener.
func (l *wsListener) Addr() net.Addr { return l.raw.Addr() }

// port is the listening port.
func (l *wsListener) port() int { return l.raw.Addr().(*net.TCPAddr).Port }

// Close implements net.Listener: it stops accepting, drops connections
// still in their handshake and waits for its goroutines. Connections
// already handed to sipgo are sipgo's to close.
func (l *wsListener) Close() error {
	l.once.Do(func() {
		close(l.done)
		_ = l.raw.Close()
		l.mu.Lock()
		for c := range l.pending {
			_ = c.Close()
		}
		l.mu.Unlock()
	})
	l.wg.Wait()
	return nil
}

func (l *wsListener) acceptLoop() {
	defer l.wg.Done()
	for {
		c, err := l.raw.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		l.mu.Lock()
		select {
		case <-l.done:
			l.mu.Unlock()
			_ = c.Close()
			return
		default:
		}
		l.pending[c] = struct{}{}
		l.wg.Add(1)
		l.mu.Unlock()
		go l.prepare(c)
	}
}

// prepare runs the TLS handshake (WSS) and reads the upgrade request, then
// hands the connection over; a connection that fails or takes too long is
// closed.
func (l *wsListener) prepare(raw net.Conn) {
	defer l.wg.Done()
	conn, head, err := l.handshake(raw)
	l.mu.Lock()
	delete(l.pending, raw)
	l.mu.Unlock()
	if err != nil {
		_ = raw.Close()
		return
	}
	c := &wsConn{Conn: conn, head: head, raddr: conn.RemoteAddr().String(), network: l.network, closed: l.closed}
	select {
	case l.ready <- c:
	case <-l.done:
		_ = conn.Close()
	}
}

// handshake returns the connection to speak WebSocket on and what was read
// of it: the upgrade request, up to its blank line.
func (l *wsListener) handshake(raw net.Conn) (net.Conn, []byte, error) {
	deadline := time.Now().Add(l.timeout)
	if err := raw.SetDeadline(deadline); err != nil {
		return nil, nil, err
	}
	conn := raw
	if l.tlsConfig != nil {
		tc := tls.Server(raw, l.tlsConfig)
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			return nil, nil, err
		}
		conn = tc
	}
	head, err := readRequestHead(conn)
	if err != nil {
		return nil, nil, err
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return nil, nil, err
	}
	return conn, head, nil
}

// errNotUpgrade: what arrived is not an HTTP request head of bounded size.
var errNotUpgrade = errors.New("sipfront: not a WebSocket upgrade request")

// readRequestHead reads until the blank line that ends an HTTP request
// head. A client sends nothing more before the server's 101.
func readRequestHead(r interface{ Read([]byte) (int, error) }) ([]byte, error) {
	buf := make([]byte, 0, 1024)
	chunk := make([]byte, 1024)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if complete, bad := requestHeadComplete(buf); bad {
			return nil, errNotUpgrade
		} else if complete {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) > maxUpgradeRequest {
			return nil, errNotUpgrade
		}
	}
}

// requestHeadComplete tells whether b holds a whole request head, and
// whether it cannot be one (it does not start with "GET ").
func requestHeadComplete(b []byte) (complete, bad bool) {
	const get = "GET "
	n := min(len(b), len(get))
	if !bytes.Equal(b[:n], []byte(get)[:n]) {
		return false, true
	}
	return bytes.Contains(b, []byte("\r\n\r\n")), false
}

// wsConn is a connection handed to sipgo: it first replays the upgrade
// request read ahead, and reports its closing once.
type wsConn struct {
	net.Conn
	head    []byte // sipgo's upgrader reads it first; only sipgo's goroutine reads
	raddr   string
	network string
	closed  func(network, raddr string)
	once    sync.Once
}

func (c *wsConn) Read(b []byte) (int, error) {
	if len(c.head) > 0 {
		n := copy(b, c.head)
		c.head = c.head[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// Close closes the connection and reports it. sipgo calls it from its
// connection pool with the pool's lock held: the report must not wait.
func (c *wsConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if c.closed != nil {
			c.closed(c.network, c.raddr)
		}
	})
	return err
}
