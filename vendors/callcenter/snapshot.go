package callcenter

import (
	"maps"
	"slices"
)

// QueueState is a queue with its waiting calls.
type QueueState struct {
	Name    string   `json:"name"`
	Number  string   `json:"number,omitempty"`
	Skill   string   `json:"skill,omitempty"`
	Waiting []CallID `json:"waiting"`
	Ready   int      `json:"ready_agents"`
}

// Snapshot is the center's whole state at one instant (GET /admin/state).
type Snapshot struct {
	Agents       []AgentInfo   `json:"agents"`
	Calls        []CallInfo    `json:"calls"`
	Queues       []QueueState  `json:"queues"`
	Faults       []FaultState  `json:"faults"`
	ArrivalRate  float64       `json:"arrivals_per_minute"`
	CDRs         int           `json:"cdrs"`
	BreakReasons []BreakReason `json:"break_reasons"`
}

// FaultState is a persistent knob that is on.
type FaultState struct {
	Kind FaultKind `json:"kind"`
	Args Fault     `json:"args"`
}

// Snapshot returns the center's state.
func (cc *Center) Snapshot() Snapshot {
	var s Snapshot
	for _, f := range cc.faults.Active() {
		s.Faults = append(s.Faults, FaultState{Kind: f.Kind(), Args: f})
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(cc.agents)) {
		s.Agents = append(s.Agents, cc.agents[id].info())
	}
	calls := cc.sortedCalls()
	for _, c := range calls {
		s.Calls = append(s.Calls, c.info())
	}
	for _, name := range slices.Sorted(maps.Keys(cc.queues)) {
		q := cc.queues[name]
		qs := QueueState{Name: q.Name, Number: q.Number, Skill: q.Skill, Waiting: []CallID{}}
		for _, c := range calls {
			if c.queue == name && (c.phase == PhaseQueued || c.phase == PhaseOffering) {
				qs.Waiting = append(qs.Waiting, c.id)
			}
		}
		for _, a := range cc.agents {
			if a.Tenant == q.Tenant && a.state.Kind == Ready && a.hasSkill(q.Skill) {
				qs.Ready++
			}
		}
		s.Queues = append(s.Queues, qs)
	}
	s.ArrivalRate = cc.rate
	s.CDRs = len(cc.cdrs)
	s.BreakReasons = slices.Clone(cc.breaks)
	return s
}
