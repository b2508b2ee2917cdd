package history

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fillCalls stores n calls, one a minute from base, with numbers 1380000000i,
// every third one missed, every fourth outbound. Calls 10 and 11 share a start
// time to test keyset ties.
func fillCalls(t *testing.T, s *Store, n int) []Record {
	t.Helper()
	var all []Record
	for i := range n {
		minute := i
		if i == 11 {
			minute = 10
		}
		r := inbound(fmt.Sprintf("c%03d", i), minute, fmt.Sprintf("1380000%04d", i))
		r.DisplayNumber = fmt.Sprintf("disp-%03d", i)
		switch {
		case i%4 == 0:
			r.Direction = DirectionOut
			r.State = StateEnded
			r.Answered = r.Started.Add(time.Second)
		case i%3 == 0:
			r.State, r.EndReason = StateEnded, "missed"
		default:
			r.State, r.Answered = StateEnded, r.Started.Add(3*time.Second)
		}
		mustBegin(t, s, r)
		all = append(all, r)
	}
	// Newest first, ties by id descending.
	slices.SortFunc(all, func(a, b Record) int {
		if c := b.Started.Compare(a.Started); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return all
}

// walk pages through a query and returns everything it listed.
func walk(t *testing.T, limit int, list func(Page) ([]Record, error)) (all []Record, pages int) {
	t.Helper()
	p := Page{Limit: limit}
	for pages = 0; pages < 1000; pages++ {
		recs, err := list(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > limit {
			t.Fatalf("page of %d records, limit %d", len(recs), limit)
		}
		all = append(all, recs...)
		if len(recs) < limit {
			return all, pages + 1
		}
		p = p.Next(recs[len(recs)-1])
	}
	t.Fatal("paging does not end")
	return nil, 0
}

func filterRecords(all []Record, keep func(Record) bool) []Record {
	var out []Record
	for _, r := range all {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func TestQueriesPageThroughEverything(t *testing.T) {
	s := openTemp(t)
	all := fillCalls(t, s, 37)
	ctx := testContext(t)
	from, to := base.Add(5*time.Minute), base.Add(20*time.Minute)
	for _, tc := range []struct {
		name string
		list func(Page) ([]Record, error)
		keep func(Record) bool
	}{
		{"Recent", func(p Page) ([]Record, error) { return s.Recent(ctx, p) },
			func(Record) bool { return true }},
		{"Missed", func(p Page) ([]Record, error) { return s.Missed(ctx, p) },
			Record.Missed},
		{"ByNumber contains", func(p Page) ([]Record, error) { return s.ByNumber(ctx, "00001", p) },
			func(r Record) bool { return strings.Contains(r.RemoteNumber, "00001") }},
		{"ByNumber display", func(p Page) ([]Record, error) { return s.ByNumber(ctx, "disp-02", p) },
			func(r Record) bool { return strings.HasPrefix(r.DisplayNumber, "disp-02") }},
		{"Between", func(p Page) ([]Record, error) { return s.Between(ctx, from, to, p) },
			func(r Record) bool { return !r.Started.Before(from) && r.Started.Before(to) }},
		{"Query outbound", func(p Page) ([]Record, error) {
			return s.Query(ctx, Filter{Direction: DirectionOut, Page: p})
		}, func(r Record) bool { return r.Direction == DirectionOut }},
		{"Query missed in range with number", func(p Page) ([]Record, error) {
			return s.Query(ctx, Filter{MissedOnly: true, From: from, To: to, Number: "13800000", Page: p})
		}, func(r Record) bool { return r.Missed() && !r.Started.Before(from) && r.Started.Before(to) }},
	} {
		want := filterRecords(all, tc.keep)
		if len(want) == 0 {
			t.Fatalf("%s: the fixture has no matching calls; the test would prove nothing", tc.name)
		}
		for _, limit := range []int{1, 2, 5, 50} {
			t.Run(fmt.Sprintf("%s/limit=%d", tc.name, limit), func(t *testing.T) {
				got, pages := walk(t, limit, tc.list)
				if !slices.Equal(ids(got), ids(want)) {
					t.Fatalf("listed\n%v\nwant\n%v", ids(got), ids(want))
				}
				if wantPages := len(want)/limit + 1; pages != wantPages {
					t.Errorf("%d pages, want %d", pages, wantPages)
				}
			})
		}
	}
}

func TestKeysetTieOnStartTime(t *testing.T) {
	s := openTemp(t)
	fillCalls(t, s, 13)
	ctx := testContext(t)
	// c010 and c011 started at the same minute; a page boundary between them
	// must neither repeat nor skip one.
	first, err := s.Recent(ctx, Page{Limit: 2}) // c012, c011
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(first); !slices.Equal(got, []string{"c012", "c011"}) {
		t.Fatalf("first page %v", got)
	}
	next, err := s.Recent(ctx, Page{Limit: 2}.Next(first[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(next); !slices.Equal(got, []string{"c010", "c009"}) {
		t.Fatalf("second page %v, want c010 c009", got)
	}
	// Without BeforeID, Before alone excludes the whole tied minute.
	bare, err := s.Recent(ctx, Page{Before: first[1].Started, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(bare); !slices.Equal(got, []string{"c009", "c008"}) {
		t.Fatalf("Before-only page %v, want c009 c008", got)
	}
}

func TestNewCallsDoNotShiftPages(t *testing.T) {
	s := openTemp(t)
	fillCalls(t, s, 10)
	ctx := testContext(t)
	first, _ := s.Recent(ctx, Page{Limit: 4})
	mustBegin(t, s, inbound("new", 100, "1")) // arrives while the agent scrolls
	second, err := s.Recent(ctx, Page{Limit: 4}.Next(first[3]))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(second); !slices.Equal(got, []string{"c005", "c004", "c003", "c002"}) {
		t.Fatalf("second page %v", got)
	}
}

func TestByNumberSearch(t *testing.T) {
	s := openTemp(t)
	for i, n := range []struct{ remote, display string }{
		{"13800138000", ""},
		{"+8613912345678", "139****5678"},
		{"010-6552_1234", ""},
		{"95%555", ""},
		{"4008123123", "4008-123-123"},
	} {
		r := inbound(fmt.Sprintf("n%d", i), i, n.remote)
		r.DisplayNumber = n.display
		mustBegin(t, s, r)
	}
	ctx := testContext(t)
	for _, tc := range []struct {
		search string
		exact  bool
		want   []string
	}{
		{"138", false, []string{"n0"}},               // prefix
		{"8000", false, []string{"n0"}},              // suffix
		{"0013", false, []string{"n0"}},              // middle
		{"139", false, []string{"n1"}},               // remote and display both match: listed once
		{"****", false, []string{"n1"}},              // display only
		{"_", false, []string{"n2"}},                 // not a wildcard
		{"%", false, []string{"n3"}},                 // not a wildcard
		{`\`, false, nil},                            // the escape character itself
		{" 123 ", false, []string{"n4", "n2", "n1"}}, // trimmed; 4008-123-123, 6552_1234, 912345678
		{"", false, []string{"n4", "n3", "n2", "n1", "n0"}},
		{"13800138000", true, []string{"n0"}},
		{"1380013800", true, nil}, // exact means exact
		{"139****5678", true, []string{"n1"}},
	} {
		t.Run(fmt.Sprintf("%q exact=%v", tc.search, tc.exact), func(t *testing.T) {
			got, err := s.Query(ctx, Filter{Number: tc.search, ExactNumber: tc.exact})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("got %v, want %v", ids(got), tc.want)
			}
		})
	}
}

func TestBetweenBounds(t *testing.T) {
	s := openTemp(t)
	fillCalls(t, s, 10)
	ctx := testContext(t)
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"half open", base.Add(2 * time.Minute), base.Add(5 * time.Minute), 3},
		{"open start", time.Time{}, base.Add(2 * time.Minute), 2},
		{"open end", base.Add(8 * time.Minute), time.Time{}, 2},
		{"empty", base.Add(5 * time.Minute), base.Add(5 * time.Minute), 0},
		{"far bounds clamp", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Between(ctx, tc.from, tc.to, Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("%d calls, want %d: %v", len(got), tc.want, ids(got))
			}
		})
	}
}

func TestPageLimits(t *testing.T) {
	for _, tc := range []struct{ limit, want int }{
		{0, DefaultLimit}, {-5, DefaultLimit}, {1, 1}, {MaxLimit, MaxLimit}, {MaxLimit + 1, MaxLimit},
	} {
		if got := (Page{Limit: tc.limit}).limit(); got != tc.want {
			t.Errorf("Page{Limit: %d}.limit() = %d, want %d", tc.limit, got, tc.want)
		}
	}
	s := openTemp(t)
	fillCalls(t, s, DefaultLimit+3)
	got, err := s.Recent(testContext(t), Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != DefaultLimit {
		t.Errorf("zero page listed %d calls, want %d", len(got), DefaultLimit)
	}
}

func TestQueryRejectsUnknownDirection(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Query(testContext(t), Filter{Direction: "sideways"}); !errors.Is(err, ErrInvalidFilter) {
		t.Fatalf("Query = %v, want ErrInvalidFilter", err)
	}
}

func TestQueryReportsDamagedRow(t *testing.T) {
	s := openTemp(t)
	mustBegin(t, s, inbound("c1", 0, "1"))
	if _, err := s.db.Exec(`UPDATE calls SET user_data = '{"a": 1' WHERE id = 'c1'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recent(testContext(t), Page{}); err == nil || !strings.Contains(err.Error(), "c1") {
		t.Fatalf("Recent over a damaged row = %v, want an error naming the call", err)
	}
}

// TestQueryPlansUseIndexes keeps the listings off full table scans.
func TestQueryPlansUseIndexes(t *testing.T) {
	s := openTemp(t)
	// want is a fragment of the plan: "SEARCH" means the index is sought to
	// a bound, so a deep page does not scan the rows above it.
	for _, tc := range []struct {
		name string
		f    Filter
		want string
	}{
		{"recent", Filter{}, "SCAN calls USING INDEX calls_by_started"},
		{"recent next page", Filter{Page: Page{Before: base, BeforeID: "x"}}, "SEARCH calls USING INDEX calls_by_started ((started,id)<(?,?))"},
		{"recent before", Filter{Page: Page{Before: base}}, "SEARCH calls USING INDEX calls_by_started (started<?)"},
		{"between", Filter{From: base, To: base.Add(time.Hour)}, "SEARCH calls USING INDEX calls_by_started (started>? AND started<?)"},
		{"missed", Filter{MissedOnly: true}, "SCAN calls USING INDEX calls_missed"},
		{"missed next page", Filter{MissedOnly: true, Page: Page{Before: base, BeforeID: "x"}}, "SEARCH calls USING INDEX calls_missed ((started,id)<(?,?))"},
		{"exact number", Filter{Number: "1380", ExactNumber: true}, "SEARCH calls USING INDEX calls_by_remote (remote_number=?)"},
		{"contains number, rare", Filter{Number: "1380"}, "VIRTUAL TABLE INDEX 0:M"},
		{"contains number, common", Filter{Number: "1380"}, "SCAN calls USING INDEX calls_by_started"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			numbers := scanByStarted
			if strings.Contains(tc.name, "rare") {
				numbers = searchNumberIndex
			}
			query, args, err := buildQuery(tc.f, numbers)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s.db.Query("EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			joined := strings.Join(plan, "; ")
			if !strings.Contains(joined, tc.want) {
				t.Errorf("plan %q, want %q", joined, tc.want)
			}
		})
	}
}

func TestNumberSearchPlansAgree(t *testing.T) {
	s := openTemp(t)
	s.rareMatches = 20 // the threshold's logic, without thousands of rows
	fillBulk(t, s, 200)
	ctx := testContext(t)
	for _, tc := range []struct {
		search string
		rare   bool
	}{
		{"138", false},       // every call
		{"1380000", false},   // every call
		{"138000001", false}, // calls 100..199
		{"1380000001", true}, // calls 10..19
		{"****0004", true},   // display number of call 4
		{"00000042", true},   // one call
		{"42", false},        // too short for trigrams
		{"nothing", true},    // no call
	} {
		t.Run(tc.search, func(t *testing.T) {
			if got := s.numberIsRare(ctx, tc.search); got != tc.rare {
				t.Errorf("numberIsRare = %v, want %v", got, tc.rare)
			}
			f := Filter{Number: tc.search, Page: Page{Limit: 7}}
			var results [2][]string
			for i, plan := range []numberPlan{scanByStarted, searchNumberIndex} {
				if plan == searchNumberIndex && utf8.RuneCountInString(tc.search) < trigramLen {
					results[i] = results[0]
					continue
				}
				query, args, err := buildQuery(f, plan)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := s.db.QueryContext(ctx, query, args...)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					r, err := scanRecord(rows)
					if err != nil {
						t.Fatal(err)
					}
					results[i] = append(results[i], r.ID)
				}
				rows.Close()
			}
			if !slices.Equal(results[0], results[1]) {
				t.Errorf("scan found %v, index found %v", results[0], results[1])
			}
			if got, err := s.ByNumber(ctx, tc.search, f.Page); err != nil || !slices.Equal(ids(got), results[0]) {
				t.Errorf("ByNumber = %v (%v), want %v", ids(got), err, results[0])
			}
		})
	}
}

func TestNumberIndexFollowsChanges(t *testing.T) {
	s := openTemp(t)
	ctx := testContext(t)
	r := inbound("c1", 0, "13800138000")
	mustBegin(t, s, r)
	r.RemoteNumber, r.DisplayNumber = "95555", "bank hotline"
	mustUpdate(t, s, r) // a transfer changed the remote party
	for search, want := range map[string]int{"0013800": 0, "95555": 1, "hotline": 1} {
		if !s.numberIsRare(ctx, search) {
			t.Fatalf("%q is not rare", search)
		}
		got, err := s.ByNumber(ctx, search, Page{})
		if err != nil || len(got) != want {
			t.Errorf("ByNumber(%q) = %v (%v), want %d", search, ids(got), err, want)
		}
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM calls_number_search WHERE calls_number_search MATCH '\"0013800\"'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the old number is still indexed: %d (%v)", n, err)
	}
	// The index's own check.
	if _, err := s.db.Exec("INSERT INTO calls_number_search (calls_number_search) VALUES ('integrity-check')"); err != nil {
		t.Errorf("FTS integrity-check: %v", err)
	}
}
