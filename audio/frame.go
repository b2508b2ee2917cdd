package audio

import (
	"fmt"
	"time"
)

// FrameDuration is the length of every frame exchanged between the pipeline,
// the ports and the network: 20 ms, the usual RTP packet time.
const FrameDuration = 20 * time.Millisecond

// framesPerSecond is 1 s / FrameDuration.
const framesPerSecond = int(time.Second / FrameDuration)

// SamplesPerFrame returns the number of mono samples in one 20 ms frame at
// rate, or an error wrapping ErrBadRate when rate does not divide evenly.
func SamplesPerFrame(rate int) (int, error) {
	if rate <= 0 || rate%framesPerSecond != 0 {
		return 0, fmt.Errorf("%w: %d Hz", ErrBadRate, rate)
	}
	return rate / framesPerSecond, nil
}

// chunkDuration is the engine's processing period: half a frame, so that a
// packet that has just arrived waits at most 10 ms for the device.
const chunkDuration = FrameDuration / 2

const chunksPerSecond = int(time.Second / chunkDuration)

func samplesPerChunk(rate int) (int, error) {
	if rate <= 0 || rate%chunksPerSecond != 0 {
		return 0, fmt.Errorf("%w: %d Hz", ErrBadRate, rate)
	}
	return rate / chunksPerSecond, nil
}
