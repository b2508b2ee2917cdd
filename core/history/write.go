package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Begin records a call when it starts, with its first timeline entry, in one
// transaction. It fails with ErrDuplicate if the id is already recorded.
func (s *Store) Begin(ctx context.Context, r Record) error {
	if err := r.validate(); err != nil {
		return err
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := getRecord(ctx, tx, r.ID)
		switch {
		case err == nil:
			return fmt.Errorf("%w: call %s", ErrDuplicate, r.ID)
		case !errors.Is(err, ErrNotFound):
			return err
		}
		return s.insert(ctx, tx, r)
	})
	if err != nil {
		return fmt.Errorf("history: begin call %s: %w", r.ID, err)
	}
	return nil
}

// Update rewrites the call's row from r and appends a timeline entry (the new
// state and what else changed), in one transaction. It fails with ErrNotFound
// if Begin never recorded the call. A call whose record did not change at all
// gets no new timeline entry, so repeating an Update is harmless.
//
// Note and Tags belong to the agent (SetNote, SetTags): Update overwrites them
// only when r carries a value, so an engine that knows nothing of the agent's
// note never erases it.
func (s *Store) Update(ctx context.Context, r Record) error {
	if err := r.validate(); err != nil {
		return err
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		old, err := getRecord(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		return s.update(ctx, tx, old, r)
	})
	if err != nil {
		return fmt.Errorf("history: update call %s: %w", r.ID, err)
	}
	return nil
}

// Save is Begin for a call not yet recorded and Update otherwise, in one
// transaction. Writer uses it, so that a retried write is harmless.
func (s *Store) Save(ctx context.Context, r Record) error {
	if err := r.validate(); err != nil {
		return err
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		old, err := getRecord(ctx, tx, r.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			return s.insert(ctx, tx, r)
		case err != nil:
			return err
		}
		return s.update(ctx, tx, old, r)
	})
	if err != nil {
		return fmt.Errorf("history: save call %s: %w", r.ID, err)
	}
	return nil
}

// SetNote replaces the agent's note on a call.
func (s *Store) SetNote(ctx context.Context, id, note string) error {
	return s.setColumn(ctx, id, "note", note)
}

// SetTags replaces the agent's tags on a call.
func (s *Store) SetTags(ctx context.Context, id string, tags []string) error {
	enc, err := encodeTags(tags)
	if err != nil {
		return err
	}
	return s.setColumn(ctx, id, "tags", enc)
}

// setColumn sets one agent-owned column. It leaves updated_at alone: that
// column says when the engine last reported on the call.
func (s *Store) setColumn(ctx context.Context, id, column string, value any) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		// column is one of our two literals, never outside input.
		res, err := tx.ExecContext(ctx, "UPDATE calls SET "+column+" = ? WHERE id = ?", value, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("history: set %s of call %s: %w", column, id, err)
	}
	return nil
}

// updatedAt is when the record's state was observed: its own stamp, or now.
func (s *Store) updatedAt(r Record) time.Time {
	if !r.Updated.IsZero() {
		return r.Updated
	}
	return s.now()
}

