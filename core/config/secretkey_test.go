package config

import (
	"slices"
	"testing"
)

func TestLooksLikeSecret(t *testing.T) {
	secret := []string{
		"password", "Password", "PASSWORD", "sipPwd", "sip_password", "sippassword", "pwd",
		"AccountToken", "accountToken", "token", "auth_token", "X-Auth-Token", "secret",
		"app_secret", "appSecret", "client-secret", "api_key", "apiKey", "APIKey", "private key",
		"accessKey", "passphrase", "pin", "voicemail.pin", "credentials", "authorization",
		"cookie", "ha1_passwd", "密码", "登录密码", "mima", "pass", "login.pass",
	}
	public := []string{
		"server", "username", "user", "auth_user", "authUser", "extension", "transport",
		"domain", "outbound_proxy", "agent_id", "AccountSid", "appId", "display_name",
		"token_url", "tokenUrl", "password_policy", "token_expires", "login_mode",
		"passive", "compass", "spinner", "keyboard", "key", "hotkey", "queue",
		"http_domain", "ws_url", "phone_type", "caller_id", "",
	}
	for _, k := range secret {
		if !LooksLikeSecret(k) {
			t.Errorf("LooksLikeSecret(%q) = false, want true", k)
		}
	}
	for _, k := range public {
		if LooksLikeSecret(k) {
			t.Errorf("LooksLikeSecret(%q) = true, want false", k)
		}
	}
}

func TestKeyWords(t *testing.T) {
	tests := []struct {
		key  string
		want []string
	}{
		{"sipPwd", []string{"sip", "pwd"}},
		{"AccountSID", []string{"account", "sid"}},
		{"SIPPassword", []string{"sip", "password"}},
		{"api_key", []string{"api", "key"}},
		{"X-Auth-Token", []string{"x", "auth", "token"}},
		{"user2Name", []string{"user2", "name"}},
		{"登录密码", []string{"登录密码"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := keyWords(tt.key); !slices.Equal(got, tt.want) {
			t.Errorf("keyWords(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
