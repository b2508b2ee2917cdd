package audio

import (
	"fmt"
	"strings"
)

// Codec is one narrow-band or wide-band voice codec. Encode and Decode must
// not allocate: they run once per 20 ms frame on the send path and inside the
// jitter buffer's real-time Pull.
type Codec interface {
	Name() string    // RTP encoding name as in an SDP rtpmap: "PCMU", "PCMA"
	ClockRate() int  // RTP timestamp rate, 8000 for G.711
	SampleRate() int // PCM rate the codec works at
	// Encode compresses pcm into dst and returns the bytes written.
	Encode(pcm []int16, dst []byte) (int, error)
	// Decode expands payload into dst and returns the samples written.
	Decode(payload []byte, dst []int16) (int, error)
}

// CodecByName returns the codec for an RTP encoding name, case-insensitive.
// It knows "PCMU" and "PCMA"; anything else is ErrUnknownCodec.
func CodecByName(name string) (Codec, error) {
	return NewCodecSet().ByName(name)
}

// CodecSet is a lookup table of codecs by encoding name. It exists so that a
// build with an extra codec (Opus, G.722) can offer it without package-level
// registration state.
type CodecSet struct {
	codecs []Codec
}

// NewCodecSet returns PCMU and PCMA plus extra, in that order of preference.
func NewCodecSet(extra ...Codec) *CodecSet {
	set := &CodecSet{codecs: []Codec{PCMU{}, PCMA{}}}
	set.codecs = append(set.codecs, extra...)
	return set
}

// ByName finds a codec by encoding name, case-insensitive.
func (s *CodecSet) ByName(name string) (Codec, error) {
	for _, c := range s.codecs {
		if strings.EqualFold(c.Name(), name) {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownCodec, name)
}

// Codecs lists the codecs in order of preference.
func (s *CodecSet) Codecs() []Codec {
	return append([]Codec(nil), s.codecs...)
}
