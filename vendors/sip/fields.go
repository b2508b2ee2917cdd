package sip

import "agentbar/core"

// fields are the settings of a plain SIP account, in the order the sign-in
// form shows them. Keys are what `agentbar account add --set KEY=VALUE` takes.
var fields = []core.Field{
	{Key: "uri", Kind: core.FieldText, Required: true,
		Label: core.Text{ZH: "SIP 地址", EN: "SIP address"},
		Help:  core.Text{ZH: "例如 sip:1001@pbx.example.com", EN: "e.g. sip:1001@pbx.example.com"}},
	{Key: "password", Kind: core.FieldSecret,
		Label: core.Text{ZH: "密码", EN: "Password"}},
	{Key: "register", Kind: core.FieldBool, Default: "true",
		Label: core.Text{ZH: "向服务器注册", EN: "Register with the server"},
		Help:  core.Text{ZH: "关闭后为点对点 IP 直拨", EN: "Off: direct IP calls without a registrar"}},
	{Key: "transport", Kind: core.FieldChoice, Default: "udp",
		Label:   core.Text{ZH: "传输协议", EN: "Transport"},
		Choices: []core.Choice{{Value: "udp", Label: core.Text{ZH: "UDP", EN: "UDP"}}, {Value: "tcp", Label: core.Text{ZH: "TCP", EN: "TCP"}}, {Value: "tls", Label: core.Text{ZH: "TLS（加密）", EN: "TLS (encrypted)"}}}},
	{Key: "proxy", Kind: core.FieldText,
		Label: core.Text{ZH: "出站代理", EN: "Outbound proxy"},
		Help:  core.Text{ZH: "例如 sip:proxy.example.com:5060，可留空", EN: "e.g. sip:proxy.example.com:5060, optional"}},
	{Key: "auth_user", Kind: core.FieldText,
		Label: core.Text{ZH: "认证用户名", EN: "Auth user"},
		Help:  core.Text{ZH: "留空则使用 SIP 地址中的用户名", EN: "Empty: the user of the SIP address"}},
	{Key: "display_name", Kind: core.FieldText, Label: core.Text{ZH: "显示名称", EN: "Display name"}},
	{Key: "realm", Kind: core.FieldText, Label: core.Text{ZH: "认证域（realm）", EN: "Realm"}},
	{Key: "expiry", Kind: core.FieldNumber, Default: "600",
		Label: core.Text{ZH: "注册有效期（秒）", EN: "Registration expiry (s)"}},
	{Key: "ca_file", Kind: core.FieldText,
		Label: core.Text{ZH: "自定义 CA 证书文件", EN: "Custom CA file"},
		Help:  core.Text{ZH: "TLS 时用于校验服务器证书（PEM）", EN: "PEM file to verify the server's TLS certificate"}},
	{Key: "codecs", Kind: core.FieldText, Default: "PCMU,PCMA",
		Label: core.Text{ZH: "编码优先顺序", EN: "Codec order"}},
	{Key: "dtmf_mode", Kind: core.FieldChoice, Default: "rfc4733",
		Label:   core.Text{ZH: "按键方式", EN: "DTMF mode"},
		Choices: []core.Choice{{Value: "rfc4733", Label: core.Text{ZH: "RFC 4733（RTP）", EN: "RFC 4733 (RTP)"}}, {Value: "info", Label: core.Text{ZH: "SIP INFO", EN: "SIP INFO"}}}},
	{Key: "auto_answer", Kind: core.FieldBool, Default: "false", Label: core.Text{ZH: "自动接听", EN: "Auto-answer"}},
	{Key: "answer_after", Kind: core.FieldBool, Default: "false",
		Label: core.Text{ZH: "服务器要求时自动接听", EN: "Auto-answer when the server asks"},
		Help:  core.Text{ZH: "Call-Info answer-after / Alert-Info", EN: "Call-Info answer-after / Alert-Info"}},
	{Key: "busy_code", Kind: core.FieldChoice, Default: "486",
		Label:   core.Text{ZH: "忙碌时拒接方式", EN: "Busy answers with"},
		Choices: []core.Choice{{Value: "486", Label: core.Text{ZH: "486 忙", EN: "486 Busy Here"}}, {Value: "603", Label: core.Text{ZH: "603 拒绝", EN: "603 Decline"}}}},
	{Key: "local_ip", Kind: core.FieldText, Label: core.Text{ZH: "本机地址", EN: "Local address"}},
	{Key: "port", Kind: core.FieldNumber, Label: core.Text{ZH: "本机 SIP 端口", EN: "Local SIP port"}},
}

func init() {
	core.Register(core.Info{
		ID:     "sip",
		Name:   core.Text{ZH: "SIP 账号", EN: "Plain SIP"},
		Fields: fields,
		New:    New,
	})
}
