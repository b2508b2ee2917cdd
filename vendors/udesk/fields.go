package udesk

import (
	"slices"

	"agentbar/core"
	"agentbar/vendors/udesk/wire"
)

// Field keys. AppId, AgentId, Domain and HttpDomain are the SDK's own
// instance parameters and keep its spelling.
const (
	fieldAppID       = "AppId"
	fieldAgentID     = "AgentId"
	fieldTokenURL    = "token_url"
	fieldTokenSecret = "token_secret"
	fieldDomain      = "Domain"
	fieldHTTPDomain  = "HttpDomain"
	fieldPhoneMode   = "phone_mode"
	fieldAutoConnect = "auto_connect"
	fieldSupervisor  = "supervisor"
)

// fields are a Udesk account's settings, in the order the sign-in form
// shows them.
var fields = []core.Field{
	{Key: fieldAppID, Kind: core.FieldText, Required: true,
		Label: core.Text{ZH: "租户标识（AppId）", EN: "Tenant (AppId)"},
		Help:  core.Text{ZH: "Udesk 分配给贵公司的租户唯一标识", EN: "Your company's tenant id from Udesk"}},
	{Key: fieldAgentID, Kind: core.FieldText, Required: true,
		Label: core.Text{ZH: "坐席标识（AgentId）", EN: "Agent (AgentId)"}},
	{Key: fieldTokenURL, Kind: core.FieldURL, Required: true, Schemes: []string{"http", "https"},
		Label: core.Text{ZH: "令牌服务地址", EN: "Token service URL"},
		Help: core.Text{ZH: "贵公司后端提供的接口，返回 {appId, timestamp, token}",
			EN: "Your company's backend endpoint that returns {appId, timestamp, token}"}},
	{Key: fieldTokenSecret, Kind: core.FieldSecret,
		Label: core.Text{ZH: "令牌服务密钥", EN: "Token service key"},
		Help: core.Text{ZH: "令牌服务需要认证时填写，以 Authorization: Bearer 发送；不需要则留空",
			EN: "Sent as Authorization: Bearer when your token service needs it; leave empty otherwise"}},
	{Key: fieldDomain, Kind: core.FieldURL, Required: true, Schemes: []string{"wss", "ws"},
		Label: core.Text{ZH: "WebSocket 地址（Domain）", EN: "WebSocket address (Domain)"},
		Help:  core.Text{ZH: "例如 wss://tower-xcc1.s4.udesk.cn:443/ws", EN: "e.g. wss://tower-xcc1.s4.udesk.cn:443/ws"}},
	{Key: fieldHTTPDomain, Kind: core.FieldURL, Required: true, Schemes: []string{"https", "http"},
		Label: core.Text{ZH: "接口地址（HttpDomain）", EN: "API address (HttpDomain)"},
		Help:  core.Text{ZH: "例如 https://apigw-xcc1.s4.udesk.cn:443/backend", EN: "e.g. https://apigw-xcc1.s4.udesk.cn:443/backend"}},
	{Key: fieldPhoneMode, Kind: core.FieldChoice, Default: wire.ModeVoip,
		Label: core.Text{ZH: "话机模式", EN: "Phone mode"},
		Choices: []core.Choice{
			{Value: wire.ModeVoip, Label: core.Text{ZH: "IP 话机（本机软电话）", EN: "IP phone (this softphone)"}},
			{Value: wire.ModeCellphone, Label: core.Text{ZH: "手机", EN: "Cellphone"}},
			{Value: wire.ModeWebRTC, Label: core.Text{ZH: "网页电话（暂不支持）", EN: "Web phone (not yet)"}},
		}},
	{Key: fieldAutoConnect, Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "自动连接", EN: "Connect automatically"},
		Help: core.Text{ZH: "断线后自动重连（SDK 的 AutoConnect）",
			EN: "Reconnect by itself when the connection drops (the SDK's AutoConnect)"}},
	{Key: fieldSupervisor, Kind: core.FieldBool, Default: "false",
		Label: core.Text{ZH: "班长功能", EN: "Supervisor tools"},
		Help: core.Text{ZH: "显示坐席监控墙和监听、密语、强插、拦截；权限仍由平台检查",
			EN: "Show the agent wall and listen, whisper, barge-in, take-over; the platform still checks the role"}},
}

// Info is the platform's registration.
// platformID is the registry id of the platform.
const platformID = "udesk"

// PlatformInfo is the platform's registration (a fresh copy each time:
// tests and the demo change New).
func PlatformInfo() core.Info {
	return core.Info{
		ID:     platformID,
		Name:   core.Text{ZH: "Udesk 呼叫中心", EN: "Udesk CC PaaS"},
		Fields: slices.Clone(fields),
		New:    New,
	}
}

func init() { core.Register(PlatformInfo()) }
