package phone

import (
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"
)

// messageInbox puts the MESSAGEs that arrive back in the order they were
// read, for Config.OnMessage. sipgo hands every request to its handler on a
// goroutine of its own, so two MESSAGEs read back to back (a platform's
// "call answered" then "call ended") may reach the handler in either order;
// the Go scheduler even favours the newer one. The transport layer's
// message hook, though, runs on the reading goroutine, in read order:
// arrived() queues each MESSAGE there, attach() gives it its transaction
// when sipgo's handler gets it, and one goroutine (next) takes them from
// the head.
//
// Whichever of arrived and attach comes first queues the request: both
// happen in read order relative to the requests read before it. A queued
// request that never gets a transaction (a UDP retransmission that sipgo
// absorbs, a request its transaction layer refuses) is given up after
// gapWait; should its handler come after all, it goes to the back.
type messageInbox struct {
	gapWait time.Duration

	mu    sync.Mutex
	queue []*inboxItem                // in read order; the head is answered next
	items map[*sip.Request]*inboxItem // every queued item
	wake  chan struct{}               // cap 1: something changed for next
}

type inboxItem struct {
	req      *sip.Request
	read     time.Time // when arrived() saw it; zero when the handler came first
	attached bool      // its handler has come: tx is set
	tx       sip.ServerTransaction
	done     chan struct{} // closed once answered
}

// inboxGapWait is how long the head of the inbox waits for its handler.
// It normally comes within microseconds; a loaded machine may take
// milliseconds.
const inboxGapWait = 500 * time.Millisecond

func newMessageInbox() *messageInbox {
	return &messageInbox{
		gapWait: inboxGapWait,
		items:   map[*sip.Request]*inboxItem{},
		wake:    make(chan struct{}, 1),
	}
}

func (b *messageInbox) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// queueLocked returns req's item, queueing a new one at the back.
func (b *messageInbox) queueLocked(req *sip.Request) *inboxItem {
	if it, ok := b.items[req]; ok {
		return it
	}
	it := &inboxItem{req: req, done: make(chan struct{})}
	b.items[req] = it
	b.queue = append(b.queue, it)
	return it
}

// arrived notes a MESSAGE as the transport read it. It runs on sipgo's
// reading goroutine: it must not block.
func (b *messageInbox) arrived(req *sip.Request) {
	b.mu.Lock()
	it := b.queueLocked(req)
	if !it.attached {
		it.read = time.Now()
	}
	b.mu.Unlock()
	b.signal()
}

// attach gives req its server transaction. false when too many are
// waiting already: the caller answers it (503) and it is not queued.
func (b *messageInbox) attach(req *sip.Request, tx sip.ServerTransaction) (*inboxItem, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	it := b.queueLocked(req)
	if b.placeLocked(it) >= maxQueuedMessages {
		b.removeLocked(it)
		return nil, false
	}
	it.tx, it.attached = tx, true
	b.signal()
	return it, true
}

// placeLocked is how many items are ahead of it.
func (b *messageInbox) placeLocked(it *inboxItem) int {
	for i := len(b.queue) - 1; i >= 0; i-- {
		if b.queue[i] == it {
			return i
		}
	}
	return len(b.queue)
}

// withdraw takes an item back that has not been taken for answering:
// true when it was still waiting.
func (b *messageInbox) withdraw(it *inboxItem) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.items[it.req] != it {
		return false
	}
	b.removeLocked(it)
	return true
}

func (b *messageInbox) removeLocked(it *inboxItem) {
	delete(b.items, it.req)
	for i, q := range b.queue {
		if q == it {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			return
		}
	}
}

// next returns the head of the inbox once its handler has attached it,
// giving up heads that wait longer than gapWait. false when done closes.
func (b *messageInbox) next(done <-chan struct{}) (*inboxItem, bool) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		var wait <-chan time.Time
		b.mu.Lock()
		if len(b.queue) > 0 {
			head := b.queue[0]
			if head.attached {
				b.removeLocked(head)
				b.mu.Unlock()
				return head, true
			}
			left := b.gapWait - time.Since(head.read)
			if left <= 0 {
				// Nobody will answer it (a retransmission sipgo absorbed)
				// or its handler is late: then it queues again at the back.
				b.removeLocked(head)
				b.mu.Unlock()
				continue
			}
			if timer == nil {
				timer = time.NewTimer(left)
			} else {
				timer.Reset(left)
			}
			wait = timer.C
		}
		b.mu.Unlock()
		select {
		case <-b.wake:
		case <-wait:
		case <-done:
			return nil, false
		}
	}
}
