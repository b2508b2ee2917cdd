//go:build !linux

package gui

// onMainThread cannot be told cheaply here; the check it serves (see
// Options.mainThread) is skipped.
func onMainThread() bool { return true }
