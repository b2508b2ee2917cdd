//go:build linux

package gui

import "syscall"

// onMainThread reports whether the caller runs on the process's main
// thread (on Linux its thread id is the process id), where fyne's GLFW
// driver runs the UI.
func onMainThread() bool { return syscall.Gettid() == syscall.Getpid() }
