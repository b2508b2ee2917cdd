package history

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// base is the start of the tests' day.
var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testTimeout bounds every wait in the tests, so a hang fails instead of
// running into go test's 10 minutes.
const testTimeout = 20 * time.Second

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// fakeClock returns base + n seconds on its n-th call.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: base.Add(time.Hour)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), FileName)
}

func openStore(t testing.TB, path string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openTemp(t testing.TB, opts ...Option) *Store {
	t.Helper()
	return openStore(t, tempPath(t), append([]Option{WithClock(newFakeClock().Now)}, opts...)...)
}

// inbound is a ringing inbound call that started minutes after base.
func inbound(id string, minutes int, remote string) Record {
	return Record{
		ID: id, Account: "1001", Platform: "sip", Direction: DirectionIn,
		RemoteNumber: remote, State: StateRinging,
		Started: base.Add(time.Duration(minutes) * time.Minute),
	}
}

// outbound is a dialing outbound call that started minutes after base.
func outbound(id string, minutes int, remote string) Record {
	return Record{
		ID: id, Account: "1001", Platform: "sip", Direction: DirectionOut,
		RemoteNumber: remote, State: StateDialing,
		Started: base.Add(time.Duration(minutes) * time.Minute),
	}
}

// normalized puts times in UTC so that records compare with DeepEqual.
func normalized(r Record) Record {
	r.Started, r.Answered, r.Ended, r.Updated = r.Started.UTC(), r.Answered.UTC(), r.Ended.UTC(), r.Updated.UTC()
	return r
}

func assertRecord(t testing.TB, got, want Record) {
	t.Helper()
	if g, w := normalized(got), normalized(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("record differs\n got: %+v\nwant: %+v", g, w)
	}
}

func ids(records []Record) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = r.ID
	}
	return out
}

func mustBegin(t testing.TB, s *Store, r Record) {
	t.Helper()
	if err := s.Begin(testContext(t), r); err != nil {
		t.Fatalf("Begin(%s): %v", r.ID, err)
	}
}

func mustUpdate(t testing.TB, s *Store, r Record) {
	t.Helper()
	if err := s.Update(testContext(t), r); err != nil {
		t.Fatalf("Update(%s): %v", r.ID, err)
	}
}

func pragma(t testing.TB, s *Store, name string) string {
	t.Helper()
	var v string
	if err := s.db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}
