package emicdemo

import (
	"slices"

	"agentbar/core"
	"agentbar/vendors/callcenter/demokit"
	"agentbar/vendors/emicnet/wire"
)

// Field keys of the demo.
const (
	fieldLoginAs    = demokit.FieldLoginAs
	fieldCallintype = "callintype"
	fieldArrival    = demokit.FieldArrival
	fieldSpeech     = demokit.FieldSpeech
)

// fields are the demo's settings; all have defaults, so `agentbar
// --demo=emicnet` needs none.
var fields = []core.Field{
	{Key: fieldLoginAs, Kind: core.FieldChoice, Default: "8001",
		Label: core.Text{ZH: "登录身份", EN: "Sign in as"},
		Choices: []core.Choice{
			{Value: "8001", Label: core.Text{ZH: "演示坐席 8001", EN: "Demo agent 8001"}},
			{Value: "8000", Label: core.Text{ZH: "演示班长 8000（可监听本组通话）", EN: "Demo supervisor 8000 (monitors the group's calls)"}},
		}},
	{Key: fieldCallintype, Kind: core.FieldChoice, Default: string(wire.CallInVoIP),
		Label: core.Text{ZH: "接听方式（callintype）", EN: "Answer on (callintype)"},
		Choices: []core.Choice{
			{Value: string(wire.CallInVoIP), Label: core.Text{ZH: "本机软电话（voip，有声音）", EN: "This softphone (voip, with audio)"}},
			{Value: string(wire.CallInCallback), Label: core.Text{ZH: "回拨话机（模拟，无声音）", EN: "Callback phone (simulated, no audio here)"}},
			{Value: string(wire.CallInSIPPhone), Label: core.Text{ZH: "SIP 话机（模拟，无声音）", EN: "SIP desk phone (simulated, no audio here)"}},
		}},
	{Key: fieldArrival, Kind: core.FieldNumber, Default: "30",
		Label: core.Text{ZH: "平均来电间隔（秒）", EN: "Mean seconds between callers"},
		Help:  core.Text{ZH: "0 表示没有随机来电", EN: "0: no random callers"}},
	{Key: fieldSpeech, Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "模拟客户说话（需要 espeak-ng）", EN: "Simulated customers speak (needs espeak-ng)"}},
}

// platformID is what main's startDemo looks for with --demo=emicnet.
const platformID = "demo-emicnet"

// PlatformInfo is the demo's registration (a fresh copy each time).
func PlatformInfo() core.Info {
	return core.Info{
		ID:     platformID,
		Name:   core.Text{ZH: "易米演示", EN: "Emicnet demo"},
		Fields: slices.Clone(fields),
		New:    New,
		Demo:   true,
	}
}

func init() { core.Register(PlatformInfo()) }
