package secrets

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestUnavailableSentences(t *testing.T) {
	raw := errors.New("dial unix /nonexistent: connect: no such file or directory")
	tests := []struct {
		reason         Reason
		op             string
		zhWant, enWant []string // all must appear
	}{
		{ReasonNoBus, OpSet, []string{"D-Bus", "保存密码", "gnome-keyring", "KeePassXC", "记住密码"},
			[]string{"D-Bus", "save your password", "gnome-keyring", "KeePassXC", "Remember password"}},
		{ReasonNoService, OpGet, []string{"Secret Service", "读取保存的密码", "gnome-keyring", "KeePassXC", "记住密码"},
			[]string{"Secret Service", "read your saved password", "gnome-keyring", "KeePassXC", "Remember password"}},
		{ReasonLocked, OpSet, []string{"锁定", "解锁", "记住密码"},
			[]string{"locked", "Unlock", "Remember password"}},
		{ReasonTimeout, OpProbe, []string{"1.5 秒", "没有响应", "记住密码"},
			[]string{"1.5 seconds", "did not answer", "Remember password"}},
		{ReasonFailed, OpDelete, []string{"删除保存的密码", "出错", "记住密码"},
			[]string{"delete your saved password", "error", "Remember password"}},
	}
	for _, tt := range tests {
		t.Run(tt.reason.String(), func(t *testing.T) {
			e := &UnavailableError{Op: tt.op, Key: "office/password", Reason: tt.reason, Timeout: 1500 * time.Millisecond, Err: raw}
			zh, en := e.Sentence("zh"), e.Sentence("en")
			if !hasHan(zh) || hasHan(en) {
				t.Errorf("languages mixed up: zh %q, en %q", zh, en)
			}
			for _, w := range tt.zhWant {
				if !strings.Contains(zh, w) {
					t.Errorf("zh sentence %q lacks %q", zh, w)
				}
			}
			for _, w := range tt.enWant {
				if !strings.Contains(en, w) {
					t.Errorf("en sentence %q lacks %q", en, w)
				}
			}
			if strings.Contains(zh, raw.Error()) || strings.Contains(en, raw.Error()) {
				t.Errorf("technical detail leaked into the sentence")
			}
			if !strings.Contains(e.Error(), raw.Error()) || !strings.Contains(e.Error(), "office/password") {
				t.Errorf("Error() %q lacks the technical detail", e.Error())
			}
			if e.Sentence("") != zh || e.Sentence("en-US") != en {
				t.Errorf("Chinese should be the default and en-US should be English")
			}
		})
	}
}

func TestUnavailableIs(t *testing.T) {
	timeout := &UnavailableError{Op: OpGet, Reason: ReasonTimeout}
	locked := &UnavailableError{Op: OpGet, Reason: ReasonLocked}
	if !errors.Is(timeout, ErrTimeout) || !errors.Is(timeout, ErrNoSecretService) {
		t.Error("a timeout must match ErrTimeout and ErrNoSecretService")
	}
	if errors.Is(locked, ErrTimeout) || !errors.Is(locked, ErrNoSecretService) || errors.Is(locked, ErrNotFound) {
		t.Error("a locked keyring must match only ErrNoSecretService")
	}
	if got := Reason(99).String(); got != "Reason(99)" {
		t.Errorf("Reason(99) = %q", got)
	}
}
