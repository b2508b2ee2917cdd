package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// clock formats a time in state as 04:07, or 1:04:07 past an hour. A
// negative span (clocks of two machines) shows as 00:00.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	h, m, sec := s/3600, s/60%60, s%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%02d:%02d", m, sec)
}

// clockStyle is the text style of clocks, digits and numbers in columns:
// the regular one. Its digits (Noto Sans) are already all one width, so a
// running clock does not jiggle, and a monospace style would cost the
// whole app a second font stack: fyne parses a style's fonts, its emoji
// font and the system's fallback for the language (for Chinese, the mono
// face of the CJK font) the first time the style is used, about 7 MB of
// heap that an idle window keeps for good.
func clockStyle() fyne.TextStyle { return fyne.TextStyle{} }

// since is clock from a start time to now; "" for no start.
func since(start, now time.Time) string {
	if start.IsZero() {
		return ""
	}
	return clock(now.Sub(start))
}

// groupNumber spaces a phone number so that it can be read out: Chinese
// mobile numbers as 3-4-4 (138 0013 8000), a +86 prefix split off, and
// everything else (landlines with area codes, extensions, SIP URIs, masked
// numbers) unchanged, because a wrong grouping is worse than none.
func groupNumber(n string) string {
	n = strings.TrimSpace(n)
	prefix := ""
	for _, p := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(n, p); ok && isMobile(rest) {
			prefix, n = p+" ", rest
		}
	}
	if !isMobile(n) {
		return prefix + n
	}
	return prefix + n[:3] + " " + n[3:7] + " " + n[7:]
}

// isMobile: eleven digits starting with 1 (a mainland mobile number).
func isMobile(n string) bool {
	if len(n) != 11 || n[0] != '1' {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}
