package phone

import (
	"context"
	"fmt"
	"sync/atomic"

	"agentbar/audio"
)

// holdPort wraps a call's audio port so that, while we hold the call, the
// microphone sends silence: SDP sendonly lets us send (and RTP keeps NAT
// bindings and the peer's RTP timeout happy), but the held customer must
// not hear the agent.
type holdPort struct {
	audio.Port
	held atomic.Bool
}

var (
	_ audio.Port       = (*holdPort)(nil)
	_ audio.RateBinder = (*holdPort)(nil)
)

func (h *holdPort) ReadFrame(ctx context.Context, pcm []int16) error {
	if err := h.Port.ReadFrame(ctx, pcm); err != nil {
		return err
	}
	if h.held.Load() {
		clear(pcm)
	}
	return nil
}

// Bind passes a codec rate change on to the port when it can follow one.
func (h *holdPort) Bind(rate int) error {
	if b, ok := h.Port.(audio.RateBinder); ok {
		return b.Bind(rate)
	}
	if h.Port.SampleRate() != rate {
		return fmt.Errorf("phone: audio port runs at %d Hz and cannot change to %d Hz", h.Port.SampleRate(), rate)
	}
	return nil
}
