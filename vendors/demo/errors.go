package demo

import "errors"

// ErrNotStarted: a command before Login or after Logout.
var ErrNotStarted = errors.New("demo: the demo call center is not running")

// notice is a sentence for the agent that is not a failure (the demo
// banner); NoticeUpdate takes its sentence from an error value.
type notice struct{ zh, en string }

func (n *notice) Error() string { return "demo: " + n.en }

// Sentence implements core.Sentencer.
func (n *notice) Sentence(lang string) string {
	if lang == "en" {
		return n.en
	}
	return n.zh
}
