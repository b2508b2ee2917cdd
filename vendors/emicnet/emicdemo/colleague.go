package emicdemo

import (
	"log/slog"

	"agentbar/audio"
	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/callcenter/voice"
	"agentbar/vendors/emicnet/wire"
)

// startColleagues starts the demo enterprise's other seats: SIP phones
// registered with the platform (over UDP to the center's SIP front, as a
// desk phone would) that answer what rings them and speak a tone, so that
// transfers and calls to extensions have someone at the other end and the
// supervisor has calls to monitor. Their event MESSAGEs are taken and
// dropped.
func startColleagues(log *slog.Logger, center *callcenter.Center, sipAddr string) []*demokit.Colleague {
	return demokit.StartRoster(log, center, func(m demokit.Member, password string) demokit.ColleagueConfig {
		return demokit.ColleagueConfig{
			Phone: phone.Config{
				URI: wire.AOR(m.ID, demoSwitch), Password: password, Proxy: "sip:" + sipAddr,
				RegisterHeaders: map[string]string{wire.HeaderGid: "0"},
				OnMessage:       func(phone.Message) int { return 200 },
				UserAgent:       "agentbar-emicnet-demo-colleague", Logger: log.With("colleague", m.ID),
			},
			Voice: func() audio.FrameSource { return voice.Tone(m.Hz) },
		}
	})
}
