package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// logSink is a slog.Handler that hands each record to the test.
type logSink struct {
	records chan slog.Record
}

func newLogSink() *logSink { return &logSink{records: make(chan slog.Record, 1000)} }

func (l *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (l *logSink) Handle(_ context.Context, r slog.Record) error {
	select {
	case l.records <- r:
	default: // the test stopped listening; never block the writer
	}
	return nil
}
func (l *logSink) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logSink) WithGroup(string) slog.Handler      { return l }

// waitFor returns the first logged record whose message contains text.
func (l *logSink) waitFor(t *testing.T, text string) slog.Record {
	t.Helper()
	timeout := time.After(testTimeout)
	for {
		select {
		case r := <-l.records:
			if strings.Contains(r.Message, text) {
				return r
			}
		case <-timeout:
			t.Fatalf("no log containing %q", text)
		}
	}
}

func newTestWriter(t *testing.T, s *Store, opts ...WriterOption) (*Writer, *logSink) {
	t.Helper()
	sink := newLogSink()
	w := NewWriter(s, slog.New(sink), opts...)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		w.Close(ctx)
	})
	return w, sink
}

// lockDatabase takes the write lock of the store's file on a connection of
// its own (as another process would) until the returned func is called.
func lockDatabase(t *testing.T, s *Store) (unlock func()) {
	t.Helper()
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	unlock = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
				t.Error(err)
			}
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(unlock)
	return unlock
}

func TestWriterAppliesInOrder(t *testing.T) {
	s := openTemp(t)
	w, _ := newTestWriter(t, s)
	states := []string{StateDialing, StateRemoteRinging, StateTalking, StateHeld, StateTalking, StateConsulting, StateConference, StateTalking, StateEnded}
	var want []string
	for i := range 30 {
		id := fmt.Sprintf("c%02d", i)
		r := outbound(id, i, "95555")
		for j, state := range states {
			r.State = state
			r.Updated = r.Started.Add(time.Duration(j) * time.Second)
			w.Submit(r)
		}
		want = append(want, strings.Join(states, " "))
	}
	if err := w.Flush(testContext(t)); err != nil {
		t.Fatal(err)
	}
	// Everything submitted before Flush is on disk, in order.
	for i := range 30 {
		events, err := s.Events(testContext(t), fmt.Sprintf("c%02d", i))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for j, e := range events {
			got = append(got, e.State)
			if wantAt := base.Add(time.Duration(i)*time.Minute + time.Duration(j)*time.Second); !e.At.Equal(wantAt) {
				t.Errorf("call %d event %d at %v, want the submission's stamp %v", i, j, e.At, wantAt)
			}
		}
		if strings.Join(got, " ") != want[i] {
			t.Fatalf("call %d timeline %v, want %v", i, got, want[i])
		}
	}
	if st := w.Stats(); st.Submitted != 270 || st.Saved != 270 || st.Discarded != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestWriterFlushWaitsOnlyForEarlierRecords(t *testing.T) {
	s := openTemp(t, WithBusyTimeout(10*time.Millisecond))
	w, sink := newTestWriter(t, s, WithBackoff(time.Millisecond, 20*time.Millisecond))
	w.Submit(inbound("first", 0, "1"))
	if err := w.Flush(testContext(t)); err != nil {
		t.Fatal(err)
	}
	unlock := lockDatabase(t, s)
	w.Submit(inbound("blocked", 1, "2"))
	sink.waitFor(t, "will retry")

	// Flush cannot finish while the record is stuck; it honours its context.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := w.Flush(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush while locked = %v, want DeadlineExceeded", err)
	}
	// A record submitted while locked queues behind, never blocking Submit.
	for i := range 200 {
		r := inbound("blocked", 1, "2")
		r.State = []string{StateTalking, StateHeld}[i%2]
		w.Submit(r)
	}
	unlock()
	if err := w.Flush(testContext(t)); err != nil {
		t.Fatal(err)
	}
	events, err := s.Events(testContext(t), "blocked")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 201 || events[200].State != StateHeld {
		t.Fatalf("%d events, last %+v; want 201 ending held", len(events), events[len(events)-1])
	}
	st := w.Stats()
	if st.Retries == 0 || st.Saved != 202 {
		t.Errorf("stats %+v, want retries and 202 saved", st)
	}
	sink.waitFor(t, "succeeded after retries")
}

