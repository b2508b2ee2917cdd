package wire

import (
	"fmt"
	"strings"
	"unicode"
)

// jsToJSON turns the seed's JavaScript object literals into JSON: bare
// keys are quoted, single-quoted strings become double-quoted, trailing
// commas go. It knows only what the seed's examples use (no comments, no
// expressions).
func jsToJSON(src string) (string, error) {
	var out strings.Builder
	rs := []rune(src)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '"' || r == '\'':
			j := i + 1
			var s strings.Builder
			for ; j < len(rs) && rs[j] != r; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				s.WriteRune(rs[j])
			}
			if j == len(rs) {
				return "", fmt.Errorf("unterminated string in %q", src)
			}
			fmt.Fprintf(&out, "%q", s.String())
			i = j
		case r == ',':
			j := i + 1
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if j < len(rs) && (rs[j] == '}' || rs[j] == ']') {
				continue
			}
			out.WriteRune(r)
		case unicode.IsLetter(r) || r == '_' || r == '$':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '$') {
				j++
			}
			word := string(rs[i:j])
			k := j
			for k < len(rs) && unicode.IsSpace(rs[k]) {
				k++
			}
			switch {
			case k < len(rs) && rs[k] == ':':
				fmt.Fprintf(&out, "%q", word)
			case word == "true" || word == "false" || word == "null":
				out.WriteString(word)
			default:
				return "", fmt.Errorf("bare identifier %q in %q", word, src)
			}
			i = j - 1
		default:
			out.WriteRune(r)
		}
	}
	return out.String(), nil
}
