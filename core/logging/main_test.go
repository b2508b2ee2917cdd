package logging

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// lumberjack's rotation goroutine outlives Close by design (see doc.go).
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction(RotatorGoroutine))
}
