package config

import (
	"errors"
	"strings"
	"testing"
)

// platformError is a validator error with the platform's own sentence, as
// core.FieldError has.
type platformError struct{}

func (platformError) Error() string {
	return "platform sip: field \"transport\": must be one of udp, tcp"
}
func (platformError) Sentence(lang string) string {
	if lang == "en" {
		return "Account setting \"transport\" is not right: must be one of udp, tcp."
	}
	return "账号设置“transport”有误：必须是 udp、tcp 之一。"
}
func (platformError) FieldKey() string { return "transport" }

func TestValidationErrorText(t *testing.T) {
	tests := []struct {
		name         string
		err          *ValidationError
		text, zh, en string
	}{
		{
			name: "the brief's example",
			err: &ValidationError{File: AccountsFile, Account: "office", Field: "transport",
				Problem: "must be one of udp, tcp, tls, ws, wss", ProblemZh: "必须是 udp、tcp、tls、ws、wss 之一"},
			text: `accounts.toml: account "office": field "transport": must be one of udp, tcp, tls, ws, wss`,
			zh:   "配置文件 accounts.toml，账号“office”的设置“transport”有误：必须是 udp、tcp、tls、ws、wss 之一。",
			en:   "Settings file accounts.toml, account “office”, setting “transport”: must be one of udp, tcp, tls, ws, wss.",
		},
		{
			name: "settings with a line",
			err: &ValidationError{File: SettingsFile, Line: 3, Field: "ui.language",
				Problem: "must be one of system, zh, en", ProblemZh: "必须是 system、zh、en 之一"},
			text: `settings.toml:3: field "ui.language": must be one of system, zh, en`,
			zh:   "配置文件 settings.toml 第 3 行的设置“ui.language”有误：必须是 system、zh、en 之一。",
			en:   "Settings file settings.toml, line 3, setting “ui.language”: must be one of system, zh, en.",
		},
		{
			name: "no line, no account",
			err:  &ValidationError{File: SettingsFile, Field: "ui.theme", Problem: "must be one of system, light, dark"},
			text: `settings.toml: field "ui.theme": must be one of system, light, dark`,
			zh:   "配置文件 settings.toml 中的设置“ui.theme”有误：must be one of system, light, dark。",
			en:   "Settings file settings.toml, setting “ui.theme”: must be one of system, light, dark.",
		},
		{
			name: "the platform's own sentence",
			err: &ValidationError{File: AccountsFile, Line: 7, Account: "office", Field: "transport",
				Problem: "must be one of udp, tcp", Err: platformError{}},
			text: `accounts.toml:7: account "office": field "transport": must be one of udp, tcp`,
			zh:   "配置文件 accounts.toml 第 7 行，账号“office”：账号设置“transport”有误：必须是 udp、tcp 之一。",
			en:   "Settings file accounts.toml, line 7, account “office”: Account setting \"transport\" is not right: must be one of udp, tcp.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.text {
				t.Errorf("Error()\n got %s\nwant %s", got, tt.text)
			}
			if got := tt.err.Sentence("zh"); got != tt.zh {
				t.Errorf("Sentence(zh)\n got %s\nwant %s", got, tt.zh)
			}
			if got := tt.err.Sentence("en"); got != tt.en {
				t.Errorf("Sentence(en)\n got %s\nwant %s", got, tt.en)
			}
			if !errors.Is(tt.err, ErrInvalid) {
				t.Error("not ErrInvalid")
			}
		})
	}
}

// TestValidatorErrorOnLoad runs a registry-like validator error through
// loading: it lands on the field's line, keeps the platform's sentence, and
// does not repeat the field name.
func TestValidatorErrorOnLoad(t *testing.T) {
	src := "[[account]]\nname = \"office\"\nplatform = \"sip\"\n[account.fields]\nserver = \"s\"\ntransport = \"x\"\n"
	_, _, err := decodeAccounts([]byte(src), func(string, map[string]string) error { return platformError{} })
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%v is not a *ValidationError", err)
	}
	if got, want := ve.Error(), `accounts.toml:6: account "office": field "transport": must be one of udp, tcp`; got != want {
		t.Errorf("Error()\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(ve.Sentence("zh"), "第 6 行") || !strings.Contains(ve.Sentence("zh"), "必须是 udp、tcp 之一") {
		t.Errorf("Sentence(zh) = %s", ve.Sentence("zh"))
	}
	var pe platformError
	if !errors.As(err, &pe) {
		t.Error("the validator's error is not reachable with errors.As")
	}
}
