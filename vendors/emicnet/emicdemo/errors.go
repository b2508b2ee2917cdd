package emicdemo

// notice is a sentence for the agent in both languages.
type notice struct{ zh, en string }

func (n *notice) Error() string { return n.en }

// Sentence implements core.Sentencer.
func (n *notice) Sentence(lang string) string {
	if lang == "en" {
		return n.en
	}
	return n.zh
}
