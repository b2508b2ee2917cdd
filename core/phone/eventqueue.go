package phone

// eventQueue delivers events in the order they were pushed without ever
// blocking the pusher: a pump goroutine keeps an unbounded backlog between
// the SIP stack and a slow reader.
type eventQueue struct {
	in   chan Event
	out  chan Event
	stop chan struct{}
	done chan struct{}
}

// outBuffer lets a reader that is briefly away not stall the pump.
const outBuffer = 64

func newEventQueue() *eventQueue {
	return &eventQueue{
		in:   make(chan Event),
		out:  make(chan Event, outBuffer),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
}

// start runs the pump; until then (and if never) nothing can be pushed.
func (q *eventQueue) start() { go q.pump() }

// push queues e; after close it drops e.
func (q *eventQueue) push(e Event) {
	select {
	case q.in <- e:
	case <-q.done:
	}
}

// close stops the pump: what fits in the output buffer is kept for the
// reader, the rest is dropped, and the output channel is closed.
func (q *eventQueue) close(started bool) {
	if !started {
		close(q.out)
		return
	}
	select {
	case <-q.stop:
	default:
		close(q.stop)
	}
	<-q.done
}

func (q *eventQueue) pump() {
	defer close(q.done)
	defer close(q.out)
	var backlog []Event
	for {
		var out chan Event
		var next Event
		if len(backlog) > 0 {
			out, next = q.out, backlog[0]
		}
		select {
		case e := <-q.in:
			backlog = append(backlog, e)
		case out <- next:
			backlog[0] = nil
			backlog = backlog[1:]
		case <-q.stop:
			for _, e := range backlog {
				select {
				case q.out <- e:
				default:
					return
				}
			}
			return
		}
	}
}
