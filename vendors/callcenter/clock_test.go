package callcenter

import (
	"testing"
	"time"
)

func TestScaledClockRunsFaster(t *testing.T) {
	c := &ScaledClock{Factor: 50}
	start := c.Now()
	fired := make(chan time.Time, 1)
	c.AfterFunc(5*time.Second, func() { fired <- c.Now() }) // 100 ms of real time
	select {
	case at := <-fired:
		if got := at.Sub(start); got < 5*time.Second || got > 8*time.Second {
			t.Fatalf("fired at +%v of center time, want about 5 s", got)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("a 5 s timer at factor 50 did not fire within 3 s")
	}
	stopped := c.AfterFunc(time.Hour, func() { t.Error("stopped timer ran") })
	if !stopped.Stop() {
		t.Error("Stop reported the timer had run")
	}
}

func TestLocation(t *testing.T) {
	tests := []struct{ number, want string }{
		{"13912345678", "江苏省常州市"},
		{"01012345678", "北京市"},
		{"8001", ""},
		{"not a number", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Location(tt.number); got != tt.want {
			t.Errorf("Location(%q) = %q, want %q", tt.number, got, tt.want)
		}
	}
}
