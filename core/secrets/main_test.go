package secrets

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The real-bus tests run the keyring in a child process of this test
	// binary, because godbus keeps one session-bus connection per process
	// and these tests need a different bus each.
	if mode := os.Getenv(helperModeEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	var opts []goleak.Option
	if os.Getenv(integrationEnv) == "1" {
		// godbus keeps the session bus connection it opened for
		// go-keyring for the life of the process, on purpose.
		opts = append(opts,
			goleak.IgnoreTopFunction("github.com/godbus/dbus/v5.newConn.func1"),
			goleak.IgnoreAnyFunction("github.com/godbus/dbus/v5.(*Conn).inWorker"),
		)
	}
	goleak.VerifyTestMain(m, opts...)
}
