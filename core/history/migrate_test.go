package history

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// v1Schema is the first released schema, written out by hand (not taken from
// migrations) so that this test keeps proving that a database made by that
// release opens, even if someone edits the migration list.
const v1Schema = `
CREATE TABLE calls (
	num INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	account TEXT NOT NULL DEFAULT '',
	platform TEXT NOT NULL DEFAULT '',
	platform_call_id TEXT NOT NULL DEFAULT '',
	direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),
	remote_number TEXT NOT NULL DEFAULT '',
	display_number TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL DEFAULT '',
	carrier TEXT NOT NULL DEFAULT '',
	queue TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL,
	end_reason TEXT NOT NULL DEFAULT '',
	started INTEGER NOT NULL,
	answered INTEGER,
	ended INTEGER,
	user_data TEXT,
	note TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL
);
CREATE TABLE call_events (
	seq INTEGER PRIMARY KEY,
	call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
	at INTEGER NOT NULL,
	state TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT ''
);
PRAGMA user_version = 1;
`

// makeRawDB creates a database file with the given SQL, outside Store.
func makeRawDB(t *testing.T, path, script string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script, args...); err != nil {
		t.Fatalf("make raw db: %v", err)
	}
}

func TestMigrateFromV1(t *testing.T) {
	path := tempPath(t)
	started := base.UnixNano()
	answered := base.Add(5 * time.Second).UnixNano()
	ended := base.Add(65 * time.Second).UnixNano()
	makeRawDB(t, path, v1Schema+`
		INSERT INTO calls (id, direction, remote_number, state, end_reason, started, answered, ended, user_data, note, updated_at)
		VALUES ('old-1', 'in', '13800138000', 'ended', 'remote_hangup', ?, ?, ?, '{"order":"A-7"}', 'called back', ?);
		INSERT INTO call_events (call_id, at, state) VALUES ('old-1', ?, 'ringing'), ('old-1', ?, 'talking'), ('old-1', ?, 'ended');
		INSERT INTO calls (id, direction, remote_number, state, started, updated_at)
		VALUES ('old-open', 'out', '95555', 'talking', ?, ?);`,
		started, answered, ended, ended, started, answered, ended, started+1, started+2)

	s := openStore(t, path)
	if got := pragma(t, s, "user_version"); got != strconv.Itoa(SchemaVersion()) {
		t.Fatalf("user_version after migration = %s, want %d", got, SchemaVersion())
	}
	got, err := s.Get(testContext(t), "old-1")
	if err != nil {
		t.Fatal(err)
	}
	assertRecord(t, got, Record{
		ID: "old-1", Direction: DirectionIn, RemoteNumber: "13800138000",
		State: StateEnded, EndReason: "remote_hangup",
		Started: base, Answered: base.Add(5 * time.Second), Ended: base.Add(65 * time.Second),
		UserData: map[string]string{"order": "A-7"}, Note: "called back",
		Updated: base.Add(65 * time.Second),
	})
	events, err := s.Events(testContext(t), "old-1")
	if err != nil || len(events) != 3 {
		t.Fatalf("Events(old-1) = %v, %v; want the 3 v1 events", events, err)
	}
	// The new column works on old rows.
	if err := s.SetTags(testContext(t), "old-1", []string{"vip"}); err != nil {
		t.Fatal(err)
	}
	// v1 had no indexes; v3 made them.
	for _, index := range []string{"calls_by_started", "calls_missed", "calls_open", "calls_by_remote", "calls_by_display", "call_events_by_call"} {
		var n int
		if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?", index).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s: count %d, err %v", index, n, err)
		}
	}
	// The migrated database is recovered like any other.
	if n := s.RecoveredInterrupted(); n != 1 {
		t.Errorf("RecoveredInterrupted() = %d, want 1 (old-open)", n)
	}
}

func TestMigrationStepIsAtomic(t *testing.T) {
	// A v1 database that (wrongly) has a tags column already: step 2 fails,
	// and its transaction must leave the database at version 1, untouched.
	path := tempPath(t)
	makeRawDB(t, path, v1Schema+`ALTER TABLE calls ADD COLUMN tags TEXT;`)
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "schema version 2") {
		t.Fatalf("Open = %v, want a failure of migration 2", err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 1 {
		t.Errorf("user_version after failed migration = %d (%v), want 1", v, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := tempPath(t)
	makeRawDB(t, path, v1Schema+`
		INSERT INTO calls (id, direction, state, started, updated_at) VALUES ('future', 'in', 'talking', 1, 1);
		PRAGMA user_version = 99;`)
	_, err := Open(path)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
	var tooNew *SchemaTooNewError
	if !errors.As(err, &tooNew) || tooNew.Found != 99 || tooNew.Known != SchemaVersion() {
		t.Fatalf("error = %#v, want SchemaTooNewError{99, %d}", tooNew, SchemaVersion())
	}
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatal("not an *OpenError")
	}
	// The sentence says what to do, not the generic disk advice.
	if zh := oe.Sentence("zh"); !strings.Contains(zh, "升级") {
		t.Errorf("zh sentence = %q", zh)
	}
	if en := oe.Sentence("en"); !strings.Contains(en, "newer version") {
		t.Errorf("en sentence = %q", en)
	}
	// Nothing was written: the open call was not "recovered".
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var state string
	if err := db.QueryRow("SELECT state FROM calls WHERE id = 'future'").Scan(&state); err != nil || state != "talking" {
		t.Errorf("state of the newer program's call = %q (%v), want it untouched", state, err)
	}
}

func TestReopenIsNoMigration(t *testing.T) {
	path := tempPath(t)
	s := openStore(t, path)
	mustBegin(t, s, inbound("c1", 0, "1"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, path)
	if got := pragma(t, s2, "user_version"); got != strconv.Itoa(SchemaVersion()) {
		t.Errorf("user_version = %s", got)
	}
	if _, err := s2.Get(testContext(t), "c1"); err != nil {
		t.Error(err)
	}
}
