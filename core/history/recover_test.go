package history

import (
	"testing"
	"time"
)

func TestOpenClosesInterruptedCalls(t *testing.T) {
	path := tempPath(t)
	s := openStore(t, path)
	if n := s.RecoveredInterrupted(); n != 0 {
		t.Fatalf("fresh database recovered %d calls", n)
	}
	talking := inbound("talking", 0, "1")
	talking.Updated = base.Add(time.Second)
	mustBegin(t, s, talking)
	talking.State, talking.Answered, talking.Updated = StateTalking, base.Add(2*time.Second), base.Add(2*time.Second)
	mustUpdate(t, s, talking)

	held := outbound("held", 1, "2")
	held.State, held.Updated = StateHeld, base.Add(90*time.Second)
	mustBegin(t, s, held)

	// An open call that already knows its end time keeps it.
	ending := outbound("ending", 2, "3")
	ending.State, ending.Ended, ending.Updated = StateTalking, base.Add(150*time.Second), base.Add(140*time.Second)
	mustBegin(t, s, ending)

	done := inbound("done", 3, "4")
	done.State, done.EndReason, done.Answered = StateEnded, "remote_hangup", base.Add(185*time.Second)
	done.Ended, done.Updated = base.Add(200*time.Second), base.Add(200*time.Second)
	mustBegin(t, s, done)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path)
	if n := s.RecoveredInterrupted(); n != 3 {
		t.Fatalf("RecoveredInterrupted() = %d, want 3", n)
	}
	ctx := testContext(t)
	for id, wantEnded := range map[string]time.Time{
		"talking": base.Add(2 * time.Second),
		"held":    base.Add(90 * time.Second),
		"ending":  base.Add(150 * time.Second),
	} {
		r, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != StateEnded || r.EndReason != EndReasonInterrupted || !r.Ended.Equal(wantEnded) {
			t.Errorf("%s: state %s reason %q ended %v; want ended/interrupted at %v", id, r.State, r.EndReason, r.Ended, wantEnded)
		}
		events, err := s.Events(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		last := events[len(events)-1]
		if last.State != StateEnded || last.Detail != recoverDetail || !last.At.Equal(wantEnded) {
			t.Errorf("%s: last event %+v, want the recovery entry at %v", id, last, wantEnded)
		}
	}
	r, _ := s.Get(ctx, "done")
	if r.EndReason != "remote_hangup" {
		t.Errorf("an ended call was touched: %+v", r)
	}
	// The answered-then-interrupted call is not missed; nothing is.
	if missed, _ := s.Missed(ctx, Page{}); len(missed) != 0 {
		t.Errorf("missed = %v", ids(missed))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, path)
	if n := s.RecoveredInterrupted(); n != 0 {
		t.Errorf("second reopen recovered %d calls again", n)
	}
}

func TestInterruptedRingingCallIsMissed(t *testing.T) {
	path := tempPath(t)
	s := openStore(t, path)
	mustBegin(t, s, inbound("ringing", 0, "1"))
	s.Close()
	s = openStore(t, path)
	missed, err := s.Missed(testContext(t), Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(missed) != 1 || missed[0].EndReason != EndReasonInterrupted {
		t.Fatalf("missed = %+v, want the interrupted ringing call", missed)
	}
}
