package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// recordColumns is the column list scanRecord reads, in its order.
const recordColumns = `id, account, platform, platform_call_id, direction,
	remote_number, display_number, location, carrier, queue, state, end_reason,
	started, answered, ended, user_data, note, tags, updated_at`

// missedCondition must match the calls_missed index's WHERE clause term for
// term: SQLite uses a partial index only then.
const missedCondition = `direction = 'in' AND state = 'ended' AND answered IS NULL`

// Get returns one call, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (Record, error) {
	r, err := getRecord(ctx, s.db, id)
	if err != nil {
		return Record{}, fmt.Errorf("history: get call %s: %w", id, err)
	}
	return r, nil
}

// Events returns a call's state timeline, oldest first, or ErrNotFound.
func (s *Store) Events(ctx context.Context, id string) ([]Event, error) {
	events, err := s.events(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("history: events of call %s: %w", id, err)
	}
	return events, nil
}

func (s *Store) events(ctx context.Context, id string) ([]Event, error) {
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM calls WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx,
		"SELECT at, state, detail FROM call_events WHERE call_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []Event
	for rows.Next() {
		var at int64
		e := Event{CallID: id}
		if err := rows.Scan(&at, &e.State, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.Unix(0, at)
		events = append(events, e)
	}
	return events, rows.Err()
}

// Recent lists calls, newest first.
func (s *Store) Recent(ctx context.Context, p Page) ([]Record, error) {
	return s.Query(ctx, Filter{Page: p})
}

// Missed lists missed calls (inbound, never answered, ended), newest first.
func (s *Store) Missed(ctx context.Context, p Page) ([]Record, error) {
	return s.Query(ctx, Filter{MissedOnly: true, Page: p})
}

// ByNumber lists calls whose remote or display number contains number,
// newest first: the search box's query.
func (s *Store) ByNumber(ctx context.Context, number string, p Page) ([]Record, error) {
	return s.Query(ctx, Filter{Number: number, Page: p})
}

// Between lists calls that started in [from, to), newest first. A zero bound
// is open.
func (s *Store) Between(ctx context.Context, from, to time.Time, p Page) ([]Record, error) {
	return s.Query(ctx, Filter{From: from, To: to, Page: p})
}

// Query lists the calls that pass every set field of f, newest first, one
// page at a time.
func (s *Store) Query(ctx context.Context, f Filter) ([]Record, error) {
	plan := scanByStarted
	if !f.ExactNumber && s.numberIsRare(ctx, f.Number) {
		plan = searchNumberIndex
	}
	query, args, err := buildQuery(f, plan)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("history: query: %w", err)
	}
	defer rows.Close()
	var records []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("history: query: %w", err)
		}
		records = append(records, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: query: %w", err)
	}
	return records, nil
}

// numberPlan is how a substring search of the numbers runs.
type numberPlan int

const (
	// scanByStarted walks the calls newest first and tests each number
	// with LIKE until the page is full: quick when matches are common,
	// a walk through the whole table when they are rare.
	scanByStarted numberPlan = iota
	// searchNumberIndex asks the trigram index for the matching calls and
	// sorts them: quick when matches are rare, slow when there are many
	// to sort.
	searchNumberIndex
)

// rareMatches is the most matches for which searchNumberIndex is chosen
// (Store.rareMatches, which tests lower).
// Above it, matches are usually dense enough that scanByStarted fills a page
// after about Limit*rows/matches rows. Measured on 100k calls (bench_test.go),
// sorting a match costs about ten times what scanning a row does, so 2,000
// matches cost about what a walk through 20,000 rows does; the scan's worst
// case (many matches, all of them old) walks the whole table.
const rareMatches = 2000

