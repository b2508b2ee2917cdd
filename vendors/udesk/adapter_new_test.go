package udesk

import (
	"testing"

	"agentbar/core"
)

// TestNewRefusalIsNoAdapter: a refused account gives a nil Vendor, not a
// typed nil the engine would call into.
func TestNewRefusalIsNoAdapter(t *testing.T) {
	v, err := New(core.Config{Fields: map[string]string{"phone_mode": "carrier-pigeon"}})
	if err == nil {
		t.Fatal("a bad phone mode was accepted")
	}
	if v != nil {
		t.Errorf("New returned %T alongside its error", v)
	}
}
