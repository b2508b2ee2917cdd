package media

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pion/rtp"

	"agentbar/audio"
)

// BenchmarkSendPath: one 20 ms frame encoded, packetised and written to a
// UDP socket on loopback.
func BenchmarkSendPath(b *testing.B) {
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := sink.ReadFromUDP(buf); err != nil {
				return
			}
		}
	}()
	s, err := NewSession(Config{LocalIP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := pcmuParams(sink.LocalAddr().(*net.UDPAddr), SendRecv)
	s.params.Store(&p)
	s.rtpLatch.reset(addrPort(p.Remote))
	snd := &sender{s: s, payload: make([]byte, maxPacket), packet: make([]byte, maxPacket+64), pcm: audio.SineWave(8000, 1000, 0.3, audio.FrameDuration)}
	b.ReportAllocs()
	for b.Loop() {
		snd.frame(&p)
	}
}

// BenchmarkReceivePath: one RTP packet parsed, checked, counted and pushed
// into the jitter buffer, which is pulled as playback would.
func BenchmarkReceivePath(b *testing.B) {
	s, err := NewSession(Config{LocalIP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := pcmuParams(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, SendRecv)
	if err := s.Start(p, idlePort{}); err != nil {
		b.Fatal(err)
	}
	from := netip.MustParseAddrPort("127.0.0.1:9")
	stream := newRTPStream(42, 0, 0, 1000)
	packets := make([][]byte, 64)
	for i := range packets {
		packets[i] = stream.next()
	}
	var pkt rtp.Packet
	pcm := make([]int16, 160)
	jb := s.jb.Load()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		raw := packets[i%len(packets)]
		// Keep the sequence moving so nothing is a duplicate.
		raw[2], raw[3] = byte(i>>8), byte(i)
		s.handleRTPSocket(raw, from, time.Now(), &pkt)
		jb.Pull(pcm)
		i++
	}
}
