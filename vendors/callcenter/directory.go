package callcenter

import (
	"maps"
	"slices"
)

// IVRInfo is one IVR flow as front-ends list it (Udesk's
// GetIvrNodesAsync, transfer targets "ivr:NAME[/NODE]").
type IVRInfo struct {
	Name   string `json:"name"`
	Tenant string `json:"tenant"`
	Start  string `json:"start"`
	// Numbers are the trunks that lead to the flow, in configuration order.
	Numbers []string      `json:"numbers,omitempty"`
	Nodes   []IVRNodeInfo `json:"nodes"`
}

// IVRNodeInfo is one node of a flow.
type IVRNodeInfo struct {
	ID     string   `json:"id"`
	Kind   NodeKind `json:"kind"`
	Prompt string   `json:"prompt,omitempty"`
	Queue  string   `json:"queue,omitempty"`
}

// PoolInfo is a named set of caller-ID numbers ("pool:NAME").
type PoolInfo struct {
	Name    string   `json:"name"`
	Numbers []string `json:"numbers"`
}

// IVRFlows lists the IVR flows, sorted by name, with their nodes in
// configuration order.
func (cc *Center) IVRFlows() []IVRInfo {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var out []IVRInfo
	for _, name := range slices.Sorted(maps.Keys(cc.ivrs)) {
		f := cc.ivrs[name]
		info := IVRInfo{Name: f.Name, Tenant: f.Tenant, Start: f.Start}
		for _, n := range cc.trunkOrd {
			if kind, flow, _ := parseRoute(cc.trunks[n].Route); kind == routeIVR && flow == name {
				info.Numbers = append(info.Numbers, n)
			}
		}
		for _, n := range f.Nodes {
			info.Nodes = append(info.Nodes, IVRNodeInfo{ID: n.ID, Kind: n.Kind, Prompt: n.Prompt, Queue: n.Queue})
		}
		out = append(out, info)
	}
	return out
}

// Pools lists the caller-ID number pools, sorted by name.
func (cc *Center) Pools() []PoolInfo {
	var out []PoolInfo
	for _, name := range slices.Sorted(maps.Keys(cc.cfg.Pools)) {
		out = append(out, PoolInfo{Name: name, Numbers: slices.Clone(cc.cfg.Pools[name])})
	}
	return out
}
