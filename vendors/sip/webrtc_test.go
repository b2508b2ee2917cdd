package sip

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"agentbar/core"
	"agentbar/core/webrtc"
)

func TestICEServerFields(t *testing.T) {
	tests := []struct {
		name     string
		fields   map[string]string
		password string
		want     []webrtc.ICEServer
		badKey   string
	}{
		{"none", map[string]string{"media": "webrtc"}, "", nil, ""},
		{"two STUN", map[string]string{"media": "webrtc", "stun": "stun:a.example.com, stun:b.example.com:3478"}, "",
			[]webrtc.ICEServer{{URLs: []string{"stun:a.example.com", "stun:b.example.com:3478"}}}, ""},
		{"TURN with the account's password", map[string]string{"media": "webrtc", "uri": "sip:1001@pbx", "turn": "turn:t.example.com?transport=udp"}, "pw",
			[]webrtc.ICEServer{{URLs: []string{"turn:t.example.com?transport=udp"}, Username: "1001", Credential: "pw"}}, ""},
		{"TURN user", map[string]string{"media": "webrtc", "turn": "turns:t.example.com:5349", "turn_user": "agent7", "auth_user": "x"}, "pw",
			[]webrtc.ICEServer{{URLs: []string{"turns:t.example.com:5349"}, Username: "agent7", Credential: "pw"}}, ""},
		{"TURN without password", map[string]string{"media": "webrtc", "turn": "turn:t.example.com"}, "", nil, "turn"},
		{"STUN in the TURN field", map[string]string{"media": "webrtc", "turn": "stun:t.example.com"}, "pw", nil, "turn"},
		{"not a URL", map[string]string{"media": "webrtc", "stun": "stun.example.com"}, "", nil, "stun"},
		{"STUN with plain RTP", map[string]string{"media": "rtp", "stun": "stun:a.example.com"}, "", nil, "media"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := iceServers(tt.fields, tt.password)
			if tt.badKey != "" {
				var fe *core.FieldError
				if !errors.As(err, &fe) || fe.Key != tt.badKey {
					t.Fatalf("error %v, want a FieldError on %q", err, tt.badKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tt.want, func(a, b webrtc.ICEServer) bool {
				return slices.Equal(a.URLs, b.URLs) && a.Username == b.Username && a.Credential == b.Credential
			}) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWebRTCFieldsAreOffered(t *testing.T) {
	info, _ := core.Lookup("sip")
	got, err := info.ValidateFields(map[string]string{"uri": "sip:1001@pbx", "transport": "wss", "ws_url": "wss://pbx:7443/ws", "media": "webrtc"})
	if err != nil {
		t.Fatal(err)
	}
	if got["media"] != "webrtc" || got["transport"] != "wss" {
		t.Errorf("fields %v", got)
	}
	if d, _ := info.ValidateFields(map[string]string{"uri": "sip:1001@pbx"}); d["media"] != "rtp" {
		t.Errorf("default media %q, want rtp", d["media"])
	}
	if _, err := info.ValidateFields(map[string]string{"uri": "sip:1001@pbx", "media": "srtp"}); err == nil {
		t.Error("media srtp accepted")
	}
}

// Two agents on plain SIP accounts set to WebRTC media (SIP over TCP,
// direct): Opus both ways through the adapter.
func TestWebRTCCallBetweenTwoAgents(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time audio")
	}
	webrtcFields := map[string]string{"transport": "tcp", "media": "webrtc"}
	alice := newSide(t, "alice", 1000, webrtcFields)
	bob := newSide(t, "bob", 600, webrtcFields)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := alice.e.Dial(ctx, core.DialOptions{Target: bob.uri("bob") + ";transport=tcp"})
	if err != nil {
		t.Fatal(err)
	}
	ring := bob.waitCall(core.CallRinging)
	if err := bob.e.Answer(ctx, ring.ID); err != nil {
		t.Fatal(err)
	}
	bob.waitCall(core.CallTalking)
	alice.waitCall(core.CallTalking)
	settle(1500 * time.Millisecond)
	alice.hears(600)
	bob.hears(1000)
	if err := alice.e.Hangup(ctx, id); err != nil {
		t.Fatal(err)
	}
	if end := bob.waitCall(core.CallEnded); end.EndReason != core.EndRemoteHangup {
		t.Errorf("bob's call ended %s", end.EndReason)
	}
}
