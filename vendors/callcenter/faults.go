package callcenter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// FaultKind names a fault knob.
type FaultKind string

// The knobs, in the spirit of database/sql's fakedb: each makes the center
// misbehave in one way a real platform does.
const (
	FaultDelay       FaultKind = "delay"        // hold responses to a method (all when Method is "") for For
	FaultDrop        FaultKind = "drop"         // close connections now, then ignore requests for Silence
	FaultRestart     FaultKind = "restart"      // stop the front-ends and start them on the same ports (registrations lost)
	FaultRefuseLogin FaultKind = "refuse_login" // answer sign-ins with Status (403 default) Count times (0: until cleared)
	FaultKick        FaultKind = "kick"         // sign the agent out as "logged in elsewhere"
	FaultExpireToken FaultKind = "expire_token" // expire the agent's token (SIP: every digest nonce goes stale)
	FaultMalformed   FaultKind = "malformed"    // send the agent's endpoint a malformed message
	FaultSlowAnswer  FaultKind = "slow_answer"  // simulated callees answer outbound calls Delay later
)

// Fault is one knob setting. Delay, RefuseLogin and SlowAnswer stay until
// cleared; the others happen once when set.
type Fault interface {
	Kind() FaultKind
	validate() error
}

// Delay holds a front-end's responses.
type Delay struct {
	Method string   `json:"method,omitempty"` // SIP method or platform request; "" = every request
	For    Duration `json:"for"`
}

// Drop closes the front-ends' connections (of Agent, or all) and ignores
// requests for Silence afterwards (so UDP clients time out too).
type Drop struct {
	Agent   string   `json:"agent,omitempty"`
	Silence Duration `json:"silence,omitempty"`
}

// Restart stops the front-ends and starts them again on the same ports
// after Downtime; registrations and sessions are lost.
type Restart struct {
	Downtime Duration `json:"downtime,omitempty"`
}

// RefuseLogin refuses sign-ins of Agent ("" = everyone).
type RefuseLogin struct {
	Agent  string `json:"agent,omitempty"`
	Status int    `json:"status,omitempty"` // 401 (wrong password) or 403 (forbidden, default)
	Count  int    `json:"count,omitempty"`  // refusals before it clears itself; 0 = until cleared
}

// Kick signs an agent out as "logged in elsewhere".
type Kick struct {
	Agent  string `json:"agent"`
	Reason string `json:"reason,omitempty"`
}

// ExpireToken expires an agent's token or session ("" = everyone's).
type ExpireToken struct {
	Agent string `json:"agent,omitempty"`
}

// Malformed sends the agent's endpoint a broken message. What is
// "garbage" (bytes that are not SIP), "bad_sdp" (an INVITE whose SDP cannot
// be parsed) or "bad_header" (a request with a broken header).
type Malformed struct {
	Agent string `json:"agent"`
	What  string `json:"what,omitempty"`
}

// SlowAnswer makes simulated callees ring Delay longer before answering.
type SlowAnswer struct {
	Delay Duration `json:"delay"`
}

// Kind implements Fault.
func (Delay) Kind() FaultKind       { return FaultDelay }
func (Drop) Kind() FaultKind        { return FaultDrop }
func (Restart) Kind() FaultKind     { return FaultRestart }
func (RefuseLogin) Kind() FaultKind { return FaultRefuseLogin }
func (Kick) Kind() FaultKind        { return FaultKick }
func (ExpireToken) Kind() FaultKind { return FaultExpireToken }
func (Malformed) Kind() FaultKind   { return FaultMalformed }
func (SlowAnswer) Kind() FaultKind  { return FaultSlowAnswer }

const maxFaultDuration = time.Hour

func checkDuration(name string, d Duration) error {
	if d < 0 || d.D() > maxFaultDuration {
		return fmt.Errorf("%w: %s %v must be between 0 and 1h", ErrInvalidFault, name, d.D())
	}
	return nil
}

func (f Delay) validate() error {
	if f.For <= 0 {
		return fmt.Errorf("%w: delay needs for > 0", ErrInvalidFault)
	}
	return checkDuration("for", f.For)
}
func (f Drop) validate() error    { return checkDuration("silence", f.Silence) }
func (f Restart) validate() error { return checkDuration("downtime", f.Downtime) }
func (f RefuseLogin) validate() error {
	if f.Status != 0 && (f.Status < 400 || f.Status > 699) || f.Count < 0 {
		return fmt.Errorf("%w: refuse_login status %d / count %d", ErrInvalidFault, f.Status, f.Count)
	}
	return nil
}
func (f Kick) validate() error {
	if f.Agent == "" {
		return fmt.Errorf("%w: kick needs an agent", ErrInvalidFault)
	}
	return nil
}
func (ExpireToken) validate() error { return nil }
func (f Malformed) validate() error {
	switch f.What {
	case "", "garbage", "bad_sdp", "bad_header":
	default:
		return fmt.Errorf("%w: malformed what=%q (garbage, bad_sdp, bad_header)", ErrInvalidFault, f.What)
	}
	if f.Agent == "" {
		return fmt.Errorf("%w: malformed needs an agent", ErrInvalidFault)
	}
	return nil
}
func (f SlowAnswer) validate() error { return checkDuration("delay", f.Delay) }

