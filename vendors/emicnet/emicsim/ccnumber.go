package emicsim

import (
	"fmt"
	"time"

	"agentbar/vendors/callcenter"
)

// ccNumbers names the center's calls the way the platform does: the seed's
// 1564717108763414conf_1564717149723 is the call's start in milliseconds,
// three more digits, "conf_" and a later time in milliseconds. Guarded by
// Front.mu.
type ccNumbers struct {
	seq    int
	byCall map[callcenter.CallID]string
	byCc   map[string]callcenter.CallID
	ended  []callcenter.CallID // forgotten oldest first beyond keepEnded
}

// keepEnded is how many ended calls keep their ccNumber (late commands
// about them get "no such call" with the right number).
const keepEnded = 256

func newCCNumbers() *ccNumbers {
	return &ccNumbers{byCall: map[callcenter.CallID]string{}, byCc: map[string]callcenter.CallID{}}
}

// of returns the call's ccNumber, naming it on first sight.
func (n *ccNumbers) of(id callcenter.CallID, arrived, now time.Time) string {
	if c, ok := n.byCall[id]; ok {
		return c
	}
	c := n.fresh(arrived, now)
	n.byCall[id], n.byCc[c] = c, id
	return c
}

// fresh makes a ccNumber for a call the center never had (a call the
// front refused by its own rules).
func (n *ccNumbers) fresh(arrived, now time.Time) string {
	n.seq++
	if arrived.IsZero() {
		arrived = now
	}
	return fmt.Sprintf("%d%03dconf_%d", arrived.UnixMilli(), n.seq%1000, max(now.UnixMilli(), arrived.UnixMilli()))
}

// call finds the call of a ccNumber.
func (n *ccNumbers) call(c string) (callcenter.CallID, bool) {
	id, ok := n.byCc[c]
	return id, ok
}

// ended lets an ended call's number go, after keepEnded others.
func (n *ccNumbers) end(id callcenter.CallID) {
	n.ended = append(n.ended, id)
	for len(n.ended) > keepEnded {
		old := n.ended[0]
		n.ended = n.ended[1:]
		delete(n.byCc, n.byCall[old])
		delete(n.byCall, old)
	}
}
