package history

import (
	"context"
	"database/sql"
	"fmt"
)

// recoverDetail marks the timeline entry Open writes for an interrupted call.
const recoverDetail = "end_reason=" + EndReasonInterrupted + " (recovered at open)"

// recoverInterrupted closes the calls a previous process left open: it died
// (or was killed) during them, so their true end is unknown. The last time
// the engine reported on the call (updated_at) is the best bound we have, and
// it becomes the end time, unless an end time was already recorded.
func (s *Store) recoverInterrupted(ctx context.Context) (int, error) {
	var n int64
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		// The timeline entry first: it needs the set of open calls, which
		// the UPDATE below empties.
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO call_events (call_id, at, state, detail)
			SELECT id, COALESCE(ended, updated_at), ?, ?
			FROM calls WHERE state <> ? ORDER BY started, id`,
			StateEnded, recoverDetail, StateEnded); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE calls SET state = ?, end_reason = ?, ended = COALESCE(ended, updated_at)
			WHERE state <> ?`,
			StateEnded, EndReasonInterrupted, StateEnded)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("recover interrupted calls: %w", err)
	}
	return int(n), nil
}
