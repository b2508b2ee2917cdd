package config

import (
	"strings"
	"testing"
)

func TestScanKeyLines(t *testing.T) {
	src := `# comment
version = 1

[[account]]
name = "office"   # trailing comment
"platform" = 'sip'
fields = { server = "a,b", "transport" = "udp", nested = { x = 1 } }

[[account]]
name = "home"
notes = """
name = "not a key"
"""
[account.fields]
server = "b"
dotted.key = "v"
list = [
  "x = y",
  "z",
]

[ui]
language = "zh"
[ "calls" ]
auto_answer = true
`
	lines := scanKeyLines(src)
	want := map[string]int{
		"version":                      2,
		"account[0]":                   4,
		"account[0].name":              5,
		"account[0].platform":          6,
		"account[0].fields":            7,
		"account[0].fields.server":     7,
		"account[0].fields.transport":  7,
		"account[0].fields.nested":     7,
		"account[1]":                   9,
		"account[1].name":              10,
		"account[1].notes":             11,
		"account[1].fields":            14,
		"account[1].fields.server":     15,
		"account[1].fields.dotted.key": 16,
		"account[1].fields.list":       17,
		"ui":                           22,
		"ui.language":                  23,
		"calls":                        24,
		"calls.auto_answer":            25,
	}
	for path, line := range want {
		if got := lines[path]; got != line {
			t.Errorf("line of %s = %d, want %d", path, got, line)
		}
	}
	for path := range lines {
		if _, ok := want[path]; !ok {
			t.Errorf("unexpected key %s (line %d)", path, lines[path])
		}
	}
	// Keys the scanner cannot place fall back to their table.
	for path, line := range map[string]int{
		"account[1].fields.missing": 14,
		"account[0].fields.missing": 7,
		"account[1].missing":        9,
		"nothing.at.all":            0,
	} {
		if got := lines.line(path); got != line {
			t.Errorf("line(%s) = %d, want %d", path, got, line)
		}
	}
}

func TestScanKeyLinesNestedArrays(t *testing.T) {
	src := "[[a]]\nx = 1\n[[a.b]]\ny = 2\n[[a.b]]\ny = 3\n[[a]]\n[[a.b]]\ny = 4\n"
	lines := scanKeyLines(src)
	for path, line := range map[string]int{
		"a[0].b[0].y": 4, "a[0].b[1].y": 6, "a[1]": 7, "a[1].b[0].y": 9,
	} {
		if got := lines[path]; got != line {
			t.Errorf("line of %s = %d, want %d (all: %v)", path, got, line, lines)
		}
	}
}

// FuzzScanKeyLines: any input, no panic, and every line it reports exists.
func FuzzScanKeyLines(f *testing.F) {
	f.Add("a = 1\n[[b]]\nc = { d = 2 }\n")
	f.Add("x = \"\"\"\n[y]\n\"\"\"\n")
	f.Add("[\"a.b\".'c']\n\"k\\\"q\" = 1\n")
	f.Add("[[")
	f.Fuzz(func(t *testing.T, src string) {
		n := strings.Count(src, "\n") + 1
		for path, line := range scanKeyLines(src) {
			if line < 1 || line > n {
				t.Fatalf("%s at line %d of %d", path, line, n)
			}
		}
	})
}
