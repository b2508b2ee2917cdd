package webrtc

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	pion "github.com/pion/webrtc/v4"
)

// audioTrack is our outgoing audio as pion sees it. pion's own
// TrackLocalStaticRTP stamps every packet with the audio codec's payload
// type, which leaves no way to send RFC 4733 events on the same stream; this
// track only remembers where to write and with which payload types, and the
// sender goroutine writes both kinds itself.
type audioTrack struct {
	id, streamID string
	want         atomic.Pointer[string]       // codec to send, from the offer/answer
	binding      atomic.Pointer[trackBinding] // nil until ICE+DTLS are up and pion binds us
	bound        chan struct{}                // closed at the first Bind
	boundOnce    sync.Once
}

// trackBinding is what one Bind gave us.
type trackBinding struct {
	writer    pion.TrackLocalWriter
	ssrc      uint32
	codec     string // "opus", "PCMU" or "PCMA"
	pt        uint8
	dtmfPT    uint8  // 0 = no telephone-event negotiated
	dtmfClock uint32 // telephone-event's clock: durations are in its units
	clock     uint32
}

var _ pion.TrackLocal = (*audioTrack)(nil)

func newAudioTrack(id, streamID string) *audioTrack {
	return &audioTrack{id: id, streamID: streamID, bound: make(chan struct{})}
}

// setCodec says which negotiated codec Bind should pick.
func (t *audioTrack) setCodec(name string) { t.want.Store(&name) }

// Bind implements pion.TrackLocal: pick the negotiated codec we settled on
// in the SDP, and the telephone-event on its clock.
func (t *audioTrack) Bind(ctx pion.TrackLocalContext) (pion.RTPCodecParameters, error) {
	codecs := ctx.CodecParameters()
	want := ""
	if w := t.want.Load(); w != nil {
		want = *w
	}
	var chosen *pion.RTPCodecParameters
	for i := range codecs {
		c := &codecs[i]
		if isTelephoneEvent(c.MimeType) {
			continue
		}
		if _, ok := codecByName(mimeName(c.MimeType)); !ok {
			continue
		}
		if chosen == nil || strings.EqualFold(mimeName(c.MimeType), want) {
			chosen = c
			if strings.EqualFold(mimeName(c.MimeType), want) {
				break
			}
		}
	}
	if chosen == nil {
		return pion.RTPCodecParameters{}, fmt.Errorf("%w: none of %d negotiated codecs", ErrNoCommonCodec, len(codecs))
	}
	spec, _ := codecByName(mimeName(chosen.MimeType))
	b := &trackBinding{
		writer: ctx.WriteStream(),
		ssrc:   uint32(ctx.SSRC()),
		codec:  spec.name,
		pt:     uint8(chosen.PayloadType),
		clock:  chosen.ClockRate,
	}
	// RFC 4733 wants the events on the audio's clock; a peer that has
	// telephone-event/8000 only next to Opus (baresip, Asterisk) gets that.
	for _, c := range codecs {
		if !isTelephoneEvent(c.MimeType) {
			continue
		}
		if b.dtmfPT == 0 || c.ClockRate == chosen.ClockRate {
			b.dtmfPT, b.dtmfClock = uint8(c.PayloadType), c.ClockRate
		}
		if c.ClockRate == chosen.ClockRate {
			break
		}
	}
	t.binding.Store(b)
	t.boundOnce.Do(func() { close(t.bound) })
	return *chosen, nil
}

// Unbind implements pion.TrackLocal.
func (t *audioTrack) Unbind(pion.TrackLocalContext) error {
	t.binding.Store(nil)
	return nil
}

func (t *audioTrack) ID() string              { return t.id }
func (t *audioTrack) RID() string             { return "" }
func (t *audioTrack) StreamID() string        { return t.streamID }
func (t *audioTrack) Kind() pion.RTPCodecType { return pion.RTPCodecTypeAudio }

// mimeName is "opus" for "audio/opus".
func mimeName(mime string) string {
	_, name, ok := strings.Cut(mime, "/")
	if !ok {
		return mime
	}
	return name
}
