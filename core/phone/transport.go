package phone

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"sync"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// startTransport binds the SIP socket, builds sipgo's user agent, server
// and client, and our Contact. Called with p.mu held.
func (p *Phone) startTransport(ctx context.Context) error {
	cfg := p.cfg
	p.localIP = cfg.LocalIP.To4()
	p.bindIP = p.localIP
	if cfg.overWebSocket() {
		// JsSIP's way: the server reaches us over our socket, so Via and
		// Contact name an address that cannot be routed (RFC 7118 §5).
		p.wsHost = randomInvalidHost()
	}
	if p.localIP == nil {
		p.localIP = p.detectLocalIP(ctx)
		// Bound to every address, so that the socket survives the network
		// changing under it; Via and Contact follow the detected address.
		p.bindIP = net.IPv4zero
	}

	txOptions := []sip.TransactionLayerOption{
		sip.WithTransactionLayerLogger(p.log),
		sip.WithTransactionLayerUnhandledResponseHandler(func(r *sip.Response) {
			p.log.Debug("unmatched SIP response (a retransmission)", "response", r.StartLine())
		}),
	}
	tpOptions := []sip.TransportLayerOption{
		sip.WithTransportLayerLogger(p.log),
		// Before the transports below: they copy the filter when set.
		sip.WithTransportLayerReadFilter(p.readFilter),
	}
	if cfg.overWebSocket() {
		// Whatever address sipgo resolves a request to, the socket goes to
		// the configured URL (its path included; sipgo's default is "/").
		dial := cfg.wsURL.String()
		uri := func(string) string { return dial }
		tpOptions = append(tpOptions, sip.WithTransportLayerTransports(sip.TransportsConfig{
			WS:  &sip.TransportWS{DialURI: uri},
			WSS: &sip.TransportWSS{TransportWS: &sip.TransportWS{DialURI: uri}},
		}))
	}
	ua, err := sipgo.NewUA(
		sipgo.WithUserAgent(cfg.UserAgent),
		sipgo.WithUserAgentHostname(cfg.aor.Host),
		sipgo.WithUserAgenTLSConfig(&tls.Config{RootCAs: cfg.TLSRootCAs, MinVersion: tls.VersionTLS12}),
		sipgo.WithUserAgentTransactionLayerOptions(txOptions...),
		sipgo.WithUserAgentTransportLayerOptions(tpOptions...),
	)
	if err != nil {
		return fmt.Errorf("phone: SIP user agent: %w", err)
	}
	if cfg.OnMessage != nil {
		// Before anything is read: sipgo keeps these hooks in a plain slice.
		ua.TransportLayer().OnMessage(p.noteRead)
	}
	srv, err := sipgo.NewServer(ua, sipgo.WithServerLogger(p.log))
	if err != nil {
		ua.Close()
		return fmt.Errorf("phone: SIP server: %w", err)
	}
	p.registerHandlers(srv)

	var clientOptions []sipgo.ClientOption
	switch cfg.Transport {
	case TransportUDP:
		conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: p.bindIP, Port: cfg.ListenPort})
		if err != nil {
			ua.Close()
			return fmt.Errorf("phone: listen udp: %w", err)
		}
		p.udpConn = conn
		p.port = conn.LocalAddr().(*net.UDPAddr).Port
		// Requests leave from the listening socket: NAT bindings and the
		// source port peers see are then the ones we receive on.
		clientOptions = append(clientOptions, sipgo.WithClientConnectionAddr(conn.LocalAddr().String()))
		serving := &servingConn{PacketConn: conn, reading: make(chan struct{})}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			srv.ServeUDP(serving)
		}()
		// sipgo finds the listener for outgoing requests in its pool, which
		// ServeUDP fills just before its first read: wait for that read.
		select {
		case <-serving.reading:
		case <-ctx.Done():
			ua.Close()
			conn.Close()
			return ctx.Err()
		}
	case TransportTCP:
		l, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: p.bindIP, Port: cfg.ListenPort})
		if err != nil {
			ua.Close()
			return fmt.Errorf("phone: listen tcp: %w", err)
		}
		p.listener = l
		p.port = l.Addr().(*net.TCPAddr).Port
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			srv.ServeTCP(l)
		}()
	case TransportTLS, TransportWS, TransportWSS:
		// No listener: peers reach us over the connection we open.
	}
	p.ua, p.server = ua, srv
	p.client, err = p.newClient(p.viaHostLocked(), clientOptions...)
	if err != nil {
		p.closeTransportLocked()
		return err
	}
	p.contact = p.buildContact(p.localIP, p.port)
	return nil
}

// viaHostLocked is the host of our Via: the .invalid name over WebSocket,
// the local address otherwise. p.mu is held.
func (p *Phone) viaHostLocked() string {
	if p.wsHost != "" {
		return p.wsHost
	}
	return p.localIP.String()
}

func (p *Phone) newClient(host string, options ...sipgo.ClientOption) (*sipgo.Client, error) {
	options = append([]sipgo.ClientOption{
		sipgo.WithClientHostname(host),
		sipgo.WithClientNAT(), // ;rport in our Via (RFC 3581)
		sipgo.WithClientLogger(p.log),
	}, options...)
	c, err := sipgo.NewClient(p.ua, options...)
	if err != nil {
		return nil, fmt.Errorf("phone: SIP client: %w", err)
	}
	if p.cfg.overWebSocket() {
		c.TxRequester = &toWebSocketServer{p: p}
	}
	return c, nil
}

