package history

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Times are INTEGER nanoseconds since the Unix epoch, NULL when unset:
// exact round trips, cheap comparisons, and indexes that sort by time.

var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// inNanoRange reports whether t fits in int64 nanoseconds (years 1678..2262).
func inNanoRange(t time.Time) bool {
	return !t.Before(minNanoTime) && !t.After(maxNanoTime)
}

// timeColumn turns a time into a column value: NULL for the zero time.
func timeColumn(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// boundNanos turns a query bound into nanoseconds, clamping times outside
// the representable range (a bound, unlike a record, may be anything).
func boundNanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// columnTime reads a time column.
func columnTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64)
}

// encodeUserData stores a map as a JSON object, NULL when empty.
func encodeUserData(m map[string]string) (any, error) {
	if len(m) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: user data: %w", ErrInvalidRecord, err)
	}
	return string(b), nil
}

// decodeUserData reads the user_data column. The file is outside input (it
// may be old, edited by hand or damaged), so anything but a JSON object of
// strings is an error rather than a panic or a silent guess.
func decodeUserData(s sql.NullString) (map[string]string, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s.String), &m); err != nil {
		return nil, fmt.Errorf("history: user_data column: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// encodeTags stores tags as a JSON array; never NULL (the column defaults to
// '[]').
func encodeTags(tags []string) (string, error) {
	if len(tags) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(tags)
	if err != nil {
		return "", fmt.Errorf("%w: tags: %w", ErrInvalidRecord, err)
	}
	return string(b), nil
}

// decodeTags reads the tags column, a JSON array of strings.
func decodeTags(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var tags []string
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("history: tags column: %w", err)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

// likeEscape is the escape character of containsPattern's LIKE patterns.
const likeEscape = `\`

// containsPattern makes a LIKE pattern matching any text that contains s
// literally: the search box's "%" or "_" are not wildcards.
func containsPattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// trigramLen is the shortest search the trigram index can answer: shorter
// ones fall back to LIKE over every row.
const trigramLen = 3

// ftsPhrase quotes s as one FTS5 phrase: every character literal, so that
// "+86" or "a OR b" are not read as query syntax. With the trigram tokenizer a
// phrase matches wherever it occurs inside a column.
func ftsPhrase(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
