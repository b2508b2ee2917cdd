package control

import (
	"context"
	"io"
	"net/http"
)

// RunHandoff runs `agentbar dial NUMBER`, `agentbar tel:NUMBER` and
// `agentbar sip:URI`: it hands the target to the running instance, which
// dials it. Exit statuses are RunCtl's; a failure prints one sentence in
// lang on stderr. stdout is unused: links are opened by browsers, not
// people at a terminal.
func RunHandoff(ctx context.Context, target string, dir string, stdout, stderr io.Writer, lang string) int {
	lang = normLang(lang)
	t, err := HandoffTarget(target)
	if err != nil {
		report(stderr, lang, false, err)
		return ExitUsage
	}
	c, err := NewClient(dir)
	if err != nil {
		return report(stderr, lang, false, err)
	}
	defer c.Close()
	if _, err := c.Do(ctx, http.MethodPost, "handoff", handoffRequest{Target: t, Dial: true}); err != nil {
		return report(stderr, lang, false, err)
	}
	return ExitOK
}
