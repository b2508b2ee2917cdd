package logging

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// MinSecretLen is the shortest literal AddSecret accepts. Shorter ones
// (a PIN "123") would mask ordinary numbers and words all over the log; the
// key and pattern rules still hide them where they are labelled.
const MinSecretLen = 4

// MaxSecrets bounds the registered literals. Tokens are refreshed for as long
// as the program runs; past this many, the oldest are forgotten first.
const MaxSecrets = 64

// Redactor scrubs secrets out of text. The zero value is ready to use and
// knows no literal secrets; the pattern and key rules always apply. It is
// safe for concurrent use: AddSecret copies the set, Scrub reads a snapshot
// without locking.
type Redactor struct {
	mu  sync.Mutex // serialises AddSecret
	set atomic.Pointer[secretSet]
}

// secretSet is an immutable snapshot of the registered secrets.
type secretSet struct {
	gen       uint64   // changes with every AddSecret that changed the set
	originals []string // as registered, oldest first
	needles   []string // originals and their encoded forms, longest first
	// numeric are the needles made only of digits: the only ones that can
	// hide in an integer attribute.
	numeric []string
}

// NewRedactor returns an empty Redactor.
func NewRedactor() *Redactor { return &Redactor{} }

// AddSecret registers a literal secret (a password, a token) so that it is
// masked wherever it appears from now on. Secrets shorter than MinSecretLen
// bytes, and those that are part of Mask itself, are ignored. Registering
// the same secret twice is harmless.
func (r *Redactor) AddSecret(secret string) {
	if len(secret) < MinSecretLen || strings.Contains(Mask, secret) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.set.Load()
	next := &secretSet{gen: 1}
	if old != nil {
		if slices.Contains(old.originals, secret) {
			return
		}
		next.gen = old.gen + 1
		next.originals = append(next.originals, old.originals...)
	}
	next.originals = append(next.originals, secret)
	if len(next.originals) > MaxSecrets {
		next.originals = next.originals[len(next.originals)-MaxSecrets:]
	}
	for _, s := range next.originals {
		for _, form := range encodedForms(s) {
			if !slices.Contains(next.needles, form) {
				next.needles = append(next.needles, form)
			}
		}
	}
	// Longest first, so that a secret containing another is masked whole.
	slices.SortStableFunc(next.needles, func(a, b string) int { return len(b) - len(a) })
	for _, n := range next.needles {
		if strings.Trim(n, "0123456789") == "" {
			next.numeric = append(next.numeric, n)
		}
	}
	r.set.Store(next)
}

// encodedForms lists how a secret may appear in logged text: as is, in a
// query string or path, inside JSON, inside a Go-quoted string.
func encodedForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	if b, err := json.Marshal(s); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		t := strings.TrimSuffix(plain.String(), "\n")
		forms = append(forms, t[1:len(t)-1])
	}
	q := strconv.Quote(s)
	forms = append(forms, q[1:len(q)-1])
	return slices.Compact(forms)
}

// generation identifies the current secret set; 0 means none.
func (r *Redactor) generation() uint64 {
	if set := r.set.Load(); set != nil {
		return set.gen
	}
	return 0
}

// Scrub returns s with every registered secret and every secret-looking
// value masked (see the package doc). It returns s unchanged, without
// allocating, when there is nothing to mask.
func (r *Redactor) Scrub(s string) string {
	return r.scrubWith(r.set.Load(), s)
}

func (r *Redactor) scrubWith(set *secretSet, s string) string {
	if s == "" {
		return s
	}
	out := s
	if set != nil {
		out = maskLiterals(out, set.needles)
	}
	out = scrubPatterns(out)
	if set != nil && out != s && containsAny(out, set.needles) {
		// A pattern mask next to a secret's remains recreated it (the
		// secret overlaps "[redacted]"): try once more, then give up on
		// the whole string rather than leak.
		out = maskLiterals(out, set.needles)
		if containsAny(out, set.needles) {
			return Mask
		}
	}
	return out
}

func containsAny(s string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// maskLiterals replaces every occurrence of every needle, overlapping ones
// included, by Mask; adjacent or overlapping occurrences become one Mask.
func maskLiterals(s string, needles []string) string {
	first := -1
	for _, n := range needles {
		if i := strings.Index(s, n); i >= 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return s
	}
	// covered[i] is true for bytes inside some occurrence.
	covered := make([]bool, len(s))
	for _, n := range needles {
		for from := 0; from <= len(s)-len(n); {
			i := strings.Index(s[from:], n)
			if i < 0 {
				break
			}
			i += from
			// Widen to whole UTF-8 characters: a secret that is not valid
			// UTF-8 must not cut one in half.
			start, end := i, i+len(n)
			for start > 0 && isContinuationByte(s[start]) {
				start--
			}
			for end < len(s) && isContinuationByte(s[end]) {
				end++
			}
			for j := start; j < end; j++ {
				covered[j] = true
			}
			from = i + 1
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Mask)
		for i < len(s) && covered[i] {
			i++
		}
	}
	return b.String()
}

func isContinuationByte(c byte) bool { return c&0xC0 == 0x80 }
