package media

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/pion/rtp"

	"agentbar/audio"
	"agentbar/core/rtpcore"
)

func TestSessionLoopbackToneBothWays(t *testing.T) {
	t.Parallel()
	a, b := callPair(t, Config{})
	settle(t, b)
	hears(t, b, 1000)
	hears(t, a, 700)
	qa, qb := a.sess.Stats(), b.sess.Stats()
	if qa.PacketsSent < 20 || qb.PacketsReceived < 20 || qa.LossPercent != 0 || qb.Foreign+qb.Malformed != 0 {
		t.Errorf("stats A %+v\nB %+v", qa, qb)
	}
	if qb.MOS < 4.2 {
		t.Errorf("MOS %.2f on loopback", qb.MOS)
	}
	// The exact delay depends on how loaded the machine is (the jitter
	// buffer's own tests pin it down on a simulated clock); here it must
	// merely not sit near its 300 ms cap.
	if d := qb.JitterBufferDelay; d > 120*time.Millisecond {
		t.Errorf("jitter buffer delay %v on loopback", d)
	}
}

func TestSessionHoldAndResume(t *testing.T) {
	t.Parallel()
	a, b := callPair(t, Config{})
	settle(t, a)
	hears(t, a, 700)

	// A puts B on hold: A sendonly, B recvonly. B still hears A; A hears nothing.
	update(t, a, pcmuParams(b.sess.LocalAddr(), SendOnly))
	update(t, b, pcmuParams(a.sess.LocalAddr(), RecvOnly))
	settle(t, a)
	silent(t, a)
	hears(t, b, 1000)
	sentBefore := b.sess.Stats().PacketsSent
	silent(t, a)
	if sent := b.sess.Stats().PacketsSent - sentBefore; sent != 0 {
		t.Errorf("recvonly side sent %d packets", sent)
	}

	// Both inactive: silence both ways, RTCP keeps going.
	update(t, a, pcmuParams(b.sess.LocalAddr(), Inactive))
	update(t, b, pcmuParams(a.sess.LocalAddr(), Inactive))
	settle(t, b)
	silent(t, a)
	silent(t, b)

	// Resume.
	update(t, a, pcmuParams(b.sess.LocalAddr(), SendRecv))
	update(t, b, pcmuParams(a.sess.LocalAddr(), SendRecv))
	settle(t, a)
	settle(t, b)
	hears(t, a, 700)
	hears(t, b, 1000)
}

func update(t *testing.T, e *endpoint, p Params) {
	t.Helper()
	if err := e.sess.Update(p); err != nil {
		t.Fatal(err)
	}
}

