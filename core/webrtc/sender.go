package webrtc

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pion/rtp"

	"agentbar/audio"
	"agentbar/core/media"
	"agentbar/core/rtpcore"
)

// sender is the send path, owned by the sendLoop goroutine.
type sender struct {
	s       *Session
	codec   audio.Codec
	seq     uint16
	ts      uint32
	marker  bool // the next packet starts a talkspurt
	pcm     []int16
	payload []byte
	dtmf    *dtmfRequest
	dtmfTS  uint32
}

// maxPayload bounds one encoded frame (and what RTP carries here).
const maxPayload = 1500

// sendLoop paces the send path on Port.ReadFrame: one 20 ms frame in, one
// packet out while we may send and pion has bound the track; otherwise the
// frame is read and dropped so the pipeline keeps flowing, and the RTP
// clock keeps running.
func (s *Session) sendLoop(port audio.Port, codec audio.Codec) {
	defer s.wg.Done()
	defer close(s.senderDone)
	snd := &sender{s: s, codec: codec, seq: uint16(rand.Uint32()), ts: rand.Uint32(), marker: true, payload: make([]byte, maxPayload)}
	for {
		frame := port.SampleRate() / 50
		if len(snd.pcm) != frame {
			snd.pcm = make([]int16, frame)
		}
		if err := port.ReadFrame(s.ctx, snd.pcm); err != nil {
			if s.ctx.Err() != nil {
				snd.abortDTMF(ErrClosed)
				return
			}
			if !errors.Is(err, audio.ErrClosed) {
				s.log.Warn("webrtc: reading the microphone", "error", err)
			}
			snd.abortDTMF(fmt.Errorf("%w: the audio port is closed", ErrNotSending))
			return
		}
		snd.frame()
	}
}

// frame sends what one 20 ms frame calls for.
func (snd *sender) frame() {
	s := snd.s
	step := uint32(snd.codec.ClockRate() / 50)
	defer func() { snd.ts += step }()
	if snd.dtmf == nil {
		select {
		case req := <-s.dtmfReq:
			snd.dtmf, snd.dtmfTS = &req, snd.ts
		default:
		}
	}
	b := s.track.binding.Load()
	if b == nil || !s.Direction().Sends() {
		if snd.dtmf != nil {
			snd.abortDTMF(ErrNotSending)
		}
		snd.marker = true
		return
	}
	if snd.dtmf != nil {
		snd.sendDTMF(b)
		return
	}
	n, err := snd.codec.Encode(snd.pcm, snd.payload)
	if err != nil {
		s.log.Warn("webrtc: encoding", "codec", snd.codec.Name(), "error", err)
		return
	}
	snd.write(b, b.pt, snd.ts, snd.payload[:n])
}

func (snd *sender) write(b *trackBinding, pt uint8, ts uint32, payload []byte) {
	h := rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: snd.seq, Timestamp: ts, SSRC: b.ssrc, Marker: snd.marker}
	snd.seq++
	snd.marker = false
	if _, err := b.writer.WriteRTP(&h, payload); err != nil {
		// Before DTLS is up or after the peer went away: counted as not sent.
		return
	}
	snd.s.counters.packetsSent.Add(1)
	snd.s.counters.bytesSent.Add(uint64(len(payload)))
}

// sendDTMF sends the next packet(s) of the digit in progress (RFC 4733
// §2.5): one event packet per frame with the duration so far, then the end
// packet three times, all with the event's start timestamp.
func (snd *sender) sendDTMF(b *trackBinding) {
	req := snd.dtmf
	if b.dtmfPT == 0 {
		snd.finishDTMF(ErrNoDTMF)
		return
	}
	ev, first := req.digit.Next(audio.FrameDuration, int(b.dtmfClock))
	var buf [rtpcore.TelephoneEventSize]byte
	n := ev.MarshalTo(buf[:])
	if first {
		snd.marker = true // the first packet of an event carries the marker
	}
	repeats := 1
	if ev.End {
		repeats = rtpcore.DTMFEndRepeats
	}
	for range repeats {
		snd.write(b, b.dtmfPT, snd.dtmfTS, buf[:n])
	}
	if ev.End {
		snd.s.counters.dtmfSent.Add(1)
		snd.marker = true // audio resumes with a new talkspurt
		snd.finishDTMF(nil)
	}
}

func (snd *sender) finishDTMF(err error) {
	if snd.dtmf != nil {
		snd.dtmf.done <- err
		snd.dtmf = nil
	}
}

// abortDTMF answers the digit in progress, and one waiting, with err.
func (snd *sender) abortDTMF(err error) {
	snd.finishDTMF(err)
	select {
	case req := <-snd.s.dtmfReq:
		req.done <- err
	default:
	}
}

// SendDTMF sends one digit as RFC 4733 events lasting dur (40 ms to 5 s) and
// returns once its end packets are out.
func (s *Session) SendDTMF(digit rune, dur time.Duration) error {
	code, ok := rtpcore.DTMFCode(digit)
	if !ok {
		return fmt.Errorf("%w: %q", ErrBadDigit, digit)
	}
	s.mu.Lock()
	started, closed := s.started, s.closed
	s.mu.Unlock()
	switch {
	case closed:
		return ErrClosed
	case !started:
		return ErrNotNegotiated
	case !s.Direction().Sends():
		return ErrNotSending
	}
	if b := s.track.binding.Load(); b != nil && b.dtmfPT == 0 {
		return ErrNoDTMF
	}
	req := dtmfRequest{digit: rtpcore.NewOutgoingDigit(code, dur), done: make(chan error, 1)}
	select {
	case s.dtmfReq <- req:
	case <-s.senderDone:
		return fmt.Errorf("%w: the audio port is closed", ErrNotSending)
	case <-s.ctx.Done():
		return ErrClosed
	}
	return <-req.done
}

// CanSendDTMF tells whether the peer took telephone-events for our codec
// (false until the connection is up).
func (s *Session) CanSendDTMF() bool {
	b := s.track.binding.Load()
	return b != nil && b.dtmfPT != 0 && media.Direction(s.direction.Load()).Sends()
}

// Sending is closed once pion has bound our track (ICE and DTLS are up):
// from then on packets go out, and CanSendDTMF knows its answer.
func (s *Session) Sending() <-chan struct{} { return s.track.bound }
