package config

import (
	"strconv"
	"strings"
)

// keyLines records the line each key of a TOML document is on, so that a
// validation message can point at it (BurntSushi/toml keeps positions to
// itself). Paths are dotted, with array-of-tables elements indexed:
// "account[1].fields.transport", "ui.language". It is a light scanner, not
// a parser: it runs only on documents toml has already accepted, and a key
// it cannot place falls back to its table's line.
type keyLines map[string]int

// scanKeyLines scans src; see keyLines.
func scanKeyLines(src string) keyLines {
	lines := keyLines{}
	arrays := map[string]int{} // array-of-tables path → elements seen
	table := ""                // current table, resolved
	closer := ""               // the multi-line string we are inside, if any
	for n, line := range strings.Split(src, "\n") {
		lineNo := n + 1
		if closer != "" {
			// Inside a multi-line string; what follows its end on the
			// closing line is the rest of a value, never a key.
			if strings.Contains(line, closer) {
				closer = ""
			}
			continue
		}
		s := strings.TrimSpace(line)
		switch {
		case s == "" || s[0] == '#':
			continue
		case strings.HasPrefix(s, "[["):
			parts, _, ok := parseKey(s[2:])
			if !ok {
				continue
			}
			path := joinPath(resolve(parts[:len(parts)-1], arrays), parts[len(parts)-1])
			arrays[path]++
			table = path + "[" + strconv.Itoa(arrays[path]-1) + "]"
			lines.set(table, lineNo)
			continue
		case s[0] == '[':
			parts, _, ok := parseKey(s[1:])
			if !ok {
				continue
			}
			table = resolve(parts, arrays)
			lines.set(table, lineNo)
			continue
		}
		parts, rest, ok := parseKey(s)
		rest = strings.TrimLeft(rest, " \t")
		if !ok || !strings.HasPrefix(rest, "=") {
			continue // a continuation line of a multi-line array
		}
		key := joinPath(table, strings.Join(parts, "."))
		lines.set(key, lineNo)
		value := strings.TrimLeft(rest[1:], " \t")
		switch {
		case strings.HasPrefix(value, "{"):
			lines.inlineTable(key, value, lineNo)
		case strings.HasPrefix(value, `"""`), strings.HasPrefix(value, "'''"):
			if !strings.Contains(value[3:], value[:3]) {
				closer = value[:3]
			}
		}
	}
	return lines
}

// set keeps the first line a key appears on.
func (l keyLines) set(key string, line int) {
	if _, ok := l[key]; !ok {
		l[key] = line
	}
}

// inlineTable records the keys of a one-line inline table, one level deep.
func (l keyLines) inlineTable(prefix, value string, line int) {
	depth, inString := 0, byte(0)
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case inString != 0:
			if c == '\\' && inString == '"' {
				i++
			} else if c == inString {
				inString = 0
			}
		case c == '"' || c == '\'':
			inString = c
		case c == '{' || c == '[':
			depth++
			if c == '{' && depth == 1 {
				l.inlineKey(prefix, value[i+1:], line)
			}
		case c == '}' || c == ']':
			depth--
		case c == ',' && depth == 1:
			l.inlineKey(prefix, value[i+1:], line)
		}
	}
}

func (l keyLines) inlineKey(prefix, s string, line int) {
	parts, rest, ok := parseKey(strings.TrimLeft(s, " \t"))
	if ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=") {
		l.set(joinPath(prefix, strings.Join(parts, ".")), line)
	}
}

// line finds the line of path, or of the nearest enclosing table that has
// one; 0 if none.
func (l keyLines) line(path string) int {
	for path != "" {
		if n, ok := l[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// resolve turns a table header's key into a path, indexing every prefix
// that is an array of tables at its latest element. arrays is keyed by the
// resolved path of each array of tables, without its own index.
func resolve(parts []string, arrays map[string]int) string {
	path := ""
	for _, p := range parts {
		path = joinPath(path, p)
		if n := arrays[path]; n > 0 {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	return path
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// parseKey reads a TOML key (bare, "basic" or 'literal' parts joined by
// dots) from the start of s and returns its parts and what follows.
func parseKey(s string) (parts []string, rest string, ok bool) {
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return nil, "", false
		}
		var part string
		switch s[0] {
		case '"':
			end := 1
			var b strings.Builder
			for ; end < len(s) && s[end] != '"'; end++ {
				if s[end] == '\\' && end+1 < len(s) {
					end++
					// Escapes in keys are rare; keep the escaped byte.
				}
				b.WriteByte(s[end])
			}
			if end >= len(s) {
				return nil, "", false
			}
			part, s = b.String(), s[end+1:]
		case '\'':
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				return nil, "", false
			}
			part, s = s[1:1+end], s[end+2:]
		default:
			end := 0
			for end < len(s) && isBareKeyChar(s[end]) {
				end++
			}
			if end == 0 {
				return nil, "", false
			}
			part, s = s[:end], s[end:]
		}
		parts = append(parts, part)
		t := strings.TrimLeft(s, " \t")
		if !strings.HasPrefix(t, ".") {
			return parts, s, true
		}
		s = t[1:]
	}
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
