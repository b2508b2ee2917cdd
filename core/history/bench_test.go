package history

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkUpdate is the cost of one state change on disk: a write
// transaction that reads the row, rewrites it and appends an event.
func BenchmarkUpdate(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	r := inbound("c1", 0, "13800138000")
	if err := s.Begin(ctx, r); err != nil {
		b.Fatal(err)
	}
	states := []string{StateTalking, StateHeld}
	i := 0
	for b.Loop() {
		r.State = states[i%2]
		i++
		if err := s.Update(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "updates/s")
}

// BenchmarkWriterSubmit is a state change through the Writer, disk work
// included (a Flush every 64 records keeps b.N bounded by the disk, not by
// Submit). submit-ns/op is what the engine's goroutine pays: Submit alone.
func BenchmarkWriterSubmit(b *testing.B) {
	s := openTemp(b)
	w := NewWriter(s, nil)
	defer w.Close(context.Background())
	r := inbound("c1", 0, "13800138000")
	states := []string{StateTalking, StateHeld}
	i := 0
	var submit time.Duration
	for b.Loop() {
		r.State = states[i%2]
		i++
		t0 := time.Now()
		w.Submit(r)
		submit += time.Since(t0)
		if i%64 == 0 {
			if err := w.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := w.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(submit.Nanoseconds())/float64(i), "submit-ns/op")
}

// fillBulk stores n ended calls, one every 20 seconds, in one transaction
// (Begin per row would take most of a minute): a busy agent's several years.
func fillBulk(b testing.TB, s *Store, n int) {
	b.Helper()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO calls (id, direction, remote_number,
		display_number, state, end_reason, started, answered, ended, updated_at)
		VALUES (?, ?, ?, ?, 'ended', ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		started := base.Add(time.Duration(i) * 20 * time.Second).UnixNano()
		direction, reason, answered := DirectionIn, "remote_hangup", any(started+5e9)
		switch {
		case i%5 == 0:
			direction = DirectionOut
		case i%7 == 0:
			reason, answered = "missed", nil
		}
		number := fmt.Sprintf("138%08d", i)
		if _, err := stmt.ExecContext(ctx, fmt.Sprintf("call-%06d", i), direction, number,
			number[:3]+"****"+number[7:], reason, started, answered, started+60e9, started+60e9); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkQuery100k(b *testing.B) {
	const rows = 100_000
	s := openTemp(b)
	t0 := time.Now()
	fillBulk(b, s, rows)
	b.Logf("inserted %d rows in %v", rows, time.Since(t0))
	ctx := context.Background()
	oldest := base.Add(1000 * 20 * time.Second) // a page near the bottom
	for _, bc := range []struct {
		name string
		f    Filter
		want int
	}{
		{"Recent", Filter{}, DefaultLimit},
		{"RecentDeepPage", Filter{Page: Page{Before: oldest, BeforeID: "call-001000"}}, DefaultLimit},
		{"Missed", Filter{MissedOnly: true}, DefaultLimit},
		{"MissedDeepPage", Filter{MissedOnly: true, Page: Page{Before: oldest, BeforeID: "call-001000"}}, DefaultLimit},
		{"Between", Filter{From: base.Add(24 * time.Hour), To: base.Add(48 * time.Hour)}, DefaultLimit},
		{"NumberContainsEverywhere", Filter{Number: "138"}, DefaultLimit}, // every row matches
		{"NumberContainsOld", Filter{Number: "1380001"}, DefaultLimit},    // 1,000 old calls match
		{"NumberContainsShort", Filter{Number: "99"}, DefaultLimit},       // below trigram length: LIKE

		{"NumberContainsRare", Filter{Number: "00012345"}, 1}, // walks the whole table
		{"NumberExact", Filter{Number: "13800012345", ExactNumber: true}, 1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				recs, err := s.Query(ctx, bc.f)
				if err != nil {
					b.Fatal(err)
				}
				if len(recs) != bc.want {
					b.Fatalf("%d records, want %d", len(recs), bc.want)
				}
			}
		})
	}
}
