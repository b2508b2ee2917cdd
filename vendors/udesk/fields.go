package udesk

import (
	"crypto/x509"
	"fmt"
	"os"
	"slices"
	"strings"

	"agentbar/core"
	"agentbar/core/webrtc"
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
	fieldCAFile      = "ca_file"
	fieldSTUN        = "stun"
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
			{Value: wire.ModeWebRTC, Label: core.Text{ZH: "网页电话（本机 WebRTC）", EN: "Web phone (WebRTC, here)"}},
		}},
	{Key: fieldAutoConnect, Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "自动连接", EN: "Connect automatically"},
		Help: core.Text{ZH: "断线后自动重连（SDK 的 AutoConnect）",
			EN: "Reconnect by itself when the connection drops (the SDK's AutoConnect)"}},
	{Key: fieldCAFile, Kind: core.FieldText,
		Label: core.Text{ZH: "自定义 CA 证书文件", EN: "Custom CA file"},
		Help: core.Text{ZH: "网页电话模式：用于校验网页电话 WSS 服务器的证书（PEM）；留空使用系统证书",
			EN: "Web phone mode: PEM file to verify the web phone's WSS server; empty: the system's certificates"}},
	{Key: fieldSTUN, Kind: core.FieldText,
		Label: core.Text{ZH: "STUN 服务器", EN: "STUN servers"},
		Help: core.Text{ZH: "网页电话模式，可选：stun:主机:端口，多个用逗号分隔",
			EN: "Web phone mode, optional: stun:host:port, comma-separated"}},
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

// stunServers reads the stun field: STUN URLs for the web phone's ICE.
func stunServers(field string) ([]webrtc.ICEServer, error) {
	var urls []string
	for _, u := range strings.Split(field, ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		lower := strings.ToLower(u)
		if !strings.HasPrefix(lower, "stun:") && !strings.HasPrefix(lower, "stuns:") {
			return nil, &core.FieldError{Platform: platformID, Key: fieldSTUN, Problem: fmt.Sprintf("%q is not a stun: URL", u)}
		}
		urls = append(urls, u)
	}
	if len(urls) == 0 {
		return nil, nil
	}
	return []webrtc.ICEServer{{URLs: urls}}, nil
}

// readCAFile reads the ca_file field: PEM certificates the web phone's WSS
// server is verified against.
func readCAFile(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCAFile, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%w: %s holds no PEM certificate", ErrCAFile, path)
	}
	return pool, nil
}