// DecodeFault reads a knob from the admin endpoint's JSON: its kind and its
// arguments object. Unknown kinds and unknown argument fields are errors.
func DecodeFault(kind string, args json.RawMessage) (Fault, error) {
	var f Fault
	switch FaultKind(kind) {
	case FaultDelay:
		f = &Delay{}
	case FaultDrop:
		f = &Drop{}
	case FaultRestart:
		f = &Restart{}
	case FaultRefuseLogin:
		f = &RefuseLogin{}
	case FaultKick:
		f = &Kick{}
	case FaultExpireToken:
		f = &ExpireToken{}
	case FaultMalformed:
		f = &Malformed{}
	case FaultSlowAnswer:
		f = &SlowAnswer{}
	default:
		return nil, fmt.Errorf("%w: unknown kind %q (known: %s)", ErrInvalidFault, kind, strings.Join(faultKinds(), ", "))
	}
	if len(bytes.TrimSpace(args)) > 0 && !bytes.Equal(bytes.TrimSpace(args), []byte("null")) {
		dec := json.NewDecoder(bytes.NewReader(args))
		dec.DisallowUnknownFields()
		if err := dec.Decode(f); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalidFault, kind, err)
		}
	}
	// Hand back the value, not the pointer: knobs are compared and stored by value.
	var v Fault
	switch x := f.(type) {
	case *Delay:
		v = *x
	case *Drop:
		v = *x
	case *Restart:
		v = *x
	case *RefuseLogin:
		v = *x
	case *Kick:
		v = *x
	case *ExpireToken:
		v = *x
	case *Malformed:
		v = *x
	case *SlowAnswer:
		v = *x
	}
	if err := v.validate(); err != nil {
		return nil, err
	}
	return v, nil
}

func faultKinds() []string {
	return []string{string(FaultDelay), string(FaultDrop), string(FaultRestart), string(FaultRefuseLogin),
		string(FaultKick), string(FaultExpireToken), string(FaultMalformed), string(FaultSlowAnswer)}
}

// Faults holds the knobs. Persistent knobs are read by the center and the
// front-ends; one-shot knobs go out as FaultInjected events.
type Faults struct {
	cc *Center

	mu     sync.Mutex
	delay  map[string]time.Duration // by method, "" = all
	refuse map[string]*RefuseLogin  // by agent, "" = all
	slow   time.Duration
}

// Set turns a knob. One-shot faults happen now.
func (f *Faults) Set(ft Fault) error {
	if ft == nil {
		return fmt.Errorf("%w: nil", ErrInvalidFault)
	}
	if err := ft.validate(); err != nil {
		return err
	}
	switch x := ft.(type) {
	case Delay:
		f.mu.Lock()
		f.delay[strings.ToUpper(x.Method)] = x.For.D()
		f.mu.Unlock()
	case RefuseLogin:
		if x.Status == 0 {
			x.Status = 403
		}
		f.mu.Lock()
		f.refuse[x.Agent] = &x
		f.mu.Unlock()
	case SlowAnswer:
		f.mu.Lock()
		f.slow = x.Delay.D()
		f.mu.Unlock()
	case Kick:
		return f.cc.Kick(x.Agent, x.Reason)
	default:
		f.cc.mu.Lock()
		defer f.cc.mu.Unlock()
		if f.cc.closed {
			return ErrClosed
		}
		f.cc.emit(FaultInjected{Fault: ft})
	}
	return nil
}

// Clear turns a persistent knob off ("" = all of them).
func (f *Faults) Clear(kind FaultKind) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if kind == "" || kind == FaultDelay {
		clear(f.delay)
	}
	if kind == "" || kind == FaultRefuseLogin {
		clear(f.refuse)
	}
	if kind == "" || kind == FaultSlowAnswer {
		f.slow = 0
	}
}

// Delay is how long to hold a response to method.
func (f *Faults) Delay(method string) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := f.delay[strings.ToUpper(method)]; ok {
		return d
	}
	return f.delay[""]
}

// SlowAnswer is the extra ring time of simulated callees.
func (f *Faults) SlowAnswer() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.slow
}

// takeRefusal consumes one refusal for agent, if a knob says so.
func (f *Faults) takeRefusal(agent string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, key := range []string{agent, ""} {
		r, ok := f.refuse[key]
		if !ok {
			continue
		}
		if r.Count > 0 {
			r.Count--
			if r.Count == 0 {
				delete(f.refuse, key)
			}
		}
		return r.Status, true
	}
	return 0, false
}

// Active lists the persistent knobs that are on.
func (f *Faults) Active() []Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Fault
	for _, m := range slices.Sorted(maps.Keys(f.delay)) {
		out = append(out, Delay{Method: m, For: Duration(f.delay[m])})
	}
	for _, a := range slices.Sorted(maps.Keys(f.refuse)) {
		out = append(out, *f.refuse[a])
	}
	if f.slow > 0 {
		out = append(out, SlowAnswer{Delay: Duration(f.slow)})
	}
	return out
}
