package sipfront

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// stack is one generation of the SIP transport: sockets, sipgo's user
// agent, server and clients. A restart fault replaces it on the same port.
type stack struct {
	ua        *sipgo.UserAgent
	srv       *sipgo.Server
	udp       *net.UDPConn
	tcp       *net.TCPListener
	udpClient *sipgo.Client
	tcpClient *sipgo.Client
	udpUA     *sipgo.DialogUA
	tcpUA     *sipgo.DialogUA
	ws, wss   *wsListener     // nil when not listening
	wsUA      *sipgo.DialogUA // in-dialog requests go back over the socket (RewriteContact)
	wssUA     *sipgo.DialogUA
	host      net.IP
	port      int
	wg        sync.WaitGroup
}

// stackConfig is what a stack generation is built from; a restart reuses
// it with the ports the first generation got.
type stackConfig struct {
	host     net.IP
	port     int
	wsAddr   *net.TCPAddr // nil: no WS listener
	wssAddr  *net.TCPAddr // nil: no WSS listener
	tls      *tls.Config
	log      *slog.Logger
	register func(*sipgo.Server)
	closed   func(network, raddr string) // a WebSocket connection closed
}

// listenPair binds UDP and TCP on the same port of ip (any free one when
// port is 0).
func listenPair(ip net.IP, port int) (*net.UDPConn, *net.TCPListener, error) {
	for range 50 {
		u, err := net.ListenUDP("udp4", &net.UDPAddr{IP: ip, Port: port})
		if err != nil {
			return nil, nil, fmt.Errorf("sipfront: listen udp: %w", err)
		}
		p := u.LocalAddr().(*net.UDPAddr).Port
		t, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: ip, Port: p})
		if err == nil {
			return u, t, nil
		}
		u.Close()
		if port != 0 {
			return nil, nil, fmt.Errorf("sipfront: listen tcp: %w", err)
		}
	}
	return nil, nil, errors.New("sipfront: no port free for both UDP and TCP")
}

// startStack binds and serves; handlers come from register.
func startStack(cfg stackConfig) (*stack, error) {
	u, t, err := listenPair(cfg.host, cfg.port)
	if err != nil {
		return nil, err
	}
	s := &stack{udp: u, tcp: t, host: cfg.host, port: u.LocalAddr().(*net.UDPAddr).Port}
	log := cfg.log
	if cfg.wsAddr != nil {
		if s.ws, err = listenWS(cfg.wsAddr, "ws", nil, handshakeTimeout, cfg.closed); err != nil {
			s.closeSockets()
			return nil, fmt.Errorf("sipfront: listen ws: %w", err)
		}
	}
	if cfg.wssAddr != nil {
		if s.wss, err = listenWS(cfg.wssAddr, "wss", cfg.tls, handshakeTimeout, cfg.closed); err != nil {
			s.closeSockets()
			return nil, fmt.Errorf("sipfront: listen wss: %w", err)
		}
	}
	s.ua, err = sipgo.NewUA(
		sipgo.WithUserAgent(userAgent),
		sipgo.WithUserAgentHostname(cfg.host.String()),
		sipgo.WithUserAgentTransactionLayerOptions(sip.WithTransactionLayerLogger(log),
			sip.WithTransactionLayerUnhandledResponseHandler(func(*sip.Response) {})),
		sipgo.WithUserAgentTransportLayerOptions(sip.WithTransportLayerLogger(log)),
	)
	if err != nil {
		s.closeSockets()
		return nil, fmt.Errorf("sipfront: user agent: %w", err)
	}
	s.srv, err = sipgo.NewServer(s.ua, sipgo.WithServerLogger(log))
	if err != nil {
		s.close()
		return nil, fmt.Errorf("sipfront: server: %w", err)
	}
	cfg.register(s.srv)
	serving := &servingConn{PacketConn: u, reading: make(chan struct{})}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); _ = s.srv.ServeUDP(serving) }()
	go func() { defer s.wg.Done(); _ = s.srv.ServeTCP(t) }()
	if s.ws != nil {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); _ = s.srv.ServeWS(s.ws) }()
	}
	if s.wss != nil {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); _ = s.srv.ServeWSS(s.wss) }()
	}
	// sipgo finds the UDP listener for outgoing requests in its pool, which
	// ServeUDP fills just before its first read.
	<-serving.reading
	s.udpClient, err = sipgo.NewClient(s.ua, sipgo.WithClientHostname(cfg.host.String()),
		sipgo.WithClientConnectionAddr(u.LocalAddr().String()), sipgo.WithClientLogger(log))
	if err == nil {
		s.tcpClient, err = sipgo.NewClient(s.ua, sipgo.WithClientHostname(cfg.host.String()), sipgo.WithClientLogger(log))
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("sipfront: client: %w", err)
	}
	s.udpUA = &sipgo.DialogUA{Client: s.udpClient, ContactHDR: s.contact("udp")}
	s.tcpUA = &sipgo.DialogUA{Client: s.tcpClient, ContactHDR: s.contact("tcp")}
	// A WebSocket endpoint's Contact ("x.invalid;transport=ws") cannot be
	// reached: requests in its dialogs go back to where its messages came
	// from, its socket.
	s.wsUA = &sipgo.DialogUA{Client: s.tcpClient, ContactHDR: s.contact("ws"), RewriteContact: true}
	s.wssUA = &sipgo.DialogUA{Client: s.tcpClient, ContactHDR: s.contact("wss"), RewriteContact: true}
	return s, nil
}

