package app

import (
	"errors"
	"fmt"
)

// Sentinel errors of the application layer.
var (
	// ErrNoAccount: there is no saved account of that name (or none at all).
	ErrNoAccount = errors.New("app: no such account")
	// ErrNeedPassword: the account's password is not saved and none was given.
	ErrNeedPassword = errors.New("app: password needed")
	// ErrAmbiguousAccount: several accounts are saved and none was named.
	ErrAmbiguousAccount = errors.New("app: several accounts; name one")
)

// AccountError names the account a failure is about.
type AccountError struct {
	Account string
	Err     error
}

func (e *AccountError) Error() string { return fmt.Sprintf("account %q: %v", e.Account, e.Err) }

// Unwrap returns the cause.
func (e *AccountError) Unwrap() error { return e.Err }

// Sentence implements core.Sentencer.
func (e *AccountError) Sentence(lang string) string {
	en := lang == "en"
	switch {
	case errors.Is(e.Err, ErrNoAccount) && e.Account == "":
		if en {
			return "No account is saved yet. Add one with `agentbar account add` or in the sign-in window."
		}
		return "还没有保存任何账号。请用 `agentbar account add` 或在登录窗口添加账号。"
	case errors.Is(e.Err, ErrNoAccount):
		if en {
			return fmt.Sprintf("There is no saved account called \"%s\". `agentbar account list` shows the saved ones.", e.Account)
		}
		return fmt.Sprintf("没有名为“%s”的账号。运行 `agentbar account list` 查看已保存的账号。", e.Account)
	case errors.Is(e.Err, ErrAmbiguousAccount):
		if en {
			return "Several accounts are saved; say which one to use (--account NAME)."
		}
		return "保存了多个账号，请指定要使用的账号（--account 账号名）。"
	case errors.Is(e.Err, ErrNeedPassword):
		if en {
			return fmt.Sprintf("The password of \"%s\" is not saved. Type it in, or save it with \"remember password\".", e.Account)
		}
		return fmt.Sprintf("账号“%s”没有保存密码。请输入密码，或勾选“记住密码”保存到系统钥匙串。", e.Account)
	}
	return ""
}
