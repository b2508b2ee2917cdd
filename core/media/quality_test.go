package media

import (
	"math"
	"testing"
	"time"
)

func TestEstimateMOS(t *testing.T) {
	tests := []struct {
		name   string
		codec  string
		delay  time.Duration
		loss   float64
		lo, hi float64
	}{
		// G.711 with no impairment: R = 93.2 → MOS 4.41 (the E-model ceiling).
		{"perfect G.711", "PCMU", 0, 0, 4.40, 4.42},
		{"typical LAN call", "PCMA", 60 * time.Millisecond, 0, 4.3, 4.4},
		{"1 % loss", "PCMU", 60 * time.Millisecond, 1, 4.1, 4.3},
		{"5 % loss", "PCMU", 60 * time.Millisecond, 5, 3.5, 3.9},
		{"satellite delay", "PCMU", 400 * time.Millisecond, 0, 2.8, 3.6},
		{"everything lost", "PCMU", 0, 100, 1, 1.2},
		{"unknown codec is worse", "X", 0, 0, 4.0, 4.3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EstimateMOS(tt.codec, tt.delay, tt.loss)
			if got < tt.lo || got > tt.hi || math.IsNaN(got) {
				t.Errorf("MOS = %.3f, want %.2f..%.2f", got, tt.lo, tt.hi)
			}
		})
	}
	// Monotonic in loss and in delay.
	prev := 5.0
	for loss := 0.0; loss <= 30; loss += 0.5 {
		m := EstimateMOS("PCMU", 50*time.Millisecond, loss)
		if m > prev {
			t.Fatalf("MOS rises with loss at %.1f%%", loss)
		}
		prev = m
	}
}

func TestRToMOSBounds(t *testing.T) {
	for _, tt := range []struct{ r, want float64 }{{-5, 1}, {0, 1}, {100, 4.5}, {120, 4.5}} {
		if got := rToMOS(tt.r); got != tt.want {
			t.Errorf("rToMOS(%v) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func TestDirection(t *testing.T) {
	for _, d := range []Direction{SendRecv, SendOnly, RecvOnly, Inactive} {
		back, err := ParseDirection(d.String())
		if err != nil || back != d {
			t.Errorf("ParseDirection(%q) = %v, %v", d.String(), back, err)
		}
		if d.Reverse().Reverse() != d {
			t.Errorf("%v reversed twice is %v", d, d.Reverse().Reverse())
		}
	}
	tests := []struct {
		d              Direction
		sends, receive bool
		reverse        Direction
	}{
		{SendRecv, true, true, SendRecv},
		{SendOnly, true, false, RecvOnly},
		{RecvOnly, false, true, SendOnly},
		{Inactive, false, false, Inactive},
	}
	for _, tt := range tests {
		if tt.d.Sends() != tt.sends || tt.d.Receives() != tt.receive || tt.d.Reverse() != tt.reverse {
			t.Errorf("%v: sends %v receives %v reverse %v", tt.d, tt.d.Sends(), tt.d.Receives(), tt.d.Reverse())
		}
	}
	if _, err := ParseDirection("SENDRECV "); err == nil {
		t.Error("ParseDirection accepted junk")
	}
	if s := Direction(9).String(); s != "Direction(9)" {
		t.Errorf("String of unknown = %q", s)
	}
}
