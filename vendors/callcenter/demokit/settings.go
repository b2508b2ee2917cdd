package demokit

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strconv"
	"time"

	"agentbar/core"
	"agentbar/vendors/callcenter"
)

// The demo account fields every demo has.
const (
	FieldLoginAs = "login_as"        // 8001 (the demo agent, default) or 8000 (the supervisor)
	FieldArrival = "arrival_seconds" // mean seconds between simulated customers; 0 = none
	FieldSpeech  = "speech"          // "false" = customers and colleagues speak tones, not sentences
)

// defaultArrivalGap is the mean gap between customers when the account
// does not say.
const defaultArrivalGap = 30

// Settings are a demo account's common fields, read.
type Settings struct {
	Me        string  // who signs in: callcenter.DemoAgent or callcenter.DemoSupervisor
	PerMinute float64 // customer arrivals per minute; 0 = none
	Speech    bool    // speak sentences (when a voice is available)
}

// ParseSettings reads the common fields of a demo account of platform
// (the platform is named in a field error).
func ParseSettings(platform string, fields map[string]string) (Settings, error) {
	set := Settings{Me: fields[FieldLoginAs], Speech: fields[FieldSpeech] != "false"}
	if set.Me == "" {
		set.Me = callcenter.DemoAgent
	}
	if set.Me != callcenter.DemoAgent && set.Me != callcenter.DemoSupervisor {
		return Settings{}, &core.FieldError{Platform: platform, Key: FieldLoginAs, Problem: "must be 8001 or 8000"}
	}
	gap := defaultArrivalGap
	if v := fields[FieldArrival]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Settings{}, &core.FieldError{Platform: platform, Key: FieldArrival, Problem: "must be 0 or more"}
		}
		gap = n
	}
	if gap > 0 {
		set.PerMinute = 60 / float64(gap)
	}
	return set, nil
}

// Supervisor tells whether the demo supervisor signs in.
func (s Settings) Supervisor() bool { return s.Me == callcenter.DemoSupervisor }

// CenterConfig is the demo center (callcenter.DemoConfig with fresh
// secrets and a fresh seed) with the account's arrivals and speech; the
// demo adds its platform's settings before callcenter.New.
func (s Settings) CenterConfig(log *slog.Logger) callcenter.Config {
	cfg := callcenter.DemoConfig(RandomSecret(), RandomSecret())
	cfg.Seed = uint64(time.Now().UnixNano())
	cfg.Logger = log.With("part", "center")
	cfg.Arrivals.PerMinute = s.PerMinute
	cfg.Arrivals.Speech = s.Speech
	return cfg
}

// RandomSecret is a fresh 24-hex-digit secret (the demo center's keys, an
// application secret): a session's, never stored.
func RandomSecret() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
