package audio

import "context"

// FrameSource is pulled from the real-time playback path for one frame of
// audio at the puller's rate.
//
// REAL-TIME: Pull is called from the device's audio thread. It must not
// block, allocate or take a lock that other goroutines hold for long, and it
// must fill all of pcm (with silence if it has nothing).
type FrameSource interface {
	Pull(pcm []int16)
}

// Port is one call's connection to the audio pipeline: devices, or files in
// headless mode. The call reads microphone frames from it and tells it what
// the agent should hear.
type Port interface {
	// SampleRate is the rate frames are exchanged at (the codec's), set when
	// the port is opened or re-bound (see RateBinder).
	SampleRate() int
	// ReadFrame fills pcm with the next 20 ms microphone frame (zeros while
	// muted). It blocks until one is ready, ctx ends or the port closes.
	ReadFrame(ctx context.Context, pcm []int16) error
	// SetPlayback sets what the agent hears for this call; nil is silence.
	SetPlayback(src FrameSource)
	Close() error
}

// RateBinder is implemented by ports that can change their sample rate in
// the middle of a call, when a re-INVITE switches to a codec of another rate.
// The media session calls it when it finds it.
type RateBinder interface {
	Bind(sampleRate int) error
}

// Muter is implemented by ports that can be muted on their own.
type Muter interface {
	SetMuted(muted bool)
	Muted() bool
}

// FrameSourceFunc adapts a function to FrameSource.
type FrameSourceFunc func(pcm []int16)

// Pull implements FrameSource.
func (f FrameSourceFunc) Pull(pcm []int16) { f(pcm) }

// Silence is a FrameSource of zeros.
type Silence struct{}

// Pull implements FrameSource.
func (Silence) Pull(pcm []int16) { clear(pcm) }
