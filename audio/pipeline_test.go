package audio

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sineSource is an endless sine FrameSource.
type sineSource struct {
	rate      int
	freq, amp float64
	phase     float64
}

func (s *sineSource) Pull(pcm []int16) { s.phase = FillSine(pcm, s.rate, s.freq, s.amp, s.phase) }

// speakerTap collects what a pipeline plays and says when it has enough.
type speakerTap struct {
	mu     sync.Mutex
	pcm    []int16
	want   int
	enough chan struct{}
	once   sync.Once
}

func newSpeakerTap(samples int) *speakerTap {
	return &speakerTap{want: samples, enough: make(chan struct{})}
}

func (s *speakerTap) write(pcm []int16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pcm) >= s.want {
		return
	}
	s.pcm = append(s.pcm, pcm...)
	if len(s.pcm) >= s.want {
		s.once.Do(func() { close(s.enough) })
	}
}

func (s *speakerTap) wait(t *testing.T) []int16 {
	t.Helper()
	select {
	case <-s.enough:
	case <-time.After(10 * time.Second):
		t.Fatal("speaker did not receive enough audio")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int16(nil), s.pcm...)
}

// readFrames reads n frames from a port, with a deadline.
func readFrames(t *testing.T, port Port, n int) []int16 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	frame := port.SampleRate() / 50
	out := make([]int16, 0, n*frame)
	buf := make([]int16, frame)
	for range n {
		if err := port.ReadFrame(ctx, buf); err != nil {
			t.Fatalf("ReadFrame: %v", err)
		}
		out = append(out, buf...)
	}
	return out
}

func assertTone(t *testing.T, what string, pcm []int16, rate int, freq, levelDBFS float64) {
	t.Helper()
	if f := DominantFrequency(pcm, rate); math.Abs(f-freq) > freq/100 {
		t.Errorf("%s: %.1f Hz, want %.0f ± 1%%", what, f, freq)
	}
	if lvl := RMSdBFS(pcm); math.Abs(lvl-levelDBFS) > 1 {
		t.Errorf("%s: %.1f dBFS, want %.1f", what, lvl, levelDBFS)
	}
}

