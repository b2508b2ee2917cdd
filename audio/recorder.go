package audio

import (
	"errors"
	"fmt"
	"sync"
)

// recorder writes a call to a stereo WAV file (agent left, customer right)
// without the audio thread touching the file: the thread feeds an SPSC ring
// and a goroutine drains it to disk.
type recorder struct {
	ring   *SampleRing
	wake   chan struct{}
	stop   chan struct{}
	done   chan struct{}
	writer *WAVWriter
	err    error // set by the drain goroutine before done closes
	once   sync.Once
}

// recorderSeconds of stereo audio can wait in the ring for the disk.
const recorderSeconds = 2

func startRecorder(path string, rate int) (*recorder, error) {
	w, err := CreateWAVFile(path, WAVFormat{SampleRate: rate, Channels: 2})
	if err != nil {
		return nil, fmt.Errorf("audio: recording: %w", err)
	}
	r := &recorder{
		ring:   NewSampleRing(2 * rate * recorderSeconds),
		wake:   make(chan struct{}, 1),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		writer: w,
	}
	go r.drain()
	return r, nil
}

// feed queues interleaved stereo samples. REAL-TIME.
func (r *recorder) feed(stereo []int16) {
	r.ring.Write(stereo)
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *recorder) drain() {
	defer close(r.done)
	buf := make([]int16, 4096)
	flush := func() {
		for {
			n := r.ring.Read(buf)
			if n == 0 {
				return
			}
			if err := r.writer.Write(buf[:n]); err != nil && r.err == nil {
				r.err = err
			}
		}
	}
	for {
		select {
		case <-r.wake:
			flush()
		case <-r.stop:
			flush()
			r.err = errors.Join(r.err, r.writer.Close())
			return
		}
	}
}

// finish stops the goroutine and closes the file.
func (r *recorder) finish() error {
	r.once.Do(func() { close(r.stop) })
	<-r.done
	if lost := r.ring.Overruns(); lost > 0 && r.err == nil {
		r.err = fmt.Errorf("audio: recording lost %d samples (disk too slow)", lost)
	}
	return r.err
}

// StartRecording records the call to a stereo 16-bit WAV file at the port's
// rate: left is what the agent says (after mute), right what the agent
// hears from this call.
func (p *CallPort) StartRecording(path string) error {
	p.recMu.Lock()
	defer p.recMu.Unlock()
	if p.recorder.Load() != nil {
		return ErrRecording
	}
	select {
	case <-p.closed:
		return ErrClosed
	default:
	}
	r, err := startRecorder(path, p.SampleRate())
	if err != nil {
		return err
	}
	p.recorder.Store(r)
	return nil
}

// StopRecording finishes the recording, if any, and closes its file.
func (p *CallPort) StopRecording() error {
	p.recMu.Lock()
	defer p.recMu.Unlock()
	r := p.recorder.Swap(nil)
	if r == nil {
		return nil
	}
	return r.finish()
}
