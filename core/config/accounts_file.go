package config

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"
)

// File names inside the config directory.
const (
	AccountsFile = "accounts.toml"
	SettingsFile = "settings.toml"
)

// formatVersion is the "version" both files are written with.
const formatVersion = 1

const accountsHeader = `# agentbar accounts. Passwords and tokens are not in this file: they are
# kept in the system keyring. agentbar rewrites this file when accounts
# change, so comments added here are not kept.

`

// accountRecord is an account as read from accounts.toml. Field values are
// taken loosely, so that port = 5060 and use_stun = true read as the
// strings "5060" and "true".
type accountRecord struct {
	Name             string         `toml:"name"`
	Platform         string         `toml:"platform"`
	RememberPassword bool           `toml:"remember_password"`
	AutoLogin        bool           `toml:"auto_login"`
	Fields           map[string]any `toml:"fields"`
}

// accountOut is an account as written to accounts.toml.
type accountOut struct {
	Name             string            `toml:"name"`
	Platform         string            `toml:"platform"`
	RememberPassword bool              `toml:"remember_password"`
	AutoLogin        bool              `toml:"auto_login"`
	Fields           map[string]string `toml:"fields,omitempty"`
}

// decodeAccounts reads and validates accounts.toml. Every problem is
// reported, each as a *ValidationError with its line, joined.
func decodeAccounts(src []byte, validate FieldValidator) ([]Account, []Warning, error) {
	var doc struct {
		Version  int             `toml:"version"`
		Accounts []accountRecord `toml:"account"`
	}
	md, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&doc)
	if err != nil {
		return nil, nil, decodeError(AccountsFile, err)
	}
	lines := scanKeyLines(string(src))
	warnings := unknownKeyWarnings(AccountsFile, md, lines)
	if err := versionError(AccountsFile, doc.Version, lines); err != nil {
		return nil, warnings, err
	}

	var errs []error
	accounts := make([]Account, 0, len(doc.Accounts))
	firstLine := map[string]int{} // name → line of its first [[account]]
	for i, rec := range doc.Accounts {
		at := func(field string) int { return lines.line(fmt.Sprintf("account[%d].%s", i, field)) }
		a := Account{
			Name:             rec.Name,
			Platform:         rec.Platform,
			RememberPassword: rec.RememberPassword,
			AutoLogin:        rec.AutoLogin,
		}
		var problems []fieldProblem
		if len(rec.Fields) > 0 {
			a.Fields = make(map[string]string, len(rec.Fields))
			for k, v := range rec.Fields {
				s, ok := scalarString(v)
				if !ok {
					problems = append(problems, fieldProblem{"fields." + k,
						problemErr("must be a single value (text, number or true/false)", "必须是单个值（文字、数字或 true/false）")})
					continue
				}
				a.Fields[k] = s
			}
		}
		if len(problems) == 0 {
			problems = accountProblems(a, validate)
		}
		if first, dup := firstLine[a.Name]; dup && a.Name != "" {
			problems = append(problems, fieldProblem{"name", problemErr(
				fmt.Sprintf("is used twice (first on line %d)", first),
				fmt.Sprintf("重复（第 %d 行已使用）", first))})
		} else {
			firstLine[a.Name] = at("name")
		}
		for _, p := range problems {
			errs = append(errs, problemError(AccountsFile, at(p.field), a.Name, p))
		}
		accounts = append(accounts, a)
	}
	if len(errs) > 0 {
		return nil, warnings, errors.Join(errs...)
	}
	return accounts, warnings, nil
}

// scalarString renders a TOML scalar as the string a field holds.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	case time.Time:
		return v.Format(time.RFC3339Nano), true
	}
	return "", false
}

// encodeAccounts writes accounts as accounts.toml.
func encodeAccounts(accounts []Account) ([]byte, error) {
	doc := struct {
		Version  int          `toml:"version"`
		Accounts []accountOut `toml:"account"`
	}{Version: formatVersion}
	for _, a := range accounts {
		doc.Accounts = append(doc.Accounts, accountOut{
			Name:             a.Name,
			Platform:         a.Platform,
			RememberPassword: a.RememberPassword,
			AutoLogin:        a.AutoLogin,
			Fields:           a.Fields,
		})
	}
	var buf bytes.Buffer
	buf.WriteString(accountsHeader)
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("config: encode %s: %w", AccountsFile, err)
	}
	return buf.Bytes(), nil
}
