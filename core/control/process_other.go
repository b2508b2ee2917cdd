//go:build !unix

package control

import "os"

// processAlive reports whether pid names a live process.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
