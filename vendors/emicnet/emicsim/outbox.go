package emicsim

import (
	"context"
	"errors"
	"sync"
	"time"

	"agentbar/vendors/callcenter/sipfront"
	"agentbar/vendors/emicnet/wire"
)

// outbox sends one seat's events, in order, as MESSAGEs over its
// registration. The center's order is kept per seat; a slow or gone client
// holds only its own seat's events. While a command of the seat is being
// answered the events wait, so that the result of a command goes out
// before the events it caused.
type outbox struct {
	f  *Front
	un string

	mu       sync.Mutex
	cond     *sync.Cond
	q        []outItem
	inflight int  // commands of the seat being answered
	running  bool // the sending goroutine is started
	closed   bool
	done     chan struct{} // closed when the goroutine ends (if it started)
}

type outItem struct {
	body []byte
	sent chan struct{} // closed once the MESSAGE was answered or given up (may be nil)
}

// messageTimeout bounds one event MESSAGE's transaction.
const messageTimeout = 3 * time.Second

func newOutbox(f *Front, un string) *outbox {
	b := &outbox{f: f, un: un, done: make(chan struct{})}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// push queues an event; sent (optional) is closed once it went out.
func (b *outbox) push(ev wire.Event, sent chan struct{}) {
	body := wire.MustJSON(ev)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		if sent != nil {
			close(sent)
		}
		return
	}
	b.q = append(b.q, outItem{body: body, sent: sent})
	if !b.running {
		b.running = true
		b.f.wg.Add(1)
		go b.run()
	}
	b.cond.Signal()
}

// begin and end bracket a command of the seat.
func (b *outbox) begin() {
	b.mu.Lock()
	b.inflight++
	b.mu.Unlock()
}

func (b *outbox) end() {
	b.mu.Lock()
	b.inflight--
	b.mu.Unlock()
	b.cond.Signal()
}

func (b *outbox) run() {
	defer b.f.wg.Done()
	defer close(b.done)
	for {
		b.mu.Lock()
		for !b.closed && (len(b.q) == 0 || b.inflight > 0) {
			b.cond.Wait()
		}
		if b.closed {
			rest := b.q
			b.q = nil
			b.mu.Unlock()
			for _, it := range rest {
				if it.sent != nil {
					close(it.sent)
				}
			}
			return
		}
		it := b.q[0]
		b.q = b.q[1:]
		b.mu.Unlock()
		b.send(it)
	}
}

func (b *outbox) send(it outItem) {
	defer func() {
		if it.sent != nil {
			close(it.sent)
		}
	}()
	ctx, cancel := context.WithTimeout(b.f.life, messageTimeout)
	defer cancel()
	err := b.f.sip.SendMessage(ctx, b.un, wire.ContentTypeEvent, it.body)
	switch {
	case err == nil:
	case errors.Is(err, sipfront.ErrNotRegistered):
		b.f.log.Debug("emicsim: event for a seat not registered", "seat", b.un)
	default:
		b.f.log.Info("emicsim: event not delivered", "seat", b.un, "err", err)
	}
}

// close stops the goroutine; queued events are dropped.
func (b *outbox) close() {
	b.mu.Lock()
	b.closed = true
	running := b.running
	b.mu.Unlock()
	b.cond.Broadcast()
	if running {
		<-b.done
	}
}
