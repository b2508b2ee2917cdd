package core

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"sort"
)

// Action is something the agent can do to a call. Every action has an
// "allowed now" flag per call (Udesk's CallAuthority is the model): the GUI
// shows only the allowed ones, and the engine refuses the others.
type Action int

// Call actions.
const (
	ActAnswer Action = iota
	ActReject
	ActHangup
	ActHold
	ActResume
	ActMute
	ActUnmute
	ActDTMF
	ActTransferAgent
	ActTransferNumber
	ActTransferQueue
	ActTransferIVR
	ActConsult
	ActConsultTransfer   // complete a consult as a transfer
	ActConsultCancel     // end the consult leg, back to the customer
	ActConsultConference // turn a consult into a three-way call
	ActConference        // three-way call directly
	ActConferenceRetrieve
	ActConferenceTransfer
	ActCallData // tags, notes, user data
	numActions
)

var actionNames = [numActions]string{
	"answer", "reject", "hangup", "hold", "resume", "mute", "unmute", "dtmf",
	"transfer_agent", "transfer_number", "transfer_queue", "transfer_ivr",
	"consult", "consult_transfer", "consult_cancel", "consult_conference",
	"conference", "conference_retrieve", "conference_transfer", "call_data",
}

var actionLabels = [numActions][2]string{
	{"接听", "answer"}, {"拒接", "reject"}, {"挂断", "hang up"}, {"保持", "hold"},
	{"恢复通话", "resume"}, {"静音", "mute"}, {"取消静音", "unmute"}, {"按键", "send digits"},
	{"转坐席", "transfer to an agent"}, {"转外线号码", "transfer to a number"},
	{"转队列", "transfer to a queue"}, {"转IVR", "transfer to the IVR"},
	{"咨询", "consult"}, {"咨询转接", "complete the transfer"}, {"结束咨询", "end the consultation"},
	{"咨询转三方", "join the consultation as a three-way call"}, {"三方通话", "start a three-way call"},
	{"三方后取回", "take the call back from the three-way call"}, {"三方后转接", "leave the three-way call to the others"},
	{"随路数据", "set call data"},
}

func (a Action) String() string {
	if a >= 0 && a < numActions {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// Label is the verb shown to the agent.
func (a Action) Label(lang string) string {
	if a < 0 || a >= numActions {
		return a.String()
	}
	if lang == "en" {
		return actionLabels[a][1]
	}
	return actionLabels[a][0]
}

// ParseAction reads an action's name.
func ParseAction(name string) (Action, error) {
	for i, n := range actionNames {
		if n == name {
			return Action(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown action %q", ErrInvalidArgument, name)
}

// ActionSet is a set of actions.
type ActionSet uint64

// Actions builds a set.
func Actions(as ...Action) ActionSet {
	var s ActionSet
	for _, a := range as {
		s |= 1 << uint(a)
	}
	return s
}

// AllActions is every action the engine knows.
const AllActions ActionSet = 1<<uint(numActions) - 1

// Has reports whether a is in the set.
func (s ActionSet) Has(a Action) bool { return a >= 0 && a < numActions && s&(1<<uint(a)) != 0 }

// With returns the set plus the given actions.
func (s ActionSet) With(as ...Action) ActionSet { return s | Actions(as...) }

// Without returns the set minus the given actions.
func (s ActionSet) Without(as ...Action) ActionSet { return s &^ Actions(as...) }

// Len is the number of actions in the set.
func (s ActionSet) Len() int { return bits.OnesCount64(uint64(s)) }

// List returns the actions in order.
func (s ActionSet) List() []Action {
	var out []Action
	for a := Action(0); a < numActions; a++ {
		if s.Has(a) {
			out = append(out, a)
		}
	}
	return out
}

func (s ActionSet) String() string {
	b, _ := s.MarshalJSON()
	return string(b)
}

// MarshalJSON writes the names, sorted: ["answer","hangup"].
func (s ActionSet) MarshalJSON() ([]byte, error) {
	names := []string{}
	for _, a := range s.List() {
		names = append(names, a.String())
	}
	sort.Strings(names)
	return json.Marshal(names)
}

// UnmarshalJSON reads a list of names.
func (s *ActionSet) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var out ActionSet
	for _, n := range names {
		a, err := ParseAction(n)
		if err != nil {
			return err
		}
		out = out.With(a)
	}
	*s = out
	return nil
}

// stateActions is what a call's state permits on any platform, before the
// platform's capabilities and its own authority flags narrow it.
var stateActions = map[CallState]ActionSet{
	CallDialing:       Actions(ActHangup, ActMute, ActUnmute),
	CallRemoteRinging: Actions(ActHangup, ActMute, ActUnmute, ActDTMF),
	CallRinging:       Actions(ActAnswer, ActReject, ActHangup, ActCallData),
	CallTalking: Actions(ActHangup, ActHold, ActMute, ActUnmute, ActDTMF,
		ActTransferAgent, ActTransferNumber, ActTransferQueue, ActTransferIVR,
		ActConsult, ActConference, ActCallData),
	CallHeld: Actions(ActHangup, ActResume, ActMute, ActUnmute,
		ActTransferAgent, ActTransferNumber, ActTransferQueue, ActTransferIVR,
		ActConsult, ActCallData),
	CallConsulting: Actions(ActHangup, ActMute, ActUnmute, ActDTMF,
		ActConsultTransfer, ActConsultCancel, ActConsultConference, ActCallData),
	CallConference: Actions(ActHangup, ActMute, ActUnmute, ActDTMF,
		ActConferenceRetrieve, ActConferenceTransfer, ActCallData),
}

// AllowedByState returns the actions a call state permits on any platform.
func AllowedByState(s CallState) ActionSet { return stateActions[s] }
