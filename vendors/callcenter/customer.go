package callcenter

import (
	"fmt"
	"strings"
	"time"
)

// Voice is how a simulated party sounds. The media front-ends turn it into
// audio: a steady tone at ToneHz (tests measure it), or Text spoken by
// espeak-ng when that program exists, falling back to the tone.
type Voice struct {
	ToneHz float64 `json:"tone_hz,omitempty"`
	Text   string  `json:"text,omitempty"`
}

// StepKind is what a customer does in one step of a script.
type StepKind string

// Script steps.
const (
	StepSay    StepKind = "say"    // speak (Voice, or Text for this step) for For
	StepPause  StepKind = "pause"  // stay silent for For
	StepPress  StepKind = "press"  // press Digits (DTMF to the agent)
	StepHangUp StepKind = "hangup" // hang up
)

// Step is one action of a customer once connected to an agent.
type Step struct {
	Kind   StepKind `json:"kind"`
	For    Duration `json:"for,omitempty"`
	Text   string   `json:"text,omitempty"`
	Digits string   `json:"digits,omitempty"`
}

// Customer is a simulated caller (inbound) or callee (outbound).
type Customer struct {
	Number string `json:"number"`
	Name   string `json:"name,omitempty"`
	// Patience is how long the customer waits in a queue before hanging up
	// (abandoned); 0 waits for ever.
	Patience Duration `json:"patience,omitempty"`
	Voice    Voice    `json:"voice"`
	// Digits are pressed, one per menu, at the IVR's menus in order.
	Digits string `json:"digits,omitempty"`
	// Score is the digit pressed at a satisfaction survey; "" does not answer.
	Score string `json:"score,omitempty"`
	// Script runs once an agent answers; without a hangup step the customer
	// stays on the line, silent after the last step, until the agent hangs up.
	Script []Step `json:"script,omitempty"`
	// As the callee of an outbound call: ring this long before answering;
	// negative never answers (no answer). Busy answers 486.
	AnswerAfter Duration `json:"answer_after,omitempty"`
	Busy        bool     `json:"busy,omitempty"`
}

// validate checks a customer that comes from outside (admin, config).
func (c Customer) validate() error {
	if c.Number == "" || len(c.Number) > 32 || strings.Trim(c.Number, "+0123456789") != "" {
		return fmt.Errorf("%w: number %q must be digits (optionally a leading +)", ErrInvalidScript, c.Number)
	}
	if c.Voice.ToneHz < 0 || c.Voice.ToneHz > 3900 {
		return fmt.Errorf("%w: tone %v Hz outside 0-3900", ErrInvalidScript, c.Voice.ToneHz)
	}
	if strings.Trim(c.Digits, "0123456789*#") != "" || strings.Trim(c.Score, "0123456789") != "" || len(c.Score) > 1 {
		return fmt.Errorf("%w: digits %q / score %q", ErrInvalidScript, c.Digits, c.Score)
	}
	if len(c.Script) > 1000 {
		return fmt.Errorf("%w: %d steps is too many", ErrInvalidScript, len(c.Script))
	}
	for i, s := range c.Script {
		switch s.Kind {
		case StepSay, StepPause:
			if s.For.D() <= 0 || s.For.D() > time.Hour {
				return fmt.Errorf("%w: step %d (%s) needs 0 < for <= 1h", ErrInvalidScript, i, s.Kind)
			}
		case StepPress:
			if s.Digits == "" || strings.Trim(s.Digits, "0123456789*#ABCD") != "" {
				return fmt.Errorf("%w: step %d presses %q", ErrInvalidScript, i, s.Digits)
			}
		case StepHangUp:
		default:
			return fmt.Errorf("%w: step %d has unknown kind %q", ErrInvalidScript, i, s.Kind)
		}
	}
	return nil
}
