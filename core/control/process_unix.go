//go:build unix

package control

import (
	"errors"
	"syscall"
)

// processAlive reports whether pid is a live process of this user. A pid
// that now belongs to another user (EPERM) is not the agentbar that wrote
// the endpoint file: agentbar runs as the user who runs ctl.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || !errors.Is(err, syscall.ESRCH) && !errors.Is(err, syscall.EPERM)
}
