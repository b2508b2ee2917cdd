package history

import (
	"context"
	"database/sql"
	"fmt"
)

// migrate brings the schema to SchemaVersion, one step per transaction, so
// that a crash between steps leaves a database at a known version. The
// version is re-read inside each write transaction: two processes opening the
// same new file at once do not both run a step.
func (s *Store) migrate(ctx context.Context) error {
	v, err := userVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if v > SchemaVersion() {
		return &SchemaTooNewError{Found: v, Known: SchemaVersion()}
	}
	for v < SchemaVersion() {
		err := s.writeTx(ctx, func(tx *sql.Tx) error {
			current, err := userVersion(ctx, tx)
			if err != nil {
				return err
			}
			v = current
			if v > SchemaVersion() {
				return &SchemaTooNewError{Found: v, Known: SchemaVersion()}
			}
			if v == SchemaVersion() {
				return nil // another process got here first
			}
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
			}
			// PRAGMA takes no bound parameters; v+1 is our own integer.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
				return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
			}
			v++
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func userVersion(ctx context.Context, q queryRower) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
