package gui

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain runs the tests with a goroutine-leak check, or, when the window
// integration test re-executes this binary, the real app (childMain): the
// GUI must own the main goroutine, which only TestMain has.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	// IgnoreCurrent: fyne's GLFW driver starts its main-thread queue at init.
	goleak.VerifyTestMain(m, goleak.IgnoreCurrent())
}
