package audio

/*
#cgo pkg-config: opus
#include <opus.h>

// opus_encoder_ctl and opus_decoder_ctl are variadic, which cgo cannot call:
// one small wrapper per request we use.
static int agentbar_opus_set_fec(OpusEncoder *e, int on) { return opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(on)); }
static int agentbar_opus_set_loss(OpusEncoder *e, int pct) { return opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(pct)); }
static int agentbar_opus_set_bitrate(OpusEncoder *e, int bps) { return opus_encoder_ctl(e, OPUS_SET_BITRATE(bps)); }
static int agentbar_opus_set_complexity(OpusEncoder *e, int c) { return opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(c)); }
static int agentbar_opus_set_signal_voice(OpusEncoder *e) { return opus_encoder_ctl(e, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)); }
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Opus (RFC 6716) through the system's libopus (Debian: libopus-dev), bound
// directly with cgo: the one thing the call path needs is a 20 ms mono frame
// in and out, and a direct binding needs no build tags (gopkg.in/hraban/opus.v2
// also links libopusfile unless built with -tags nolibopusfile).
//
// RTP (RFC 7587): the clock is always 48 kHz and the SDP says opus/48000/2,
// whatever is actually coded; we send mono and decode anything into mono.

// ErrOpus wraps a failure reported by libopus (the text is libopus's own).
var ErrOpus = errors.New("audio: opus")

// OpusClockRate is the RTP clock of Opus, whatever the sample rate.
const OpusClockRate = 48000

// OpusOptions tunes an Opus codec; the zero value is what calls use.
type OpusOptions struct {
	// SampleRate is the PCM rate exchanged with the port: 8000, 16000, 24000
	// or 48000 (0). The RTP clock stays 48 kHz.
	SampleRate int
	// Bitrate in bit/s; 0 = 32000, plenty for wide-band voice.
	Bitrate int
	// Complexity 0-10; 0 = 5, half the CPU of 10 for a hardly audible loss
	// on speech.
	Complexity int
	// ExpectedLossPercent tells the encoder how much in-band FEC to spend
	// (FEC is only coded when this is above zero); 0 = 10.
	ExpectedLossPercent int
}

// Opus is one call's Opus codec: an encoder for the send path and a decoder
// for the jitter buffer. Unlike G.711 it keeps state between frames, so every
// call (and every stream) needs its own; Encode and Decode may run on two
// goroutines at once (one each). Close frees the C state.
type Opus struct {
	rate int
	enc  *C.OpusEncoder
	dec  *C.OpusDecoder

	closeOnce sync.Once
	// encMu and decMu keep Close from freeing a state in use; each is
	// uncontended on its own path.
	encMu, decMu sync.Mutex
	cleanup      runtime.Cleanup
}

var _ Codec = (*Opus)(nil)

// opusState is what the cleanup frees when an Opus is dropped unclosed.
type opusState struct {
	enc *C.OpusEncoder
	dec *C.OpusDecoder
}

// NewOpus creates an encoder and a decoder, in-band FEC on.
func NewOpus(opts OpusOptions) (*Opus, error) {
	if opts.SampleRate == 0 {
		opts.SampleRate = 48000
	}
	switch opts.SampleRate {
	case 8000, 16000, 24000, 48000:
	default:
		return nil, fmt.Errorf("%w: Opus at %d Hz", ErrBadRate, opts.SampleRate)
	}
	if opts.Bitrate == 0 {
		opts.Bitrate = 32000
	}
	if opts.Complexity == 0 {
		opts.Complexity = 5
	}
	if opts.ExpectedLossPercent == 0 {
		opts.ExpectedLossPercent = 10
	}
	var cerr C.int
	enc := C.opus_encoder_create(C.opus_int32(opts.SampleRate), 1, C.OPUS_APPLICATION_VOIP, &cerr)
	if cerr != C.OPUS_OK {
		return nil, fmt.Errorf("%w: creating the encoder: %s", ErrOpus, opusError(cerr))
	}
	dec := C.opus_decoder_create(C.opus_int32(opts.SampleRate), 1, &cerr)
	if cerr != C.OPUS_OK {
		C.opus_encoder_destroy(enc)
		return nil, fmt.Errorf("%w: creating the decoder: %s", ErrOpus, opusError(cerr))
	}
	settings := []struct {
		what string
		rc   C.int
	}{
		{"in-band FEC", C.agentbar_opus_set_fec(enc, 1)},
		{"expected loss", C.agentbar_opus_set_loss(enc, C.int(opts.ExpectedLossPercent))},
		{"bitrate", C.agentbar_opus_set_bitrate(enc, C.int(opts.Bitrate))},
		{"complexity", C.agentbar_opus_set_complexity(enc, C.int(opts.Complexity))},
		{"voice signal", C.agentbar_opus_set_signal_voice(enc)},
	}
	for _, s := range settings {
		if s.rc != C.OPUS_OK {
			C.opus_encoder_destroy(enc)
			C.opus_decoder_destroy(dec)
			return nil, fmt.Errorf("%w: setting %s: %s", ErrOpus, s.what, opusError(s.rc))
		}
	}
	o := &Opus{rate: opts.SampleRate, enc: enc, dec: dec}
	o.cleanup = runtime.AddCleanup(o, func(s opusState) {
		C.opus_encoder_destroy(s.enc)
		C.opus_decoder_destroy(s.dec)
	}, opusState{enc, dec})
	return o, nil
}

// Name implements Codec: the SDP encoding name, lower case as RFC 7587 writes it.
func (o *Opus) Name() string { return "opus" }

// ClockRate implements Codec: always 48 kHz (RFC 7587 §4.1).
func (o *Opus) ClockRate() int { return OpusClockRate }

// SampleRate implements Codec.
func (o *Opus) SampleRate() int { return o.rate }

// opusMaxPacket is the largest packet we let the encoder write (RFC 6716
// recommends 1275 bytes per frame at most).
const opusMaxPacket = 1275

// Encode implements Codec: pcm must be one frame of 2.5, 5, 10, 20, 40 or
// 60 ms at SampleRate (calls use 20 ms).
func (o *Opus) Encode(pcm []int16, dst []byte) (int, error) {
	if len(pcm) == 0 {
		return 0, fmt.Errorf("%w: empty frame", ErrOpus)
	}
	if len(dst) == 0 {
		return 0, ErrShortBuffer
	}
	o.encMu.Lock()
	defer o.encMu.Unlock()
	if o.enc == nil {
		return 0, ErrClosed
	}
	n := C.opus_encode(o.enc, (*C.opus_int16)(unsafe.Pointer(&pcm[0])), C.int(len(pcm)),
		(*C.uchar)(unsafe.Pointer(&dst[0])), C.opus_int32(min(len(dst), opusMaxPacket)))
	if n < 0 {
		if n == C.OPUS_BUFFER_TOO_SMALL {
			return 0, ErrShortBuffer
		}
		return 0, fmt.Errorf("%w: encode: %s", ErrOpus, opusError(n))
	}
	return int(n), nil
}

// Decode implements Codec. An empty payload asks the decoder to conceal one
// lost frame of len(dst) samples (at most 120 ms).
func (o *Opus) Decode(payload []byte, dst []int16) (int, error) {
	return o.decode(payload, dst, false)
}

// DecodeFEC rebuilds the frame lost just before payload from the redundancy
// coded in payload (in-band FEC), len(dst) samples long; with no FEC in it the
// decoder conceals instead. Call it before decoding payload itself.
func (o *Opus) DecodeFEC(payload []byte, dst []int16) (int, error) {
	return o.decode(payload, dst, true)
}

func (o *Opus) decode(payload []byte, dst []int16, fec bool) (int, error) {
	if len(dst) == 0 {
		return 0, ErrShortBuffer
	}
	o.decMu.Lock()
	defer o.decMu.Unlock()
	if o.dec == nil {
		return 0, ErrClosed
	}
	var data *C.uchar
	if len(payload) > 0 {
		data = (*C.uchar)(unsafe.Pointer(&payload[0]))
	}
	flag := C.int(0)
	if fec {
		flag = 1
	}
	n := C.opus_decode(o.dec, data, C.opus_int32(len(payload)), (*C.opus_int16)(unsafe.Pointer(&dst[0])), C.int(len(dst)), flag)
	if n < 0 {
		if n == C.OPUS_BUFFER_TOO_SMALL {
			return 0, ErrShortBuffer
		}
		return 0, fmt.Errorf("%w: decode: %s", ErrOpus, opusError(n))
	}
	return int(n), nil
}

// Close frees the encoder and decoder; Encode and Decode then return ErrClosed.
func (o *Opus) Close() error {
	o.closeOnce.Do(func() {
		o.cleanup.Stop()
		o.encMu.Lock()
		C.opus_encoder_destroy(o.enc)
		o.enc = nil
		o.encMu.Unlock()
		o.decMu.Lock()
		C.opus_decoder_destroy(o.dec)
		o.dec = nil
		o.decMu.Unlock()
	})
	return nil
}

// OpusPacketDuration reads how many samples at rate one Opus packet holds
// (from its TOC byte and frame count), without decoding it.
func OpusPacketDuration(packet []byte, rate int) (int, error) {
	if len(packet) == 0 {
		return 0, fmt.Errorf("%w: empty packet", ErrOpus)
	}
	n := C.opus_packet_get_nb_samples((*C.uchar)(unsafe.Pointer(&packet[0])), C.opus_int32(len(packet)), C.opus_int32(rate))
	if n < 0 {
		return 0, fmt.Errorf("%w: %s", ErrOpus, opusError(n))
	}
	return int(n), nil
}

func opusError(code C.int) string {
	return C.GoString(C.opus_strerror(code))
}
