package emicdemo

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/admin"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/callcenter/voice"
	"agentbar/vendors/emicnet"
	"agentbar/vendors/emicnet/emicsim"
	"agentbar/vendors/emicnet/wire"
)

// The demo enterprise: the seed's switch number and eid, its two queues
// as the skill groups 2033 and 2034.
const (
	demoSwitch = "02566699734"
	demoEid    = "65656"
	// demoEncryptKey is the demo enterprise's agreed key for encrypted
	// numbers (a demo value, not a secret of anyone's).
	demoEncryptKey = "agentbar-demo-16"
	// demoEncryptedExample is the number the demo notice shows encrypted.
	demoEncryptedExample = "13800138000"
)

// Demo phones of the simulated devices (callintype 4 and 5).
var demoNumbers = map[wire.CallInType]string{wire.CallInCallback: "13700000001", wire.CallInSIPPhone: "8801"}

// Adapter is one demo session: the center and its Emicnet front, and the
// real Emicnet adapter signed in to them. It is the Emicnet adapter
// (embedded) with Login and Logout that start and stop the center around
// it.
type Adapter struct {
	*emicnet.Adapter
	cfg  core.Config
	set  settings
	log  *slog.Logger
	opts emicnet.Options

	mu         sync.Mutex
	center     *callcenter.Center
	front      *emicsim.Front
	admin      *admin.Server
	voices     *voice.Library
	colleagues []*demokit.Colleague
}

type settings struct {
	demokit.Settings
	callintype wire.CallInType
}

// New builds a demo session (core.Info.New).
func New(cfg core.Config) (core.Vendor, error) { return NewDemo(cfg, emicnet.Options{}) }

