package demokit

import (
	"context"
	"log/slog"

	"agentbar/vendors/callcenter"
)

// Member is one of the demo center's simulated colleagues.
type Member struct {
	ID string  // the agent (and SIP user) in callcenter.DemoConfig
	Hz float64 // the tone the colleague speaks when it has no sentence
}

// Roster is the demo center's colleagues: 8002 and 8003, the skill
// groups' other agents.
func Roster() []Member {
	return []Member{{ID: "8002", Hz: 1100}, {ID: "8003", Hz: 900}}
}

// StartRoster starts a colleague for each member, its account from config
// (given the member and its password at the center). A colleague that
// does not start is logged and left out: the demo runs without it.
func StartRoster(log *slog.Logger, center *callcenter.Center, config func(m Member, password string) ColleagueConfig) []*Colleague {
	var out []*Colleague
	for _, m := range Roster() {
		secret, _ := center.Secret(m.ID)
		c, err := StartColleague(config(m, secret))
		if err != nil {
			log.Warn("demo colleague did not start", "id", m.ID, "err", err)
			continue
		}
		out = append(out, c)
	}
	return out
}

// CloseAll closes the colleagues.
func CloseAll(ctx context.Context, colleagues []*Colleague) {
	for _, c := range colleagues {
		c.Close(ctx)
	}
}
