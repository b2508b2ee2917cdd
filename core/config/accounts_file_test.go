package config

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// testValidator stands in for the platform registry: platform "sip" has
// a required server and a transport choice.
func testValidator(platform string, fields map[string]string) error {
	switch platform {
	case "sip":
	case "udesk":
		return nil
	default:
		return fmt.Errorf("platform %q: %w", platform, ErrUnknownPlatform)
	}
	for k := range fields {
		if k != "server" && k != "transport" && k != "port" && k != "user" {
			return &FieldError{Field: k, Err: errors.New("unknown field")}
		}
	}
	if fields["server"] == "" {
		return &FieldError{Field: "server", Err: errors.New("required")}
	}
	if t, ok := fields["transport"]; ok && !slices.Contains([]string{"udp", "tcp", "tls", "ws", "wss"}, t) {
		return &FieldError{Field: "transport", Err: errors.New("must be one of udp, tcp, tls, ws, wss")}
	}
	return nil
}

func TestDecodeAccounts(t *testing.T) {
	src := `version = 1

[[account]]
name = "office"
platform = "sip"
remember_password = true
auto_login = true
[account.fields]
server = "sip.example.com"
transport = "tls"
port = 5061
user = 1001

[[account]]
name = "客服一组"
platform = "udesk"
`
	got, warnings, err := decodeAccounts([]byte(src), testValidator)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	want := []Account{
		{Name: "office", Platform: "sip", RememberPassword: true, AutoLogin: true,
			Fields: map[string]string{"server": "sip.example.com", "transport": "tls", "port": "5061", "user": "1001"}},
		{Name: "客服一组", Platform: "udesk"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

// TestDecodeAccountsMessages pins the messages: file, line, account, field.
func TestDecodeAccountsMessages(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each error's text, in order
		is   error
	}{
		{
			name: "bad choice",
			src:  "[[account]]\nname = \"office\"\nplatform = \"sip\"\n[account.fields]\nserver = \"s\"\ntransport = \"carrier-pigeon\"\n",
			want: []string{`accounts.toml:6: account "office": field "transport": must be one of udp, tcp, tls, ws, wss`},
		},
		{
			name: "missing required field points at the fields table",
			src:  "[[account]]\nname = \"office\"\nplatform = \"sip\"\n[account.fields]\ntransport = \"udp\"\n",
			want: []string{`accounts.toml:4: account "office": field "server": required`},
		},
		{
			name: "unknown platform",
			src:  "[[account]]\nname = \"x\"\n\nplatform = \"fax\"\n",
			want: []string{`accounts.toml:4: account "x": field "platform": platform "fax": config: unknown platform`},
			is:   ErrUnknownPlatform,
		},
		{
			name: "secret in file",
			src:  "[[account]]\nname = \"office\"\nplatform = \"udesk\"\nfields = { appId = \"a\", token = \"t0k\" }\n",
			want: []string{`accounts.toml:4: account "office": field "token": looks like a password or token; secrets are kept in the system keyring, never in accounts.toml`},
			is:   ErrSecretField,
		},
		{
			name: "bad names and duplicates, all reported",
			src: "[[account]]\nname = \"a/b\"\nplatform = \"udesk\"\n" +
				"[[account]]\nname = \"dup\"\nplatform = \"udesk\"\n" +
				"[[account]]\nplatform = \"udesk\"\nname = \"dup\"\n" +
				"[[account]]\nname = \"\"\n",
			want: []string{
				`accounts.toml:2: account "a/b": field "name": must not contain "/" or "\"`,
				`accounts.toml:9: account "dup": field "name": is used twice (first on line 5)`,
				`accounts.toml:11: field "name": is empty`,
				`accounts.toml:10: field "platform": is empty`,
			},
		},
		{
			name: "table as a field value",
			src:  "[[account]]\nname = \"o\"\nplatform = \"udesk\"\n[account.fields]\na = \"1\"\n[account.fields.sub]\nb = 2\n",
			want: []string{`accounts.toml:6: account "o": field "sub": must be a single value (text, number or true/false)`},
		},
		{
			name: "syntax error",
			src:  "[[account]]\nname = \"o\nplatform = \"sip\"\n",
			want: []string{`accounts.toml:2: not valid TOML: `},
		},
		{
			name: "wrong type",
			src:  "[[account]]\nname = \"o\"\nplatform = \"udesk\"\nauto_login = \"yes\"\n",
			want: []string{`accounts.toml:4: incompatible types: TOML value has type string; destination has type boolean`},
		},
		{
			name: "newer version",
			src:  "version = 7\n[[account]]\nname = \"o\"\nplatform = \"udesk\"\n",
			want: []string{`accounts.toml:1: field "version": format version 7 is newer than this agentbar understands (1); update agentbar`},
			is:   ErrNewerVersion,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeAccounts([]byte(tt.src), testValidator)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%v does not match ErrInvalid", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v does not match %v", err, tt.is)
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors:\n%s\nwant %d", len(got), err, len(tt.want))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDecodeAccountsWarnsAboutUnknownKeys(t *testing.T) {
	src := "[[account]]\nname = \"a\"\nplatform = \"udesk\"\nremember_pasword = true\n\n[[account]]\nname = \"b\"\nplatform = \"udesk\"\nremember_pasword = false\n[extra]\nx = 1\n"
	accounts, warnings, err := decodeAccounts([]byte(src), nil)
	if err != nil || len(accounts) != 2 {
		t.Fatalf("accounts %v, err %v", accounts, err)
	}
	var got []string
	for _, w := range warnings {
		got = append(got, w.String())
	}
	want := []string{
		`accounts.toml:4: unknown key "account.remember_pasword" ignored`,
		`accounts.toml:9: unknown key "account.remember_pasword" ignored`,
		`accounts.toml:10: unknown key "extra" ignored`,
		`accounts.toml:11: unknown key "extra.x" ignored`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEncodeDecodeAccountsRoundTrip(t *testing.T) {
	in := []Account{
		{Name: "office", Platform: "sip", RememberPassword: true,
			Fields: map[string]string{"server": "sip.example.com", "transport": "wss", "user": "\"quoted\" \\ 中文\n"}},
		{Name: "a b.c", Platform: "udesk", AutoLogin: true},
	}
	data, err := encodeAccounts(in)
	if err != nil {
		t.Fatal(err)
	}
	out, warnings, err := decodeAccounts(data, testValidator)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("decode: %v, warnings %v\n%s", err, warnings, data)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip changed accounts:\n in %+v\nout %+v", in, out)
	}
}

// FuzzDecodeAccounts: any file, no panic; what is accepted is valid, and
// survives a write and a read unchanged.
func FuzzDecodeAccounts(f *testing.F) {
	f.Add("version = 1\n[[account]]\nname = \"office\"\nplatform = \"sip\"\n[account.fields]\nserver = \"s\"\nport = 5060\n")
	f.Add("[[account]]\nname = \"a\"\nplatform = \"udesk\"\nfields = { x = 1.5, y = true }\n")
	f.Add("[[account]]\nname = \"a/b\"\n")
	f.Add("version = 2\n")
	f.Add("[[account]]\nname = \"x\"\nplatform = \"p\"\nfields.password = \"p\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		accounts, _, err := decodeAccounts([]byte(src), nil)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		names := map[string]bool{}
		for _, a := range accounts {
			if problems := accountProblems(a, nil); len(problems) > 0 {
				t.Fatalf("accepted an invalid account %+v: %v", a, problems)
			}
			if names[a.Name] {
				t.Fatalf("accepted duplicate %q", a.Name)
			}
			names[a.Name] = true
		}
		data, err := encodeAccounts(accounts)
		if err != nil {
			t.Fatal(err)
		}
		again, _, err := decodeAccounts(data, nil)
		if err != nil {
			t.Fatalf("re-reading our own output: %v\n%s", err, data)
		}
		if len(again) != len(accounts) {
			t.Fatalf("round trip: %d accounts, want %d", len(again), len(accounts))
		}
		for i := range again {
			a, b := accounts[i], again[i]
			if a.Name != b.Name || a.Platform != b.Platform || a.AutoLogin != b.AutoLogin ||
				a.RememberPassword != b.RememberPassword || !maps.Equal(a.Fields, b.Fields) {
				t.Fatalf("round trip changed %+v into %+v", a, b)
			}
		}
	})
}
