package history

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBeginGetRoundTrip(t *testing.T) {
	s := openTemp(t)
	want := Record{
		ID: "call-1", Account: "agent7", Platform: "udesk", PlatformCallID: "CA-123",
		Direction: DirectionIn, RemoteNumber: "+8613800138000", DisplayNumber: "138****8000",
		Location: "北京", Carrier: "中国移动", Queue: "vip", State: StateTalking,
		EndReason: "", Started: base.Add(123456789), Answered: base.Add(2 * time.Second),
		UserData: map[string]string{"order": "A-7", "客户": "张三"},
		Note:     "wants a callback", Tags: []string{"complaint", "vip"},
		Updated: base.Add(3 * time.Second),
	}
	mustBegin(t, s, want)
	got, err := s.Get(testContext(t), "call-1")
	if err != nil {
		t.Fatal(err)
	}
	assertRecord(t, got, want)
}

func TestBeginTwiceIsDuplicate(t *testing.T) {
	s := openTemp(t)
	mustBegin(t, s, inbound("c1", 0, "1"))
	err := s.Begin(testContext(t), inbound("c1", 1, "2"))
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second Begin = %v, want ErrDuplicate", err)
	}
	got, _ := s.Get(testContext(t), "c1")
	if got.RemoteNumber != "1" {
		t.Errorf("duplicate Begin changed the row: %+v", got)
	}
}

