package demokit

// Notice is a sentence for the agent that is not a failure (the demo
// banner): core.NoticeUpdate takes its sentence from an error value.
type Notice struct{ ZH, EN string }

func (n *Notice) Error() string { return n.EN }

// Sentence implements core.Sentencer.
func (n *Notice) Sentence(lang string) string {
	if lang == "en" {
		return n.EN
	}
	return n.ZH
}
