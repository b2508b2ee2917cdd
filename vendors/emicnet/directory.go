package emicnet

import (
	"context"
	"fmt"

	"agentbar/core"
)

// Targets lists transfer destinations: the members of every skill group
// (getGroups, then searchEpMembers page by page), each as "gid/extension"
// so that transferPBXCall gets both. Only agents: the platform transfers
// to a group member.
func (a *Adapter) Targets(ctx context.Context, kind core.TargetKind) ([]core.Target, error) {
	if kind != core.TargetAgent {
		return nil, fmt.Errorf("%w: Emicnet transfers to group members only", core.ErrNotSupported)
	}
	groups, err := a.groups(ctx)
	if err != nil {
		return nil, err
	}
	var out []core.Target
	for _, g := range groups {
		ms, err := a.groupMembers(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if string(m.Number) != a.acct.un {
				out = append(out, memberTarget(g, m))
			}
		}
	}
	return out, nil
}
