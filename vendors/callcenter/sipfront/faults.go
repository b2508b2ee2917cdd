package sipfront

import (
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"agentbar/vendors/callcenter"
)

// fault carries out a one-shot fault knob.
func (f *Front) fault(ft callcenter.Fault) {
	defer func() {
		f.mu.Lock()
		hook := f.faulted
		f.mu.Unlock()
		if hook != nil {
			hook(ft)
		}
	}()
	switch x := ft.(type) {
	case callcenter.Drop:
		f.drop(x)
	case callcenter.Restart:
		f.goTracked(func() { f.restart(x.Downtime.D()) })
	case callcenter.ExpireToken:
		// Digest nonces are the SIP front's tokens: every one goes stale and
		// the next request is challenged with stale=true.
		f.expireNonces()
	case callcenter.Malformed:
		f.goTracked(func() {
			if err := f.malformed(x); err != nil {
				f.log.Info("sipfront: malformed message not sent", "agent", x.Agent, "err", err)
			}
		})
	}
}

// drop closes stream connections, TCP and WebSocket (the agent's, or all),
// and ignores every request for the silence that follows.
func (f *Front) drop(d callcenter.Drop) {
	f.mu.Lock()
	f.silentUntil = time.Now().Add(d.Silence.D())
	st := f.st
	b := f.bindings[d.Agent]
	f.mu.Unlock()
	if st == nil {
		return
	}
	if d.Agent == "" {
		st.dropConnections()
		return
	}
	if b != nil && b.transport != "udp" {
		st.dropConnection(b.transport, b.source)
	}
}

// restart stops the SIP stack, forgets every registration, and starts a
// new stack on the same port after downtime. Calls keep their RTP: a call
// whose media path survives keeps its audio.
func (f *Front) restart(downtime time.Duration) {
	f.mu.Lock()
	st := f.st
	f.st = nil
	agents := make([]string, 0, len(f.bindings))
	for id, b := range f.bindings {
		b.timer.Stop()
		agents = append(agents, id)
	}
	f.bindings = map[string]*binding{}
	f.mu.Unlock()
	if st == nil {
		return
	}
	f.log.Info("sipfront: restarting", "downtime", downtime)
	st.close()
	for _, a := range agents {
		f.unregistered(a)
		f.signOutUnlessElsewhere(a, "registrar restarted")
	}
	t := time.NewTimer(downtime)
	select {
	case <-t.C:
	case <-f.life.Done():
		t.Stop()
		return
	}
	cfg := f.stackConfig()
	for attempt := 0; ; attempt++ {
		next, err := startStack(cfg)
		if err == nil {
			f.mu.Lock()
			if f.closed {
				f.mu.Unlock()
				next.close()
				return
			}
			f.st = next
			hook := f.restarted
			f.mu.Unlock()
			f.log.Info("sipfront: restarted", "port", cfg.port)
			if hook != nil {
				hook()
			}
			return
		}
		if attempt == 20 {
			f.log.Error("sipfront: could not restart", "err", err)
			return
		}
		retry := time.NewTimer(100 * time.Millisecond) // the old sockets may take a moment to go
		select {
		case <-retry.C:
		case <-f.life.Done():
			retry.Stop()
			return
		}
	}
}

// malformed sends the agent's endpoint something broken (see SendMalformed).
func (f *Front) malformed(m callcenter.Malformed) error {
	reply, err := f.SendMalformed(m.Agent, m.What)
	if err == nil {
		f.log.Info("sipfront: malformed message sent", "agent", m.Agent, "what", m.What, "reply", reply)
	}
	return err
}

// SendMalformed sends the agent's registered endpoint a broken message
// ("garbage", "bad_header" or "bad_sdp") from a throwaway socket and
// returns the status line of its answer, if one comes within a second
// ("" when it rightly ignores what it cannot parse). An endpoint on a
// WebSocket gets it over its socket, as one text frame; its answer, if
// any, is not read ("").
func (f *Front) SendMalformed(agent, what string) (string, error) {
	b, ok := f.binding(agent)
	if !ok {
		return "", ErrNotRegistered
	}
	if isWebSocket(b.transport) {
		return "", f.sendMalformedOverSocket(b, what)
	}
	port := b.contact.Port
	if port == 0 {
		port = 5060
	}
	addr := net.JoinHostPort(b.contact.Host, fmt.Sprint(port))
	network := "udp"
	if b.transport == "tcp" {
		network = "tcp"
	}
	conn, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	local := conn.LocalAddr().String()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write(malformedMessage(what, b, local)); err != nil {
		return "", err
	}
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	if err != nil {
		return "", nil // no answer: fine, and what most stacks do with garbage
	}
	line, _, _ := strings.Cut(string(buf[:n]), "\r\n")
	return line, nil
}

// malformedMessage builds the broken message of each kind.
func malformedMessage(what string, b *binding, hostPort string) []byte {
	target := b.contact.String()
	switch what {
	case "bad_header":
		return []byte("OPTIONS " + target + " SIP/2.0\r\nVia: this is not a via\r\nCSeq: many OPTIONS\r\n" +
			"From: <<<\r\nTo: >>>\r\nCall-ID: \r\nContent-Length: 9999\r\n\r\n")
	case "bad_sdp":
		body := "v=0\r\nthis is not SDP\r\nm=audio seven RTP/AVP zero\r\n"
		host, _, _ := net.SplitHostPort(hostPort)
		via := "SIP/2.0/" + strings.ToUpper(b.transport) + " " + hostPort + ";rport;branch=z9hG4bK-malformed" + fmt.Sprint(time.Now().UnixNano())
		return []byte("INVITE " + target + " SIP/2.0\r\nVia: " + via + "\r\nMax-Forwards: 70\r\n" +
			"From: <sip:malformed@" + host + ">;tag=bad\r\nTo: <" + target + ">\r\nCall-ID: malformed-" + fmt.Sprint(time.Now().UnixNano()) + "\r\n" +
			"CSeq: 1 INVITE\r\nContact: <sip:malformed@" + hostPort + ">\r\nContent-Type: application/sdp\r\n" +
			fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
	}
	return []byte("\x00\xff\xfeTHIS IS NOT SIP\r\n\x01\x02\x03\r\n\r\n")
}

// sendMalformedOverSocket writes the broken message on the agent's
// WebSocket.
func (f *Front) sendMalformedOverSocket(b *binding, what string) error {
	st := f.stack()
	if st == nil {
		return ErrClosed
	}
	conn, err := st.ua.TransportLayer().GetConnection(b.transport, b.source)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSocketLost, err)
	}
	defer conn.TryClose() // GetConnection took a reference
	w, ok := conn.(io.Writer)
	if !ok {
		return fmt.Errorf("sipfront: %T cannot write a raw message", conn)
	}
	local := conn.LocalAddr().String()
	_, err = w.Write(malformedMessage(what, b, local))
	return err
}
