package main

import (
	"context"
	"fmt"
	"io"
)

// runDesktop opens the desktop app.
func runDesktop(ctx context.Context, args []string, stderr io.Writer, lang string) int {
	o, err := parseRunFlags("agentbar", args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	a, srv, code := start(ctx, o, stderr, lang)
	if a == nil {
		return code
	}
	signIn(ctx, a, o, stderr, lang)
	<-ctx.Done()
	return stop(a, srv, stderr, lang)
}
