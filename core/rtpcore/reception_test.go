package rtpcore

import (
	"testing"
	"time"
)

func TestReceptionStats(t *testing.T) {
	var r Reception
	if r.Active() || r.LossPercent() != 0 || r.Jitter() != 0 {
		t.Fatal("the zero value must be inactive with no figures")
	}
	now := time.Unix(0, 0)
	r.Start(7, 65530, 8000)
	seqs := []uint16{65530, 65531, 65533, 65534, 65535, 0, 1, 1, 3}
	for i, seq := range seqs {
		r.Update(seq, uint32(seq)*160, now.Add(time.Duration(i)*20*time.Millisecond))
	}
	// Expected 65530..65539 (10), received 9 with one duplicate: lost 2-1=1.
	if got := r.ExtendedMax(); got != 1<<16+3 {
		t.Errorf("extended max %d", got)
	}
	if r.Expected() != 10 || r.Lost() != 1 {
		t.Errorf("expected %d lost %d", r.Expected(), r.Lost())
	}
	if got := r.LossPercent(); got != 10 {
		t.Errorf("loss %.2f%%, want 10", got)
	}
	if f := r.Fraction(); f != 25 { // 1/10 · 256
		t.Errorf("fraction %d", f)
	}
	if f := r.Fraction(); f != 0 {
		t.Errorf("second fraction %d, want 0 for an empty interval", f)
	}
	// A jump is believed only when the next packet follows it.
	if r.Update(30000, 0, now) {
		t.Error("jump accepted at once")
	}
	if !r.Update(30001, 0, now) || r.Expected() != 1 || r.SSRC() != 7 {
		t.Errorf("restart after confirmed jump: expected %d ssrc %d", r.Expected(), r.SSRC())
	}
	var neg Reception
	neg.Start(1, 10, 8000)
	for range 5 {
		neg.Update(10, 0, now) // duplicates only
	}
	if neg.CumulativeLost() != 0xFFFFFC { // -4 in 24 bits
		t.Errorf("negative loss field %06x", neg.CumulativeLost())
	}
	if neg.LossPercent() != 0 {
		t.Errorf("duplicates give loss %.2f%%, want 0", neg.LossPercent())
	}
}

// TestReceptionJitter checks the A.8 estimator: packets 20 ms apart in
// timestamp arriving alternately 10 ms early and late converge on a jitter
// of 20 ms (each transit difference is 20 ms), and a timestamp wrap does not
// count as a jump.
func TestReceptionJitter(t *testing.T) {
	tests := []struct {
		name    string
		swing   time.Duration
		startTS uint32
		want    time.Duration
	}{
		{"steady", 0, 1000, 0},
		{"alternating 10 ms", 10 * time.Millisecond, 1000, 20 * time.Millisecond},
		{"steady across a timestamp wrap", 0, 1<<32 - 160*50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Reception
			r.Start(1, 0, 8000)
			base := time.Unix(100, 0)
			for i := range 500 {
				arrival := base.Add(time.Duration(i) * 20 * time.Millisecond)
				if i%2 == 1 {
					arrival = arrival.Add(tt.swing)
				} else {
					arrival = arrival.Add(-tt.swing)
				}
				r.Update(uint16(i), tt.startTS+uint32(i)*160, arrival)
			}
			if got := r.Jitter(); got < tt.want-time.Millisecond || got > tt.want+time.Millisecond {
				t.Errorf("jitter %v, want %v", got, tt.want)
			}
			if units := r.JitterUnits(); units != uint32(r.Jitter().Seconds()*8000) && units+1 != uint32(r.Jitter().Seconds()*8000) {
				t.Errorf("jitter units %d do not match %v at 8 kHz", units, r.Jitter())
			}
		})
	}
}