// transportName is sipgo's transport name as the front keeps it: lower
// case, "udp" when empty.
func transportName(t string) string {
	if t == "" {
		return "udp"
	}
	return strings.ToLower(t)
}

// isWebSocket tells the WebSocket transports.
func isWebSocket(transport string) bool {
	return strings.EqualFold(transport, "ws") || strings.EqualFold(transport, "wss")
}

// contact is the center's Contact for a transport.
func (s *stack) contact(transport string) sip.ContactHeader {
	c := sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "callcenter", Host: s.host.String(), Port: s.port}}
	t := strings.ToLower(transport)
	switch {
	case t == "ws" && s.ws != nil:
		c.Address.Port = s.ws.port()
	case t == "wss" && s.wss != nil:
		c.Address.Port = s.wss.port()
	}
	if t != "" && t != "udp" {
		c.Address.UriParams = sip.NewParams()
		c.Address.UriParams.Add("transport", t)
	}
	return c
}

// dialogUA picks the client for a transport.
func (s *stack) dialogUA(transport string) *sipgo.DialogUA {
	switch strings.ToLower(transport) {
	case "tcp":
		return s.tcpUA
	case "ws":
		return s.wsUA
	case "wss":
		return s.wssUA
	}
	return s.udpUA
}

func (s *stack) client(transport string) *sipgo.Client {
	return s.dialogUA(transport).Client
}

func (s *stack) closeSockets() {
	if s.udp != nil {
		s.udp.Close()
	}
	if s.tcp != nil {
		s.tcp.Close()
	}
	if s.ws != nil {
		s.ws.Close()
	}
	if s.wss != nil {
		s.wss.Close()
	}
}

// close stops the stack and waits for its serving goroutines.
func (s *stack) close() {
	if s.ua != nil {
		_ = s.ua.Close()
	}
	s.closeSockets()
	s.wg.Wait()
}

// dropConnections closes every stream connection (TCP, WS, WSS) of the
// stack.
func (s *stack) dropConnections() {
	for _, network := range []string{"tcp", "ws", "wss"} {
		if pool := s.ua.TransportLayer().Pool(network); pool != nil {
			_ = pool.Clear()
		}
	}
}

// dropConnection closes the stream connection to raddr over network.
func (s *stack) dropConnection(network, raddr string) {
	pool := s.ua.TransportLayer().Pool(network)
	if pool == nil {
		return
	}
	if c := pool.Get(raddr); c != nil {
		_ = pool.CloseAndDelete(c, raddr)
	}
}

// servingConn tells when sipgo starts reading the UDP socket.
type servingConn struct {
	net.PacketConn
	once    sync.Once
	reading chan struct{}
}

func (c *servingConn) ReadFrom(b []byte) (int, net.Addr, error) {
	c.once.Do(func() { close(c.reading) })
	return c.PacketConn.ReadFrom(b)
}
