package callcenter

import (
	"cmp"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Center is the simulated contact center. Every method is safe for
// concurrent use: one mutex guards the whole model (it is small and every
// change is short), timers re-enter through it, and events leave in order
// through subscriptions that never block it.
type Center struct {
	cfg   Config
	clock Clock
	log   *slog.Logger

	faults *Faults

	mu       sync.Mutex
	closed   bool
	started  bool
	rng      *rand.Rand
	tenants  []TenantConfig
	agents   map[string]*agent
	queues   map[string]*QueueConfig
	qNumbers map[string]string // internal number → queue
	ivrs     map[string]*IVRConfig
	trunks   map[string]TrunkConfig
	trunkOrd []string
	outbound map[string]Customer
	pools    map[string]int // next index per pool
	breaks   []BreakReason
	calls    map[CallID]*call
	cdrs     []CDR
	seq      uint64
	subs     []*Subscription
	arrival  timerSlot
	arrived  bool // the first random arrival has happened (Arrivals.FirstAfter)
	scripted []*timerSlot
	rate     float64 // arrivals per minute
	located  map[string]string
}

// New builds a center from cfg. Start begins the arrivals.
func New(cfg Config) (*Center, error) {
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.BreakReasons) == 0 {
		cfg.BreakReasons = DefaultBreakReasons()
	}
	if cfg.OutboundAnswerAfter == 0 {
		cfg.OutboundAnswerAfter = defaultOutboundAnswerAfter
	}
	if cfg.InternalRingTimeout <= 0 {
		cfg.InternalRingTimeout = defaultInternalRingTimeout
	}
	if cfg.KickHoldOff == 0 {
		cfg.KickHoldOff = defaultKickHoldOff
	}
	if cfg.MaxCDRs <= 0 {
		cfg.MaxCDRs = defaultMaxCDRs
	}
	if cfg.Arrivals.MeanPatience <= 0 {
		cfg.Arrivals.MeanPatience = defaultMeanPatience
	}
	if cfg.Arrivals.MeanTalk <= 0 {
		cfg.Arrivals.MeanTalk = defaultMeanTalk
	}
	if len(cfg.Tenants) == 0 {
		cfg.Tenants = []TenantConfig{{ID: "default", Name: "默认租户"}}
	}
	cc := &Center{
		cfg: cfg, clock: cfg.Clock, log: cfg.Logger,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		tenants:  slices.Clone(cfg.Tenants),
		agents:   map[string]*agent{},
		queues:   map[string]*QueueConfig{},
		qNumbers: map[string]string{},
		ivrs:     map[string]*IVRConfig{},
		trunks:   map[string]TrunkConfig{},
		outbound: map[string]Customer{},
		pools:    map[string]int{},
		breaks:   slices.Clone(cfg.BreakReasons),
		calls:    map[CallID]*call{},
		rate:     cfg.Arrivals.PerMinute,
		located:  map[string]string{},
	}
	cc.faults = &Faults{cc: cc, delay: map[string]time.Duration{}, refuse: map[string]*RefuseLogin{}}
	if err := cc.load(); err != nil {
		return nil, err
	}
	return cc, nil
}

