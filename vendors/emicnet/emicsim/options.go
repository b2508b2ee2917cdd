package emicsim

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/room"
	"agentbar/vendors/callcenter/voice"
	"agentbar/vendors/emicnet/wire"
)

// Options configure a Front.
type Options struct {
	// HTTPAddr is the account API's listener (getUser, getUser2,
	// webApiHandler); "127.0.0.1:0" picks a free port.
	HTTPAddr string
	// SIPAddr is the SIP front's UDP/TCP address and WSSAddr its SIP over
	// WSS listener ("127.0.0.1:0" each when empty).
	SIPAddr, WSSAddr string
	// TLS is the WSS server's configuration; nil makes a self-signed
	// certificate for 127.0.0.1 and localhost (CertPool trusts it).
	TLS *tls.Config
	// MaxExpiry caps the registration expiry granted (60 s when zero). A
	// registration not refreshed by 90 % of what was granted is kicked
	// with 897.
	MaxExpiry time.Duration
	// WSGrace is the SIP front's grace for calls whose WebSocket dropped
	// (sipfront.Options.WSGrace; 0 = its default).
	WSGrace time.Duration

	// Enterprises are the platform's customers, each on a center tenant.
	Enterprises []Enterprise
	// Groups are the skill groups: each is a center queue.
	Groups []Group
	// ProtectedSeats are extensions that only supervisors may call
	// (call() gets 1000 禁止拨打无权限坐席).
	ProtectedSeats []string

	// CallbackAnswerAfter is how long a simulated callback phone
	// (callintype 4) rings before its person picks up (3 s when zero;
	// answerPBXCall takes it off hook at once). A simulated SIP phone (5)
	// answers when asked or by itself on auto-answer legs.
	CallbackAnswerAfter time.Duration
	// DeviceVoice is what the simulated phones of modes 4 and 5 say, by
	// extension; nil: a 1000 Hz tone.
	DeviceVoice func(un string) callcenter.Voice

	// Mixer and Voices are the SIP front's (made by it when nil).
	Mixer  *room.Mixer
	Voices *voice.Library
	// RecordDir is the SIP front's recordings folder (optional).
	RecordDir string
	// RTPPortMin and RTPPortMax bound the SIP front's RTP and ICE ports.
	RTPPortMin, RTPPortMax int

	Logger *slog.Logger
}

// Enterprise is one customer of the platform: a center tenant with its
// switch number (企业总机号) and eid.
type Enterprise struct {
	Switchnumber string
	Eid          string
	Tenant       string // the center tenant
	Name         string
	// Disabled: 企业停止使用 — getUser answers 50004, REGISTER 403, seats
	// signed in are kicked with 898 (SetEnterpriseDisabled).
	Disabled bool
	// Suspended: the switch number is suspended (总机号已停机): calls to
	// outside numbers fail with 507.
	Suspended bool
	// Hours are the working hours; outside them calls to outside numbers
	// fail with 508. nil: always open.
	Hours *WorkingHours
	// DailyLimit is how often one customer number may be called per day
	// by the enterprise; the next call fails with 512. 0: no limit.
	DailyLimit int
	// EncryptKey, when set, is the key agreed for encrypted numbers: the
	// simulator checks that a call's n decrypts to its number.
	EncryptKey []byte
	// NoOpsAddress makes getUser answer 50002 (获取运维地址失败).
	NoOpsAddress bool
}

// WorkingHours is a daily window [From, To) in the center clock's
// location, as offsets from midnight.
type WorkingHours struct {
	From, To time.Duration
}

// Open reports whether t is inside the window.
func (h *WorkingHours) Open(t time.Time) bool {
	if h == nil {
		return true
	}
	y, m, d := t.Date()
	since := t.Sub(time.Date(y, m, d, 0, 0, 0, 0, t.Location()))
	if h.From <= h.To {
		return since >= h.From && since < h.To
	}
	return since >= h.From || since < h.To // over midnight
}

// Group is a skill group (技能组): {id, eid, name} on the wire, a queue in
// the center.
type Group struct {
	ID    string
	Eid   string
	Name  string // "" = the queue's name
	Queue string // the center queue
}

const (
	defaultMaxExpiry           = 60 * time.Second
	defaultCallbackAnswerAfter = 3 * time.Second
	defaultDeviceTone          = 1000
	// registrationTimeout is the share of the granted expiry after which a
	// registration that was not refreshed is kicked (897).
	registrationTimeout = 0.9
)

func (o *Options) defaults() error {
	if o.HTTPAddr == "" {
		o.HTTPAddr = "127.0.0.1:0"
	}
	if o.SIPAddr == "" {
		o.SIPAddr = "127.0.0.1:0"
	}
	if o.WSSAddr == "" {
		o.WSSAddr = "127.0.0.1:0"
	}
	if o.MaxExpiry <= 0 {
		o.MaxExpiry = defaultMaxExpiry
	}
	if o.CallbackAnswerAfter <= 0 {
		o.CallbackAnswerAfter = defaultCallbackAnswerAfter
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if len(o.Enterprises) == 0 {
		return fmt.Errorf("%w: no enterprise", ErrInvalidOptions)
	}
	seen := map[string]bool{}
	for _, e := range o.Enterprises {
		if e.Switchnumber == "" || e.Eid == "" || e.Tenant == "" {
			return fmt.Errorf("%w: enterprise needs a switch number, an eid and a tenant: %+v", ErrInvalidOptions, e)
		}
		if seen["s"+e.Switchnumber] || seen["e"+e.Eid] || seen["t"+e.Tenant] {
			return fmt.Errorf("%w: enterprise %s repeats a switch number, eid or tenant", ErrInvalidOptions, e.Switchnumber)
		}
		seen["s"+e.Switchnumber], seen["e"+e.Eid], seen["t"+e.Tenant] = true, true, true
		if e.EncryptKey != nil {
			if _, err := wire.Encrypt(e.EncryptKey, "0"); err != nil {
				return fmt.Errorf("%w: enterprise %s: %v", ErrInvalidOptions, e.Switchnumber, err)
			}
		}
	}
	for _, g := range o.Groups {
		if g.ID == "" || g.Queue == "" || !seen["e"+g.Eid] {
			return fmt.Errorf("%w: group needs an id, a queue and a known eid: %+v", ErrInvalidOptions, g)
		}
	}
	return nil
}
