package history

import "time"

// Page limits.
const (
	DefaultLimit = 50   // a Page with Limit <= 0 returns this many
	MaxLimit     = 1000 // a larger Limit is lowered to this
)

// Page selects one page of a listing. Listings are newest first, ordered by
// (Started, ID) descending, and paged by keyset rather than by offset: the
// next page starts strictly below the last record shown, so calls recorded
// meanwhile neither shift nor repeat rows, and a deep page costs what the
// first one does.
//
// The zero Page is the newest DefaultLimit calls. For the next page use
// p.Next(last), where last is the final record of the current page.
type Page struct {
	// Before, when set, keeps only calls that started before it.
	Before time.Time
	// BeforeID breaks ties among calls that started exactly at Before:
	// with it, such calls are kept when their ID sorts below BeforeID.
	// Without it, calls started exactly at Before are left out.
	BeforeID string
	// Limit is the page size: <= 0 means DefaultLimit, at most MaxLimit.
	Limit int
}

// Next is the page after one that ended with last.
func (p Page) Next(last Record) Page {
	return Page{Before: last.Started, BeforeID: last.ID, Limit: p.Limit}
}

// limit is the effective page size.
func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// Filter is a general query. Zero fields do not filter. Between, Missed and
// ByNumber are shorthands for common filters.
type Filter struct {
	// Direction keeps only calls of this direction (DirectionIn, ...).
	Direction string
	// MissedOnly keeps only missed calls (see Record.Missed).
	MissedOnly bool
	// Number keeps calls whose remote or display number contains it, for the
	// search box: "1380" finds 13800138000 and 01013800. With ExactNumber
	// the number must equal it, which uses an index (the incoming-call
	// popup's "earlier calls from this caller").
	Number      string
	ExactNumber bool
	// From and To keep calls that started in [From, To).
	From, To time.Time

	Page
}
