package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Warning is something in a config file that was ignored but did not stop
// loading, such as a misspelt key. Log it; the agent need not see it.
type Warning struct {
	File    string
	Line    int    // 0 when unknown
	Key     string // the TOML key, e.g. "ui.langauge"
	Message string
}

func (w Warning) String() string {
	var b strings.Builder
	b.WriteString(w.File)
	if w.Line > 0 {
		b.WriteString(":" + strconv.Itoa(w.Line))
	}
	b.WriteString(": " + w.Message)
	return b.String()
}

// unknownKeyWarnings turns the keys toml did not decode into warnings, one
// per place each appears in the file.
func unknownKeyWarnings(file string, md toml.MetaData, lines keyLines) []Warning {
	byPath := map[string][]int{} // unindexed path → lines
	for path, line := range lines {
		plain := stripIndexes(path)
		byPath[plain] = append(byPath[plain], line)
	}
	var out []Warning
	seen := map[string]bool{}
	for _, key := range md.Undecoded() {
		k := strings.Join(key, ".")
		if seen[k] {
			continue
		}
		seen[k] = true
		at := byPath[k]
		if len(at) == 0 {
			at = []int{0}
		}
		for _, line := range at {
			out = append(out, Warning{File: file, Line: line, Key: k, Message: "unknown key \"" + k + "\" ignored"})
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int { return a.Line - b.Line })
	return out
}

// stripIndexes turns "account[2].fields.x" into "account.fields.x".
func stripIndexes(path string) string {
	if !strings.Contains(path, "[") {
		return path
	}
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}
