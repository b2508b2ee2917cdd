package demo

import "agentbar/core"

// fields are the demo's few settings; all have defaults, so `agentbar
// --demo` needs none.
var fields = []core.Field{
	{Key: "login_as", Kind: core.FieldChoice, Default: "8001",
		Label: core.Text{ZH: "登录身份", EN: "Sign in as"},
		Choices: []core.Choice{
			{Value: "8001", Label: core.Text{ZH: "演示坐席 8001", EN: "Demo agent 8001"}},
			{Value: "8000", Label: core.Text{ZH: "演示班长 8000", EN: "Demo supervisor 8000"}},
		}},
	{Key: "arrival_seconds", Kind: core.FieldNumber, Default: "30",
		Label: core.Text{ZH: "平均来电间隔（秒）", EN: "Mean seconds between callers"},
		Help:  core.Text{ZH: "0 表示没有随机来电", EN: "0: no random callers"}},
	{Key: "speech", Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "模拟客户说话（需要 espeak-ng）", EN: "Simulated customers speak (needs espeak-ng)"}},
	{Key: "colleagues", Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "模拟同事（8002、8003）", EN: "Simulated colleagues (8002, 8003)"}},
	{Key: "admin_port", Kind: core.FieldNumber, Default: "0",
		Label: core.Text{ZH: "管理接口端口（0 为自动）", EN: "Admin port (0: any free port)"}},
}

func init() {
	core.Register(core.Info{
		ID:     "demo",
		Name:   core.Text{ZH: "演示呼叫中心", EN: "Demo call center"},
		Fields: fields,
		New:    New,
		Demo:   true,
	})
}
