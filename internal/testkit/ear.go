package testkit

import (
	"sync"
	"time"
)

// earRate is the rate of the virtual headsets: the demo and the simulators
// speak G.711.
const earRate = 8000

// earKeep is how much an Ear keeps at least: more than any test listens
// back, bounded so that a long test does not grow without end.
const earKeep = 5 * time.Second

// Ear records what a virtual headset plays (its Speaker), keeping the last
// few seconds. Safe for the pipeline's goroutine and the test's at once.
type Ear struct {
	mu  sync.Mutex
	pcm []int16
}

// Hear takes a frame played (audio.VirtualOptions.Speaker).
func (e *Ear) Hear(pcm []int16) {
	keep := int(earKeep.Seconds() * earRate)
	e.mu.Lock()
	e.pcm = append(e.pcm, pcm...)
	if len(e.pcm) > 2*keep {
		e.pcm = append([]int16(nil), e.pcm[len(e.pcm)-keep:]...)
	}
	e.mu.Unlock()
}

// Last is a copy of the last d of what was played (less if less was).
func (e *Ear) Last(d time.Duration) []int16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := min(int(d.Seconds()*earRate), len(e.pcm))
	return append([]int16(nil), e.pcm[len(e.pcm)-n:]...)
}
