package callcenter

import "time"

// NodeKind is what an IVR node does.
type NodeKind string

// IVR node kinds.
const (
	NodePrompt NodeKind = "prompt" // play Prompt for PromptFor, then Next
	NodeMenu   NodeKind = "menu"   // play Prompt, take one digit: Options[digit], else Default
	NodeQueue  NodeKind = "queue"  // enter Queue
	NodeSurvey NodeKind = "survey" // satisfaction: play Prompt, take one digit 1-5 as the score, then hang up
	NodeHangUp NodeKind = "hangup" // play Prompt, then hang up
)

// IVRNode is one step of a flow.
type IVRNode struct {
	ID        string
	Kind      NodeKind
	Prompt    string        // what the caller hears (spoken by espeak-ng where it exists)
	PromptFor time.Duration // how long the prompt lasts (3 s when zero)
	Next      string
	Options   map[string]string
	Default   string
	Queue     string
}

// IVRConfig is one flow.
type IVRConfig struct {
	Name   string
	Tenant string
	Start  string
	Nodes  []IVRNode
}

const defaultPromptFor = 3 * time.Second

func (n IVRNode) promptFor() time.Duration {
	if n.PromptFor > 0 {
		return n.PromptFor
	}
	return defaultPromptFor
}

// SurveyNodeID is the node every center has for the satisfaction survey of
// queues with Survey set, unless a flow declares its own survey node.
const SurveyNodeID = "survey"
