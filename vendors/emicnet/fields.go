package emicnet

import (
	"slices"

	"agentbar/core"
	"agentbar/vendors/emicnet/wire"
)

// Field keys (docs/vendors/emicnet.md §1). un, pwd, switchnumber, gid,
// callintype and number keep the SDK's spelling.
const (
	fieldAPIURL       = "api_url"
	fieldSocketURI    = "socket_uri"
	fieldSwitchnumber = "switchnumber"
	fieldUn           = "un"
	fieldPwd          = "pwd"
	fieldCallintype   = "callintype"
	fieldNumber       = "number"
	fieldGid          = "gid"
	fieldEncryptKey   = "encrypt_key"
	fieldSupervisor   = "supervisor"
	fieldSTUN         = "stun"
	fieldTURN         = "turn"
	fieldTURNUser     = "turn_user"
	fieldCAFile       = "ca_file"
)

// platformID is the registry id of the platform.
const platformID = "emicnet"

// fields are an Emicnet account's settings, in the order the sign-in form
// shows them.
var fields = []core.Field{
	{Key: fieldAPIURL, Kind: core.FieldURL, Required: true, Schemes: []string{"https", "http"},
		Label: core.Text{ZH: "账号接口地址", EN: "Account API URL"},
		Help:  core.Text{ZH: "getUser / webApiHandler 所在的地址", EN: "Where getUser and webApiHandler are served"}},
	{Key: fieldSocketURI, Kind: core.FieldURL, Required: true, Schemes: []string{"wss", "ws"},
		Label: core.Text{ZH: "网关地址（socketUri）", EN: "Gateway (socketUri)"},
		Help:  core.Text{ZH: "例如 wss://webrtc01.emicloud.com:9060", EN: "e.g. wss://webrtc01.emicloud.com:9060"}},
	{Key: fieldSwitchnumber, Kind: core.FieldText, Required: true,
		Label: core.Text{ZH: "企业总机号", EN: "Switch number"}},
	{Key: fieldUn, Kind: core.FieldText, Required: true,
		Label: core.Text{ZH: "分机号", EN: "Extension"}},
	{Key: fieldPwd, Kind: core.FieldSecret, Required: true,
		Label: core.Text{ZH: "密码", EN: "Password"}},
	{Key: fieldCallintype, Kind: core.FieldChoice, Default: string(wire.CallInVoIP),
		Label: core.Text{ZH: "接听方式（callintype）", EN: "Answer on (callintype)"},
		Choices: []core.Choice{
			{Value: string(wire.CallInVoIP), Label: core.Text{ZH: "本机软电话（voip）", EN: "This softphone (voip)"}},
			{Value: string(wire.CallInCallback), Label: core.Text{ZH: "回拨话机", EN: "Callback phone"}},
			{Value: string(wire.CallInSIPPhone), Label: core.Text{ZH: "SIP 话机", EN: "SIP desk phone"}},
		}},
	{Key: fieldNumber, Kind: core.FieldText,
		Label: core.Text{ZH: "话机号码", EN: "Phone number"},
		Help: core.Text{ZH: "回拨话机或 SIP 话机的号码（这两种方式必填）",
			EN: "The callback or SIP phone's number (required for those two)"}},
	{Key: fieldGid, Kind: core.FieldText,
		Label: core.Text{ZH: "登录技能组", EN: "Skill group"},
		Help:  core.Text{ZH: "留空则为所在的第一个技能组（不在任何组则为 0）", EN: "Empty: the first group the agent is in (0 when none)"}},
	{Key: fieldEncryptKey, Kind: core.FieldSecret,
		Label: core.Text{ZH: "号码加密密钥", EN: "Number encryption key"},
		Help: core.Text{ZH: "与易米约定的加密号码密钥（16、24 或 32 字节）；不拨加密号码可留空",
			EN: "The key agreed with Emicnet for encrypted numbers (16, 24 or 32 bytes); leave empty if you do not dial them"}},
	{Key: fieldSupervisor, Kind: core.FieldBool, Default: "false",
		Label: core.Text{ZH: "班长功能", EN: "Supervisor tools"},
		Help: core.Text{ZH: "显示本组坐席墙和监听、强插；权限仍由平台检查",
			EN: "Show the group wall, listening and barge-in; the platform still checks the role"}},
	{Key: fieldSTUN, Kind: core.FieldText,
		Label: core.Text{ZH: "STUN 服务器", EN: "STUN servers"},
		Help:  core.Text{ZH: "例如 stun:stun.example.com:3478，多个用逗号分隔", EN: "e.g. stun:stun.example.com:3478; separate several with commas"}},
	{Key: fieldTURN, Kind: core.FieldText,
		Label: core.Text{ZH: "TURN 服务器", EN: "TURN servers"},
		Help:  core.Text{ZH: "例如 turn:turn.example.com:3478；认证密码即本账号密码", EN: "e.g. turn:turn.example.com:3478; the credential is this account's password"}},
	{Key: fieldTURNUser, Kind: core.FieldText,
		Label: core.Text{ZH: "TURN 用户名", EN: "TURN user"},
		Help:  core.Text{ZH: "留空则使用分机号", EN: "Empty: the extension"}},
	{Key: fieldCAFile, Kind: core.FieldText,
		Label: core.Text{ZH: "自定义 CA 证书文件", EN: "Custom CA file"},
		Help:  core.Text{ZH: "网关或接口使用私有证书时，用于校验的 PEM 文件", EN: "PEM file to verify a gateway or API with a private certificate"}},
}

// PlatformInfo is the platform's registration (a fresh copy each time:
// tests and the demo change New).
func PlatformInfo() core.Info {
	return core.Info{
		ID:     platformID,
		Name:   core.Text{ZH: "易米云通", EN: "Emicnet"},
		Fields: slices.Clone(fields),
		New:    New,
	}
}

func init() { core.Register(PlatformInfo()) }
