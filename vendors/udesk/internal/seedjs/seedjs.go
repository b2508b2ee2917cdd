// Package seedjs turns the example payloads of the Udesk SDK document into
// JSON. The document writes them in JavaScript notation, not JSON: bare
// keys, single quotes, trailing commas, a few missing commas at line ends,
// `undefined`, `#` comments and one typo (`fasle`). The golden tests keep the
// document's text verbatim under testdata/seed and check that the JSON the
// wire carries is exactly this conversion of it.
//
// The rules, all of them:
//   - a bare identifier followed by ':' is a key and gets quoted;
//   - 'single quoted' strings become "double quoted";
//   - `undefined` becomes null (JSON has no undefined; JSON.stringify would
//     drop the key, we keep it so that every documented field stays visible);
//   - `fasle` becomes false (a typo of the document, twice in CallAuthority);
//   - `#` and `//` start a comment that runs to the end of the line;
//   - a comma before '}' or ']' is dropped; a missing comma between two
//     values (or a value and the next key) is added.
package seedjs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

type kind int

const (
	tPunct kind = iota // { } [ ] : ,
	tString
	tNumber
	tIdent
)

type token struct {
	kind kind
	text string // for tString: the decoded value
}

// ToJSON converts one payload to indented JSON.
func ToJSON(src string) ([]byte, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	prevEndsValue := false
	for i, t := range toks {
		next := token{kind: tPunct, text: ""}
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		startsValue := t.kind != tPunct || t.text == "{" || t.text == "["
		if startsValue && prevEndsValue {
			out.WriteByte(',')
		}
		switch t.kind {
		case tPunct:
			if t.text == "," && next.kind == tPunct && (next.text == "}" || next.text == "]") {
				prevEndsValue = true // the value before stays the last one
				continue
			}
			out.WriteString(t.text)
			prevEndsValue = t.text == "}" || t.text == "]"
			continue
		case tString:
			b, _ := json.Marshal(t.text)
			out.Write(b)
		case tNumber:
			out.WriteString(t.text)
		case tIdent:
			if next.kind == tPunct && next.text == ":" {
				b, _ := json.Marshal(t.text)
				out.Write(b)
				prevEndsValue = false
				continue
			}
			switch t.text {
			case "true", "false", "null":
				out.WriteString(t.text)
			case "undefined":
				out.WriteString("null")
			case "fasle":
				out.WriteString("false")
			default:
				return nil, fmt.Errorf("%w: unknown literal %q", ErrSyntax, t.text)
			}
		}
		prevEndsValue = true
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, out.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("%w: %v in %s", ErrSyntax, err, out.String())
	}
	pretty.WriteByte('\n')
	return pretty.Bytes(), nil
}

func lex(src string) ([]token, error) {
	var toks []token
	r := []rune(src)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '#' || c == '/' && i+1 < len(r) && r[i+1] == '/':
			for i < len(r) && r[i] != '\n' {
				i++
			}
		case strings.ContainsRune("{}[]:,", c):
			toks = append(toks, token{tPunct, string(c)})
			i++
		case c == '"' || c == '\'':
			var sb strings.Builder
			j := i + 1
			for ; j < len(r) && r[j] != c; j++ {
				if r[j] == '\\' && j+1 < len(r) {
					j++
				}
				sb.WriteRune(r[j])
			}
			if j >= len(r) {
				return nil, fmt.Errorf("%w: unterminated string at %d", ErrSyntax, i)
			}
			toks = append(toks, token{tString, sb.String()})
			i = j + 1
		case c == '-' || unicode.IsDigit(c):
			j := i + 1
			for j < len(r) && (unicode.IsDigit(r[j]) || r[j] == '.' || r[j] == 'e' || r[j] == 'E' || r[j] == '+' || r[j] == '-') {
				j++
			}
			toks = append(toks, token{tNumber, string(r[i:j])})
			i = j
		case unicode.IsLetter(c) || c == '_' || c == '$':
			j := i + 1
			for j < len(r) && (unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '_' || r[j] == '$') {
				j++
			}
			toks = append(toks, token{tIdent, string(r[i:j])})
			i = j
		default:
			return nil, fmt.Errorf("%w: unexpected %q at %d", ErrSyntax, c, i)
		}
	}
	return toks, nil
}
