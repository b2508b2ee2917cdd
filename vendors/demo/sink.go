package demo

import "agentbar/core"

// filterSink passes the plain SIP adapter's updates on, except what the
// demo reports itself from the center: the agent state (the SIP adapter
// only knows its local do-not-disturb) and who the agent is.
type filterSink struct {
	a    *Adapter
	next core.Sink
}

func (s filterSink) Report(u core.Update) {
	switch u.(type) {
	case core.AgentStateUpdate, core.SessionUpdate:
		return
	}
	s.next.Report(u)
}
