package history

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The database file is outside input: old, edited by hand, or damaged. The
// column decoders must reject what they cannot read, never panic, and read
// back exactly what the encoders wrote.

func FuzzDecodeUserData(f *testing.F) {
	for _, seed := range []string{``, `{}`, `null`, `{"a":"1"}`, `{"客户":"张三","k":""}`, `{"a":1}`, `[1,2]`, `{"a":"1"`, "\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, column string) {
		m, err := decodeUserData(sql.NullString{String: column, Valid: true})
		if err != nil {
			return
		}
		enc, err := encodeUserData(m)
		if err != nil {
			t.Fatalf("re-encode %v: %v", m, err)
		}
		s, _ := enc.(string)
		again, err := decodeUserData(sql.NullString{String: s, Valid: enc != nil})
		if err != nil || !maps.Equal(again, m) {
			t.Fatalf("round trip of %q: %v then %v (%v)", column, m, again, err)
		}
	})
}

func FuzzDecodeTags(f *testing.F) {
	for _, seed := range []string{``, `[]`, `null`, `["vip"]`, `["回访","a b"]`, `[1]`, `{"a":"b"}`, `["a"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, column string) {
		tags, err := decodeTags(column)
		if err != nil {
			return
		}
		enc, err := encodeTags(tags)
		if err != nil {
			t.Fatalf("re-encode %q: %v", tags, err)
		}
		again, err := decodeTags(enc)
		if err != nil || !slices.Equal(again, tags) {
			t.Fatalf("round trip of %q: %q then %q (%v)", column, tags, again, err)
		}
	})
}

// FuzzContainsPattern checks the search box's LIKE pattern against SQLite
// itself: it must match exactly the texts that contain the search literally
// (ASCII case folded, as LIKE does).
func FuzzContainsPattern(f *testing.F) {
	for _, seed := range [][2]string{
		{"13800138000", "138"}, {"010-6552_1234", "_"}, {"95%555", "%"}, {`a\b`, `\`},
		{"abc", "a_c"}, {"abc", "a%c"}, {"ABC", "b"}, {"北京", "京"}, {"", ""}, {`x\%y`, `\%`},
	} {
		f.Add(seed[0], seed[1])
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, text, search string) {
		if !utf8.ValidString(text) || !utf8.ValidString(search) || strings.ContainsRune(text+search, 0) {
			t.Skip("SQLite text is UTF-8 without NUL")
		}
		var got bool
		err := db.QueryRow(`SELECT ? LIKE ? ESCAPE '`+likeEscape+`'`, text, containsPattern(search)).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Contains(foldASCII(text), foldASCII(search)); got != want {
			t.Fatalf("%q LIKE pattern of %q = %v, want %v", text, search, got, want)
		}
	})
}

// foldASCII lowercases ASCII letters only, as SQLite's LIKE compares.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// FuzzNumberSearch runs the search box's query (trigram index plus LIKE)
// against a stored call: it must find the call exactly when its number
// contains the search text, and the index triggers must follow deletes.
func FuzzNumberSearch(f *testing.F) {
	for _, seed := range [][2]string{
		{"13800138000", "0013"}, {"13800138000", "13"}, {"+86 139-1234", "9-1"}, {"95%555", "%55"},
		{"abcDEF", "cde"}, {"北京市海淀区", "京市海"}, {`say "hi"`, `"hi"`}, {"a OR b", "OR b"}, {"x", "  "},
	} {
		f.Add(seed[0], seed[1])
	}
	s := openStore(f, filepath.Join(f.TempDir(), FileName))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, number, search string) {
		if !utf8.ValidString(number) || !utf8.ValidString(search) || strings.ContainsRune(number+search, 0) {
			t.Skip("SQLite text is UTF-8 without NUL")
		}
		if _, err := s.db.ExecContext(ctx, "DELETE FROM calls"); err != nil {
			t.Fatal(err)
		}
		if err := s.Begin(ctx, inbound("c", 0, number)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ByNumber(ctx, search, Page{})
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Contains(foldASCII(number), foldASCII(strings.TrimSpace(search)))
		if (len(got) == 1) != want {
			t.Fatalf("number %q, search %q: found %d, want found=%v", number, search, len(got), want)
		}
	})
}
