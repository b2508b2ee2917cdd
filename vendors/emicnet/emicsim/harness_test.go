package emicsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"agentbar/audio"
	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/emicnet/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The test enterprise: the seed's switch number and eid on the demo
// center's tenant, its queues as the groups 2033 and 2034.
const (
	testSwitch     = "02566699734"
	testEid        = "65656"
	agentPW        = "agent-pw"
	superPW        = "super-pw"
	salesGid       = "2033" // 售前咨询: 8000, 8001, 8002
	serviceGid     = "2034" // 售后服务: 8000, 8001, 8003
	serviceLine    = "02512345678"
	quietNumber    = "13800000001" // an outside callee speaking outsideHz
	otherSwitch    = "02500000000" // an enterprise without an ops address (50002)
	customerHz     = 400.0
	agentHz        = 1000.0
	supervisorHz   = 1600.0
	outsideHz      = 500.0
	deviceHz       = 1300.0
	colleagueHz    = 900.0
	presentAmp     = 0.05
	absentAmp      = 0.003
	eventTimeout   = 15 * time.Second
	commandTimeout = 5 * time.Second
)

func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("EMICSIM_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
	}
	return slog.New(slog.DiscardHandler)
}

func simConfig() callcenter.Config {
	cfg := callcenter.DemoConfig(agentPW, superPW)
	cfg.Tenants = append(cfg.Tenants, callcenter.TenantConfig{ID: "other", Name: "别的企业"})
	cfg.Arrivals = callcenter.Arrivals{}
	for i := range cfg.Queues {
		cfg.Queues[i].WrapUp, cfg.Queues[i].Survey, cfg.Queues[i].RingTimeout = 0, false, 4*time.Second
	}
	cfg.OutboundAnswerAfter = 300 * time.Millisecond
	cfg.InternalRingTimeout = 3 * time.Second
	cfg.KickHoldOff = -1
	cfg.Outbound = append(cfg.Outbound, callcenter.Customer{Number: quietNumber, Voice: callcenter.Voice{ToneHz: outsideHz}})
	return cfg
}

func simOptions() Options {
	return Options{
		Enterprises: []Enterprise{
			{Switchnumber: testSwitch, Eid: testEid, Tenant: "demo", Name: "演示公司"},
			{Switchnumber: otherSwitch, Eid: "1", Tenant: "other", NoOpsAddress: true},
		},
		Groups: []Group{
			{ID: salesGid, Eid: testEid, Queue: "售前咨询"},
			{ID: serviceGid, Eid: testEid, Queue: "售后服务"},
		},
		CallbackAnswerAfter: 500 * time.Millisecond,
		DeviceVoice:         func(string) callcenter.Voice { return callcenter.Voice{ToneHz: deviceHz} },
	}
}

// sim is a running center with its Emicnet front on loopback.
type sim struct {
	t     *testing.T
	cc    *callcenter.Center
	front *Front
	sub   *callcenter.Subscription
}

func newSim(t *testing.T, cfg callcenter.Config, o Options) *sim {
	t.Helper()
	cfg.Logger = testLogger(t)
	cc, err := callcenter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o.Logger = testLogger(t)
	f, err := New(cc, o)
	if err != nil {
		cc.Close()
		t.Fatal(err)
	}
	if err := f.Start(); err != nil {
		_ = f.Close()
		cc.Close()
		t.Fatal(err)
	}
	s := &sim{t: t, cc: cc, front: f, sub: cc.Subscribe()}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("front close: %v", err)
		}
		s.sub.Close()
		cc.Close()
	})
	return s
}

// post sends a JSON body to the account API and decodes the answer.
func (s *sim) post(path string, body any, out any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.front.APIURL()+path, bytes.NewReader(wire.MustJSON(body)))
	req.Header.Set("Content-Type", wire.ContentTypeJSON)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := wire.ReadBody(res.Body, wire.MaxHTTPBody)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("POST %s: HTTP %d %s", path, res.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		s.t.Fatalf("POST %s: %s: %v", path, b, err)
	}
}

