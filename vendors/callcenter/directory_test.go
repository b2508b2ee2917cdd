package callcenter

import (
	"reflect"
	"testing"
)

func TestIVRFlowsAndPools(t *testing.T) {
	cfg := testConfig()
	cfg.Pools["empty"] = nil
	cfg.Trunks = append(cfg.Trunks, TrunkConfig{Number: "4009", Route: "ivr:main"})
	h := newHarness(t, cfg)
	flows := h.cc.IVRFlows()
	if len(flows) != 1 {
		t.Fatalf("flows %+v", flows)
	}
	f := flows[0]
	if f.Name != "main" || f.Tenant != "t1" || f.Start != "hello" || !reflect.DeepEqual(f.Numbers, []string{"4000", "4009"}) || len(f.Nodes) != 6 {
		t.Fatalf("flow %+v", f)
	}
	if n := f.Nodes[2]; n != (IVRNodeInfo{ID: "q-sales", Kind: NodeQueue, Queue: "sales"}) {
		t.Fatalf("node %+v", n)
	}
	if n := f.Nodes[0]; n != (IVRNodeInfo{ID: "hello", Kind: NodePrompt, Prompt: "welcome"}) {
		t.Fatalf("node %+v", n)
	}
	pools := h.cc.Pools()
	want := []PoolInfo{{Name: "empty"}, {Name: "p", Numbers: []string{"02500000001", "02500000002"}}}
	if !reflect.DeepEqual(pools, want) {
		t.Fatalf("pools %+v, want %+v", pools, want)
	}
	// The lists are copies.
	pools[1].Numbers[0] = "x"
	if h.cc.Pools()[1].Numbers[0] != "02500000001" {
		t.Fatal("Pools handed out the center's own slice")
	}
}