// The microphone reaches every port at its own rate, and each port's
// playback reaches the speaker mixed.
func TestVirtualPipelineRoutesAudio(t *testing.T) {
	const rate = 48000
	tap := newSpeakerTap(rate) // 1 s
	p, err := NewVirtualPipeline(VirtualOptions{
		Rate:       rate,
		Microphone: &sineSource{rate: rate, freq: 1000, amp: 0.3},
		Speaker:    tap.write,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	narrow, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	wide, err := p.NewPort(16000)
	if err != nil {
		t.Fatal(err)
	}
	narrow.SetPlayback(&sineSource{rate: 8000, freq: 450, amp: 0.2})
	wide.SetPlayback(&sineSource{rate: 16000, freq: 1500, amp: 0.1})

	// 0.3 s sine at amplitude 0.3: RMS -13.5 dBFS.
	assertTone(t, "8 kHz port", readFrames(t, narrow, 15)[400:], 8000, 1000, -13.5)
	assertTone(t, "16 kHz port", readFrames(t, wide, 15)[800:], 16000, 1000, -13.5)

	out := tap.wait(t)[rate/5:]
	if a := Goertzel(out, rate, 450); math.Abs(a-0.2) > 0.01 {
		t.Errorf("450 Hz from the 8 kHz call at %.3f, want 0.2", a)
	}
	if a := Goertzel(out, rate, 1500); math.Abs(a-0.1) > 0.01 {
		t.Errorf("1500 Hz from the 16 kHz call at %.3f, want 0.1", a)
	}
	if lvl := p.InputLevel(); math.Abs(lvl.PeakDBFS-AmplitudeToDBFS(0.3)) > 0.2 {
		t.Errorf("input level %+v", lvl)
	}
	if lvl := p.OutputLevel(); lvl.RMSDBFS < -20 || lvl.RMSDBFS > -10 {
		t.Errorf("output level %+v", lvl)
	}
	if st := p.Stats(); st.Ports != 2 || st.Callbacks < 50 || st.Clipped != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestPipelineMute(t *testing.T) {
	p, err := NewVirtualPipeline(VirtualOptions{Microphone: &sineSource{rate: 8000, freq: 700, amp: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	a, _ := p.NewPort(8000)
	b, _ := p.NewPort(8000)
	loud := func(port Port) bool { return RMSdBFS(readFrames(t, port, 5)[160:]) > -20 }
	quiet := func(port Port) bool { return RMSdBFS(readFrames(t, port, 5)[160:]) == SilenceDBFS }

	a.SetMuted(true)
	readFrames(t, b, 1) // let a frame pass after the change
	if !quiet(a) || !loud(b) || !a.Muted() {
		t.Error("per-port mute: a should be silent and b not")
	}
	a.SetMuted(false)
	p.SetMuted(true)
	readFrames(t, a, 1)
	if !quiet(a) || !quiet(b) || !p.Muted() {
		t.Error("global mute: both should be silent")
	}
	if lvl := p.InputLevel(); lvl.RMSDBFS < -10 {
		t.Errorf("the input meter should still show the muted microphone, got %+v", lvl)
	}
	p.SetMuted(false)
	readFrames(t, a, 1)
	if !loud(a) {
		t.Error("unmuted port still silent")
	}
}

func TestPipelineTonesAndRinging(t *testing.T) {
	const rate = 16000
	tap := newSpeakerTap(rate / 2)
	p, err := NewVirtualPipeline(VirtualOptions{Rate: rate, Speaker: tap.write})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.PlayTone(DialTone())
	if err := p.Ring(Ringtone()); err != nil {
		t.Fatal(err)
	}
	out := tap.wait(t)[rate/10:]
	if a := Goertzel(out, rate, 450); a < 0.1 {
		t.Errorf("dial tone at %.3f", a)
	}
	if a := Goertzel(out[:rate/10], rate, 659.25); a < 0.1 {
		t.Errorf("ringtone (headless: mixed into the output) at %.3f", a)
	}
	if err := p.PlayKeyTone('5', 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := p.PlayKeyTone('x', time.Second); err == nil {
		t.Error("key tone for x accepted")
	}
	p.StopTone()
	if err := p.StopRinging(); err != nil {
		t.Fatal(err)
	}
}

func TestPortLifecycle(t *testing.T) {
	p, err := NewVirtualPipeline(VirtualOptions{})
	if err != nil {
		t.Fatal(err)
	}
	port, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.NewPort(8001); !errors.Is(err, ErrBadRate) {
		t.Errorf("odd rate: %v", err)
	}
	if err := port.ReadFrame(context.Background(), make([]int16, 100)); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("wrong frame size: %v", err)
	}
	if err := port.Bind(16000); err != nil || port.SampleRate() != 16000 {
		t.Fatalf("Bind: %v, rate %d", err, port.SampleRate())
	}
	if got := readFrames(t, port, 2); len(got) != 640 {
		t.Errorf("after Bind(16000) read %d samples", len(got))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := port.ReadFrame(ctx, make([]int16, 320)); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v", err)
	}
	// Close wakes a blocked reader.
	errc := make(chan error, 1)
	go func() {
		buf := make([]int16, 320)
		for {
			if err := port.ReadFrame(context.Background(), buf); err != nil {
				errc <- err
				return
			}
		}
	}()
	if err := port.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("reader got %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the reader")
	}
	if p.Stats().Ports != 0 {
		t.Error("closed port still in the pipeline")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.NewPort(8000); !errors.Is(err, ErrClosed) {
		t.Errorf("NewPort after Close: %v", err)
	}
	if err := p.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}

// A reader that stalls does not turn the stall into permanent delay.
func TestPortSkipsBacklog(t *testing.T) {
	p, err := NewVirtualPipeline(VirtualOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	port, _ := p.NewPort(8000)
	readFrames(t, port, 1)
	// Stall for 7 frames: wait on the pipeline's own clock via a second port.
	other, _ := p.NewPort(8000)
	readFrames(t, other, 7)
	readFrames(t, port, 1)
	if st := port.Stats(); st.FramesDropped == 0 {
		t.Errorf("no frames skipped after a stall: %+v", st)
	}
	if backlog := port.binding.Load().ring.Len() / 160; backlog > maxBacklogFrames {
		t.Errorf("backlog %d frames", backlog)
	}
}

func TestFilePipeline(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.wav")
	out := filepath.Join(dir, "out.wav")
	// 600 ms of 1 kHz at 16 kHz stereo: the pipeline mixes and resamples it.
	mono := SineWave(16000, 1000, 0.4, 600*time.Millisecond)
	stereo := make([]int16, 2*len(mono))
	for i, s := range mono {
		stereo[2*i], stereo[2*i+1] = s, s
	}
	if err := WriteWAVFile(in, &WAV{Format: WAVFormat{16000, 2}, Samples: stereo}); err != nil {
		t.Fatal(err)
	}
	p, err := NewFilePipeline(FileOptions{In: in, Out: out, Rate: 8000})
	if err != nil {
		t.Fatal(err)
	}
	port, err := p.NewPort(8000)
	if err != nil {
		t.Fatal(err)
	}
	port.SetPlayback(&sineSource{rate: 8000, freq: 450, amp: 0.25})
	start := time.Now()
	heard := readFrames(t, port, 20) // 400 ms
	assertTone(t, "file microphone", heard[800:], 8000, 1000, -11)
	select {
	case <-p.InputDone():
	case <-time.After(5 * time.Second):
		t.Fatal("InputDone never closed")
	}
	// Paced in real time: 600 ms of input take about 600 ms.
	if el := time.Since(start); el < 500*time.Millisecond || el > 3*time.Second {
		t.Errorf("600 ms of input played in %v", el)
	}
	// Up to maxBacklogFrames older frames are still queued; then silence.
	if after := readFrames(t, port, maxBacklogFrames+2); RMSdBFS(after[maxBacklogFrames*160:]) != SilenceDBFS {
		t.Error("not silent after the end of the input")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := ReadWAVFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if w.Format != (WAVFormat{8000, 1}) || w.Duration() < 500*time.Millisecond {
		t.Fatalf("output %+v, %v", w.Format, w.Duration())
	}
	assertTone(t, "output file", w.Samples[1600:], 8000, 450, -15)
}

func TestFilePipelineLoopsAndErrors(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "short.wav")
	if err := WriteWAVFile(in, &WAV{Format: WAVFormat{8000, 1}, Samples: SineWave(8000, 600, 0.3, 100*time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	p, err := NewFilePipeline(FileOptions{In: in, Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Rate() != 8000 {
		t.Errorf("rate %d, want the file's 8000", p.Rate())
	}
	port, _ := p.NewPort(8000)
	if got := readFrames(t, port, 15); len(FindGaps(got, 8000, -40, 20*time.Millisecond)) != 0 {
		t.Error("looped input has gaps")
	}
	if _, err := NewFilePipeline(FileOptions{In: filepath.Join(dir, "missing.wav")}); err == nil {
		t.Error("missing input accepted")
	}
	if _, err := NewFilePipeline(FileOptions{Out: filepath.Join(dir, "no", "such", "dir.wav")}); err == nil {
		t.Error("unwritable output accepted")
	}
}

func TestRecordingIsStereo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "call.wav")
	p, err := NewVirtualPipeline(VirtualOptions{Microphone: &sineSource{rate: 8000, freq: 1000, amp: 0.3}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	port, _ := p.NewPort(8000)
	port.SetPlayback(&sineSource{rate: 8000, freq: 450, amp: 0.2})
	if err := port.StartRecording(path); err != nil {
		t.Fatal(err)
	}
	if err := port.StartRecording(path); !errors.Is(err, ErrRecording) {
		t.Errorf("second StartRecording: %v", err)
	}
	readFrames(t, port, 25)
	if err := port.StopRecording(); err != nil {
		t.Fatal(err)
	}
	w, err := ReadWAVFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if w.Format != (WAVFormat{8000, 2}) || w.Duration() < 400*time.Millisecond {
		t.Fatalf("recording %+v %v", w.Format, w.Duration())
	}
	assertTone(t, "agent (left)", w.Channel(0)[800:], 8000, 1000, -13.5)
	assertTone(t, "customer (right)", w.Channel(1)[800:], 8000, 450, -17)
}

// The real-time contract: the engine's frame processing with calls, tones,
// a recording and a jitter buffer allocates nothing.
func TestEngineProcessDoesNotAllocate(t *testing.T) {
	p, err := newPipelineShell(48000, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.driver = &pacer{}
	a, _ := p.NewPort(8000)
	b, _ := p.NewPort(16000)
	jb := NewJitterBuffer(PCMU{}, JitterBufferOptions{})
	a.SetPlayback(jb)
	b.SetPlayback(&sineSource{rate: 16000, freq: 300, amp: 0.1})
	p.PlayTone(RingbackTone())
	_ = p.PlayKeyTone('1', time.Second)
	if err := a.StartRecording(filepath.Join(t.TempDir(), "r.wav")); err != nil {
		t.Fatal(err)
	}
	defer a.StopRecording()
	in := SineWave(48000, 1000, 0.3, FrameDuration)
	out := make([]int16, len(in))
	payload := make([]byte, 160)
	var seq uint16
	allocs := testing.AllocsPerRun(200, func() {
		jb.Push(seq, uint32(seq)*160, payload, time.Now())
		seq++
		p.engine.process(out, in)
	})
	if allocs != 0 {
		t.Errorf("engine.process allocates %.1f times per frame", allocs)
	}
}

func BenchmarkEngineProcess(b *testing.B) {
	for _, calls := range []int{1, 4} {
		b.Run(strconv.Itoa(calls)+"calls", func(b *testing.B) {
			p, _ := newPipelineShell(48000, nil)
			for range calls {
				port, _ := p.NewPort(8000)
				port.SetPlayback(&sineSource{rate: 8000, freq: 440, amp: 0.1})
			}
			in := SineWave(48000, 1000, 0.3, FrameDuration)
			out := make([]int16, len(in))
			for b.Loop() {
				p.engine.process(out, in)
			}
		})
	}
}

// TestStandInTellsTheAgent: virtual devices standing in for sound devices
// that could not be opened say so at once, with a sentence that tells the
// agent what to do; ordinary virtual pipelines say nothing.
func TestStandInTellsTheAgent(t *testing.T) {
	cause := errors.New("no backend")
	p, err := NewVirtualPipeline(VirtualOptions{StandIn: cause})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	select {
	case ev := <-p.Events():
		if ev.Kind != DeviceNone || !errors.Is(ev.Err, cause) || !strings.Contains(ev.Sentence("zh"), "重新启动") || !strings.Contains(ev.Sentence("en"), "restart") {
			t.Errorf("event %+v: %q / %q", ev, ev.Sentence("zh"), ev.Sentence("en"))
		}
	case <-time.After(time.Second):
		t.Fatal("no notice that calls will be silent")
	}
	q, err := NewVirtualPipeline(VirtualOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	select {
	case ev := <-q.Events():
		t.Errorf("a plain virtual pipeline reported %+v", ev)
	default:
	}
}
