package core

// Subscription delivers the engine's events to one subscriber, in order.
//
// Overflow policy: each subscription has a bounded queue (its channel). The
// engine never waits for a subscriber. When the queue is full, new events
// are dropped for that subscriber only and counted; as soon as there is room
// again the subscriber first receives one EventsDropped{Count} and then the
// following events, still in order. On EventsDropped it should call
// Engine.Status to resync. Other subscribers are not affected.
type Subscription struct {
	// C carries the events. It is closed when the subscription or the engine
	// is closed.
	C <-chan Event

	c       chan Event
	name    string
	engine  *Engine
	dropped int
	lastSeq uint64 // seq of the last dropped event
}

// Subscribe adds a subscriber with a queue of buffer events (the engine's
// default when buffer <= 0). name appears in logs.
func (e *Engine) Subscribe(name string, buffer int) *Subscription {
	if buffer <= 0 {
		buffer = e.opts.SubscriberBuffer
	}
	c := make(chan Event, buffer)
	sub := &Subscription{C: c, c: c, name: name, engine: e}
	if !e.post(func() { e.st.subs = append(e.st.subs, sub) }) {
		close(c)
	}
	return sub
}

// Close ends the subscription; C is closed soon after. It does not wait.
func (s *Subscription) Close() {
	e := s.engine
	e.post(func() {
		for i, x := range e.st.subs {
			if x == s {
				e.st.subs = append(e.st.subs[:i], e.st.subs[i+1:]...)
				close(s.c)
				return
			}
		}
	})
}

// deliver hands one event to the subscriber without blocking.
func (s *Subscription) deliver(ev Event) {
	if s.dropped > 0 {
		notice := EventsDropped{EventMeta: EventMeta{Seq: s.lastSeq, At: ev.Meta().At}, Count: s.dropped}
		select {
		case s.c <- notice:
			s.engine.log.Warn("engine: subscriber fell behind", "subscriber", s.name, "dropped", s.dropped)
			s.dropped = 0
		default:
			s.dropped++
			s.lastSeq = ev.Meta().Seq
			return
		}
	}
	select {
	case s.c <- ev:
	default:
		s.dropped++
		s.lastSeq = ev.Meta().Seq
	}
}

// publish numbers an event and hands it to every subscriber. Loop only.
func (e *Engine) publish(build func(m EventMeta) Event) {
	e.st.seq++
	ev := build(EventMeta{Seq: e.st.seq, At: e.opts.Now()})
	e.log.Debug("engine: event", "event", ev.String())
	for _, s := range e.st.subs {
		s.deliver(ev)
	}
}

func (e *Engine) closeSubscribers() {
	for _, s := range e.st.subs {
		close(s.c)
	}
	e.st.subs = nil
}
