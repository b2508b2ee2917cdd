package control

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"agentbar/core"
)

// BenchmarkStatusRoundTrip: one GET /v1/status over loopback HTTP, through
// the token and origin checks, the engine's loop and JSON.
func BenchmarkStatusRoundTrip(b *testing.B) {
	h := newHarness(b, loggedIn)
	h.talking("p1")
	c := newClient(b, h.dir)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Do(ctx, http.MethodGet, "status", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommandRoundTrip: one POST /v1/state that reaches the platform.
func BenchmarkCommandRoundTrip(b *testing.B) {
	h := newHarness(b, loggedIn)
	c := newClient(b, h.dir)
	ctx := context.Background()
	states := []stateRequest{{State: "ready"}, {State: "busy"}}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Do(ctx, http.MethodPost, "state", states[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkEventStream: events from the platform's sink to a WebSocket
// client, in order; reports events per second.
func BenchmarkEventStream(b *testing.B) {
	h := newHarness(b, loggedIn, withTuning(func(tu *tuning) { tu.eventBuffer = 4096 }))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, errc := newClient(b, h.dir).Events(ctx)
	<-msgs // hello
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for b.Loop() {
		h.plat.report(core.NoticeUpdate{Level: "info", Text: fmt.Sprint("n", n)})
		n++
		if n%1024 == 0 { // stay inside the subscription's queue
			for range 1024 {
				<-msgs
			}
		}
	}
	for range n % 1024 {
		<-msgs
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
	cancel()
	for range msgs {
	}
	<-errc
}

func BenchmarkDecodeStrict(b *testing.B) {
	body := []byte(`{"call":"c1","kind":"agent","target":"1002"}`)
	b.ReportAllocs()
	for b.Loop() {
		var req targetRequest
		if err := decodeStrict(body, &req); err != nil {
			b.Fatal(err)
		}
	}
}
