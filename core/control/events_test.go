package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"agentbar/core"
)

// wireEvent is what the tests read of an event on the wire.
type wireEvent struct {
	Type   string          `json:"type"`
	Seq    uint64          `json:"seq"`
	Count  int             `json:"count"`
	From   json.RawMessage `json:"from"` // an agent state object or a call state name
	To     json.RawMessage `json:"to"`
	Status struct {
		Seq   uint64                 `json:"seq"`
		Agent struct{ State string } `json:"agent"`
		Calls []struct {
			ID string `json:"id"`
		} `json:"calls"`
	} `json:"status"`
}

func decodeWire(t *testing.T, b []byte) wireEvent {
	t.Helper()
	var w wireEvent
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatalf("event %q: %v", b, err)
	}
	return w
}

// next reads one message from a stream or fails after a deadline.
func next(t *testing.T, msgs <-chan []byte) []byte {
	t.Helper()
	select {
	case m, ok := <-msgs:
		if !ok {
			t.Fatal("stream ended")
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return nil
}

func newClient(t testing.TB, dir string) *Client {
	t.Helper()
	c, err := NewClient(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestEventsInOrder opens the stream in the middle of 200 state changes
// and checks that the hello snapshot and the events after it fit together
// exactly: no gap, no duplicate, no reordering.
func TestEventsInOrder(t *testing.T) {
	h := newHarness(t, loggedIn)
	c := newClient(t, h.dir)
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()

	const changes = 200
	started := make(chan struct{})
	pumped := make(chan error, 1)
	go func() {
		for i := range changes {
			state := "ready"
			if i%2 == 1 {
				state = "busy"
			}
			if _, err := c.Do(ctx, http.MethodPost, "state", stateRequest{State: state}); err != nil {
				pumped <- err
				return
			}
			if i == changes/4 {
				close(started)
			}
		}
		pumped <- nil
	}()
	<-started
	msgs, errc := c.Events(ctx)
	hello := decodeWire(t, next(t, msgs))
	if hello.Type != "hello" || hello.Status.Seq == 0 {
		t.Fatalf("first message %+v", hello)
	}
	if err := <-pumped; err != nil {
		t.Fatal(err)
	}
	raw, err := c.Do(ctx, http.MethodGet, "status", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The status reply is flat: its seq and agent are top-level.
	var flat struct {
		Seq   uint64                 `json:"seq"`
		Agent struct{ State string } `json:"agent"`
	}
	if err := json.Unmarshal(raw, &flat); err != nil {
		t.Fatal(err)
	}

	seq, state, n := hello.Status.Seq, hello.Status.Agent.State, 0
	for seq < flat.Seq {
		ev := decodeWire(t, next(t, msgs))
		if ev.Seq != seq+1 {
			t.Fatalf("after seq %d came %d (%s)", seq, ev.Seq, ev.Type)
		}
		seq = ev.Seq
		if ev.Type != "agent_state_changed" {
			t.Fatalf("unexpected %s", ev.Type)
		}
		var from, to struct{ State string }
		if json.Unmarshal(ev.From, &from) != nil || json.Unmarshal(ev.To, &to) != nil {
			t.Fatalf("seq %d: from %s to %s", ev.Seq, ev.From, ev.To)
		}
		if from.State != state {
			t.Fatalf("seq %d goes from %s, but the state was %s", ev.Seq, from.State, state)
		}
		state = to.State
		n++
	}
	if state != flat.Agent.State {
		t.Errorf("events end in %s, status says %s", state, flat.Agent.State)
	}
	if n == 0 || n >= changes {
		t.Errorf("%d events after the snapshot; the stream did not open mid-way", n)
	}
	cancel()
	for range msgs {
	}
	if err := <-errc; err != nil {
		t.Errorf("stream ended with %v after cancel", err)
	}
}

func TestHelloCarriesActiveCalls(t *testing.T) {
	h := newHarness(t, loggedIn)
	id := h.talking("p1")
	msgs, errc := newClient(t, h.dir).Events(h.ctx)
	hello := decodeWire(t, next(t, msgs))
	if len(hello.Status.Calls) != 1 || hello.Status.Calls[0].ID != string(id) || hello.Status.Agent.State != "busy" {
		t.Fatalf("hello %+v", hello)
	}
	h.ok("POST", "hold", `{}`)
	var ev wireEvent
	for ev.Type != "call_changed" {
		ev = decodeWire(t, next(t, msgs))
	}
	if ev.Seq <= hello.Status.Seq {
		t.Errorf("event seq %d not after hello seq %d", ev.Seq, hello.Status.Seq)
	}
	h.srv.Close(h.ctx)
	for range msgs {
	}
	<-errc
}

// bigWall is a supervisor wall of about 300 KB of JSON.
func bigWall() []core.AgentInfo {
	wall := make([]core.AgentInfo, 300)
	for i := range wall {
		wall[i] = core.AgentInfo{ID: fmt.Sprint(i), Name: strings.Repeat("坐", 330), State: core.ReadyState()}
	}
	return wall
}

// TestSlowReaderDoesNotStallEngine: a client stops reading while 12 MB of
// events go out. The engine keeps its pace (a command round trip is
// quick, a direct subscriber sees every event), and when the client reads
// again it learns what it missed through events_dropped, in order.
func TestSlowReaderDoesNotStallEngine(t *testing.T) {
	h := newHarness(t, loggedIn, withTuning(func(tu *tuning) {
		tu.eventBuffer = 4
		tu.writeTimeout = 30 * time.Second
	}))
	hdr := http.Header{"Authorization": {"Bearer " + h.token}}
	slow, _, err := websocket.DefaultDialer.DialContext(h.ctx, "ws://"+h.srv.Addr()+"/v1/events", hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()

	const bursts = 40
	wall := bigWall()
	began := time.Now()
	for range bursts {
		h.plat.report(core.AgentsUpdate{Agents: wall, Full: true})
	}
	h.ok("POST", "state", `{"state":"ready"}`)
	seen := 0
	h.waitFor(func(ev core.Event) bool {
		if _, ok := ev.(core.AgentsChanged); ok {
			seen++
		}
		a, ok := ev.(core.AgentStateChanged)
		return ok && a.To.Name() == "ready"
	})
	took := time.Since(began)
	if seen != bursts {
		t.Errorf("direct subscriber saw %d of %d walls", seen, bursts)
	}
	if took > 5*time.Second {
		t.Errorf("engine took %v for %d events and a command: stalled by the slow client", took, bursts)
	}
	t.Logf("%d × 300 KB events plus a command round trip: %v", bursts, took)

	// The slow client reads again; events keep coming until the drop
	// notice has arrived.
	msgs := make(chan []byte, 64)
	quit := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer close(msgs)
		for {
			_, b, err := slow.ReadMessage()
			if err != nil {
				return
			}
			select {
			case msgs <- b:
			case <-quit: // the test has what it needs; do not block on a full channel
				return
			}
		}
	}()
	defer func() { close(quit); _ = slow.Close(); <-readerDone }()
	stop := make(chan struct{})
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			h.plat.report(core.NoticeUpdate{Level: "info", Text: fmt.Sprint("tick ", i)})
			if _, err := h.e.Status(h.ctx); err != nil { // paces the producer on the engine's loop
				return
			}
		}
	}()
	defer func() { close(stop); <-produced }()

	hello := decodeWire(t, next(t, msgs))
	if hello.Type != "hello" {
		t.Fatalf("first message %s", hello.Type)
	}
	last, walls := hello.Status.Seq, 0
	var dropped *wireEvent
	for {
		ev := decodeWire(t, next(t, msgs))
		if ev.Seq <= last && ev.Type != "events_dropped" {
			t.Fatalf("seq %d (%s) after %d", ev.Seq, ev.Type, last)
		}
		if ev.Type == "agents_changed" {
			walls++
		}
		if dropped != nil {
			if ev.Seq <= dropped.Seq {
				t.Fatalf("event %d after a drop notice for up to %d", ev.Seq, dropped.Seq)
			}
			break
		}
		if ev.Type == "events_dropped" {
			if ev.Count <= 0 || ev.Seq <= last {
				t.Fatalf("drop notice %+v after seq %d", ev, last)
			}
			dropped = &ev
		}
		last = ev.Seq
	}
	if walls >= bursts {
		t.Errorf("slow client got all %d walls: it never fell behind, the test proves nothing", walls)
	}
	t.Logf("slow client: %d walls delivered, then events_dropped count=%d", walls, dropped.Count)
}

// TestStalledClientIsCutOff: a client that does not read for longer than
// the write timeout is disconnected rather than held forever.
func TestStalledClientIsCutOff(t *testing.T) {
	logs := newLogRecorder()
	h := newHarness(t, loggedIn, withLogs(logs), withTuning(func(tu *tuning) {
		tu.eventBuffer = 4
		tu.writeTimeout = 300 * time.Millisecond
	}))
	hdr := http.Header{"Authorization": {"Bearer " + h.token}}
	slow, _, err := websocket.DefaultDialer.DialContext(h.ctx, "ws://"+h.srv.Addr()+"/v1/events", hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	// Walls keep coming until the server says it gave up on the write:
	// however much the kernel buffers, it fills up.
	stop := make(chan struct{})
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		wall := bigWall()
		for {
			select {
			case <-stop:
				return
			default:
			}
			h.plat.report(core.AgentsUpdate{Agents: wall, Full: true})
			if _, err := h.e.Status(h.ctx); err != nil { // paces the producer on the engine's loop
				return
			}
		}
	}()
	// The server says it gave up on the write ...
	logs.waitLog(t, "event stream closed", "i/o timeout")
	close(stop)
	<-produced
	// ... and reading now drains what was buffered, then hits the end of
	// the connection rather than our own deadline.
	_ = slow.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, _, err := slow.ReadMessage()
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the server kept the stalled stream open: %v", err)
		}
		break
	}
}

func TestServerCloseEndsStreams(t *testing.T) {
	h := newHarness(t)
	c := newClient(t, h.dir)
	msgs, errc := c.Events(h.ctx)
	next(t, msgs) // hello
	closed := make(chan error, 1)
	go func() { closed <- h.srv.Close(h.ctx) }()
	for range msgs {
	}
	err := <-errc
	var se *StreamEndedError
	if !errors.As(err, &se) || se.Code != websocket.CloseGoingAway {
		t.Fatalf("stream ended with %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(h.dir, EndpointFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("endpoint file: %v", err)
	}
	if _, err := c.Do(h.ctx, http.MethodGet, "status", nil); !errors.Is(err, ErrNotRunning) {
		t.Errorf("after close: %v", err)
	}
	if _, err := NewClient(h.dir); !errors.Is(err, ErrNotRunning) {
		t.Errorf("new client after close: %v", err)
	}
	if err := h.srv.Close(h.ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestEngineCloseEndsStreams(t *testing.T) {
	h := newHarness(t, loggedIn)
	msgs, errc := newClient(t, h.dir).Events(h.ctx)
	next(t, msgs)
	if err := h.e.Close(h.ctx); err != nil {
		t.Fatal(err)
	}
	for range msgs {
	}
	var se *StreamEndedError
	if err := <-errc; !errors.As(err, &se) || se.Code != websocket.CloseGoingAway {
		t.Fatalf("stream ended with %v", err)
	}
}

func TestKeepalive(t *testing.T) {
	h := newHarness(t, loggedIn, withTuning(func(tu *tuning) {
		tu.pingInterval = 20 * time.Millisecond
		tu.pongWait = 200 * time.Millisecond
	}))
	url := "ws://" + h.srv.Addr() + "/v1/events"
	hdr := http.Header{"Authorization": {"Bearer " + h.token}}

	// A client that answers pings stays connected across many pongWaits.
	live, _, err := websocket.DefaultDialer.DialContext(h.ctx, url, hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	pings := make(chan struct{}, 100)
	live.SetPingHandler(func(data string) error {
		select {
		case pings <- struct{}{}:
		default:
		}
		return live.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	msgs := make(chan []byte, 16)
	go func() {
		defer close(msgs)
		for {
			_, b, err := live.ReadMessage()
			if err != nil {
				return
			}
			msgs <- b
		}
	}()
	next(t, msgs)  // hello
	for range 25 { // 25 × 20 ms = 2.5 pongWaits
		select {
		case <-pings:
		case <-time.After(5 * time.Second):
			t.Fatal("no pings")
		}
	}
	h.ok("POST", "state", `{"state":"ready"}`)
	ev := decodeWire(t, next(t, msgs))
	if ev.Type == "break_reasons_changed" { // fetched after login, may land here
		ev = decodeWire(t, next(t, msgs))
	}
	if ev.Type != "agent_state_changed" {
		t.Errorf("got %s", ev.Type)
	}

	// A client that never reads never answers a ping: it is dropped.
	mute, _, err := websocket.DefaultDialer.DialContext(h.ctx, url, hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	// Give the server time to notice without us reading: wait on the
	// live client's pings, i.e. the server's own clock.
	for range 25 {
		select {
		case <-pings:
		case <-time.After(5 * time.Second):
			t.Fatal("no pings")
		}
	}
	_ = mute.SetReadDeadline(time.Now().Add(10 * time.Second))
	mute.SetPingHandler(func(string) error { return nil }) // still no pongs
	for {
		if _, _, err := mute.ReadMessage(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("server kept a client that never answers pings: %v", err)
			}
			break
		}
	}
}