func TestSessionDTMFBothWays(t *testing.T) {
	t.Parallel()
	a, b := callPair(t, Config{})
	for _, digit := range "159#*0A" {
		if err := a.sess.SendDTMF(digit, 60*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		expectDigit(t, b.sess, digit)
	}
	if err := b.sess.SendDTMF('7', 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	expectDigit(t, a.sess, '7')
	// Each digit exactly once although its end packet went out three times.
	hears(t, b, 1000)
	select {
	case d := <-b.sess.DTMF():
		t.Errorf("extra digit %q", d)
	default:
	}
	if st := a.sess.Stats(); st.DTMFSent != 7 {
		t.Errorf("DTMFSent = %d", st.DTMFSent)
	}
	if st := b.sess.Stats(); st.DTMFReceived != 7 {
		t.Errorf("DTMFReceived = %d", st.DTMFReceived)
	}
	// Audio resumes after the digits.
	hears(t, b, 1000)
}

func expectDigit(t *testing.T, s *Session, want rune) {
	t.Helper()
	select {
	case got := <-s.DTMF():
		if got != want {
			t.Errorf("digit %q, want %q", got, want)
		}
	case <-time.After(3 * time.Second):
		t.Fatalf("digit %q never arrived", want)
	}
}

// The packets of one digit on the wire: RFC 4733 layout.
func TestSessionDTMFWireFormat(t *testing.T) {
	t.Parallel()
	peer := newRawPeer(t)
	e := newEndpoint(t, 1000, Config{})
	if err := e.sess.Start(pcmuParams(peer.addr(), SendRecv), e.port); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- e.sess.SendDTMF('9', 100*time.Millisecond) }()
	var events []rtp.Packet
	buf := make([]byte, 2048)
	deadline := time.Now().Add(5 * time.Second)
	for ends := 0; ends < 3; {
		_ = peer.conn.SetReadDeadline(deadline)
		n, _, err := peer.conn.ReadFromUDP(buf)
		if err != nil {
			t.Fatal(err)
		}
		var p rtp.Packet
		if err := p.Unmarshal(append([]byte(nil), buf[:n]...)); err != nil {
			t.Fatal(err)
		}
		if p.PayloadType != 101 {
			continue
		}
		events = append(events, p)
		if ev, _ := rtpcore.ParseTelephoneEvent(p.Payload); ev.End {
			ends++
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !events[0].Marker {
		t.Error("first event packet has no marker")
	}
	var lastDur uint16
	for i, p := range events {
		ev, _ := rtpcore.ParseTelephoneEvent(p.Payload)
		if p.Timestamp != events[0].Timestamp || ev.Event != 9 || ev.Volume != rtpcore.DTMFVolume {
			t.Errorf("packet %d: ts %d event %d vol %d", i, p.Timestamp, ev.Event, ev.Volume)
		}
		if i > 0 && (p.Marker || p.SequenceNumber != events[i-1].SequenceNumber+1 || ev.Duration < lastDur) {
			t.Errorf("packet %d: marker %v seq %d duration %d", i, p.Marker, p.SequenceNumber, ev.Duration)
		}
		lastDur = ev.Duration
	}
	if n := len(events); n < 7 || lastDur != 800 {
		t.Errorf("%d packets, final duration %d; want ≥ 5 + 3 end, 800 (100 ms)", n, lastDur)
	}
}

func TestSessionSSRCChange(t *testing.T) {
	t.Parallel()
	peer := newRawPeer(t)
	e := newEndpoint(t, 1000, Config{})
	if err := e.sess.Start(pcmuParams(peer.addr(), SendRecv), e.port); err != nil {
		t.Fatal(err)
	}
	stream := newRTPStream(0x1111, 100, 5000, 500)
	ctx, cancel := context.WithCancel(context.Background())
	to := e.sess.LocalAddr()
	done := pace(ctx, func() { peer.send(to, stream.next()) })
	settle(t, e)
	hears(t, e, 500)
	// The peer's source changes (a transfer, a media server swap): new
	// SSRC, sequence and timestamp.
	switched := make(chan struct{})
	stream2 := newRTPStream(0x2222, 60000, 4000000000, 800)
	cancel()
	<-done
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := pace(ctx2, func() {
		peer.send(to, stream2.next())
		select {
		case <-switched:
		default:
			close(switched)
		}
	})
	defer func() { cancel2(); <-done2 }()
	<-switched
	settle(t, e)
	hears(t, e, 800)
	if st := e.sess.Stats(); st.SSRCChanges != 1 || st.PacketsLost > 1 {
		t.Errorf("after the switch: %+v", st)
	}
}

// Sequence numbers and timestamps wrap around during the call.
func TestSessionSequenceAndTimestampWrap(t *testing.T) {
	t.Parallel()
	peer := newRawPeer(t)
	e := newEndpoint(t, 1000, Config{})
	if err := e.sess.Start(pcmuParams(peer.addr(), SendRecv), e.port); err != nil {
		t.Fatal(err)
	}
	stream := newRTPStream(0xABCD, 65520, 1<<32-160*20, 600)
	ctx, cancel := context.WithCancel(context.Background())
	done := pace(ctx, func() { peer.send(e.sess.LocalAddr(), stream.next()) })
	defer func() { cancel(); <-done }()
	<-e.sess.FirstPacket()
	hears(t, e, 600) // both wrap 320-400 ms into the stream
	st := e.sess.Stats()
	if st.PacketsLost != 0 || st.LossPercent != 0 || st.SSRCChanges != 0 || st.Late != 0 {
		t.Errorf("wrap: %+v", st)
	}
}

// Garbage, oversized datagrams, unknown payload types and strangers on the
// port: counted, dropped, and the call goes on.
func TestSessionRejectsBadPackets(t *testing.T) {
	t.Parallel()
	a, b := callPair(t, Config{})
	stranger := newRawPeer(t)
	to := b.sess.LocalAddr()
	foreign := newRTPStream(0xBAD, 1, 1, 3000)
	for range 20 {
		stranger.send(to, []byte("INVITE sip:nobody SIP/2.0\r\n"))
		stranger.send(to, make([]byte, 1600))                               // oversized
		stranger.send(to, []byte{0x80})                                     // truncated header
		stranger.send(to, append([]byte{0x80, 0x7F}, make([]byte, 170)...)) // PT 127
		stranger.send(to, foreign.next())                                   // valid RTP, wrong source
	}
	hears(t, b, 1000)
	st := b.sess.Stats()
	if st.Oversized != 20 || st.Malformed < 20 || st.UnknownPayload < 20 || st.Foreign != 20 {
		t.Errorf("rejections: oversized %d malformed %d unknown %d foreign %d", st.Oversized, st.Malformed, st.UnknownPayload, st.Foreign)
	}
	hears(t, a, 700)
}

// Symmetric RTP: the peer sends from another address than its SDP said (a
// NAT); we latch onto it and send there. After the latched source falls
// silent, a new one may take over.
func TestSessionLatching(t *testing.T) {
	t.Parallel()
	announced := newRawPeer(t) // what the SDP says, never sends
	real := newRawPeer(t)
	e := newEndpoint(t, 1000, Config{RelatchAfter: 300 * time.Millisecond})
	if err := e.sess.Start(pcmuParams(announced.addr(), SendRecv), e.port); err != nil {
		t.Fatal(err)
	}
	// Before anything arrives we send to the SDP address.
	if !receivesRTP(t, announced) {
		t.Fatal("nothing sent to the SDP address")
	}
	stream := newRTPStream(0x5150, 1, 1, 900)
	ctx, cancel := context.WithCancel(context.Background())
	done := pace(ctx, func() { real.send(e.sess.LocalAddr(), stream.next()) })
	hears(t, e, 900)
	if !receivesRTP(t, real) {
		t.Fatal("not latched onto the real source")
	}
	// A stranger cannot take over while the real source talks.
	stranger := newRawPeer(t)
	stranger.send(e.sess.LocalAddr(), newRTPStream(0x5150, 50, 1, 900).next())
	hears(t, e, 900)
	cancel()
	<-done
	if st := e.sess.Stats(); st.Foreign != 1 {
		t.Errorf("foreign = %d, want 1", st.Foreign)
	}
	// The real source falls silent longer than RelatchAfter; a new one
	// (the peer moved) latches.
	settle(t, e)
	silent(t, e)
	moved := newRawPeer(t)
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := pace(ctx2, func() { moved.send(e.sess.LocalAddr(), stream.next()) })
	defer func() { cancel2(); <-done2 }()
	hears(t, e, 900)
	if !receivesRTP(t, moved) {
		t.Error("did not re-latch after the silence")
	}
}

// receivesRTP reports whether r gets an RTP packet within a second.
func receivesRTP(t *testing.T, r *rawPeer) bool {
	t.Helper()
	buf := make([]byte, 2048)
	deadline := time.Now().Add(time.Second)
	for {
		_ = r.conn.SetReadDeadline(deadline)
		n, _, err := r.conn.ReadFromUDP(buf)
		if err != nil {
			return false
		}
		var p rtp.Packet
		if p.Unmarshal(buf[:n]) == nil && p.PayloadType == 0 {
			return true
		}
	}
}

func TestSessionRTCP(t *testing.T) {
	t.Parallel()
	for _, mux := range []bool{false, true} {
		name := "separate port"
		if mux {
			name = "rtcp-mux"
		}
		t.Run(name, func(t *testing.T) {
			cfg := Config{RTCPInterval: 150 * time.Millisecond}
			a := newEndpoint(t, 1000, cfg)
			b := newEndpoint(t, 700, cfg)
			pa, pb := pcmuParams(b.sess.LocalAddr(), SendRecv), pcmuParams(a.sess.LocalAddr(), SendRecv)
			pa.RTCPMux, pb.RTCPMux = mux, mux
			if err := a.sess.Start(pa, a.port); err != nil {
				t.Fatal(err)
			}
			if err := b.sess.Start(pb, b.port); err != nil {
				t.Fatal(err)
			}
			// Wait, on the audio clock, for a few report rounds.
			a.ear.listen(t, time.Second)
			for _, e := range []*endpoint{a, b} {
				q := e.sess.Stats()
				if q.RTCPSent < 2 || q.RTCPReceived < 2 {
					t.Errorf("RTCP sent %d received %d", q.RTCPSent, q.RTCPReceived)
				}
				if q.RTT <= 0 || q.RTT > 50*time.Millisecond {
					t.Errorf("RTT %v on loopback", q.RTT)
				}
				if q.Jitter > 10*time.Millisecond || q.RemoteJitter > 10*time.Millisecond {
					t.Errorf("jitter %v / remote %v on loopback", q.Jitter, q.RemoteJitter)
				}
				if q.RemoteLossPercent != 0 || q.Malformed != 0 {
					t.Errorf("remote loss %.1f%% malformed %d", q.RemoteLossPercent, q.Malformed)
				}
			}
			hears(t, b, 1000)
		})
	}
}

func TestSessionErrors(t *testing.T) {
	t.Parallel()
	peer := newRawPeer(t)
	e := newEndpoint(t, 1000, Config{})
	s := e.sess
	if err := s.Update(pcmuParams(peer.addr(), SendRecv)); !errors.Is(err, ErrNotStarted) {
		t.Errorf("Update before Start: %v", err)
	}
	if err := s.SendDTMF('1', 0); !errors.Is(err, ErrNotStarted) {
		t.Errorf("SendDTMF before Start: %v", err)
	}
	bad := []Params{
		{Remote: peer.addr()}, // no codec
		{Codec: audio.PCMU{}}, // no remote
		{Remote: peer.addr(), Codec: audio.PCMU{}, PayloadType: 200},
		{Remote: peer.addr(), Codec: audio.PCMU{}, PayloadType: 8, DTMFPayloadType: 8},
	}
	for i, p := range bad {
		if err := s.Start(p, e.port); !errors.Is(err, ErrBadParams) {
			t.Errorf("bad params %d: %v", i, err)
		}
	}
	if err := s.Start(pcmuParams(peer.addr(), SendRecv), nil); !errors.Is(err, ErrBadParams) {
		t.Errorf("nil port: %v", err)
	}
	p := pcmuParams(peer.addr(), RecvOnly)
	p.DTMFPayloadType = 0
	if err := s.Start(p, e.port); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(p, e.port); !errors.Is(err, ErrAlreadyStarted) {
		t.Errorf("second Start: %v", err)
	}
	if err := s.SendDTMF('1', 0); !errors.Is(err, ErrNoDTMF) {
		t.Errorf("no telephone-event: %v", err)
	}
	p.DTMFPayloadType = 101
	update(t, e, p)
	if err := s.SendDTMF('1', 0); !errors.Is(err, ErrNotSending) {
		t.Errorf("recvonly: %v", err)
	}
	if err := s.SendDTMF('x', 0); !errors.Is(err, ErrBadDigit) {
		t.Errorf("bad digit: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Update(p); !errors.Is(err, ErrClosed) {
		t.Errorf("Update after Close: %v", err)
	}
	if _, ok := <-s.DTMF(); ok {
		t.Error("DTMF channel open after Close")
	}
}

func TestSessionPortRange(t *testing.T) {
	lo := net.IPv4(127, 0, 0, 1)
	base := freePortBlock(t, 4)
	cfg := Config{LocalIP: lo, PortMin: base, PortMax: base + 3}
	s1, err := NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	s2, err := NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	p1, p2 := s1.LocalAddr().Port, s2.LocalAddr().Port
	for _, p := range []int{p1, p2} {
		if p%2 != 0 || p < base || p > base+2 {
			t.Errorf("port %d outside the even ports of %d-%d", p, base, base+3)
		}
	}
	if p1 == p2 {
		t.Error("two sessions on one port")
	}
	if _, err := NewSession(cfg); !errors.Is(err, ErrNoPort) {
		t.Errorf("third session in a full range: %v", err)
	}
	if _, err := NewSession(Config{PortMin: base + 1, PortMax: base + 1}); !errors.Is(err, ErrNoPort) {
		t.Errorf("range without a pair: %v", err)
	}
}

// freePortBlock finds n consecutive free UDP ports starting at an even one
// (below the Linux ephemeral range, so other sockets are unlikely to take
// them meanwhile).
func freePortBlock(t *testing.T, n int) int {
	t.Helper()
	for base := 24000; base < 32000; base += 2 * n {
		var conns []*net.UDPConn
		for p := base; p < base+n; p++ {
			c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
			if err != nil {
				break
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
		if len(conns) == n {
			return base
		}
	}
	t.Fatal("no free block of UDP ports")
	return 0
}

// An old-style hold (c=0.0.0.0) must not send anything anywhere, RTCP
// included: on Linux 0.0.0.0 reaches this very host.
func TestSessionUnspecifiedRemoteSendsNothing(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, 1000, Config{RTCPInterval: 50 * time.Millisecond})
	p := pcmuParams(&net.UDPAddr{IP: net.IPv4zero, Port: 40000}, Inactive)
	if err := e.sess.Start(p, e.port); err != nil {
		t.Fatal(err)
	}
	e.ear.listen(t, 300*time.Millisecond)
	if st := e.sess.Stats(); st.PacketsSent != 0 || st.RTCPSent != 0 {
		t.Errorf("sent %d RTP and %d RTCP to 0.0.0.0", st.PacketsSent, st.RTCPSent)
	}
}

// With its port closed the session cannot send digits: SendDTMF says so
// instead of hanging.
func TestSessionDTMFAfterPortClosed(t *testing.T) {
	t.Parallel()
	a, _ := callPair(t, Config{})
	if err := a.port.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		// The sender notices the closed port at its next frame.
		for {
			err := a.sess.SendDTMF('1', 40*time.Millisecond)
			if err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotSending) {
			t.Errorf("SendDTMF with a closed port: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SendDTMF hung with a closed port")
	}
}

// The marker bit flags the start of each talkspurt: the first packet, and
// the first after a hold.
func TestSessionMarkerOnTalkspurtStart(t *testing.T) {
	t.Parallel()
	peer := newRawPeer(t)
	e := newEndpoint(t, 1000, Config{})
	if err := e.sess.Start(pcmuParams(peer.addr(), SendRecv), e.port); err != nil {
		t.Fatal(err)
	}
	first := readAudioPackets(t, peer, 5)
	update(t, e, pcmuParams(peer.addr(), RecvOnly))
	settle(t, e) // the sender sees the change at its next frame
	last, ok := drain(peer)
	if !ok {
		last = first[len(first)-1]
	}
	update(t, e, pcmuParams(peer.addr(), SendRecv))
	resumed := readAudioPackets(t, peer, 5)
	for name, pkts := range map[string][]rtp.Packet{"start": first, "resume": resumed} {
		for i, p := range pkts {
			if p.Marker != (i == 0) {
				t.Errorf("%s packet %d: marker %v", name, i, p.Marker)
			}
			if i > 0 && (p.SequenceNumber != pkts[i-1].SequenceNumber+1 || p.Timestamp != pkts[i-1].Timestamp+160) {
				t.Errorf("%s packet %d: seq %d ts %d after %d/%d", name, i, p.SequenceNumber, p.Timestamp, pkts[i-1].SequenceNumber, pkts[i-1].Timestamp)
			}
		}
	}
	// The RTP clock ran on during the hold: the timestamp jumped by the
	// held time, the sequence number did not.
	gap := resumed[0].Timestamp - last.Timestamp
	if resumed[0].SequenceNumber != last.SequenceNumber+1 || gap < 160*5 {
		t.Errorf("after hold: seq %d→%d, ts advanced %d", last.SequenceNumber, resumed[0].SequenceNumber, gap)
	}
}

func readAudioPackets(t *testing.T, r *rawPeer, n int) []rtp.Packet {
	t.Helper()
	var out []rtp.Packet
	buf := make([]byte, 2048)
	for len(out) < n {
		_ = r.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		m, _, err := r.conn.ReadFromUDP(buf)
		if err != nil {
			t.Fatalf("reading RTP: %v", err)
		}
		var p rtp.Packet
		if p.Unmarshal(append([]byte(nil), buf[:m]...)) == nil && p.PayloadType == 0 {
			out = append(out, p)
		}
	}
	return out
}

// drain discards what is queued on r's socket, returning the last audio
// packet in it.
func drain(r *rawPeer) (last rtp.Packet, ok bool) {
	buf := make([]byte, 2048)
	for {
		_ = r.conn.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
		n, _, err := r.conn.ReadFromUDP(buf)
		if err != nil {
			return last, ok
		}
		var p rtp.Packet
		if p.Unmarshal(append([]byte(nil), buf[:n]...)) == nil && p.PayloadType == 0 {
			last, ok = p, true
		}
	}
}
