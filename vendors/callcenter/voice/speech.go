package voice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"agentbar/audio"
)

// Library speaks Chinese text with espeak-ng into a temporary directory and
// keeps the 8000 Hz samples in memory. Generation runs in the background:
// Speech returns at once with what is ready.
type Library struct {
	log    *slog.Logger
	engine string // path of espeak-ng, "" when missing
	dir    string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	samples map[string][]int16
	ready   map[string]chan struct{} // closed when the text is made (or failed)
	closed  bool
}

// maxSpeech bounds the text one sentence may have.
const maxSpeech = 400

// NewLibrary finds espeak-ng (disabled when speech is false or the program
// is missing) and makes the temporary directory.
func NewLibrary(speech bool, log *slog.Logger) *Library {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Library{log: log, samples: map[string][]int16{}, ready: map[string]chan struct{}{}}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	if !speech {
		return l
	}
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		log.Info("voice: espeak-ng not found; simulated voices are tones")
		return l
	}
	dir, err := os.MkdirTemp("", "agentbar-voices-")
	if err != nil {
		log.Warn("voice: no temporary directory; simulated voices are tones", "err", err)
		return l
	}
	l.engine, l.dir = path, dir
	return l
}

// Available reports whether speech can be made.
func (l *Library) Available() bool { return l.engine != "" }

// Speech returns the text spoken at 8000 Hz if it is ready; otherwise it
// starts making it and returns false (the caller uses a tone meanwhile).
func (l *Library) Speech(text string) ([]int16, bool) {
	s, _, ok := l.lookup(text)
	return s, ok
}

// lookup returns the samples, or the channel that closes when they are made.
func (l *Library) lookup(text string) ([]int16, <-chan struct{}, bool) {
	if l.engine == "" || text == "" || len(text) > maxSpeech {
		return nil, nil, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.samples[text]; ok {
		return s, nil, s != nil
	}
	ch, ok := l.ready[text]
	if !ok && !l.closed {
		ch = make(chan struct{})
		l.ready[text] = ch
		l.wg.Add(1)
		go l.make(text, ch)
	}
	return nil, ch, false
}

// Prefetch starts making every text in the background.
func (l *Library) Prefetch(texts ...string) {
	for _, t := range texts {
		l.Speech(t)
	}
}

// Wait blocks until text is ready or ctx ends (tests, and prompts that
// should not start with a beep).
func (l *Library) Wait(ctx context.Context, text string) ([]int16, error) {
	s, ch, ok := l.lookup(text)
	switch {
	case ok:
		return s, nil
	case ch == nil:
		return nil, ErrNoSpeech
	}
	select {
	case <-ch:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s, ok := l.Speech(text); ok {
		return s, nil
	}
	return nil, ErrNoSpeech
}

func (l *Library) make(text string, ready chan struct{}) {
	defer l.wg.Done()
	defer close(ready)
	s, err := l.synthesise(text)
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.ready, text)
	if err != nil {
		l.log.Warn("voice: espeak-ng failed", "err", err)
		l.samples[text] = nil // do not try again; callers fall back to tones
		return
	}
	l.samples[text] = s
}

func (l *Library) synthesise(text string) ([]int16, error) {
	sum := sha256.Sum256([]byte(text))
	path := filepath.Join(l.dir, hex.EncodeToString(sum[:8])+".wav")
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, l.engine, "-v", "cmn", "-s", "150", "-a", "120", "-w", path, "--", text)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %w: %s", err, out)
	}
	w, err := audio.ReadWAVFile(path)
	if err != nil {
		return nil, err
	}
	_ = os.Remove(path)
	pcm, err := resample(w.Mono(), w.Format.SampleRate)
	if err != nil {
		return nil, err
	}
	normalise(pcm, speechPeak)
	return pcm, nil
}

// speechPeak is the peak level speech is scaled to: about -8 dBFS, so a
// voice mixed with another stays clear of clipping (espeak-ng's own
// output peaks near full scale).
const speechPeak = 13000

// normalise scales pcm so that its peak is peak.
func normalise(pcm []int16, peak int32) {
	var top int32
	for _, v := range pcm {
		top = max(top, abs32(int32(v)))
	}
	if top == 0 {
		return
	}
	for i, v := range pcm {
		pcm[i] = int16(int32(v) * peak / top)
	}
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// resample converts a whole clip to 8000 Hz.
func resample(in []int16, from int) ([]int16, error) {
	if from == Rate {
		return in, nil
	}
	r, err := audio.NewResampler(from, Rate)
	if err != nil {
		return nil, err
	}
	out := make([]int16, r.OutputLen(len(in))+Rate/10)
	n := r.Process(in, out)
	n += r.Process(make([]int16, from/10), out[n:])
	return out[:n], nil
}

// Close stops the generation and removes the temporary directory.
func (l *Library) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	l.wg.Wait()
	if l.dir != "" {
		return os.RemoveAll(l.dir)
	}
	return nil
}
