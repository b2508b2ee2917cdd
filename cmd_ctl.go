package main

import (
	"context"
	"io"

	"agentbar/core/config"
	"agentbar/core/control"
)

// runCtl drives a running agentbar through its control API.
func runCtl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lang string) int {
	paths, err := config.DefaultPaths()
	if err != nil {
		return fail(stderr, lang, err)
	}
	return control.RunCtlIO(ctx, args, paths.ConfigDir, stdin, stdout, stderr, lang)
}

// runHandoff hands a number or link to the running instance.
func runHandoff(ctx context.Context, target string, stderr io.Writer, lang string) int {
	paths, err := config.DefaultPaths()
	if err != nil {
		return fail(stderr, lang, err)
	}
	return control.RunHandoff(ctx, target, paths.ConfigDir, io.Discard, stderr, lang)
}