// load checks the configuration and builds the live records.
func (cc *Center) load() error {
	tenants := map[string]bool{}
	for _, t := range cc.tenants {
		if t.ID == "" || tenants[t.ID] {
			return fmt.Errorf("%w: empty or duplicate tenant id %q", ErrInvalidConfig, t.ID)
		}
		tenants[t.ID] = true
	}
	tenantOf := func(t string) (string, error) {
		if t == "" {
			return cc.tenants[0].ID, nil
		}
		if !tenants[t] {
			return "", fmt.Errorf("%w: unknown tenant %q", ErrInvalidConfig, t)
		}
		return t, nil
	}
	now := cc.clock.Now()
	for _, a := range cc.cfg.Agents {
		if a.ID == "" || cc.agents[a.ID] != nil {
			return fmt.Errorf("%w: empty or duplicate agent id %q", ErrInvalidConfig, a.ID)
		}
		t, err := tenantOf(a.Tenant)
		if err != nil {
			return err
		}
		a.Tenant = t
		a.Skills = slices.Clone(a.Skills)
		cc.agents[a.ID] = &agent{AgentConfig: a, state: StateOffline, stateSince: now, device: Device{Kind: DeviceFront}}
	}
	for i := range cc.cfg.Queues {
		q := cc.cfg.Queues[i]
		if q.Name == "" || cc.queues[q.Name] != nil {
			return fmt.Errorf("%w: empty or duplicate queue %q", ErrInvalidConfig, q.Name)
		}
		t, err := tenantOf(q.Tenant)
		if err != nil {
			return err
		}
		q.Tenant = t
		if q.RingTimeout <= 0 {
			q.RingTimeout = defaultRingTimeout
		}
		if q.Number != "" {
			if cc.agents[q.Number] != nil || cc.qNumbers[q.Number] != "" {
				return fmt.Errorf("%w: queue number %s is taken", ErrInvalidConfig, q.Number)
			}
			cc.qNumbers[q.Number] = q.Name
		}
		cc.queues[q.Name] = &q
	}
	for _, q := range cc.queues {
		if q.Overflow != "" && cc.queues[q.Overflow] == nil {
			return fmt.Errorf("%w: queue %s overflows to unknown queue %q", ErrInvalidConfig, q.Name, q.Overflow)
		}
	}
	for i := range cc.cfg.IVRs {
		f := cc.cfg.IVRs[i]
		t, err := tenantOf(f.Tenant)
		if err != nil {
			return err
		}
		f.Tenant = t
		if err := cc.checkIVR(&f); err != nil {
			return err
		}
		cc.ivrs[f.Name] = &f
	}
	for _, tr := range cc.cfg.Trunks {
		if tr.Number == "" || cc.trunks[tr.Number].Number != "" {
			return fmt.Errorf("%w: empty or duplicate trunk %q", ErrInvalidConfig, tr.Number)
		}
		t, err := tenantOf(tr.Tenant)
		if err != nil {
			return err
		}
		tr.Tenant = t
		kind, name, err := parseRoute(tr.Route)
		if err != nil {
			return err
		}
		if kind == routeIVR && cc.ivrs[name] == nil || kind == routeQueue && cc.queues[name] == nil {
			return fmt.Errorf("%w: trunk %s routes to unknown %s %q", ErrInvalidConfig, tr.Number, kind, name)
		}
		cc.trunks[tr.Number] = tr
		cc.trunkOrd = append(cc.trunkOrd, tr.Number)
	}
	for _, c := range cc.cfg.Outbound {
		if err := c.validate(); err != nil {
			return fmt.Errorf("%w: outbound customer: %w", ErrInvalidConfig, err)
		}
		cc.outbound[c.Number] = c
	}
	for _, s := range cc.cfg.Arrivals.Scripted {
		if err := s.Customer.validate(); err != nil {
			return fmt.Errorf("%w: scripted arrival: %w", ErrInvalidConfig, err)
		}
	}
	return nil
}

func (cc *Center) checkIVR(f *IVRConfig) error {
	if f.Name == "" || cc.ivrs[f.Name] != nil {
		return fmt.Errorf("%w: empty or duplicate IVR %q", ErrInvalidConfig, f.Name)
	}
	ids := map[string]IVRNode{}
	for _, n := range f.Nodes {
		if n.ID == "" || ids[n.ID].ID != "" {
			return fmt.Errorf("%w: IVR %s: empty or duplicate node %q", ErrInvalidConfig, f.Name, n.ID)
		}
		ids[n.ID] = n
	}
	if _, ok := ids[f.Start]; !ok {
		return fmt.Errorf("%w: IVR %s starts at unknown node %q", ErrInvalidConfig, f.Name, f.Start)
	}
	for _, n := range f.Nodes {
		targets := []string{n.Next, n.Default}
		for _, t := range n.Options {
			targets = append(targets, t)
		}
		for _, t := range targets {
			if _, ok := ids[t]; t != "" && !ok {
				return fmt.Errorf("%w: IVR %s node %s leads to unknown node %q", ErrInvalidConfig, f.Name, n.ID, t)
			}
		}
		switch n.Kind {
		case NodeQueue:
			if cc.queues[n.Queue] == nil {
				return fmt.Errorf("%w: IVR %s node %s: unknown queue %q", ErrInvalidConfig, f.Name, n.ID, n.Queue)
			}
		case NodePrompt, NodeMenu, NodeSurvey, NodeHangUp:
		default:
			return fmt.Errorf("%w: IVR %s node %s: unknown kind %q", ErrInvalidConfig, f.Name, n.ID, n.Kind)
		}
	}
	return nil
}

// Start begins the customer arrivals (random and scripted).
func (cc *Center) Start() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.started || cc.closed {
		return
	}
	cc.started = true
	cc.scheduleArrival()
	for _, s := range cc.cfg.Arrivals.Scripted {
		slot := &timerSlot{}
		cc.scripted = append(cc.scripted, slot)
		cc.schedule(slot, s.After, func() {
			if _, err := cc.customerCallLocked(s.Customer, s.Trunk); err != nil {
				cc.log.Warn("callcenter: scripted arrival", "err", err)
			}
		})
	}
}