func (s *Store) insert(ctx context.Context, tx *sql.Tx, r Record) error {
	userData, err := encodeUserData(r.UserData)
	if err != nil {
		return err
	}
	tags, err := encodeTags(r.Tags)
	if err != nil {
		return err
	}
	at := s.updatedAt(r)
	_, err = tx.ExecContext(ctx, `
		INSERT INTO calls (id, account, platform, platform_call_id, direction,
			remote_number, display_number, location, carrier, queue, state,
			end_reason, started, answered, ended, user_data, note, tags, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Account, r.Platform, r.PlatformCallID, r.Direction,
		r.RemoteNumber, r.DisplayNumber, r.Location, r.Carrier, r.Queue, r.State,
		r.EndReason, timeColumn(r.Started), timeColumn(r.Answered), timeColumn(r.Ended),
		userData, r.Note, tags, at.UnixNano())
	if err != nil {
		return err
	}
	return appendEvent(ctx, tx, r.ID, at, r.State, "")
}

func (s *Store) update(ctx context.Context, tx *sql.Tx, old, r Record) error {
	if r.Note == "" {
		r.Note = old.Note
	}
	if len(r.Tags) == 0 {
		r.Tags = old.Tags
	}
	userData, err := encodeUserData(r.UserData)
	if err != nil {
		return err
	}
	tags, err := encodeTags(r.Tags)
	if err != nil {
		return err
	}
	at := s.updatedAt(r)
	_, err = tx.ExecContext(ctx, `
		UPDATE calls SET account = ?, platform = ?, platform_call_id = ?,
			direction = ?, remote_number = ?, display_number = ?, location = ?,
			carrier = ?, queue = ?, state = ?, end_reason = ?, started = ?,
			answered = ?, ended = ?, user_data = ?, note = ?, tags = ?, updated_at = ?
		WHERE id = ?`,
		r.Account, r.Platform, r.PlatformCallID, r.Direction,
		r.RemoteNumber, r.DisplayNumber, r.Location, r.Carrier, r.Queue, r.State,
		r.EndReason, timeColumn(r.Started), timeColumn(r.Answered), timeColumn(r.Ended),
		userData, r.Note, tags, at.UnixNano(), r.ID)
	if err != nil {
		return err
	}
	detail, changed := describeChanges(old, r)
	if !changed {
		return nil
	}
	return appendEvent(ctx, tx, r.ID, at, r.State, detail)
}

func appendEvent(ctx context.Context, tx *sql.Tx, id string, at time.Time, state, detail string) error {
	_, err := tx.ExecContext(ctx,
		"INSERT INTO call_events (call_id, at, state, detail) VALUES (?, ?, ?, ?)",
		id, at.UnixNano(), state, detail)
	return err
}

// describeChanges says what changed between two versions of a call, for the
// timeline: "field=value" pairs for the fields other than the state (which
// the event carries itself), bare names for the agent's note and tags and the
// user data's changed keys. changed is false when nothing changed at all.
func describeChanges(old, r Record) (detail string, changed bool) {
	var parts []string
	text := func(name, was, is string) {
		if was != is {
			parts = append(parts, name+"="+quoteIfNeeded(is))
		}
	}
	when := func(name string, was, is time.Time) {
		switch {
		case was.Equal(is):
		case is.IsZero():
			parts = append(parts, name+"=unset")
		default:
			parts = append(parts, name+"="+is.UTC().Format(time.RFC3339Nano))
		}
	}
	text("account", old.Account, r.Account)
	text("platform", old.Platform, r.Platform)
	text("platform_call_id", old.PlatformCallID, r.PlatformCallID)
	text("direction", old.Direction, r.Direction)
	text("remote_number", old.RemoteNumber, r.RemoteNumber)
	text("display_number", old.DisplayNumber, r.DisplayNumber)
	text("location", old.Location, r.Location)
	text("carrier", old.Carrier, r.Carrier)
	text("queue", old.Queue, r.Queue)
	text("end_reason", old.EndReason, r.EndReason)
	when("started", old.Started, r.Started)
	when("answered", old.Answered, r.Answered)
	when("ended", old.Ended, r.Ended)
	if !maps.Equal(old.UserData, r.UserData) {
		var keys []string
		for k := range joinKeys(old.UserData, r.UserData) {
			was, wasSet := old.UserData[k]
			is, isSet := r.UserData[k]
			if wasSet != isSet || was != is {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		parts = append(parts, "user_data="+quoteIfNeeded(strings.Join(keys, ",")))
	}
	if old.Note != r.Note {
		parts = append(parts, "note")
	}
	if !slices.Equal(old.Tags, r.Tags) {
		parts = append(parts, "tags")
	}
	return strings.Join(parts, " "), len(parts) > 0 || old.State != r.State
}

// joinKeys is the set of keys of both maps.
func joinKeys(a, b map[string]string) map[string]struct{} {
	keys := make(map[string]struct{}, len(a)+len(b))
	for k := range a {
		keys[k] = struct{}{}
	}
	for k := range b {
		keys[k] = struct{}{}
	}
	return keys
}

// quoteIfNeeded quotes values that would not read back as one token.
func quoteIfNeeded(s string) string {
	plain := s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r == ' ' || r == '"' || r == '=' || !unicode.IsPrint(r)
	})
	if plain {
		return s
	}
	return strconv.Quote(s)
}