func TestWriterDiscardsInvalidRecordLoudly(t *testing.T) {
	s := openTemp(t)
	w, sink := newTestWriter(t, s)
	bad := inbound("bad", 0, "1")
	bad.State = "Talking"
	w.Submit(bad)
	w.Submit(inbound("good", 1, "2"))
	if err := w.Flush(testContext(t)); err != nil {
		t.Fatal(err)
	}
	rec := sink.waitFor(t, "invalid record discarded")
	if rec.Level != slog.LevelError {
		t.Errorf("logged at %v, want error", rec.Level)
	}
	if _, err := s.Get(testContext(t), "good"); err != nil {
		t.Errorf("the record after the invalid one: %v", err)
	}
	if st := w.Stats(); st.Discarded != 1 || st.Saved != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestWriterCloseGivesUpAndReports(t *testing.T) {
	s := openTemp(t, WithBusyTimeout(10*time.Millisecond))
	sink := newLogSink()
	w := NewWriter(s, slog.New(sink), WithBackoff(time.Millisecond, 10*time.Millisecond))
	lockDatabase(t, s)
	w.Submit(inbound("a", 0, "1"))
	w.Submit(inbound("b", 1, "2"))
	sink.waitFor(t, "will retry")

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := w.Close(ctx)
	var unsaved *UnsavedError
	if !errors.As(err, &unsaved) || !errors.Is(err, ErrUnsaved) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want *UnsavedError wrapping DeadlineExceeded", err)
	}
	if strings.Join(unsaved.CallIDs, ",") != "a,b" {
		t.Errorf("unsaved ids %v, want a,b", unsaved.CallIDs)
	}
	if !strings.Contains(unsaved.Sentence("zh"), "2 条") || !strings.Contains(unsaved.Sentence("en"), "2 call") {
		t.Errorf("sentences %q / %q", unsaved.Sentence("zh"), unsaved.Sentence("en"))
	}
	sink.waitFor(t, "not saved at close")
	// Closed for good: a late record is refused loudly, Flush says closed.
	w.Submit(inbound("late", 2, "3"))
	sink.waitFor(t, "submitted after close")
	if err := w.Flush(testContext(t)); !errors.Is(err, ErrClosed) {
		t.Errorf("Flush after close = %v, want ErrClosed", err)
	}
	if err := w.Close(testContext(t)); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestWriterCloseFlushes(t *testing.T) {
	s := openTemp(t)
	w := NewWriter(s, nil)
	for i := range 50 {
		w.Submit(inbound(fmt.Sprintf("c%d", i), i, "1"))
	}
	if err := w.Close(testContext(t)); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Recent(testContext(t), Page{Limit: 100})
	if err != nil || len(recs) != 50 {
		t.Fatalf("after Close: %d calls (%v), want 50", len(recs), err)
	}
	if w.Stats().Discarded != 0 {
		t.Errorf("stats %+v", w.Stats())
	}
}

func TestWriterCopiesSubmittedRecord(t *testing.T) {
	s := openTemp(t, WithBusyTimeout(10*time.Millisecond))
	w, sink := newTestWriter(t, s, WithBackoff(time.Millisecond, 5*time.Millisecond))
	unlock := lockDatabase(t, s)
	r := inbound("c1", 0, "1")
	r.UserData = map[string]string{"k": "before"}
	w.Submit(r)
	sink.waitFor(t, "will retry")
	r.UserData["k"] = "after" // the engine reuses its map
	unlock()
	if err := w.Flush(testContext(t)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(testContext(t), "c1")
	if got.UserData["k"] != "before" {
		t.Errorf("user data %v: the writer saw the caller's later change", got.UserData)
	}
}

func TestConcurrentWriters(t *testing.T) {
	path := tempPath(t)
	s := openStore(t, path)
	other := openStore(t, path) // a second pool on the same file, as another process would be
	w, _ := newTestWriter(t, s)
	ctx := testContext(t)

	const goroutines, calls = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := range goroutines {
		wg.Go(func() {
			for c := range calls {
				id := fmt.Sprintf("g%d-c%d", g, c)
				r := inbound(id, g*calls+c, fmt.Sprintf("1380000%02d%02d", g, c))
				switch g % 3 {
				case 0: // through the writer
					w.Submit(r)
					r.State = StateTalking
					w.Submit(r)
					r.State = StateEnded
					w.Submit(r)
				default: // straight to a store
					store := []*Store{s, other}[g%2]
					if err := store.Begin(ctx, r); err != nil {
						errs <- err
						continue
					}
					for _, state := range []string{StateTalking, StateEnded} {
						r.State = state
						if err := store.Update(ctx, r); err != nil {
							errs <- err
						}
					}
				}
				if _, err := other.Recent(ctx, Page{Limit: 5}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := s.Recent(ctx, Page{Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != goroutines*calls {
		t.Fatalf("%d calls, want %d", len(all), goroutines*calls)
	}
	for _, r := range all {
		events, err := s.Events(ctx, r.ID)
		if err != nil || len(events) != 3 || r.State != StateEnded {
			t.Errorf("%s: state %s, %d events (%v)", r.ID, r.State, len(events), err)
		}
	}
}
