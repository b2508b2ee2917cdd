package udesksim

import (
	"testing"

	"agentbar/vendors/udesk/wire"
)

// TestPhoneModeMethods: what each phone mode lets the platform do for the
// agent's terminal, and where the center rings it.
func TestPhoneModeMethods(t *testing.T) {
	cases := []struct {
		name, mode, method, params string
		code                       wire.FlexString
		visible                    bool
		center                     string // what the center was asked
	}{
		{"mute in webrtc", wire.ModeWebRTC, wire.MethodMute, `{"CallId":"c1"}`, wire.CodeOK, false, ""},
		{"unmute in webrtc", wire.ModeWebRTC, wire.MethodUnmute, `{"CallId":"c1"}`, wire.CodeOK, false, ""},
		{"mute in cellphone", wire.ModeCellphone, wire.MethodMute, `{"CallId":"c1"}`, wire.CodeModeMismatch, true, ""},
		{"mute in voip", wire.ModeVoip, wire.MethodMute, `{"CallId":"c1"}`, wire.CodeModeMismatch, true, ""},
		{"answer the mobile", wire.ModeCellphone, wire.MethodAnswer, `{}`, wire.CodeNotAllowed, true, ""},
		{"answer the web phone", wire.ModeWebRTC, wire.MethodAnswer, `{}`, wire.CodeModeMismatch, true, ""},
		{"answer the IP phone", wire.ModeVoip, wire.MethodAnswer, `{}`, wire.CodeModeMismatch, true, ""},
		{"callback with call data", wire.ModeWebRTC, wire.MethodMakeCall, `{"Number":"13800138000","Options":{"BizId":"order-42"}}`,
			wire.CodeOK, false, "PlaceCall(8001,13800138000,map[BizId:order-42])"},
		{"transfer to an outside number", wire.ModeVoip, wire.MethodTransfer, `{"CallId":"c1","AgentPhone":"13700000000"}`,
			wire.CodeOK, false, "Transfer(c1,8001,outside:13700000000)"},
		{"consult an outside number", wire.ModeVoip, wire.MethodConsultation, `{"CallId":"c1","AgentPhone":"13700000000"}`,
			wire.CodeOK, false, "ConsultTo(c1,8001,outside:13700000000,false)"},
		{"three-way with an outside number", wire.ModeVoip, wire.MethodThreeway, `{"CallId":"c1","AgentPhone":"13700000000"}`,
			wire.CodeOK, false, "ConsultTo(c1,8001,outside:13700000000,true)"},
		{"consult a queue", wire.ModeVoip, wire.MethodConsultation, `{"CallId":"c1","AgentPhone":"xxx"}`,
			wire.CodeBadParams, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, fc := startFront(t, Options{AppId: "app"})
			f.mu.Lock()
			f.agentLocked("8001").mode = c.mode
			f.mu.Unlock()
			env := f.handle("8001", c.method, []byte(c.params))
			if env.Code != c.code || bool(env.Visible) != c.visible {
				t.Fatalf("%s: code %s visible %v (%q), want %s visible %v", c.method, env.Code, env.Visible, env.Message, c.code, c.visible)
			}
			if c.code == wire.CodeModeMismatch && c.method == wire.MethodMute && env.Message != "注:只有在网页电话模式下才有此功能" {
				t.Errorf("message %q, want the document's note", env.Message)
			}
			if got := fc.took(); got != c.center {
				t.Fatalf("the center was asked %q, want %q", got, c.center)
			}
		})
	}
}

// TestModeSetsTheDevice: cellphone mode rings the agent's simulated mobile
// (a device elsewhere of the center); the other modes ring the SIP front's
// registration. The web phone's account is the SIP front's WebSocket URL.
func TestModeSetsTheDevice(t *testing.T) {
	f, fc := startFront(t, Options{AppId: "app", Profiles: map[string]Profile{"8002": {Mobile: "13912345678"}}})
	for _, c := range []struct{ agent, mode, want string }{
		{"8001", wire.ModeCellphone, "SetAgentDevice(8001,callback,13800008001)"},
		{"8002", wire.ModeCellphone, "SetAgentDevice(8002,callback,13912345678)"},
		{"8001", wire.ModeWebRTC, "SetAgentDevice(8001,front,)"},
		{"8001", wire.ModeWebRTC, ""}, // unchanged
	} {
		if env := f.handle(c.agent, wire.MethodSetPhoneMode, []byte(`{"PhoneMode":"`+c.mode+`"}`)); !env.OK() {
			t.Fatalf("%s %s: %+v", c.agent, c.mode, env)
		}
		if got := fc.took(); got != c.want {
			t.Fatalf("%s %s: the center was asked %q, want %q", c.agent, c.mode, got, c.want)
		}
	}
	if env := f.handle("8001", wire.MethodGetWebPhoneInfo, nil); env.OK() || env.Code != wire.CodeNotAllowed {
		t.Fatalf("a web phone account without a web phone server: %+v", env)
	}
	g, _ := startFront(t, Options{AppId: "app", WebPhoneServer: "wss://127.0.0.1:7443/ws"})
	var info wire.TerminalInfo
	env := g.handle("8001", wire.MethodGetWebPhoneInfo, nil)
	if err := wire.DecodeData(env.Data, &info); err != nil || info.SipServer != "wss://127.0.0.1:7443/ws" || info.Number != "8001" || info.Password == "" {
		t.Fatalf("%+v %v", info, err)
	}
}
