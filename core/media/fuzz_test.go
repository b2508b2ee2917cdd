package media

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"

	"agentbar/audio"
)

// idlePort is a Port whose microphone never produces a frame: for driving
// the receive path by hand.
type idlePort struct{}

func (idlePort) SampleRate() int { return 8000 }
func (idlePort) ReadFrame(ctx context.Context, _ []int16) error {
	<-ctx.Done()
	return ctx.Err()
}
func (idlePort) SetPlayback(audio.FrameSource) {}
func (idlePort) Close() error                  { return nil }

// FuzzReceive throws arbitrary datagrams, from a handful of addresses, at
// the RTP socket handler (rtcp-mux on, so RTCP parsing is reached too) and
// at the RTCP handler: nothing may panic, and the jitter buffer must keep
// answering Pull with exactly what is asked.
func FuzzReceive(f *testing.F) {
	s, err := NewSession(Config{LocalIP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	p := pcmuParams(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, SendRecv)
	p.RTCPMux = true
	if err := s.Start(p, idlePort{}); err != nil {
		f.Fatal(err)
	}
	good := newRTPStream(1, 65535, 1<<32-1, 440).next()
	f.Add(good, uint8(0))
	dtmf, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 101, SSRC: 2}, Payload: []byte{5, 0x8a, 3, 0x20}}).Marshal()
	f.Add(dtmf, uint8(1))
	rr, _ := rtcp.Marshal([]rtcp.Packet{&rtcp.ReceiverReport{SSRC: 3, Reports: []rtcp.ReceptionReport{{SSRC: s.ssrc, LastSenderReport: 77, Delay: 5}}}})
	f.Add(rr, uint8(2))
	sr, _ := rtcp.Marshal([]rtcp.Packet{&rtcp.SenderReport{SSRC: 3, NTPTime: ntpTime(time.Now())}})
	f.Add(sr, uint8(3))
	f.Add([]byte{0x80, 0xC8, 0, 0}, uint8(4))
	f.Add(make([]byte, 1501), uint8(5))
	var pkt rtp.Packet
	pcm := make([]int16, 160)
	guard := make([]int16, 8)
	f.Fuzz(func(t *testing.T, data []byte, who uint8) {
		from := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1 + who%3}), 9+uint16(who%2))
		now := time.Now()
		s.handleRTPSocket(data, from, now, &pkt)
		s.handleRTCP(data, from, now)
		buf := append(pcm[:160:160], guard...)
		for i := range guard {
			buf[160+i] = 0x2222
		}
		s.jb.Load().Pull(buf[:160])
		for _, v := range buf[160:] {
			if v != 0x2222 {
				t.Fatal("Pull wrote past its slice")
			}
		}
		_ = s.Stats()
	})
}

func TestNTPTime(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.UTC)
	ntp := ntpTime(ts)
	if secs := ntp >> 32; secs != uint64(ts.Unix())+2208988800 {
		t.Errorf("seconds %d", secs)
	}
	if frac := uint32(ntp); frac != 1<<31 {
		t.Errorf("half a second is %x", frac)
	}
	if mid := ntpMiddle(ntp); mid != uint32(ntp>>16) {
		t.Error("middle")
	}
}
