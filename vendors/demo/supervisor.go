package demo

import (
	"context"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// GroupAgents lists the supervisor's group.
func (s supervisorAdapter) GroupAgents(ctx context.Context) ([]core.AgentInfo, error) {
	_, cc, _, err := s.parts()
	if err != nil {
		return nil, err
	}
	agents, err := cc.GroupAgents(s.set.Me)
	if err != nil {
		return nil, centerError(err)
	}
	var out []core.AgentInfo
	for _, info := range agents {
		if info.ID != s.set.Me {
			out = append(out, wallEntry(info, cc))
		}
	}
	return out, nil
}

// Monitor listens to, whispers to, barges into or takes over an agent's
// call. The center rings the supervisor's agentbar, which answers by itself.
func (s supervisorAdapter) Monitor(ctx context.Context, agentID string, mode core.MonitorMode) error {
	_, cc, _, err := s.parts()
	if err != nil {
		return err
	}
	return centerError(cc.Monitor(s.set.Me, agentID, callcenter.MonitorMode(mode)))
}
