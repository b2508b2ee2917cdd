package logging

import (
	"io"
	"log/slog"
	"testing"
)

// benchRecord logs what the engine logs most: a call event with a handful
// of attributes and no secret in them.
func benchRecord(log *slog.Logger) {
	log.Info("call state changed",
		"call_id", "c0a80105-1f2e-4b7d-9a61-1d2e3f405060",
		"number", "13912345678",
		"state", "Talking",
		"queue", "sales",
		"duration_ms", 35012,
		slog.Group("media", "codec", "PCMA", "jitter_ms", 4.5, "loss", 0.01),
	)
}

func BenchmarkHandler(b *testing.B) {
	secrets := NewRedactor()
	secrets.AddSecret("Hunter2-pw")
	secrets.AddSecret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI4MDAxIn0.sig")
	cases := []struct {
		name string
		log  *slog.Logger
	}{
		{"plain-json", slog.New(slog.NewJSONHandler(io.Discard, nil))},
		{"redacting-json", slog.New(NewHandler(slog.NewJSONHandler(io.Discard, nil), nil))},
		{"redacting-json-2-secrets", slog.New(NewHandler(slog.NewJSONHandler(io.Discard, nil), secrets))},
		{"redacting-json-2-secrets-with", slog.New(NewHandler(slog.NewJSONHandler(io.Discard, nil), secrets)).With("account", "8001", "platform", "udesk")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchRecord(c.log)
			}
		})
	}
}

func BenchmarkScrub(b *testing.B) {
	r := NewRedactor()
	r.AddSecret("Hunter2-pw")
	r.AddSecret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI4MDAxIn0.sig")
	cases := map[string]string{
		"short-clean":   "call 13912345678 answered in queue sales",
		"sip-register":  sipRegister,
		"json-password": `{"user":"8001","password":"Hunter2-pw","mode":"voip","skills":[1,2,3]}`,
	}
	for name, s := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				_ = r.Scrub(s)
			}
		})
	}
}

func BenchmarkIsSensitiveKey(b *testing.B) {
	keys := []string{"Via", "From", "Call-ID", "Content-Length", "call_id", "number", "X-Auth-Token", "password"}
	for b.Loop() {
		for _, k := range keys {
			_ = isSensitiveKey(k)
		}
	}
}
