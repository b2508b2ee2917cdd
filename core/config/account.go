package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldValidator checks an account's platform fields: that the platform
// exists (wrap ErrUnknownPlatform when it does not), that required fields
// are there, that choices and URLs are valid. Return a *FieldError, or any
// error with a FieldKey() string method, to point the message at one
// field; an error with a Sentence(lang string) string method gives the
// agent the platform's own words. fields is the validator's own copy.
type FieldValidator func(platform string, fields map[string]string) error

// Account is one saved sign-in: which platform, and that platform's
// settings. Its password or token is not here; it is in the keyring under
// the account's name (core/secrets).
type Account struct {
	// Name identifies the account to the agent, in the keyring, and in
	// Store methods. See ValidateAccountName.
	Name string
	// Platform is the id of the platform adapter ("sip", "udesk" ...).
	Platform string
	// Fields are the platform's settings as strings (server, extension,
	// transport ...). Which keys exist is the platform's business; config
	// only refuses keys that look like secrets.
	Fields map[string]string
	// RememberPassword: the secret is saved in the keyring.
	RememberPassword bool
	// AutoLogin: sign in when agentbar starts.
	AutoLogin bool
}

// Clone returns a copy that shares nothing with a.
func (a Account) Clone() Account {
	a.Fields = maps.Clone(a.Fields)
	return a
}

// Limits on an account.
const (
	MaxAccountNameLen = 64   // characters
	MaxFieldKeyLen    = 64   // bytes
	MaxFieldValueLen  = 4096 // bytes
	MaxFields         = 64
)

// ValidateAccountName checks that name can identify an account: not empty,
// at most MaxAccountNameLen characters, valid UTF-8, no path separators or
// control characters, no leading or trailing space, not "." or "..". The
// name is part of keyring keys and may become part of file names.
func ValidateAccountName(name string) error {
	switch {
	case name == "":
		return problemErr("is empty", "不能为空")
	case !utf8.ValidString(name):
		return problemErr("is not valid UTF-8", "含有无效字符")
	case utf8.RuneCountInString(name) > MaxAccountNameLen:
		return problemErr(fmt.Sprintf("is longer than %d characters", MaxAccountNameLen),
			fmt.Sprintf("不能超过 %d 个字符", MaxAccountNameLen))
	case strings.ContainsAny(name, `/\`):
		return problemErr(`must not contain "/" or "\"`, "不能含有“/”或“\\”")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return problemErr("must not contain control characters", "不能含有控制字符")
	case strings.TrimSpace(name) != name:
		return problemErr("must not start or end with a space", "首尾不能有空格")
	case name == "." || name == "..":
		return problemErr(`must not be "." or ".."`, "不能是“.”或“..”")
	}
	return nil
}

// problem is what is wrong with a value, in both languages. The errors of
// ValidateAccountName, ParseShortcut and CheckScreenPop are problems: they
// match ErrInvalid and have a Sentence for the agent.
type problem struct{ en, zh string }

func (p *problem) Error() string { return p.en }

// Is makes a problem match ErrInvalid.
func (p *problem) Is(target error) bool { return target == ErrInvalid }

// Sentence is the problem in lang ("zh", the default, or "en").
func (p *problem) Sentence(lang string) string {
	if strings.HasPrefix(lang, "en") {
		return p.en
	}
	return p.zh
}

func problemErr(en, zh string) error { return &problem{en, zh} }

// accountProblems checks one account on its own (not against the others)
// and returns what is wrong, each with the key path inside the account
// ("name", "fields.transport"). validate may be nil.
func accountProblems(a Account, validate FieldValidator) []fieldProblem {
	var out []fieldProblem
	add := func(field string, err error) { out = append(out, fieldProblem{field, err}) }
	if err := ValidateAccountName(a.Name); err != nil {
		add("name", err)
	}
	if a.Platform == "" {
		add("platform", problemErr("is empty", "不能为空"))
	}
	if len(a.Fields) > MaxFields {
		add("fields", problemErr(fmt.Sprintf("has more than %d entries", MaxFields),
			fmt.Sprintf("不能超过 %d 项", MaxFields)))
	}
	for _, k := range slices.Sorted(maps.Keys(a.Fields)) {
		v := a.Fields[k]
		switch {
		case k == "" || len(k) > MaxFieldKeyLen || !utf8.ValidString(k) || strings.IndexFunc(k, unicode.IsControl) >= 0:
			add("fields."+k, problemErr(fmt.Sprintf("key must be 1 to %d printable bytes", MaxFieldKeyLen),
				fmt.Sprintf("名称须为 1 到 %d 字节的可打印字符", MaxFieldKeyLen)))
		case LooksLikeSecret(k):
			add("fields."+k, &secretFieldError{key: k})
		case len(v) > MaxFieldValueLen || !utf8.ValidString(v):
			add("fields."+k, problemErr(fmt.Sprintf("value must be valid UTF-8 of at most %d bytes", MaxFieldValueLen),
				fmt.Sprintf("值不能超过 %d 字节", MaxFieldValueLen)))
		}
	}
	if len(out) == 0 && validate != nil && a.Platform != "" {
		if err := validate(a.Platform, maps.Clone(a.Fields)); err != nil {
			add(validatorField(err), err)
		}
	}
	return out
}

// fieldProblem is one problem with one key of an account or settings.
type fieldProblem struct {
	field string // key path: "fields.transport", "ui.language"
	err   error  // a *problem, a *secretFieldError, or a validator's error
}

// secretFieldError is a secret-looking key in an account's fields.
type secretFieldError struct{ key string }

func (e *secretFieldError) Error() string {
	return "looks like a password or token; secrets are kept in the system keyring, never in accounts.toml"
}

func (e *secretFieldError) Unwrap() error { return ErrSecretField }

// validatorField is the key path a FieldValidator's error points at.
func validatorField(err error) string {
	var keyed interface{ FieldKey() string }
	if errors.As(err, &keyed) {
		return "fields." + keyed.FieldKey()
	}
	if errors.Is(err, ErrUnknownPlatform) {
		return "platform"
	}
	return ""
}
