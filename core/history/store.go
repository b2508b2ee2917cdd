package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultBusyTimeout is how long a statement waits for another connection's
// lock before failing with SQLITE_BUSY.
const DefaultBusyTimeout = 5 * time.Second

// Store is the call history database. Its methods are safe for concurrent
// use. Reads run in parallel with writes (WAL); writes from this process are
// serialized by a mutex rather than by SQLite's busy handler, which sleeps.
type Store struct {
	db        *sql.DB
	path      string
	now       func() time.Time
	writeMu   sync.Mutex
	recovered int
	// rareMatches: see the constant; a field so that tests can lower it.
	rareMatches int
}

// Option adjusts Open.
type Option func(*storeOptions)

type storeOptions struct {
	busyTimeout time.Duration
	now         func() time.Time
}

// WithBusyTimeout sets how long a statement waits for a lock held by another
// connection or process (default DefaultBusyTimeout).
func WithBusyTimeout(d time.Duration) Option {
	return func(o *storeOptions) { o.busyTimeout = d }
}

// WithClock replaces time.Now for the times the store stamps itself
// (updated_at and event times of records whose Updated is zero).
func WithClock(now func() time.Time) Option {
	return func(o *storeOptions) { o.now = now }
}

// Open opens or creates the database file at path (normally
// filepath.Join(DefaultDir(), FileName)), creating its directory with mode
// 0700 and the file with mode 0600: the history holds customers' numbers.
// It migrates the schema to SchemaVersion and closes the calls the previous
// process left open (see RecoveredInterrupted). Errors are *OpenError.
func Open(path string, opts ...Option) (*Store, error) {
	o := storeOptions{busyTimeout: DefaultBusyTimeout, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := open(path, o)
	if err != nil {
		return nil, &OpenError{Path: path, Err: err}
	}
	return s, nil
}

func open(path string, o storeOptions) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	// SQLite creates the -wal and -shm files with the main file's mode, so
	// creating it 0600 first keeps all three private.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(abs, o.busyTimeout))
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: abs, now: o.now, rareMatches: rareMatches}
	ctx := context.Background()
	if err := s.checkSettings(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if s.recovered, err = s.recoverInterrupted(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string. The pragmas are per connection, so they
// go in the DSN that every pooled connection is opened with:
//   - journal_mode=WAL: readers never block the writer, and a commit is an
//     append to the -wal file.
//   - synchronous=NORMAL: no fsync per commit. In WAL mode a committed
//     transaction survives the process being killed (SIGKILL, crash), only
//     a power loss may lose the last ones; see the package documentation.
//   - busy_timeout: wait for another connection's lock instead of failing
//     at once.
//   - foreign_keys: SQLite leaves them off by default; call_events relies
//     on them.
//   - _txlock=immediate: BEGIN takes the write lock at once, so a write
//     transaction never fails half-way on a lock upgrade.
func dsn(abs string, busy time.Duration) string {
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") { // Windows: C:/... becomes /C:/...
		u.Path = "/" + u.Path
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return u.String() + "?" + q.Encode()
}

// checkSettings verifies that the pragmas took effect: a filesystem that
// cannot do WAL (some network mounts) makes SQLite fall back silently.
func (s *Store) checkSettings(ctx context.Context) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	if fk != 1 {
		return errors.New("foreign keys are off")
	}
	return nil
}

// Path is the database file's absolute path.
func (s *Store) Path() string { return s.path }

// RecoveredInterrupted is how many calls Open found still open from a previous
// process and closed with EndReason "interrupted".
func (s *Store) RecoveredInterrupted() int { return s.recovered }

// Close closes the database. A Writer using the store must be closed first.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("history: close: %w", err)
	}
	return nil
}

// writeTx runs fn in one write transaction, committed if fn returns nil.
func (s *Store) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, rollback(tx))
	}
	return tx.Commit()
}

// rollback rolls back, ignoring "already done" (the driver rolls back
// itself when the context ends).
func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}
