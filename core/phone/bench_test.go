package phone

import (
	"testing"
	"time"
)

// BenchmarkCallSetupAndTeardown is one whole call on loopback UDP: INVITE,
// auto-answer with SDP, ACK, RTP sessions up, BYE.
func BenchmarkCallSetupAndTeardown(b *testing.B) {
	alice := newTestPhone(b, "alice", TransportUDP, nil)
	bob := newTestPhone(b, "bob", TransportUDP, func(c *Config) { c.AutoAnswer = true })
	ctx := ctxT(b)
	for b.Loop() {
		call, err := alice.Dial(ctx, bob.Contact())
		if err != nil {
			b.Fatal(err)
		}
		if err := call.Hangup(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIncomingCallEvent is the time from Dial to the callee's
// IncomingCall event (what the GUI pops up on), reported as ms/call.
func BenchmarkIncomingCallEvent(b *testing.B) {
	alice := newTestPhone(b, "alice", TransportUDP, nil)
	bob := newTestPhone(b, "bob", TransportUDP, nil)
	var total time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		res := alice.dialAsync(ctxT(b), bob.Contact())
		in := bob.nextIncoming()
		total += time.Since(start)
		n++
		if err := in.Call.Reject(ctxT(b), 486); err != nil {
			b.Fatal(err)
		}
		waitDial(b, res)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(n)/1000, "ms/incoming")
}
