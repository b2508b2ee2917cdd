package sipfront

import (
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
	host      net.IP
	port      int
	wg        sync.WaitGroup
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
func startStack(ip net.IP, port int, log *slog.Logger, register func(*sipgo.Server)) (*stack, error) {
	u, t, err := listenPair(ip, port)
	if err != nil {
		return nil, err
	}
	s := &stack{udp: u, tcp: t, host: ip, port: u.LocalAddr().(*net.UDPAddr).Port}
	s.ua, err = sipgo.NewUA(
		sipgo.WithUserAgent(userAgent),
		sipgo.WithUserAgentHostname(ip.String()),
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
	register(s.srv)
	serving := &servingConn{PacketConn: u, reading: make(chan struct{})}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); _ = s.srv.ServeUDP(serving) }()
	go func() { defer s.wg.Done(); _ = s.srv.ServeTCP(t) }()
	// sipgo finds the UDP listener for outgoing requests in its pool, which
	// ServeUDP fills just before its first read.
	<-serving.reading
	s.udpClient, err = sipgo.NewClient(s.ua, sipgo.WithClientHostname(ip.String()),
		sipgo.WithClientConnectionAddr(u.LocalAddr().String()), sipgo.WithClientLogger(log))
	if err == nil {
		s.tcpClient, err = sipgo.NewClient(s.ua, sipgo.WithClientHostname(ip.String()), sipgo.WithClientLogger(log))
	}
	if err != nil {
		s.close()
		return nil, fmt.Errorf("sipfront: client: %w", err)
	}
	s.udpUA = &sipgo.DialogUA{Client: s.udpClient, ContactHDR: s.contact("udp")}
	s.tcpUA = &sipgo.DialogUA{Client: s.tcpClient, ContactHDR: s.contact("tcp")}
	return s, nil
}

// contact is the center's Contact for a transport.
func (s *stack) contact(transport string) sip.ContactHeader {
	c := sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "callcenter", Host: s.host.String(), Port: s.port}}
	if strings.EqualFold(transport, "tcp") {
		c.Address.UriParams = sip.NewParams()
		c.Address.UriParams.Add("transport", "tcp")
	}
	return c
}

// dialogUA picks the client for a transport.
func (s *stack) dialogUA(transport string) *sipgo.DialogUA {
	if strings.EqualFold(transport, "tcp") {
		return s.tcpUA
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
}

// close stops the stack and waits for its serving goroutines.
func (s *stack) close() {
	if s.ua != nil {
		_ = s.ua.Close()
	}
	s.closeSockets()
	s.wg.Wait()
}

// dropConnections closes every stream connection (TCP) of the stack.
func (s *stack) dropConnections() {
	if pool := s.ua.TransportLayer().Pool("tcp"); pool != nil {
		_ = pool.Clear()
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
