package room

import (
	"sync"
	"sync/atomic"
	"time"
)

// Rate is the sample rate of every room.
const Rate = 8000

// FrameSamples is one 20 ms frame at Rate.
const FrameSamples = Rate / 50

// maxCatchUp is the longest stall the mixer makes up for with quick ticks
// (a busy machine); after a longer one (a suspended laptop) it starts
// afresh, the missed time lost.
const maxCatchUp = time.Second

// Mixer clocks every room with one goroutine.
type Mixer struct {
	mu     sync.Mutex
	rooms  map[*Room]struct{}
	list   []*Room // copy-on-write snapshot for the tick
	closed bool

	stop chan struct{}
	done chan struct{}

	ticks, late atomic.Uint64
}

// NewMixer starts the mixing goroutine. Close stops it.
func NewMixer() *Mixer {
	m := &Mixer{rooms: map[*Room]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
	go m.run()
	return m
}

// NewRoom adds an empty room.
func (m *Mixer) NewRoom(name string) (*Room, error) {
	r := &Room{mixer: m, name: name, parties: map[string]*Party{}}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	m.rooms[r] = struct{}{}
	m.rebuildLocked()
	return r, nil
}

func (m *Mixer) remove(r *Room) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rooms, r)
	m.rebuildLocked()
}

func (m *Mixer) rebuildLocked() {
	list := make([]*Room, 0, len(m.rooms))
	for r := range m.rooms {
		list = append(list, r)
	}
	m.list = list
}

// Rooms is the number of open rooms.
func (m *Mixer) Rooms() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.rooms)
}

// Stats are the mixer's counters: ticks run and ticks that started more
// than a frame late (the machine could not keep up).
func (m *Mixer) Stats() (ticks, late uint64) { return m.ticks.Load(), m.late.Load() }

// run ticks every 20 ms on an absolute schedule, so that a late tick is
// followed by a quick one rather than the rooms drifting behind the
// endpoints' clocks.
func (m *Mixer) run() {
	defer close(m.done)
	const period = 20 * time.Millisecond
	next := time.Now().Add(period)
	timer := time.NewTimer(period)
	defer timer.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-timer.C:
		}
		now := time.Now()
		if now.Sub(next) > period {
			m.late.Add(1)
			if now.Sub(next) > maxCatchUp {
				next = now // a long stall (suspend): do not burst to catch up
			}
		}
		m.mu.Lock()
		list := m.list
		m.mu.Unlock()
		for _, r := range list {
			r.tick()
		}
		m.ticks.Add(1)
		next = next.Add(period)
		timer.Reset(max(time.Until(next), 0))
	}
}

// Close stops the mixer and closes every room.
func (m *Mixer) Close() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	rooms := m.list
	m.mu.Unlock()
	close(m.stop)
	<-m.done
	for _, r := range rooms {
		r.Close()
	}
}
