package udesksim

import (
	"fmt"
	"log/slog"
	"time"

	"agentbar/vendors/callcenter"
)

// Options configure a Front.
type Options struct {
	// Addr is the HTTP listener (token backend, /ws, /backend):
	// "127.0.0.1:0" picks a free port. A restart fault reopens the same port.
	Addr string
	// AppId is the tenant's id on the platform; AppSecret signs its tokens.
	AppId, AppSecret string
	// TokenTTL is how long a token is accepted after its timestamp (10 min).
	TokenTTL time.Duration
	// RequireKey makes the token backend demand "Authorization: Bearer
	// <the agent's password>", as a customer's backend would check its user.
	RequireKey bool
	// SIPServer is what GetAgentTerminalInfoAsync gives as SipServer: the
	// center's SIP front ("127.0.0.1:5060"). Terminal numbers and passwords
	// are the agents' own.
	SIPServer string
	// WebPhoneServer is GetWebPhoneInfoAsync's SipServer: the web phone's
	// SIP WebSocket URL, the center's SIP front's WSSURL() (or WSURL() on
	// loopback). Empty: the platform has no web phone (webrtc mode cannot
	// get an account). Numbers and passwords are the agents' own.
	WebPhoneServer string
	// Profiles are what the platform knows of agents beyond the center
	// (Email, Mobile, WorkId in GetOtherAgentsAsync) and how each agent's
	// simulated mobile sounds (cellphone mode).
	Profiles map[string]Profile
	// Registered says whether an agent's SIP terminal (the IP phone, the
	// web phone) is registered: the device state of voip and webrtc modes;
	// nil: always offline.
	Registered func(agentID string) bool
	// DefaultMode is every agent's phone mode until it sets one ("voip").
	// A cellphone agent's calls ring its simulated mobile (a device
	// elsewhere of the center), which answers on AnswerAsync.
	DefaultMode string
	// PingInterval: the server pings every socket this often (20 s).
	PingInterval time.Duration
	// Now is the clock for tokens; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

func (o *Options) defaults() error {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.AppId == "" {
		o.AppId = "agentbar-demo"
	}
	if o.AppSecret == "" {
		return fmt.Errorf("%w: AppSecret is required", ErrInvalidOptions)
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = 10 * time.Minute
	}
	if o.DefaultMode == "" {
		o.DefaultMode = "voip"
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 20 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Profile is an agent's record on the platform.
type Profile struct {
	Email, WorkId string
	// Mobile is the number cellphone mode calls (digits); when empty or not
	// digits, 138 followed by the agent's number padded to 8 digits.
	Mobile string
	// MobileVoice is what the agent says into the simulated mobile (a tone
	// tests measure).
	MobileVoice callcenter.Voice
}