func TestUpdateUnknownCall(t *testing.T) {
	s := openTemp(t)
	if err := s.Update(testContext(t), inbound("nope", 0, "1")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.Get(testContext(t), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.Events(testContext(t), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Events(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.SetNote(testContext(t), "nope", "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetNote(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.SetTags(testContext(t), "nope", []string{"x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetTags(unknown) = %v, want ErrNotFound", err)
	}
}

func TestUpdateWritesTimeline(t *testing.T) {
	s := openTemp(t)
	r := inbound("c1", 0, "13800138000")
	r.Updated = base.Add(time.Second)
	mustBegin(t, s, r)

	r.State, r.Answered, r.Updated = StateTalking, base.Add(4*time.Second), base.Add(4*time.Second)
	mustUpdate(t, s, r)
	r.State, r.Updated = StateHeld, base.Add(10*time.Second)
	mustUpdate(t, s, r)
	mustUpdate(t, s, r) // nothing changed: no new event
	r.State, r.Updated, r.Queue = StateTalking, base.Add(20*time.Second), "vip queue"
	mustUpdate(t, s, r)
	r.UserData, r.Updated = map[string]string{"order": "7"}, base.Add(25*time.Second)
	mustUpdate(t, s, r) // same state, but something changed: an event
	r.State, r.EndReason, r.Ended, r.Updated = StateEnded, "remote_hangup", base.Add(30*time.Second), base.Add(30*time.Second)
	mustUpdate(t, s, r)

	events, err := s.Events(testContext(t), "c1")
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{"c1", base.Add(time.Second), StateRinging, ""},
		{"c1", base.Add(4 * time.Second), StateTalking, "answered=2026-03-02T09:00:04Z"},
		{"c1", base.Add(10 * time.Second), StateHeld, ""},
		{"c1", base.Add(20 * time.Second), StateTalking, `queue="vip queue"`},
		{"c1", base.Add(25 * time.Second), StateTalking, "user_data=order"},
		{"c1", base.Add(30 * time.Second), StateEnded, "end_reason=remote_hangup ended=2026-03-02T09:00:30Z"},
	}
	if len(events) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(events), len(want), events)
	}
	for i := range want {
		if g, w := events[i], want[i]; g.CallID != w.CallID || !g.At.Equal(w.At) || g.State != w.State || g.Detail != w.Detail {
			t.Errorf("event %d = %+v, want %+v", i, g, w)
		}
	}
	got, _ := s.Get(testContext(t), "c1")
	assertRecord(t, got, r)
	if !got.Updated.Equal(base.Add(30 * time.Second)) {
		t.Errorf("Updated = %v", got.Updated)
	}
}

func TestUpdateStampsWithClockWhenUnset(t *testing.T) {
	clock := newFakeClock()
	s := openTemp(t, WithClock(clock.Now))
	r := inbound("c1", 0, "1")
	mustBegin(t, s, r) // clock tick 1
	r.State = StateTalking
	mustUpdate(t, s, r) // clock tick 2
	events, err := s.Events(testContext(t), "c1")
	if err != nil {
		t.Fatal(err)
	}
	start := base.Add(time.Hour)
	if len(events) != 2 || !events[0].At.Equal(start.Add(time.Second)) || !events[1].At.Equal(start.Add(2*time.Second)) {
		t.Fatalf("events = %+v, want stamped by the clock", events)
	}
}

func TestUpdateKeepsAgentNoteAndTags(t *testing.T) {
	s := openTemp(t)
	r := inbound("c1", 0, "1")
	mustBegin(t, s, r)
	ctx := testContext(t)
	if err := s.SetNote(ctx, "c1", "angry about invoice"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTags(ctx, "c1", []string{"billing", "回访"}); err != nil {
		t.Fatal(err)
	}
	r.State = StateTalking // the engine knows nothing of the note
	mustUpdate(t, s, r)
	got, _ := s.Get(ctx, "c1")
	if got.Note != "angry about invoice" || strings.Join(got.Tags, ",") != "billing,回访" {
		t.Fatalf("Update erased the agent's annotations: note %q tags %q", got.Note, got.Tags)
	}
	// An engine that does carry a note (a platform remark) overwrites it.
	r.Note, r.Tags = "remark from platform", []string{"x"}
	mustUpdate(t, s, r)
	got, _ = s.Get(ctx, "c1")
	if got.Note != "remark from platform" || strings.Join(got.Tags, ",") != "x" {
		t.Fatalf("note %q tags %q", got.Note, got.Tags)
	}
	// Clearing goes through SetNote/SetTags.
	if err := s.SetNote(ctx, "c1", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTags(ctx, "c1", nil); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(ctx, "c1")
	if got.Note != "" || got.Tags != nil {
		t.Fatalf("after clearing: note %q tags %q", got.Note, got.Tags)
	}
	// SetNote does not count as the engine reporting on the call.
	if !got.Updated.Equal(base.Add(time.Hour + 3*time.Second)) {
		t.Errorf("Updated = %v, moved by SetNote/SetTags", got.Updated)
	}
}

func TestSaveInsertsThenUpdates(t *testing.T) {
	s := openTemp(t)
	ctx := testContext(t)
	r := outbound("c1", 0, "95555")
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.State = StateRemoteRinging
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, r); err != nil { // a retry of the same record
		t.Fatal(err)
	}
	events, _ := s.Events(ctx, "c1")
	if len(events) != 2 || events[0].State != StateDialing || events[1].State != StateRemoteRinging {
		t.Fatalf("events = %+v, want dialing, remote_ringing", events)
	}
}

func TestInvalidRecords(t *testing.T) {
	ok := inbound("c1", 0, "1")
	for _, tc := range []struct {
		name   string
		change func(*Record)
	}{
		{"empty id", func(r *Record) { r.ID = "" }},
		{"unknown direction", func(r *Record) { r.Direction = "inbound" }},
		{"empty direction", func(r *Record) { r.Direction = "" }},
		{"unknown state", func(r *Record) { r.State = "Talking" }},
		{"zero start", func(r *Record) { r.Started = time.Time{} }},
		{"start beyond int64 nanos", func(r *Record) { r.Started = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"answered before 1678", func(r *Record) { r.Answered = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			r := ok
			tc.change(&r)
			ctx := testContext(t)
			for name, op := range map[string]func() error{
				"Begin":  func() error { return s.Begin(ctx, r) },
				"Update": func() error { return s.Update(ctx, r) },
				"Save":   func() error { return s.Save(ctx, r) },
			} {
				if err := op(); !errors.Is(err, ErrInvalidRecord) {
					t.Errorf("%s = %v, want ErrInvalidRecord", name, err)
				}
			}
			if recs, _ := s.Recent(ctx, Page{}); len(recs) != 0 {
				t.Errorf("an invalid record was stored: %+v", recs)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		if err := ok.validate(); err != nil {
			t.Fatalf("the base record is invalid: %v", err)
		}
	})
}

func TestDescribeChanges(t *testing.T) {
	old := inbound("c1", 0, "13800138000")
	old.UserData = map[string]string{"a": "1", "b": "2"}
	for _, tc := range []struct {
		name        string
		change      func(*Record)
		wantDetail  string
		wantChanged bool
	}{
		{"nothing", func(*Record) {}, "", false},
		{"state only", func(r *Record) { r.State = StateTalking }, "", true},
		{"number", func(r *Record) { r.RemoteNumber = "95555" }, "remote_number=95555", true},
		{"emptied", func(r *Record) { r.RemoteNumber = "" }, `remote_number=""`, true},
		{"space and quote", func(r *Record) { r.Queue = `a "b"` }, `queue="a \"b\""`, true},
		{"chinese is plain", func(r *Record) { r.Location = "广东 深圳" }, `location="广东 深圳"`, true},
		{"user data keys", func(r *Record) { r.UserData = map[string]string{"a": "9", "c": "3"} }, "user_data=a,b,c", true},
		{"user data same", func(r *Record) { r.UserData = map[string]string{"b": "2", "a": "1"} }, "", false},
		{"answered unset", func(r *Record) { r.Answered = time.Time{} }, "", false},
		{"note and tags", func(r *Record) { r.Note, r.Tags = "n", []string{"t"} }, "note tags", true},
		{"several", func(r *Record) { r.EndReason, r.Ended, r.State = "missed", base, StateEnded },
			"end_reason=missed ended=2026-03-02T09:00:00Z", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := old.Clone()
			tc.change(&r)
			detail, changed := describeChanges(old, r)
			if detail != tc.wantDetail || changed != tc.wantChanged {
				t.Errorf("describeChanges = %q, %v; want %q, %v", detail, changed, tc.wantDetail, tc.wantChanged)
			}
		})
	}
}

func TestMissedDerivation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Record)
		want   bool
	}{
		{"inbound ended unanswered", func(r *Record) { r.State = StateEnded }, true},
		{"inbound rejected", func(r *Record) { r.State, r.EndReason = StateEnded, "rejected" }, true},
		{"inbound still ringing", func(*Record) {}, false},
		{"inbound answered", func(r *Record) { r.State, r.Answered = StateEnded, base }, false},
		{"outbound unanswered", func(r *Record) { r.State, r.Direction = StateEnded, DirectionOut }, false},
		{"internal unanswered", func(r *Record) { r.State, r.Direction = StateEnded, DirectionInternal }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := inbound("c1", 0, "1")
			tc.change(&r)
			if got := r.Missed(); got != tc.want {
				t.Errorf("Missed() = %v, want %v", got, tc.want)
			}
			// The SQL condition agrees with the method.
			s := openTemp(t)
			mustBegin(t, s, r)
			missed, err := s.Missed(testContext(t), Page{})
			if err != nil {
				t.Fatal(err)
			}
			if (len(missed) == 1) != tc.want {
				t.Errorf("Missed query returned %d rows, want missed=%v", len(missed), tc.want)
			}
		})
	}
}

func TestCloneIsDeep(t *testing.T) {
	r := inbound("c1", 0, "1")
	r.UserData, r.Tags = map[string]string{"a": "1"}, []string{"x"}
	c := r.Clone()
	c.UserData["a"], c.Tags[0] = "2", "y"
	if r.UserData["a"] != "1" || r.Tags[0] != "x" {
		t.Fatal("Clone shares maps or slices")
	}
}
