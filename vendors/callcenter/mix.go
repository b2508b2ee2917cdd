package callcenter

import (
	"maps"
	"slices"
)

// SoundKind is what the center's own voice plays to a caller.
type SoundKind string

// System sounds.
const (
	SoundNone     SoundKind = ""
	SoundPrompt   SoundKind = "prompt"   // an IVR or survey prompt (Text)
	SoundMusic    SoundKind = "music"    // queue and hold music
	SoundRingback SoundKind = "ringback" // the callee is ringing
)

// SystemSound is what the system party plays now.
type SystemSound struct {
	Kind SoundKind `json:"kind,omitempty"`
	Text string    `json:"text,omitempty"`
}

func (s SystemSound) String() string {
	if s.Text != "" {
		return string(s.Kind) + ": " + s.Text
	}
	return string(s.Kind)
}

// MixParty is one party of a call's mix.
type MixParty struct {
	ID   string `json:"id"` // SimulatedCustomer, SystemParty or an agent id
	Role Role   `json:"role"`
	// Agent is set for an agent's party: its endpoint's leg, or its device
	// elsewhere (DeviceLeg).
	Agent string `json:"agent,omitempty"`
}

// Mix is who hears whom in a call: the center's truth that the media
// front-ends carry out and tests check. Hears[p] lists the parties p hears;
// every present party has an entry (possibly empty).
type Mix struct {
	Parties []MixParty          `json:"parties"`
	Hears   map[string][]string `json:"hears"`
	System  SystemSound         `json:"system"`
}

// Hearing returns the parties p hears.
func (m Mix) Hearing(p string) []string { return m.Hears[p] }

// clone is a deep copy for events.
func (m Mix) clone() Mix {
	out := Mix{Parties: slices.Clone(m.Parties), Hears: make(map[string][]string, len(m.Hears)), System: m.System}
	for k, v := range m.Hears {
		out.Hears[k] = slices.Clone(v)
	}
	return out
}

// hearing computes the call's mix from its state. Pure: the table tests in
// mix_test.go pin the matrix for every mode.
func (c *call) hearing() Mix {
	m := Mix{Hears: map[string][]string{}}
	add := func(id string, role Role, agent string) {
		m.Parties = append(m.Parties, MixParty{ID: id, Role: role, Agent: agent})
		m.Hears[id] = nil
	}
	if c.phase == PhaseEnded {
		return m
	}
	cust := c.customerParty()
	add(SystemParty, RoleSystem, "")
	add(cust, RoleCustomer, c.custAgent)
	agentUp := c.agent != "" && c.agentUp
	if agentUp {
		add(c.agent, RoleAgent, c.agent)
	}
	// The third party of a consult or a three-way call: a consulted agent
	// or an outside callee.
	third, thirdUp := c.consultee, c.consultee != "" && c.consultUp
	if thirdUp {
		add(c.consultee, RoleConsultee, c.consultee)
	}
	o := c.outside
	if o != nil && o.up {
		add(o.party, RoleOutside, "")
	}
	if o != nil && !o.transfer {
		third, thirdUp = o.party, o.up
	}
	supUp := c.monitor != nil && c.monitor.up
	if supUp {
		add(c.monitor.supervisor, RoleSupervisor, c.monitor.supervisor)
	}
	hear := func(listener string, speakers ...string) {
		for _, s := range speakers {
			if s != listener && !slices.Contains(m.Hears[listener], s) {
				m.Hears[listener] = append(m.Hears[listener], s)
			}
		}
	}
	consulting := thirdUp && !c.conf || third != "" && !thirdUp
	switch {
	case c.phase == PhaseIVR:
		m.System = SystemSound{Kind: SoundPrompt, Text: c.promptText}
	case c.phase == PhaseSurvey:
		m.System = SystemSound{Kind: SoundPrompt, Text: c.promptText}
	case c.phase == PhaseOffering && c.placed && c.queue == "":
		// A placed call ringing a colleague: the agent hears it ring.
		m.System = SystemSound{Kind: SoundRingback}
	case c.phase == PhaseQueued || c.phase == PhaseOffering:
		m.System = SystemSound{Kind: SoundMusic}
	case c.phase == PhaseDialing:
		m.System = SystemSound{Kind: SoundRingback}
	case c.phase == PhaseTalking && (c.held || consulting):
		m.System = SystemSound{Kind: SoundMusic}
	}
	if m.System.Kind != SoundNone {
		if c.placed && c.phase == PhaseDialing && agentUp {
			hear(c.agent, SystemParty) // the callee is not on the line yet
		} else {
			hear(cust, SystemParty)
		}
	}
	if c.phase != PhaseTalking {
		return m.sorted()
	}
	if !agentUp {
		// Handed to an outside party: it and the customer talk.
		if o != nil && o.transfer && o.up {
			hear(cust, o.party)
			hear(o.party, cust)
		}
		return m.sorted()
	}
	// The conversation itself.
	switch {
	case c.held:
		// The customer hears music; the agent hears nobody (and may consult).
		if thirdUp {
			hear(c.agent, third)
			hear(third, c.agent)
		}
	case consulting:
		if thirdUp {
			hear(c.agent, third)
			hear(third, c.agent)
		}
	case c.conf && thirdUp:
		hear(cust, c.agent, third)
		hear(c.agent, cust, third)
		hear(third, cust, c.agent)
	default:
		hear(cust, c.agent)
		hear(c.agent, cust)
	}
	if supUp {
		s := c.monitor.supervisor
		switch c.monitor.mode {
		case MonitorListen:
			hear(s, cust, c.agent)
		case MonitorWhisper:
			hear(s, cust, c.agent)
			hear(c.agent, s)
		case MonitorBarge:
			hear(s, cust, c.agent)
			hear(cust, s)
			hear(c.agent, s)
			if thirdUp && c.conf {
				hear(s, third)
				hear(third, s)
			}
		}
	}
	return m.sorted()
}

// sorted orders each hearing list so mixes compare and print stably.
func (m Mix) sorted() Mix {
	for _, k := range slices.Collect(maps.Keys(m.Hears)) {
		slices.Sort(m.Hears[k])
	}
	return m
}
