package webrtc

import (
	"fmt"
	"strings"

	pion "github.com/pion/webrtc/v4"

	"agentbar/audio"
)

// codecSpec is one audio codec we register with pion's MediaEngine.
type codecSpec struct {
	name     string // SDP encoding name as we write it
	mime     string
	pt       uint8
	clock    uint32
	channels uint16
	fmtp     string
}

// The codecs a WebRTC call may use. Opus/111 and the telephone-event
// numbers are what browsers use, so answers keep the same numbers both ways.
var (
	opusSpec = codecSpec{name: "opus", mime: pion.MimeTypeOpus, pt: 111, clock: 48000, channels: 2, fmtp: "minptime=10;useinbandfec=1"}
	pcmuSpec = codecSpec{name: "PCMU", mime: pion.MimeTypePCMU, pt: 0, clock: 8000}
	pcmaSpec = codecSpec{name: "PCMA", mime: pion.MimeTypePCMA, pt: 8, clock: 8000}
	// RFC 4733 events run on the clock of the audio they go with: one for
	// Opus, one for G.711.
	dtmf48Spec = codecSpec{name: "telephone-event", mime: mimeTelephoneEvent, pt: 110, clock: 48000, fmtp: "0-16"}
	dtmf8Spec  = codecSpec{name: "telephone-event", mime: mimeTelephoneEvent, pt: 126, clock: 8000, fmtp: "0-16"}
)

const mimeTelephoneEvent = "audio/telephone-event"

func codecByName(name string) (codecSpec, bool) {
	switch strings.ToLower(name) {
	case "opus":
		return opusSpec, true
	case "pcmu":
		return pcmuSpec, true
	case "pcma":
		return pcmaSpec, true
	}
	return codecSpec{}, false
}

func (c codecSpec) parameters() pion.RTPCodecParameters {
	return pion.RTPCodecParameters{
		RTPCodecCapability: pion.RTPCodecCapability{MimeType: c.mime, ClockRate: c.clock, Channels: c.channels, SDPFmtpLine: c.fmtp},
		PayloadType:        pion.PayloadType(c.pt),
	}
}

// newMediaEngine registers only our audio codecs, in the account's order,
// then telephone-event: no video, no RED, nothing a softphone cannot play.
func newMediaEngine(codecs []string) (*pion.MediaEngine, error) {
	m := &pion.MediaEngine{}
	for _, name := range codecs {
		spec, _ := codecByName(name)
		if err := m.RegisterCodec(spec.parameters(), pion.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("webrtc: register %s: %w", name, err)
		}
	}
	for _, spec := range []codecSpec{dtmf48Spec, dtmf8Spec} {
		if err := m.RegisterCodec(spec.parameters(), pion.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("webrtc: register telephone-event: %w", err)
		}
	}
	return m, nil
}

// newAudioCodec gives a call its own codec instance: Opus keeps state.
func newAudioCodec(name string) (audio.Codec, error) {
	switch strings.ToLower(name) {
	case "opus":
		return audio.NewOpus(audio.OpusOptions{})
	case "pcmu":
		return audio.PCMU{}, nil
	case "pcma":
		return audio.PCMA{}, nil
	}
	return nil, fmt.Errorf("%w: %s", audio.ErrUnknownCodec, name)
}

// closeCodec frees a codec that holds C state.
func closeCodec(c audio.Codec) {
	if closer, ok := c.(interface{ Close() error }); ok {
		closer.Close()
	}
}

func isTelephoneEvent(mime string) bool { return strings.EqualFold(mime, mimeTelephoneEvent) }
