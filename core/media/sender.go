package media

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/pion/rtp"

	"agentbar/audio"
	"agentbar/core/rtpcore"
)

// sender is the state of the send path, owned by the sendLoop goroutine.
type sender struct {
	s       *Session
	seq     uint16
	ts      uint32
	talking bool // we sent audio in the last frame (marker on the next talkspurt)
	pcm     []int16
	payload []byte
	packet  []byte
	header  rtp.Header
	dtmf    *dtmfRequest
	dtmfTS  uint32
}

// sendLoop paces the send path on Port.ReadFrame: one frame in, one packet
// out (in SendRecv/SendOnly); in RecvOnly/Inactive frames are read and
// dropped so the pipeline keeps flowing, and the RTP clock keeps running.
func (s *Session) sendLoop() {
	defer s.wg.Done()
	defer close(s.senderDone)
	snd := &sender{
		s:       s,
		seq:     uint16(rand.Uint32()),
		ts:      rand.Uint32(),
		payload: make([]byte, maxPacket),
		packet:  make([]byte, maxPacket+64),
	}
	for {
		p := s.params.Load()
		frame := s.port.SampleRate() / 50
		if len(snd.pcm) != frame {
			snd.pcm = make([]int16, frame)
		}
		if err := s.port.ReadFrame(s.ctx, snd.pcm); err != nil {
			if s.ctx.Err() != nil {
				snd.abortDTMF(ErrClosed)
				return
			}
			if !errors.Is(err, audio.ErrClosed) {
				s.logger.Warn("media: reading the microphone", "err", err)
			}
			snd.abortDTMF(fmt.Errorf("%w: the audio port is closed", ErrNotSending))
			return
		}
		snd.frame(p)
	}
}

// frame sends what one 20 ms frame calls for.
func (snd *sender) frame(p *Params) {
	tsStep := uint32(p.Codec.ClockRate() / 50)
	defer func() {
		snd.ts += tsStep
		snd.s.counters.lastRTPTime.Store(snd.ts)
	}()
	if snd.dtmf == nil {
		select {
		case req := <-snd.s.dtmfReq:
			snd.dtmf, snd.dtmfTS = &req, snd.ts
		default:
		}
	}
	if !p.Direction.Sends() {
		snd.talking = false
		snd.abortDTMF(ErrNotSending)
		return
	}
	if snd.dtmf != nil {
		if p.DTMFPayloadType == 0 {
			snd.abortDTMF(ErrNoDTMF)
		} else {
			snd.sendDTMFFrame(p)
			return
		}
	}
	n, err := p.Codec.Encode(snd.pcm, snd.payload)
	if err != nil {
		snd.s.logger.Warn("media: encoding", "codec", p.Codec.Name(), "err", err)
		return
	}
	snd.send(p.PayloadType, !snd.talking, snd.ts, snd.payload[:n])
	snd.talking = true
}

// sendDTMFFrame sends one event packet, or the end packets when the digit
// has lasted long enough. Audio pauses meanwhile (RFC 4733 2.5.1.1).
func (snd *sender) sendDTMFFrame(p *Params) {
	ev, marker := snd.dtmf.digit.Next(audio.FrameDuration, p.Codec.ClockRate())
	n := ev.MarshalTo(snd.payload)
	repeats := 1
	if ev.End {
		repeats = rtpcore.DTMFEndRepeats
	}
	for range repeats {
		snd.send(p.DTMFPayloadType, marker, snd.dtmfTS, snd.payload[:n])
		marker = false
	}
	if ev.End {
		snd.s.counters.dtmfSent.Add(1)
		snd.dtmf.done <- nil
		snd.dtmf = nil
	}
}

func (snd *sender) abortDTMF(err error) {
	if snd.dtmf != nil {
		snd.dtmf.done <- err
		snd.dtmf = nil
	}
}

// send writes one RTP packet to the current destination.
func (snd *sender) send(pt uint8, marker bool, ts uint32, payload []byte) {
	snd.header = rtp.Header{
		Version:        2,
		Marker:         marker,
		PayloadType:    pt,
		SequenceNumber: snd.seq,
		Timestamp:      ts,
		SSRC:           snd.s.ssrc,
	}
	hn, err := snd.header.MarshalTo(snd.packet)
	if err != nil {
		snd.s.logger.Warn("media: building RTP", "err", err)
		return
	}
	n := hn + copy(snd.packet[hn:], payload)
	snd.seq++
	dst := snd.s.rtpLatch.destination()
	if !sendable(dst) {
		return // c=0.0.0.0 (old-style hold): nowhere to send
	}
	if _, err := snd.s.rtpConn.WriteToUDPAddrPort(snd.packet[:n], dst); err != nil {
		if snd.s.ctx.Err() == nil {
			snd.s.logger.Debug("media: sending RTP", "to", dst, "err", err)
		}
		return
	}
	c := &snd.s.counters
	c.packetsSent.Add(1)
	c.bytesSent.Add(uint64(len(payload)))
	c.sentSinceReport.Store(true)
}

// sendable reports whether dst is an address packets may go to: not
// 0.0.0.0 (which Linux would deliver to this very host) and not port 0.
func sendable(dst netip.AddrPort) bool {
	return dst.Port() != 0 && dst.Addr().IsValid() && !dst.Addr().IsUnspecified()
}
