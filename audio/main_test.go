package audio

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test in the package must leave no goroutine behind (device
// supervisors, pacers, recorders).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