// NewDemo builds a demo session with the adapter's options (tests shorten
// timeouts).
func NewDemo(cfg core.Config, o emicnet.Options) (*Adapter, error) {
	common, err := demokit.ParseSettings(platformID, cfg.Fields)
	if err != nil {
		return nil, err
	}
	set := settings{Settings: common, callintype: wire.CallInType(cfg.Fields[fieldCallintype])}
	if set.callintype == "" {
		set.callintype = wire.CallInVoIP
	}
	if !set.callintype.Valid() {
		return nil, &core.FieldError{Platform: platformID, Key: fieldCallintype, Problem: "must be 2, 4 or 5"}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{cfg: cfg, set: set, log: log.With("demo", "emicnet"), opts: o}
	// The engine asks the adapter what it can do before Login: an adapter
	// of the same shape answers until Login makes the real one.
	inner, err := a.innerAdapter("http://127.0.0.1:9", "wss://127.0.0.1:9/ws", "placeholder", nil)
	if err != nil {
		return nil, err
	}
	a.Adapter = inner
	return a, nil
}

// innerAdapter builds the Emicnet adapter for the demo's seat.
func (a *Adapter) innerAdapter(apiURL, socketURI, password string, pool *x509.CertPool) (*emicnet.Adapter, error) {
	values := map[string]string{
		"api_url": apiURL, "socket_uri": socketURI, "switchnumber": demoSwitch, "un": a.set.Me,
		"callintype": string(a.set.callintype), "number": demoNumbers[a.set.callintype],
		"supervisor": strconv.FormatBool(a.set.Supervisor()),
	}
	fields, err := emicnet.PlatformInfo().ValidateFields(values)
	if err != nil {
		return nil, err
	}
	opts := a.opts
	opts.TLSRootCAs = pool
	return emicnet.NewAdapter(core.Config{Account: a.cfg.Account, Fields: fields, Secret: password,
		ExtraSecrets: map[string]string{"encrypt_key": demoEncryptKey},
		Logger:       a.log.With("inner", "emicnet"), Services: a.cfg.Services}, opts)
}

// Login starts the center and its fronts on loopback, then signs the
// Emicnet adapter in to them like to a real enterprise.
func (a *Adapter) Login(ctx context.Context, sink core.Sink) error {
	if err := a.start(); err != nil {
		a.stop(context.Background())
		return err
	}
	a.mu.Lock()
	front, center, adm := a.front, a.center, a.admin
	a.mu.Unlock()
	password, err := center.Secret(a.set.Me)
	if err != nil {
		a.stop(context.Background())
		return err
	}
	inner, err := a.innerAdapter(front.APIURL(), front.SocketURI(), password, front.CertPool())
	if err == nil {
		a.mu.Lock()
		a.Adapter = inner
		a.mu.Unlock()
		err = inner.Login(ctx, sink)
	}
	if err != nil {
		a.stop(context.Background())
		return err
	}
	if a.set.Supervisor() {
		// The supervisor watches: the group's calls go to the colleagues.
		if err := center.SetAgentState(callcenter.DemoSupervisor, callcenter.StateBusy); err != nil {
			a.log.Warn("emicdemo: supervisor busy", "err", err)
		}
	}
	zh := "演示模式：这是模拟的易米呼叫中心，来电由模拟客户发起；同事 8002、8003 的话机会自动接听。"
	en := "Demo mode: a simulated Emicnet call center; calls come from simulated customers, and colleagues 8002 and 8003 answer by themselves."
	if a.set.Supervisor() {
		zh += "本组通话开始时会出现在坐席墙上，可以监听、强插（三方）和结束。"
		en += " The group's calls appear on the wall as they start: listen, join (three-way) or end them."
	}
	if enc, err := wire.Encrypt([]byte(demoEncryptKey), demoEncryptedExample); err == nil {
		zh += "加密号码外呼示例：agentbar ctl dial " + enc + " --num-type encrypt。"
		en += " An encrypted-number call: agentbar ctl dial " + enc + " --num-type encrypt."
	}
	zh += "管理接口：" + adm.URL()
	en += " Admin: " + adm.URL()
	sink.Report(core.NoticeUpdate{Level: "info", Err: &demokit.Notice{ZH: zh, EN: en}})
	center.Start()
	return nil
}

// start runs the center, its Emicnet front, the admin endpoint and the
// colleagues.
func (a *Adapter) start() error {
	cfg := a.set.CenterConfig(a.log)
	if a.set.PerMinute > 0 {
		cfg.Arrivals.FirstAfter = 8 * time.Second
	}
	// The platform decides about sign-ins after a kick (897 offers to sign
	// in again at once).
	cfg.KickHoldOff = -1
	center, err := callcenter.New(cfg)
	if err != nil {
		return err
	}
	voices := voice.NewLibrary(a.set.Speech, a.log)
	a.mu.Lock()
	a.center, a.voices = center, voices
	a.mu.Unlock()
	front, err := emicsim.New(center, emicsim.Options{
		Enterprises: []emicsim.Enterprise{{Switchnumber: demoSwitch, Eid: demoEid, Tenant: "demo", Name: "演示公司", DailyLimit: 5,
			EncryptKey: []byte(demoEncryptKey)}},
		Groups: []emicsim.Group{
			{ID: "2033", Eid: demoEid, Queue: "售前咨询"},
			{ID: "2034", Eid: demoEid, Queue: "售后服务"},
		},
		ProtectedSeats: []string{callcenter.DemoSupervisor},
		Voices:         voices,
		Logger:         a.log.With("part", "emicnet-front"),
	})
	if err == nil {
		err = front.Start()
	}
	if err != nil {
		if front != nil {
			_ = front.Close()
		}
		return err
	}
	a.mu.Lock()
	a.front = front
	a.mu.Unlock()
	adm, err := admin.Start(center, admin.Options{Addr: "127.0.0.1:0", Fronts: func() any { return front.State() },
		Logger: a.log.With("part", "admin")})
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.admin = adm
	a.mu.Unlock()
	a.log.Info("emicdemo: running", "api_url", front.APIURL(), "socket_uri", front.SocketURI(), "admin", adm.URL())
	colleagues := startColleagues(a.log, center, front.SIP().Addr())
	a.mu.Lock()
	a.colleagues = colleagues
	a.mu.Unlock()
	return nil
}

// Logout signs out and stops the center.
func (a *Adapter) Logout(ctx context.Context) error { return a.stop(ctx) }

func (a *Adapter) stop(ctx context.Context) error {
	a.mu.Lock()
	inner, colleagues, adm, front, center, voices := a.Adapter, a.colleagues, a.admin, a.front, a.center, a.voices
	a.colleagues, a.admin, a.front, a.center, a.voices = nil, nil, nil, nil, nil
	if center == nil {
		inner = nil // the placeholder never signed in
	}
	a.mu.Unlock()
	var errs []error
	if inner != nil {
		errs = append(errs, inner.Logout(ctx))
	}
	demokit.CloseAll(ctx, colleagues)
	if adm != nil {
		errs = append(errs, adm.Close())
	}
	if front != nil {
		errs = append(errs, front.Close())
	}
	if center != nil {
		center.Close()
	}
	if voices != nil {
		errs = append(errs, voices.Close())
	}
	return errors.Join(errs...)
}

// Center is the running center (tests and the admin view).
func (a *Adapter) Center() *callcenter.Center {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.center
}

// Front is the running Emicnet front (tests).
func (a *Adapter) Front() *emicsim.Front {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.front
}
