package numbers

import "unicode"

// runeClass says what one input character means inside a number.
type runeClass uint8

const (
	classBad       runeClass = iota // not part of a number
	classDigit                      // 0-9, ASCII or full-width
	classPlus                       // + or ＋
	classStarHash                   // * # ＊ ＃ (short codes, DTMF)
	classSeparator                  // formatting that is dropped
	classOpen                       // ( （ [ 【: dropped, but "(0)" matters
	classClose                      // ) ） ] 】
)

// classify maps a rune to its class and, for digits and symbols, to the
// ASCII byte it stands for.
func classify(r rune) (runeClass, byte) {
	switch {
	case r >= '0' && r <= '9':
		return classDigit, byte(r)
	case r >= '０' && r <= '９':
		return classDigit, byte('0' + r - '０')
	}
	switch r {
	case '+', '＋':
		return classPlus, '+'
	case '*', '＊':
		return classStarHash, '*'
	case '#', '＃':
		return classStarHash, '#'
	case '(', '（', '[', '［', '【':
		return classOpen, 0
	case ')', '）', ']', '］', '】':
		return classClose, 0
	case '-', '‐', '‑', '‒', '–', '—', '―', '−', '－', '﹣', // dashes and minus signs
		'.', '．', '。', '·', '・', '･', // dots ("139.1234.5678", "139·1234")
		'/', '／',
		' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u2009', '\u202f',
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff': // invisible characters pasted from web pages
		return classSeparator, 0
	}
	if unicode.IsSpace(r) {
		return classSeparator, 0
	}
	return classBad, 0
}

// isTrimmable reports whether r may be cut from either end of the input:
// white space, invisible characters, quotes, and sentence punctuation that
// comes along when a number is copied out of a line of text.
func isTrimmable(r rune) bool {
	switch r {
	case '"', '\'', '`', '“', '”', '‘', '’', '「', '」', '『', '』', '《', '》', '<', '>',
		',', '，', ';', '；', '、', '。', ':', '：', '!', '！', '?', '？',
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}
