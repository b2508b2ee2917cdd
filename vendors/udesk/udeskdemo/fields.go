package udeskdemo

import (
	"slices"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// fields are the demo's settings; all have defaults, so `agentbar
// --demo=udesk` needs none.
var fields = []core.Field{
	{Key: "login_as", Kind: core.FieldChoice, Default: "8001",
		Label: core.Text{ZH: "登录身份", EN: "Sign in as"},
		Choices: []core.Choice{
			{Value: "8001", Label: core.Text{ZH: "演示坐席 8001", EN: "Demo agent 8001"}},
			{Value: "8000", Label: core.Text{ZH: "演示班长 8000", EN: "Demo supervisor 8000"}},
		}},
	{Key: "phone_mode", Kind: core.FieldChoice, Default: wire.ModeVoip,
		Label: core.Text{ZH: "话机模式", EN: "Phone mode"},
		Choices: []core.Choice{
			{Value: wire.ModeVoip, Label: core.Text{ZH: "IP 话机（本机软电话，有声音）", EN: "IP phone (this softphone, with audio)"}},
			{Value: wire.ModeWebRTC, Label: core.Text{ZH: "网页电话（WebRTC，有声音）", EN: "Web phone (WebRTC, with audio)"}},
			{Value: wire.ModeCellphone, Label: core.Text{ZH: "手机（模拟，无声音）", EN: "Cellphone (simulated, no audio)"}},
		}},
	{Key: "arrival_seconds", Kind: core.FieldNumber, Default: "30",
		Label: core.Text{ZH: "平均来电间隔（秒）", EN: "Mean seconds between callers"},
		Help:  core.Text{ZH: "0 表示没有随机来电", EN: "0: no random callers"}},
	{Key: "speech", Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "模拟客户说话（需要 espeak-ng）", EN: "Simulated customers speak (needs espeak-ng)"}},
}

// Info is the demo's registration.
// platformID is what main's startDemo looks for with --demo=udesk.
const platformID = "demo-udesk"

// PlatformInfo is the demo's registration (a fresh copy each time).
func PlatformInfo() core.Info {
	return core.Info{
		ID:     platformID,
		Name:   core.Text{ZH: "Udesk 演示", EN: "Udesk demo"},
		Fields: slices.Clone(fields),
		New:    New,
		Demo:   true,
	}
}

func init() { core.Register(PlatformInfo()) }