// numberIsRare reports whether a substring search of the numbers matches at
// most rareMatches calls, asking the trigram index (which stops counting at
// the cap). Searches shorter than a trigram cannot use the index. On error
// it says no: the scan is slower but always works.
func (s *Store) numberIsRare(ctx context.Context, number string) bool {
	number = strings.TrimSpace(number)
	if utf8.RuneCountInString(number) < trigramLen {
		return false
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM calls_number_search
		WHERE calls_number_search MATCH ? LIMIT ?)`, ftsPhrase(number), s.rareMatches+1).Scan(&n)
	return err == nil && n <= s.rareMatches
}

// buildQuery turns a filter into SQL. Only constant SQL text is concatenated;
// every value is a bound parameter.
func buildQuery(f Filter, plan numberPlan) (string, []any, error) {
	var where []string
	var args []any
	if f.Direction != "" {
		if !slices.Contains(knownDirections, f.Direction) {
			return "", nil, fmt.Errorf("%w: unknown direction %q", ErrInvalidFilter, f.Direction)
		}
		where = append(where, "direction = ?")
		args = append(args, f.Direction)
	}
	if f.MissedOnly {
		where = append(where, missedCondition)
	}
	if number := strings.TrimSpace(f.Number); number != "" {
		if f.ExactNumber {
			where = append(where, "(remote_number = ? OR display_number = ?)")
			args = append(args, number, number)
		} else {
			if plan == searchNumberIndex {
				// The trigram index finds the candidates; LIKE below
				// keeps the exact semantics (ASCII-only case folding).
				where = append(where, "num IN (SELECT rowid FROM calls_number_search WHERE calls_number_search MATCH ?)")
				args = append(args, ftsPhrase(number))
			}
			where = append(where, `(remote_number LIKE ? ESCAPE '`+likeEscape+`' OR display_number LIKE ? ESCAPE '`+likeEscape+`')`)
			pattern := containsPattern(number)
			args = append(args, pattern, pattern)
		}
	}
	if !f.From.IsZero() {
		where = append(where, "started >= ?")
		args = append(args, boundNanos(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "started < ?")
		args = append(args, boundNanos(f.To))
	}
	if !f.Before.IsZero() {
		before := boundNanos(f.Before)
		if f.BeforeID != "" {
			// A row-value comparison, so that SQLite seeks the (started,
			// id) index to the page's start instead of scanning from the
			// newest row down: a deep page costs what the first one does.
			where = append(where, "(started, id) < (?, ?)")
			args = append(args, before, f.BeforeID)
		} else {
			where = append(where, "started < ?")
			args = append(args, before)
		}
	}
	var b strings.Builder
	b.WriteString("SELECT " + recordColumns + " FROM calls")
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY started DESC, id DESC LIMIT ?")
	args = append(args, f.limit())
	return b.String(), args, nil
}

type scanner interface {
	Scan(dest ...any) error
}

func getRecord(ctx context.Context, q queryRower, id string) (Record, error) {
	r, err := scanRecord(q.QueryRowContext(ctx, "SELECT "+recordColumns+" FROM calls WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, ErrNotFound
	}
	return r, err
}

func scanRecord(sc scanner) (Record, error) {
	var (
		r                Record
		started, updated int64
		answered, ended  sql.NullInt64
		userData         sql.NullString
		tags             string
	)
	err := sc.Scan(&r.ID, &r.Account, &r.Platform, &r.PlatformCallID, &r.Direction,
		&r.RemoteNumber, &r.DisplayNumber, &r.Location, &r.Carrier, &r.Queue, &r.State, &r.EndReason,
		&started, &answered, &ended, &userData, &r.Note, &tags, &updated)
	if err != nil {
		return Record{}, err
	}
	r.Started = time.Unix(0, started)
	r.Answered = columnTime(answered)
	r.Ended = columnTime(ended)
	r.Updated = time.Unix(0, updated)
	if r.UserData, err = decodeUserData(userData); err != nil {
		return Record{}, fmt.Errorf("call %s: %w", r.ID, err)
	}
	if r.Tags, err = decodeTags(tags); err != nil {
		return Record{}, fmt.Errorf("call %s: %w", r.ID, err)
	}
	return r, nil
}
