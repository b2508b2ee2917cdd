package emicnet

import "slices"

// recentCallsKept is how many ended ccNumbers are remembered: enough for
// the events still in flight after a call ends, bounded for a long shift.
const recentCallsKept = 64

// recentCalls remembers the ccNumbers of the last calls that ended, oldest
// first. The zero value is ready to use; the adapter's mutex guards it.
type recentCalls struct {
	ccs []string
}

func (r *recentCalls) add(cc string) {
	if cc == "" || slices.Contains(r.ccs, cc) {
		return
	}
	if len(r.ccs) == recentCallsKept {
		r.ccs = slices.Delete(r.ccs, 0, 1)
	}
	r.ccs = append(r.ccs, cc)
}

func (r *recentCalls) has(cc string) bool { return cc != "" && slices.Contains(r.ccs, cc) }
