package audio

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// CallPort is the Port a Pipeline hands to one call.
type CallPort struct {
	pipeline *Pipeline
	binding  atomic.Pointer[portBinding]
	source   atomic.Pointer[sourceBox]
	muted    atomic.Bool
	recorder atomic.Pointer[recorder]

	wake      chan struct{} // one slot: "a frame may be ready"
	closed    chan struct{}
	closeOnce sync.Once
	recMu     sync.Mutex // serialises StartRecording/StopRecording

	framesRead, framesDropped atomic.Uint64
}

var (
	_ Port       = (*CallPort)(nil)
	_ RateBinder = (*CallPort)(nil)
	_ Muter      = (*CallPort)(nil)
)

// portBinding is everything that depends on the port's rate. Bind swaps in
// a new one; the audio thread loads it once per frame.
type portBinding struct {
	rate    int
	frame   int
	ring    *SampleRing // microphone frames at the port's rate
	capRes  *Resampler  // device → port
	playRes *Resampler  // port → device
	// Audio-thread scratch, one engine chunk (10 ms) each.
	mic    []int16 // last microphone chunk at the port's rate (for recording)
	remote []int16 // last pulled chunk at the port's rate
	dev    []int16 // a chunk at the device rate
	stereo []int16 // interleaved recording chunk
}

// captureRingFrames is how many frames the microphone ring holds; the
// reader keeps at most maxBacklogFrames of them as latency.
const (
	captureRingFrames = 8
	maxBacklogFrames  = 3
)

func newPortBinding(deviceRate, rate int) (*portBinding, error) {
	frame, err := SamplesPerFrame(rate)
	if err != nil {
		return nil, err
	}
	chunk, err := samplesPerChunk(rate)
	if err != nil {
		return nil, err
	}
	devChunk, err := samplesPerChunk(deviceRate)
	if err != nil {
		return nil, err
	}
	capRes, err := NewResampler(deviceRate, rate)
	if err != nil {
		return nil, err
	}
	playRes, err := NewResampler(rate, deviceRate)
	if err != nil {
		return nil, err
	}
	return &portBinding{
		rate:    rate,
		frame:   frame,
		ring:    NewSampleRing(captureRingFrames * frame),
		capRes:  capRes,
		playRes: playRes,
		mic:     make([]int16, capRes.OutputLen(devChunk)),
		remote:  make([]int16, chunk),
		dev:     make([]int16, playRes.OutputLen(chunk)),
		stereo:  make([]int16, 2*chunk),
	}, nil
}

// SampleRate implements Port.
func (p *CallPort) SampleRate() int { return p.binding.Load().rate }

// Bind implements RateBinder: frames are exchanged at rate from now on.
func (p *CallPort) Bind(rate int) error {
	if p.binding.Load().rate == rate {
		return nil
	}
	b, err := newPortBinding(p.pipeline.engine.rate, rate)
	if err != nil {
		return err
	}
	p.binding.Store(b)
	return nil
}

// SetMuted implements Muter: the call gets silence from the microphone.
func (p *CallPort) SetMuted(muted bool) { p.muted.Store(muted) }

// Muted implements Muter.
func (p *CallPort) Muted() bool { return p.muted.Load() }

// SetPlayback implements Port.
func (p *CallPort) SetPlayback(src FrameSource) {
	if src == nil {
		p.source.Store(nil)
		return
	}
	p.source.Store(&sourceBox{src: src})
}

// ReadFrame implements Port. pcm must be exactly one frame at SampleRate.
func (p *CallPort) ReadFrame(ctx context.Context, pcm []int16) error {
	for {
		b := p.binding.Load()
		if len(pcm) != b.frame {
			return fmt.Errorf("%w: ReadFrame needs %d samples at %d Hz, got %d", ErrShortBuffer, b.frame, b.rate, len(pcm))
		}
		if backlog := b.ring.Len(); backlog >= b.frame {
			// A reader that fell behind skips ahead rather than carrying the
			// backlog as delay for the rest of the call.
			if excess := backlog/b.frame - maxBacklogFrames; excess > 0 {
				b.ring.Discard(excess * b.frame)
				p.framesDropped.Add(uint64(excess))
			}
			b.ring.Read(pcm)
			p.framesRead.Add(1)
			return nil
		}
		select {
		case <-p.wake:
		case <-p.closed:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close implements Port: the port leaves the pipeline and ReadFrame returns
// ErrClosed. A recording in progress is finished.
func (p *CallPort) Close() error {
	var err error
	p.closeOnce.Do(func() {
		p.pipeline.removePort(p)
		close(p.closed)
		err = p.StopRecording()
	})
	return err
}

// capture takes one device-rate microphone chunk. REAL-TIME.
func (p *CallPort) capture(mic []int16) {
	b := p.binding.Load()
	n := b.capRes.Process(mic, b.mic)
	if p.muted.Load() {
		clear(b.mic[:n])
	}
	b.ring.Write(b.mic[:n])
	if b.ring.Len() >= b.frame {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// playback adds this call's audio to the device-rate mix. REAL-TIME.
func (p *CallPort) playback(acc []int32) {
	b := p.binding.Load()
	if box := p.source.Load(); box != nil {
		box.src.Pull(b.remote)
	} else {
		clear(b.remote)
	}
	if rec := p.recorder.Load(); rec != nil {
		for i := range b.remote {
			b.stereo[2*i] = b.mic[min(i, len(b.mic)-1)]
			b.stereo[2*i+1] = b.remote[i]
		}
		rec.feed(b.stereo)
	}
	n := b.playRes.Process(b.remote, b.dev)
	Accumulate(acc, b.dev[:n])
}

// Stats of one port.
type PortStats struct {
	FramesRead    uint64 // microphone frames delivered by ReadFrame
	FramesDropped uint64 // microphone frames skipped because the reader fell behind
	Overruns      uint64 // microphone samples lost because the ring was full
}

// Stats returns the port's counters.
func (p *CallPort) Stats() PortStats {
	return PortStats{
		FramesRead:    p.framesRead.Load(),
		FramesDropped: p.framesDropped.Load(),
		Overruns:      p.binding.Load().ring.Overruns(),
	}
}