func (p *Phone) closeTransportLocked() {
	if p.udpConn != nil {
		p.udpConn.Close()
	}
	if p.listener != nil {
		p.listener.Close()
	}
	if p.ua != nil {
		p.ua.Close()
	}
}

func (p *Phone) buildContact(ip net.IP, port int) sip.ContactHeader {
	c := sip.ContactHeader{
		Address: sip.Uri{Scheme: "sip", User: p.cfg.aor.User, Host: ip.String(), Port: port},
	}
	if p.wsHost != "" {
		// RFC 7118 §5: transport=ws, for WSS too.
		c.Address.Host, c.Address.Port = p.wsHost, 0
		c.Address.UriParams = sip.NewParams()
		c.Address.UriParams.Add("transport", "ws")
		return c
	}
	if p.cfg.Transport != TransportUDP {
		c.Address.UriParams = sip.NewParams()
		c.Address.UriParams.Add("transport", p.cfg.Transport)
	}
	return c
}

// detectLocalIP finds the address of the route to the server (no packet is
// sent), else the first non-loopback IPv4 address, else loopback.
func (p *Phone) detectLocalIP(ctx context.Context) net.IP {
	host, port := p.cfg.aor.Host, p.cfg.aor.Port
	if p.cfg.proxy != nil {
		host, port = p.cfg.proxy.Host, p.cfg.proxy.Port
	}
	if port == 0 {
		port = 5060
	}
	target := net.JoinHostPort(host, strconv.Itoa(port))
	if p.cfg.overWebSocket() {
		target = p.cfg.wsServer
	}
	var d net.Dialer
	if conn, err := d.DialContext(ctx, "udp4", target); err == nil {
		ip := conn.LocalAddr().(*net.UDPAddr).IP.To4()
		conn.Close()
		if ip != nil && !ip.IsUnspecified() {
			return ip
		}
	}
	if ip := firstIPv4(net.InterfaceAddrs); ip != nil {
		return ip
	}
	return net.IPv4(127, 0, 0, 1).To4()
}

func firstIPv4(addrs func() ([]net.Addr, error)) net.IP {
	list, err := addrs()
	if err != nil {
		return nil
	}
	for _, a := range list {
		if n, ok := a.(*net.IPNet); ok {
			if ip := n.IP.To4(); ip != nil && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
				return ip
			}
		}
	}
	return nil
}

// rehome follows a new local address after a network change: new Via host
// (a new client handle) and new Contact for the calls and registrations to
// come. Only when LocalIP was detected, never when it was configured.
func (p *Phone) rehome(ctx context.Context) bool {
	if p.cfg.LocalIP != nil {
		return false
	}
	ip := p.detectLocalIP(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	if ip.Equal(p.localIP) {
		return false
	}
	var options []sipgo.ClientOption
	if p.udpConn != nil {
		options = append(options, sipgo.WithClientConnectionAddr(p.udpConn.LocalAddr().String()))
	}
	host := ip.String()
	if p.wsHost != "" {
		host = p.wsHost
	}
	client, err := p.newClient(host, options...)
	if err != nil {
		p.log.Warn("cannot follow the new local address", "ip", ip, "error", err)
		return false
	}
	p.log.Info("local address changed", "from", p.localIP, "to", ip)
	p.localIP, p.client = ip, client
	if p.wsHost == "" {
		p.contact.Address.Host = ip.String()
	}
	return true
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

// fromListener makes an in-dialog request leave from our UDP listening
// socket. sipgo's dialog helpers do not set the local address, and would
// open a new socket for a peer we have not heard from on this one (a
// Contact that is not where its requests came from).
func (p *Phone) fromListener(req *sip.Request) {
	if p.udpConn == nil {
		return
	}
	addr := p.udpConn.LocalAddr().(*net.UDPAddr)
	req.Laddr = sip.Addr{IP: addr.IP, Port: addr.Port, Hostname: addr.IP.String()}
}

// readFilter sees everything the transports read. It discards everything
// once Close has said its goodbyes (sipgo handles each message on a
// goroutine of its own, and one arriving while the stack shuts down would
// open a fresh socket to answer), and on a WebSocket it notes the server's
// socket and its keep-alive answers.
func (p *Phone) readFilter(props sip.TransportReadProps, data []byte) ([]byte, error) {
	if p.sealed.Load() {
		return nil, nil
	}
	if p.wsHost != "" && props.RemoteAddr != nil {
		p.ws.heard(props.RemoteAddr.String(), data)
	}
	return data, nil
}

// noteRead sees every message the transports read, on the reading
// goroutine and in read order (sipgo's transaction layer has already sent
// it off to a goroutine of its own): MESSAGEs are queued in that order.
func (p *Phone) noteRead(msg sip.Message) {
	if req, ok := msg.(*sip.Request); ok && req.Method == sip.MESSAGE {
		p.inbox.arrived(req)
	}
}
