package emicsim

import (
	"slices"
	"strings"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

// The platform's directory, drawn from the options and the center:
// enterprises are tenants, extensions are agents, skill groups are queues.

// enterpriseBySwitch finds an enterprise by its switch number. Caller holds f.mu.
func (f *Front) enterpriseBySwitch(sw string) *enterprise {
	for _, e := range f.ents {
		if e.Switchnumber == sw {
			return e
		}
	}
	return nil
}

// enterpriseByEid finds an enterprise by its eid. Caller holds f.mu.
func (f *Front) enterpriseByEid(eid string) *enterprise {
	for _, e := range f.ents {
		if e.Eid == eid {
			return e
		}
	}
	return nil
}

// enterpriseOf finds the enterprise of an extension. Caller holds f.mu.
func (f *Front) enterpriseOf(un string) (*enterprise, callcenter.AgentInfo, bool) {
	a, ok := f.cc.Agent(un)
	if !ok {
		return nil, a, false
	}
	for _, e := range f.ents {
		if e.Tenant == a.Tenant {
			return e, a, true
		}
	}
	return nil, a, false
}

// queueSkills maps queue names to the skill they need.
func (f *Front) queueSkills() map[string]string {
	out := map[string]string{}
	for _, q := range f.cc.Queues() {
		out[q.Name] = q.Skill
	}
	return out
}

// inGroup reports whether an agent belongs to a group (has its queue's skill).
func inGroup(a callcenter.AgentInfo, skill string) bool {
	return skill == "" || slices.Contains(a.Skills, skill)
}

// groupsOf lists the groups of an enterprise, and of them those an agent
// is in when a is given. Caller holds f.mu.
func (f *Front) groupsOf(e *enterprise, a *callcenter.AgentInfo) []wire.Group {
	skills := f.queueSkills()
	out := []wire.Group{}
	for _, g := range f.groups {
		if g.Eid != e.Eid || (a != nil && !inGroup(*a, skills[g.Queue])) {
			continue
		}
		name := g.Name
		if name == "" {
			name = g.Queue
		}
		out = append(out, wire.Group{ID: wire.FlexString(g.ID), Eid: wire.FlexString(g.Eid), Name: name})
	}
	return out
}

// group finds a group of an enterprise by id. Caller holds f.mu.
func (f *Front) group(e *enterprise, gid string) (Group, bool) {
	for _, g := range f.groups {
		if g.Eid == e.Eid && g.ID == gid {
			return g, true
		}
	}
	return Group{}, false
}

// members lists the agents of a group, by extension. Caller holds f.mu.
func (f *Front) members(e *enterprise, g Group) []callcenter.AgentInfo {
	skill := f.queueSkills()[g.Queue]
	var out []callcenter.AgentInfo
	for _, a := range f.cc.Agents() {
		if a.Tenant == e.Tenant && inGroup(a, skill) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y callcenter.AgentInfo) int { return strings.Compare(x.ID, y.ID) })
	return out
}

// sameGroup reports whether agent is in a group of the supervisor's (本组
// 坐席): a group of the enterprise both belong to, whatever group the
// supervisor signed in to. Caller holds f.mu.
func (f *Front) sameGroup(e *enterprise, sup, agent callcenter.AgentInfo) bool {
	if agent.Tenant != e.Tenant || sup.Tenant != e.Tenant {
		return false
	}
	skills := f.queueSkills()
	for _, g := range f.groups {
		if g.Eid == e.Eid && inGroup(sup, skills[g.Queue]) && inGroup(agent, skills[g.Queue]) {
			return true
		}
	}
	return false
}

// isInternal reports whether a number is an extension or a group's queue
// number of the enterprise: call() then answers 3 (内线). Caller holds f.mu.
func (f *Front) isInternal(e *enterprise, number string) bool {
	if a, ok := f.cc.Agent(number); ok && a.Tenant == e.Tenant {
		return true
	}
	for _, q := range f.cc.Queues() {
		if q.Tenant == e.Tenant && q.Number != "" && q.Number == number {
			return true
		}
	}
	return false
}

// kefuStatus is a member's kefuStatus: 0 offline, 1 idle, 2 anything else
// (busy, a break, wrap-up, ringing or talking).
func kefuStatus(s callcenter.AgentState) wire.KefuStatus {
	switch s.Kind {
	case callcenter.Offline:
		return wire.KefuOffline
	case callcenter.Ready:
		return wire.KefuIdle
	}
	return wire.KefuBusy
}

// seatStatus is what statusChanged says of a center state; false for the
// states of a call (the SDK follows those from callEvent).
func seatStatus(s callcenter.AgentState) (wire.SeatStatus, bool) {
	switch s.Kind {
	case callcenter.Offline:
		return wire.SeatOffline, true
	case callcenter.Ready:
		return wire.SeatIdle, true
	case callcenter.Busy, callcenter.Break, callcenter.WrapUp:
		return wire.SeatBusy, true
	}
	return 0, false
}