// Close ends every call (result interrupted), stops the timers and closes
// every subscription.
func (cc *Center) Close() {
	cc.mu.Lock()
	if cc.closed {
		cc.mu.Unlock()
		return
	}
	now := cc.clock.Now()
	for _, c := range cc.sortedCalls() {
		cc.endCall(c, ResultInterrupted, RoleSystem, "center closed", 0, now)
	}
	cc.closed = true
	cc.arrival.stop()
	for _, s := range cc.scripted {
		s.stop()
	}
	for _, a := range cc.agents {
		a.wrapTimer.stop()
	}
	subs := cc.subs
	cc.subs = nil
	cc.mu.Unlock()
	for _, s := range subs {
		s.Close()
	}
}

// Clock returns the center's clock.
func (cc *Center) Clock() Clock { return cc.clock }

// Faults returns the fault knobs.
func (cc *Center) Faults() *Faults { return cc.faults }

// Subscribe returns a new ordered stream of events. Close it when done.
func (cc *Center) Subscribe() *Subscription {
	s := newSubscription()
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.closed {
		s.Close()
		return s
	}
	cc.subs = append(cc.subs, s)
	return s
}

// emit hands an event to every subscriber. Caller holds cc.mu.
func (cc *Center) emit(ev Event) {
	for _, s := range cc.subs {
		s.push(ev)
	}
}

// newCallID numbers calls in order: deterministic with a seed.
func (cc *Center) newCallID() CallID {
	cc.seq++
	return CallID(fmt.Sprintf("cc-%06d", cc.seq))
}

// sortedCalls lists live calls by id. Caller holds cc.mu.
func (cc *Center) sortedCalls() []*call {
	out := slices.Collect(maps.Values(cc.calls))
	slices.SortFunc(out, func(a, b *call) int { return cmp.Compare(a.id, b.id) })
	return out
}

// Call returns a snapshot of a live call.
func (cc *Center) Call(id CallID) (CallInfo, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, ok := cc.calls[id]
	if !ok {
		return CallInfo{}, false
	}
	return c.info(), true
}

// Calls lists the live calls, oldest first.
func (cc *Center) Calls() []CallInfo {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var out []CallInfo
	for _, c := range cc.sortedCalls() {
		out = append(out, c.info())
	}
	return out
}

// CallOf returns the live call an agent is in.
func (cc *Center) CallOf(agentID string) (CallInfo, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	a, ok := cc.agents[agentID]
	if !ok || a.call == "" {
		return CallInfo{}, false
	}
	c, ok := cc.calls[a.call]
	if !ok {
		return CallInfo{}, false
	}
	return c.info(), true
}

// Mix returns who hears whom in a live call.
func (cc *Center) Mix(id CallID) (Mix, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, ok := cc.calls[id]
	if !ok {
		return Mix{}, false
	}
	return c.mix.clone(), true
}

// CDRs returns the records of finished calls, oldest first.
func (cc *Center) CDRs() []CDR {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return slices.Clone(cc.cdrs)
}

// BreakReasons lists the reasons an agent may take a break for.
func (cc *Center) BreakReasons() []BreakReason {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return slices.Clone(cc.breaks)
}

// Queues lists the queue names, sorted.
func (cc *Center) Queues() []QueueConfig {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var out []QueueConfig
	for _, name := range slices.Sorted(maps.Keys(cc.queues)) {
		out = append(out, *cc.queues[name])
	}
	return out
}

// Trunks lists the numbers customers call, in configuration order.
func (cc *Center) Trunks() []TrunkConfig {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var out []TrunkConfig
	for _, n := range cc.trunkOrd {
		out = append(out, cc.trunks[n])
	}
	return out
}

// CallerIDs lists the numbers agents may show on outbound calls.
func (cc *Center) CallerIDs() []CallerIDConfig { return slices.Clone(cc.cfg.CallerIDs) }

// announceMix recomputes the call's mix and tells the front-ends when it
// changed. Caller holds cc.mu.
func (cc *Center) announceMix(c *call) {
	m := c.hearing()
	if mixEqual(m, c.mix) {
		return
	}
	c.mix = m
	cc.emit(MixChanged{Call: c.id, Mix: m.clone()})
}

func mixEqual(a, b Mix) bool {
	if a.System != b.System || len(a.Parties) != len(b.Parties) || len(a.Hears) != len(b.Hears) {
		return false
	}
	if !slices.Equal(a.Parties, b.Parties) {
		return false
	}
	for k, v := range a.Hears {
		w, ok := b.Hears[k]
		if !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}
