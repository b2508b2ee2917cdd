package audio

import (
	"sync"
	"testing"
	"time"
)

func TestSampleRingBasics(t *testing.T) {
	r := NewSampleRing(5)
	if r.Cap() != 8 {
		t.Fatalf("Cap = %d, want 8", r.Cap())
	}
	if n := r.Write([]int16{1, 2, 3, 4, 5, 6}); n != 6 || r.Len() != 6 || r.Free() != 2 {
		t.Fatalf("Write = %d, Len %d Free %d", n, r.Len(), r.Free())
	}
	out := make([]int16, 4)
	if n := r.Read(out); n != 4 || out[0] != 1 || out[3] != 4 {
		t.Fatalf("Read = %d %v", n, out)
	}
	// Wraps around the end of the buffer.
	if n := r.Write([]int16{7, 8, 9, 10, 11, 12, 13}); n != 6 {
		t.Fatalf("Write past full = %d, want 6", n)
	}
	if r.Overruns() != 1 {
		t.Errorf("Overruns = %d, want 1", r.Overruns())
	}
	if n := r.Discard(3); n != 3 {
		t.Errorf("Discard = %d", n)
	}
	out = make([]int16, 10)
	n := r.Read(out)
	want := []int16{8, 9, 10, 11, 12}
	if n != len(want) {
		t.Fatalf("Read = %d, want %d", n, len(want))
	}
	for i, v := range want {
		if out[i] != v {
			t.Fatalf("out = %v, want %v", out[:n], want)
		}
	}
	if r.Read(out) != 0 || r.Discard(5) != 0 {
		t.Error("empty ring gave samples")
	}
}

// One producer and one consumer at full speed: every sample arrives once, in
// order (run with -race).
func TestSampleRingConcurrent(t *testing.T) {
	r := NewSampleRing(256)
	const total = 200_000
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var next int16
		chunk := make([]int16, 37)
		written := 0
		for written < total {
			n := min(len(chunk), total-written, r.Free())
			for i := range n {
				chunk[i] = next
				next++
			}
			r.Write(chunk[:n])
			written += n
		}
	}()
	go func() {
		defer close(done)
		var want int16
		buf := make([]int16, 53)
		for got := 0; got < total; {
			n := r.Read(buf)
			for _, v := range buf[:n] {
				if v != want {
					t.Errorf("sample %d = %d, want %d", got, v, want)
					return
				}
				want++
				got++
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("ring transfer stalled")
	}
	wg.Wait()
	if r.Overruns() != 0 {
		t.Errorf("%d overruns with a producer that respects Free", r.Overruns())
	}
}

func TestSampleRingDoesNotAllocate(t *testing.T) {
	r := NewSampleRing(1024)
	frame := make([]int16, 160)
	if n := testing.AllocsPerRun(100, func() { r.Write(frame); r.Read(frame) }); n != 0 {
		t.Errorf("%.1f allocations", n)
	}
}

func BenchmarkSampleRing(b *testing.B) {
	r := NewSampleRing(4096)
	frame := make([]int16, 960)
	for b.Loop() {
		r.Write(frame)
		r.Read(frame)
	}
}
