package control

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: a
// server, stream, client or engine that does not stop.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
