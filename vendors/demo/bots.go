package demo

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"agentbar/audio"
	"agentbar/core/phone"
	"agentbar/vendors/callcenter"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/callcenter/voice"
)

// lines are what each colleague of the demo says when it answers (in
// demokit's roster); a colleague with no line, or no voice for it, speaks
// its tone.
func lines() map[string][]string {
	return map[string][]string{
		"8002": {"您好，这里是演示公司售前咨询，请问有什么可以帮您？"},
		"8003": {"您好，售后服务，请您说一下订单号。"},
	}
}

// startColleagues starts the simulated agents of the demo: real SIP phones
// registered with the center that answer their calls after a few seconds
// and talk.
func startColleagues(log *slog.Logger, center *callcenter.Center, registrar string, voices *voice.Library) []*demokit.Colleague {
	said := lines()
	return demokit.StartRoster(log, center, func(m demokit.Member, password string) demokit.ColleagueConfig {
		return demokit.ColleagueConfig{
			Phone: phone.Config{
				URI: fmt.Sprintf("sip:%s@%s", m.ID, registrar), Password: password,
				UserAgent: "agentbar-demo-colleague", Logger: log.With("colleague", m.ID),
			},
			Voice:       func() audio.FrameSource { return speech(voices, said[m.ID], m.Hz) },
			AnswerAfter: likeAPerson,
		}
	})
}

// speech is the first of lines there is a voice for, said again and again
// with a pause between; the tone hz without one.
func speech(voices *voice.Library, lines []string, hz float64) audio.FrameSource {
	for _, l := range lines {
		if s, ok := voices.Speech(l); ok {
			pause := make([]int16, 8000*2)
			return voice.NewClip(append(append([]int16(nil), s...), pause...), true)
		}
	}
	return voice.Tone(hz)
}

// likeAPerson is how long a colleague lets a call ring: 2-4 s.
func likeAPerson() time.Duration {
	return time.Duration(2000+rand.IntN(2000)) * time.Millisecond
}
