package rtpcore

import (
	"slices"
	"strings"

	"github.com/pion/sdp/v3"
)

// UnmarshalSDP parses body. pion/sdp insists on RFC 4566's line order and
// some stacks do not keep it, so when the text as sent fails, the lines are
// put in order (CanonicalSDP) and tried again. The error is the first
// attempt's: it names what the peer actually sent.
func UnmarshalSDP(body []byte) (*sdp.SessionDescription, error) {
	s := &sdp.SessionDescription{}
	err := s.Unmarshal(body)
	if err == nil {
		return s, nil
	}
	s = &sdp.SessionDescription{}
	if retry := s.Unmarshal(CanonicalSDP(body)); retry != nil {
		return nil, err
	}
	return s, nil
}

// CanonicalSDP puts the lines of each section in RFC 4566 §5 order (stable
// within a type), drops blank lines and ends lines with CRLF.
func CanonicalSDP(body []byte) []byte {
	const sessionOrder, mediaOrder = "vosiuepcbtrzkam", "micbka"
	var sections [][]string
	current := []string{}
	for _, line := range strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n") {
		line = strings.TrimRight(line, "\r")
		if len(line) < 2 || line[1] != '=' {
			continue
		}
		if line[0] == 'm' {
			sections = append(sections, current)
			current = []string{}
		}
		current = append(current, line)
	}
	sections = append(sections, current)
	var b strings.Builder
	for i, sec := range sections {
		order := mediaOrder
		if i == 0 {
			order = sessionOrder
		}
		rank := func(line string) int {
			if i := strings.IndexByte(order, line[0]); i >= 0 {
				return i
			}
			return len(order) // unknown types last, where they hurt least
		}
		slices.SortStableFunc(sec, func(a, b string) int { return rank(a) - rank(b) })
		for _, line := range sec {
			b.WriteString(line)
			b.WriteString("\r\n")
		}
	}
	return []byte(b.String())
}