func (s *sim) getUser(un, pwd, sw string) wire.AccountReply {
	s.t.Helper()
	r, err := wire.DecodeAccountReply(s.postRaw(wire.PathGetUser, wire.GetUserRequest{Un: wire.FlexString(un), Pwd: wire.FlexString(pwd), Switchnumber: wire.FlexString(sw)}))
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

func (s *sim) postRaw(path string, body any) []byte {
	s.t.Helper()
	var raw json.RawMessage
	s.post(path, body, &raw)
	return raw
}

// waitCenter waits for a center event matching.
func (s *sim) waitCenter(what string, match func(callcenter.Event) bool) callcenter.Event {
	s.t.Helper()
	deadline := time.After(eventTimeout)
	for {
		select {
		case ev := <-s.sub.C:
			if match(ev) {
				return ev
			}
		case <-deadline:
			s.t.Fatalf("center: no %s", what)
			return nil
		}
	}
}

// heard is the center's truth: what a party of the call heard in the last second.
func (s *sim) heard(id callcenter.CallID, party string) []int16 {
	s.t.Helper()
	pcm, err := s.front.SIP().Heard(id, party, time.Second)
	if err != nil {
		s.t.Fatalf("center truth for %s in %s: %v", party, id, err)
	}
	return pcm
}

// callOf is the center's call of a ccNumber.
func (s *sim) callOf(c string) callcenter.CallID {
	s.t.Helper()
	s.front.mu.Lock()
	defer s.front.mu.Unlock()
	id, ok := s.front.numbers.call(c)
	if !ok {
		s.t.Fatalf("no call for ccNumber %s", c)
	}
	return id
}

// client is the platform's client: agentbar's SIP user agent over WSS
// with WebRTC media (core/phone), the command and event MESSAGEs of the
// contract, and a tone for a voice and an ear.
type client struct {
	t      *testing.T
	s      *sim
	un     string
	ph     *phone.Phone
	seq    atomic.Int64
	events chan wire.Event
	reg    chan phone.RegistrationChanged
	calls  chan *phone.Call
	states chan phone.CallStateChanged
	ear    *ear
	done   chan struct{}
}

type clientOpts struct {
	pwd        string
	gid        string
	callintype wire.CallInType
	number     string
	hz         float64
	expiry     time.Duration
	// answer: auto-answer every INVITE (a colleague's phone).
	answer bool
}

// connect starts a client and waits for its registration's outcome.
func (s *sim) connect(un string, o clientOpts) (*client, phone.RegistrationChanged) {
	t := s.t
	t.Helper()
	if o.pwd == "" {
		o.pwd = agentPW
	}
	if o.hz == 0 {
		o.hz = agentHz
	}
	if o.expiry == 0 {
		o.expiry = 60 * time.Second
	}
	c := &client{t: t, s: s, un: un, events: make(chan wire.Event, 256), reg: make(chan phone.RegistrationChanged, 64),
		calls: make(chan *phone.Call, 16), states: make(chan phone.CallStateChanged, 256), ear: &ear{}, done: make(chan struct{})}
	headers := map[string]string{wire.HeaderGid: o.gid}
	if o.gid == "" {
		headers[wire.HeaderGid] = "0"
	}
	if o.callintype != "" {
		headers[wire.HeaderCallintype] = string(o.callintype)
	}
	if o.number != "" {
		headers[wire.HeaderNumber] = o.number
	}
	ph, err := phone.New(phone.Config{
		URI: wire.AOR(un, testSwitch), Password: o.pwd, Register: true, Expiry: o.expiry,
		Transport: phone.TransportWSS, WebSocketURL: s.front.SocketURI(), TLSRootCAs: s.front.CertPool(),
		Media: phone.MediaWebRTC, LocalIP: net.IPv4(127, 0, 0, 1), HonourAnswerAfter: true, AutoAnswer: o.answer,
		RegisterHeaders: headers, Logger: testLogger(t).With("client", un),
		OnMessage: c.onMessage,
		NewPort:   func(rate int) (audio.Port, error) { return newTestPort(rate, o.hz, c.ear), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	c.ph = ph
	go c.pump()
	t.Cleanup(func() { c.close() })
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	if err := ph.Start(ctx); err != nil {
		t.Fatalf("%s start: %v", un, err)
	}
	deadline := time.After(eventTimeout)
	for {
		select {
		case r := <-c.reg:
			if r.State == phone.Registered || r.State == phone.RegistrationFailed {
				return c, r
			}
		case <-deadline:
			t.Fatalf("%s: registration has no outcome", un)
		}
	}
}

// signIn connects and expects the registration and the first statusChanged.
func (s *sim) signIn(un string, o clientOpts) *client {
	s.t.Helper()
	c, r := s.connect(un, o)
	if r.State != phone.Registered {
		s.t.Fatalf("%s: registration %v", un, r)
	}
	if st := c.status(); st != wire.SeatIdle {
		s.t.Fatalf("%s: first statusChanged %d, want 1", un, st)
	}
	return c
}

func (c *client) close() {
	select {
	case <-c.done:
		return
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.ph.Close(ctx); err != nil {
		c.t.Logf("%s close: %v", c.un, err)
	}
	<-c.done
}

func (c *client) onMessage(m phone.Message) int {
	ev, err := wire.DecodeEvent(m.Body)
	if err != nil {
		return 400
	}
	select {
	case c.events <- ev:
	default:
		c.t.Errorf("%s: event queue full", c.un)
	}
	return 200
}

func (c *client) pump() {
	defer close(c.done)
	for ev := range c.ph.Events() {
		switch e := ev.(type) {
		case phone.RegistrationChanged:
			select {
			case c.reg <- e:
			default:
			}
		case phone.IncomingCall:
			select {
			case c.calls <- e.Call:
			default:
			}
		case phone.CallStateChanged:
			select {
			case c.states <- e:
			default:
			}
		}
	}
}

// cmd sends a command and returns its result.
func (c *client) cmd(name string, data any) wire.Result {
	c.t.Helper()
	code, r := c.cmdRaw(wire.ContentTypeCommand, wire.MustJSON(wire.NewCommand(name, c.seq.Add(1), data)))
	if code != 200 {
		c.t.Fatalf("%s %s: SIP %d", c.un, name, code)
	}
	return r
}

func (c *client) cmdRaw(contentType string, body []byte) (int, wire.Result) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	res, err := c.ph.SendMessage(ctx, wire.CommandURI(testSwitch), contentType, body)
	if err != nil {
		c.t.Fatalf("%s command: %v", c.un, err)
	}
	if res.Code != 200 {
		return res.Code, wire.Result{}
	}
	if res.ContentType != wire.ContentTypeResult {
		c.t.Fatalf("%s: result content type %q", c.un, res.ContentType)
	}
	r, err := wire.DecodeResult(res.Body)
	if err != nil {
		c.t.Fatalf("%s: result %s: %v", c.un, res.Body, err)
	}
	return res.Code, r
}

// ok runs a command that must succeed.
func (c *client) ok(name string, data any) wire.Result {
	c.t.Helper()
	r := c.cmd(name, data)
	if !r.OK() {
		c.t.Fatalf("%s %s: code %d %s", c.un, name, r.Code, r.Info)
	}
	return r
}

// monitor runs a monitor command and returns its result number.
func (c *client) monitor(name, cc string) wire.MonitorOutcome {
	c.t.Helper()
	r := c.ok(name, wire.CcData{C: wire.FlexString(cc)})
	var m wire.MonitorResult
	if err := wire.DecodeData(r.Data, &m); err != nil {
		c.t.Fatal(err)
	}
	return m.Result
}

// next is the client's next event.
func (c *client) next() wire.Event {
	c.t.Helper()
	select {
	case ev := <-c.events:
		return ev
	case <-time.After(eventTimeout):
		c.t.Fatalf("%s: no event", c.un)
		return wire.Event{}
	}
}

// callEvent expects the next event to be callEvent typ and returns its data.
func (c *client) callEvent(typ string) wire.CallEventData {
	c.t.Helper()
	ev := c.next()
	if ev.Event != wire.EventCallEvent || ev.Type != typ {
		c.t.Fatalf("%s: got %s %s %s, want callEvent %s", c.un, ev.Event, ev.Type, ev.Data, typ)
	}
	d, err := ev.CallEvent()
	if err != nil {
		c.t.Fatal(err)
	}
	return d
}

// status expects the next event to be statusChanged.
func (c *client) status() wire.SeatStatus {
	c.t.Helper()
	ev := c.next()
	d, err := ev.StatusChanged()
	if err != nil {
		c.t.Fatalf("%s: got %s %s, want statusChanged: %v", c.un, ev.Event, ev.Data, err)
	}
	return d.Status
}

// kicked expects the next event to be kickedOffLine.
func (c *client) kicked() wire.KickReason {
	c.t.Helper()
	ev := c.next()
	d, err := ev.KickedOffLine()
	if err != nil {
		c.t.Fatalf("%s: got %s %s, want kickedOffLine: %v", c.un, ev.Event, ev.Data, err)
	}
	return d.R
}

// rep expects the next event to be repCallStatus.
func (c *client) rep() wire.RepCallStatusData {
	c.t.Helper()
	ev := c.next()
	d, err := ev.RepCallStatus()
	if err != nil {
		c.t.Fatalf("%s: got %s %s, want repCallStatus: %v", c.un, ev.Event, ev.Data, err)
	}
	return d
}

// quiet checks that no event is waiting.
func (c *client) quiet() {
	c.t.Helper()
	select {
	case ev := <-c.events:
		c.t.Fatalf("%s: unexpected event %s %s %s", c.un, ev.Event, ev.Type, ev.Data)
	default:
	}
}

// incoming waits for the next INVITE.
func (c *client) incoming() *phone.Call {
	c.t.Helper()
	select {
	case call := <-c.calls:
		return call
	case <-time.After(eventTimeout):
		c.t.Fatalf("%s: no INVITE", c.un)
		return nil
	}
}

// waitState waits until the phone call reaches state (from the phone's
// events).
func (c *client) waitState(call *phone.Call, state phone.CallState) {
	c.t.Helper()
	if call.State() == state {
		return
	}
	deadline := time.After(eventTimeout)
	for {
		select {
		case ev := <-c.states:
			if ev.Call != call {
				continue
			}
			if ev.State == state {
				return
			}
			if ev.State == phone.Ended {
				c.t.Fatalf("%s: call ended (%v) before %v", c.un, ev.Reason, state)
			}
		case <-deadline:
			c.t.Fatalf("%s: call is %v, not %v", c.un, call.State(), state)
		}
	}
}

// ear keeps what a client's headset played, at the codec's rate.
type ear struct {
	mu   sync.Mutex
	rate int
	pcm  []int16
}

func (e *ear) hear(rate int, pcm []int16) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if rate != e.rate {
		e.rate, e.pcm = rate, nil
	}
	e.pcm = append(e.pcm, pcm...)
	if limit := rate * 6; len(e.pcm) > limit {
		e.pcm = append([]int16(nil), e.pcm[len(e.pcm)-rate*3:]...)
	}
}

// last is the last d of what was heard and its rate.
func (e *ear) last(d time.Duration) ([]int16, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := min(int(d.Seconds()*float64(e.rate)), len(e.pcm))
	return append([]int16(nil), e.pcm[len(e.pcm)-n:]...), e.rate
}

// testPort speaks a tone and records what it is given to play, every 20 ms.
type testPort struct {
	rate   int
	tone   *audio.Tone
	ear    *ear
	tick   *time.Ticker
	mu     sync.Mutex
	play   audio.FrameSource
	closed chan struct{}
	once   sync.Once
}

func newTestPort(rate int, hz float64, e *ear) *testPort {
	tone := audio.NewTone(audio.TonePattern{Name: "voice", Amplitude: 0.3, Repeat: true,
		Segments: []audio.ToneSegment{{Freqs: [2]float64{hz}, Duration: time.Second}}}, rate)
	return &testPort{rate: rate, tone: tone, ear: e, tick: time.NewTicker(audio.FrameDuration), closed: make(chan struct{})}
}

func (p *testPort) SampleRate() int { return p.rate }

func (p *testPort) ReadFrame(ctx context.Context, pcm []int16) error {
	select {
	case <-p.tick.C:
	case <-p.closed:
		return audio.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	p.tone.Pull(pcm)
	p.mu.Lock()
	play := p.play
	p.mu.Unlock()
	out := make([]int16, len(pcm))
	if play != nil {
		play.Pull(out)
	}
	p.ear.hear(p.rate, out)
	return nil
}

func (p *testPort) SetPlayback(src audio.FrameSource) {
	p.mu.Lock()
	p.play = src
	p.mu.Unlock()
}

func (p *testPort) Close() error {
	p.once.Do(func() {
		p.tick.Stop()
		close(p.closed)
	})
	return nil
}

// settle lets audio flow (the rooms and ports run in real time).
func settle(d time.Duration) { <-time.After(d) }

// expectTones checks which tones are in pcm at rate.
func expectTones(t *testing.T, who string, pcm []int16, rate int, present, absent []float64) {
	t.Helper()
	if len(pcm) < rate/2 {
		t.Errorf("%s: only %d samples heard", who, len(pcm))
		return
	}
	for _, hz := range present {
		if a := audio.Goertzel(pcm, rate, hz); a < presentAmp {
			t.Errorf("%s does not hear %.0f Hz (amplitude %.4f, level %.1f dBFS)", who, hz, a, audio.RMSdBFS(pcm))
		}
	}
	for _, hz := range absent {
		if a := audio.Goertzel(pcm, rate, hz); a > absentAmp {
			t.Errorf("%s hears %.0f Hz but should not (amplitude %.4f)", who, hz, a)
		}
	}
}

// customerCall has a simulated customer call a trunk, speaking customerHz.
func (s *sim) customerCall(number, trunk string) callcenter.CallID {
	s.t.Helper()
	id, err := s.cc.CustomerCall(callcenter.Customer{Number: number, Voice: callcenter.Voice{ToneHz: customerHz}}, trunk)
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// answer answers an INVITE.
func answer(t *testing.T, call *phone.Call) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), eventTimeout)
	defer cancel()
	if err := call.Answer(ctx); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return fmt.Sprint(n) }
