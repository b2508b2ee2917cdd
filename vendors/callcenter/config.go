package callcenter

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config is a whole center: its tenants and their agents, queues, IVR flows
// and numbers, and how customers arrive.
type Config struct {
	// Seed makes every random choice (arrivals, customers, talk times)
	// repeatable.
	Seed uint64
	// Clock is the center's time; RealClock when nil.
	Clock  Clock
	Logger *slog.Logger

	Tenants   []TenantConfig
	Agents    []AgentConfig
	Queues    []QueueConfig
	IVRs      []IVRConfig
	Trunks    []TrunkConfig
	CallerIDs []CallerIDConfig
	// Pools are named sets of caller-ID numbers; an outbound call with caller
	// ID "pool:NAME" takes the next number of the pool, round robin.
	Pools        map[string][]string
	BreakReasons []BreakReason
	Arrivals     Arrivals

	// OutboundAnswerAfter is how long a simulated customer rings before
	// answering an outbound call (2 s when zero).
	OutboundAnswerAfter time.Duration
	// Outbound lists customers with special behaviour as callees (busy, no
	// answer, a script), by number. Any other number is answered by a
	// customer who talks until the agent hangs up.
	Outbound []Customer
	// InternalRingTimeout bounds agent-to-agent calls, consults and transfers
	// to an agent (30 s when zero).
	InternalRingTimeout time.Duration
	// LoginState is the state an agent gets when its endpoint signs in:
	// StateReady unless set.
	LoginState *AgentState
	// KickHoldOff is how long a kicked agent's sign-ins are refused with
	// "logged in elsewhere" (10 s when zero; negative: not at all).
	KickHoldOff time.Duration
	// MaxCDRs keeps the newest records (10000 when zero).
	MaxCDRs int
}

// TenantConfig is one customer organisation of the center.
type TenantConfig struct {
	ID   string
	Name string
}

// QueueConfig is one queue (skill group).
type QueueConfig struct {
	Name   string // also the id: "售前咨询"
	Number string // an internal number agents can dial or transfer to ("9001"), optional
	Tenant string
	// Skill an agent needs to be offered this queue's calls; "" = any agent.
	Skill string
	// RingTimeout is how long an offered agent rings before the call goes
	// back to the queue and the agent is set busy (15 s when zero).
	RingTimeout time.Duration
	// MaxWait sends a waiting call to Overflow; 0 waits for ever.
	MaxWait time.Duration
	// Overflow is the queue that takes calls that waited MaxWait; "" ends
	// them (result overflow).
	Overflow string
	// WrapUp is the after-call work time of the queue's agents; 0 = none.
	WrapUp time.Duration
	// Survey sends the customer to the satisfaction survey when the agent
	// hangs up.
	Survey bool
}

// TrunkConfig is a number customers call, and where it leads.
type TrunkConfig struct {
	Number string // "4008001234"
	Tenant string
	Label  string
	// Route is "ivr:NAME" or "queue:NAME".
	Route string
}

// CallerIDConfig is a number agents may show on outbound calls.
type CallerIDConfig struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Label  string `json:"label,omitempty"`
}

// Arrivals is the random customer traffic.
type Arrivals struct {
	// PerMinute is the mean arrival rate of a Poisson process; 0 = none.
	PerMinute float64
	// Trunk they call; "" = the first trunk.
	Trunk string
	// MeanPatience and MeanTalk shape the customers (exponential, 60 s and
	// 45 s when zero).
	MeanPatience, MeanTalk time.Duration
	// Speech gives customers Chinese sentences to speak (espeak-ng) besides
	// their tone.
	Speech bool
	// Scripted arrivals happen at fixed offsets after Start.
	Scripted []ScriptedArrival
	// FirstAfter, when set, is the wait for the first random arrival
	// instead of a drawn one: a new demo user should not wait a minute
	// for the first call.
	FirstAfter time.Duration
}

// ScriptedArrival is one customer calling at a fixed time.
type ScriptedArrival struct {
	After    time.Duration
	Trunk    string
	Customer Customer
}

// Defaults applied by New.
const (
	defaultRingTimeout         = 15 * time.Second
	defaultInternalRingTimeout = 30 * time.Second
	defaultOutboundAnswerAfter = 2 * time.Second
	defaultKickHoldOff         = 10 * time.Second
	defaultMaxCDRs             = 10000
	defaultMeanPatience        = 60 * time.Second
	defaultMeanTalk            = 45 * time.Second
)

// Route kinds of a trunk.
const (
	routeIVR   = "ivr"
	routeQueue = "queue"
)

func parseRoute(r string) (kind, name string, err error) {
	kind, name, ok := strings.Cut(r, ":")
	if !ok || name == "" || (kind != routeIVR && kind != routeQueue) {
		return "", "", fmt.Errorf("%w: route %q must be ivr:NAME or queue:NAME", ErrInvalidConfig, r)
	}
	return kind, name, nil
}
