package room

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"agentbar/audio"
)

// Room is one call's mix.
type Room struct {
	mixer *Mixer
	name  string

	mu      sync.Mutex
	parties map[string]*Party
	order   []*Party            // sorted by id: a stable mix order
	hears   map[*Party][]*Party // who each party hears
	closed  bool
	acc     [FrameSamples]int32
}

// Name is the room's name (the call id).
func (r *Room) Name() string { return r.name }

// Join adds a party. out receives what the party hears, one frame per tick
// from the mixer goroutine; it must not block or keep the slice. nil
// discards (a simulated party that only needs to be measured).
func (r *Room) Join(id string, out func(pcm []int16)) (*Party, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	if _, dup := r.parties[id]; dup {
		return nil, fmt.Errorf("%w: %s", ErrDuplicateParty, id)
	}
	p := &Party{room: r, id: id, out: out}
	r.parties[id] = p
	r.reorderLocked()
	return p, nil
}

// Party returns a party by id.
func (r *Room) Party(id string) (*Party, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.parties[id]
	return p, ok
}

// Leave removes a party; nobody hears it any more. Its recording is
// finished.
func (r *Room) Leave(id string) error {
	r.mu.Lock()
	p, ok := r.parties[id]
	if ok {
		delete(r.parties, id)
		r.reorderLocked()
		for listener, speakers := range r.hears {
			r.hears[listener] = slices.DeleteFunc(speakers, func(s *Party) bool { return s == p })
		}
		delete(r.hears, p)
	}
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownParty, id)
	}
	return p.stopRecording()
}

func (r *Room) reorderLocked() {
	r.order = r.order[:0]
	for _, id := range slices.Sorted(maps.Keys(r.parties)) {
		r.order = append(r.order, r.parties[id])
	}
}

// SetHears replaces the matrix: hears[listener] lists the speakers the
// listener hears. Ids of parties not (yet) in the room are ignored, so the
// center's mix can be applied before every leg has joined; apply it again
// after a Join.
func (r *Room) SetHears(hears map[string][]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[*Party][]*Party{}
	for l, speakers := range hears {
		lp, ok := r.parties[l]
		if !ok {
			continue
		}
		for _, s := range speakers {
			if sp, ok := r.parties[s]; ok && sp != lp {
				m[lp] = append(m[lp], sp)
			}
		}
	}
	r.hears = m
}

// Hears reports the current matrix by id (for tests and the admin state).
func (r *Room) Hears() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for _, p := range r.order {
		var ids []string
		for _, s := range r.hears[p] {
			ids = append(ids, s.id)
		}
		slices.Sort(ids)
		out[p.id] = ids
	}
	return out
}

// tick mixes one frame. Mixer goroutine only.
func (r *Room) tick() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	for _, p := range r.order {
		p.pull()
	}
	for _, p := range r.order {
		clear(r.acc[:])
		for _, s := range r.hears[p] {
			audio.Accumulate(r.acc[:], s.said[:])
		}
		audio.Clip(p.heard[:], r.acc[:])
		p.deliver()
	}
}

// Close removes the room from the mixer and finishes every recording.
func (r *Room) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	parties := slices.Clone(r.order)
	r.mu.Unlock()
	r.mixer.remove(r)
	var first error
	for _, p := range parties {
		if err := p.stopRecording(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Hearing is what a party heard (or said) over a stretch of time.
type Hearing struct {
	LevelDBFS float64 `json:"level_dbfs"`
	Dominant  float64 `json:"dominant_hz"`
}

func hearingOf(pcm []int16) Hearing {
	return Hearing{LevelDBFS: audio.RMSdBFS(pcm), Dominant: audio.DominantFrequency(pcm, Rate)}
}

// Heard returns the last d of what party id heard.
func (r *Room) Heard(id string, d time.Duration) ([]int16, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.parties[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownParty, id)
	}
	return p.ear.last(d), nil
}

// Said returns the last d of what party id said.
func (r *Room) Said(id string, d time.Duration) ([]int16, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.parties[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownParty, id)
	}
	return p.mouth.last(d), nil
}

// Hearing sums up the last second a party heard: level and dominant
// frequency.
func (r *Room) Hearing(id string) (Hearing, error) {
	pcm, err := r.Heard(id, time.Second)
	if err != nil {
		return Hearing{}, err
	}
	return hearingOf(pcm), nil
}
