package callcenter

import "sync"

// Subscription delivers the center's events to one front-end, in order.
// The center never waits for a subscriber: events queue without bound
// behind a pump goroutine (front-ends must see every offer and hang-up, and
// the center must not stall because one of them is slow).
type Subscription struct {
	// C carries the events; it is closed after Close or the center's Close.
	C <-chan Event

	c    chan Event
	mu   sync.Mutex
	q    []Event
	wake chan struct{}
	done chan struct{}
	exit chan struct{}
	once sync.Once
}

func newSubscription() *Subscription {
	c := make(chan Event)
	s := &Subscription{C: c, c: c, wake: make(chan struct{}, 1), done: make(chan struct{}), exit: make(chan struct{})}
	go s.pump()
	return s
}

// push queues an event. It never blocks.
func (s *Subscription) push(ev Event) {
	s.mu.Lock()
	s.q = append(s.q, ev)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Subscription) pump() {
	defer close(s.exit)
	defer close(s.c)
	for {
		s.mu.Lock()
		batch := s.q
		s.q = nil
		s.mu.Unlock()
		for _, ev := range batch {
			select {
			case s.c <- ev:
			case <-s.done:
				return
			}
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-s.wake:
		case <-s.done:
			return
		}
	}
}

// Close ends the subscription and waits for its goroutine; undelivered
// events are dropped. C is closed.
func (s *Subscription) Close() {
	s.once.Do(func() { close(s.done) })
	<-s.exit
}
