package udeskdemo

import (
	"fmt"
	"log/slog"

	"agentbar/audio"
	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/callcenter/voice"
)

// startColleagues starts the simulated agents: IP phones registered with
// the center that answer what rings them and speak a tone, so that
// transfers, consults and three-way calls of the demo have someone at the
// other end.
func startColleagues(log *slog.Logger, center *callcenter.Center, registrar string) []*demokit.Colleague {
	return demokit.StartRoster(log, center, func(m demokit.Member, password string) demokit.ColleagueConfig {
		return demokit.ColleagueConfig{
			Phone: phone.Config{
				URI: fmt.Sprintf("sip:%s@%s", m.ID, registrar), Password: password,
				UserAgent: "agentbar-udesk-demo-colleague", Logger: log.With("colleague", m.ID),
			},
			Voice: func() audio.FrameSource { return voice.Tone(m.Hz) },
		}
	})
}
