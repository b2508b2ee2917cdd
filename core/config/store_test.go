package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := OpenWith(Options{Dir: filepath.Join(t.TempDir(), "agentbar"), ValidateFields: testValidator})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var office = Account{
	Name: "office", Platform: "sip", RememberPassword: true, AutoLogin: true,
	Fields: map[string]string{"server": "sip.example.com", "transport": "tls", "user": "1001"},
}

func TestStoreRoundTrip(t *testing.T) {
	s := openTemp(t)
	if got := s.Accounts(); len(got) != 0 {
		t.Fatalf("fresh store has accounts %v", got)
	}
	if !reflect.DeepEqual(s.Settings(), DefaultSettings()) {
		t.Fatal("fresh store does not have the default settings")
	}
	home := Account{Name: "家里", Platform: "udesk"}
	must(t, s.PutAccount(office))
	must(t, s.PutAccount(home))
	settings := DefaultSettings()
	settings.UI.Language = LanguageEn
	settings.ControlAPI.AllowedOrigins = []string{"https://crm.example.com"}
	must(t, s.PutSettings(settings))

	again, err := OpenWith(Options{Dir: s.Dir(), ValidateFields: testValidator})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := again.Accounts(), []Account{office, home}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reopened accounts %+v, want %+v", got, want)
	}
	if got := again.Settings(); !reflect.DeepEqual(got, settings) {
		t.Fatalf("reopened settings %+v, want %+v", got, settings)
	}
	if w := again.Warnings(); len(w) > 0 {
		t.Fatalf("our own files produce warnings: %v", w)
	}
}

func TestStorePutReplaceRemove(t *testing.T) {
	s := openTemp(t)
	must(t, s.PutAccount(office))
	must(t, s.PutAccount(Account{Name: "b", Platform: "udesk"}))
	changed := office.Clone()
	changed.Fields["transport"] = "wss"
	changed.AutoLogin = false
	must(t, s.PutAccount(changed))
	got := s.Accounts()
	if len(got) != 2 || got[0].Name != "office" || got[0].Fields["transport"] != "wss" || got[0].AutoLogin {
		t.Fatalf("replace in place failed: %+v", got)
	}
	if a, ok := s.Account("office"); !ok || !reflect.DeepEqual(a, changed) {
		t.Fatalf("Account(office) = %+v, %v", a, ok)
	}
	if _, ok := s.Account("nobody"); ok {
		t.Fatal("Account(nobody) found something")
	}
	must(t, s.RemoveAccount("office"))
	if err := s.RemoveAccount("office"); !errors.Is(err, ErrAccountNotFound) {
		t.Fatalf("second RemoveAccount = %v, want ErrAccountNotFound", err)
	}
	reopened, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if got := reopened.Accounts(); len(got) != 1 || got[0].Name != "b" {
		t.Fatalf("after remove, file holds %+v", got)
	}
}

func TestStoreReturnsCopies(t *testing.T) {
	s := openTemp(t)
	a := office.Clone()
	must(t, s.PutAccount(a))
	a.Fields["server"] = "changed-by-caller"
	got, _ := s.Account("office")
	got.Fields["server"] = "changed-again"
	all := s.Accounts()
	all[0].Fields["transport"] = "udp"
	if now, _ := s.Account("office"); now.Fields["server"] != "sip.example.com" || now.Fields["transport"] != "tls" {
		t.Fatalf("store shares maps with callers: %+v", now)
	}
	st := s.Settings()
	st.ControlAPI.AllowedOrigins = append(st.ControlAPI.AllowedOrigins, "https://evil.example")
	if len(s.Settings().ControlAPI.AllowedOrigins) != 0 {
		t.Fatal("store shares AllowedOrigins with callers")
	}
}

// secretKeyLine finds a secret-named key written to a file.
var secretKeyLine = regexp.MustCompile(`(?mi)^\s*"?(password|sippwd|accounttoken|api_key|app_secret)"?\s*=`)

func TestStoreRefusesSecrets(t *testing.T) {
	const secretValue = "hunter2-SECRET-VALUE"
	s := openTemp(t)
	must(t, s.PutAccount(office))
	for _, key := range []string{"password", "sipPwd", "AccountToken", "api_key", "app_secret"} {
		a := office.Clone()
		a.Fields[key] = secretValue
		err := s.PutAccount(a)
		if !errors.Is(err, ErrSecretField) || !errors.Is(err, ErrInvalid) {
			t.Errorf("PutAccount with field %q = %v, want ErrSecretField", key, err)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("field %q", key)) {
			t.Errorf("error %q does not name the field", err)
		}
	}
	// Even with no validator, and even for a brand-new account.
	plain, err := Open(filepath.Join(t.TempDir(), "c"))
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.PutAccount(Account{Name: "n", Platform: "x", Fields: map[string]string{"Password": secretValue}}); !errors.Is(err, ErrSecretField) {
		t.Fatalf("PutAccount = %v, want ErrSecretField", err)
	}
	for _, dir := range []string{s.Dir(), plain.Dir()} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(secretValue)) || secretKeyLine.Match(data) {
				t.Fatalf("%s holds a secret:\n%s", e.Name(), data)
			}
		}
	}
	if a, _ := s.Account("office"); !reflect.DeepEqual(a, office) {
		t.Fatalf("refused Put changed the account in memory: %+v", a)
	}
}

func TestStoreValidatesPut(t *testing.T) {
	s := openTemp(t)
	tests := []struct {
		name string
		a    Account
		want string
	}{
		{"bad name", Account{Name: "a/b", Platform: "udesk"}, `accounts.toml: account "a/b": field "name": must not contain "/" or "\"`},
		{"long name", Account{Name: strings.Repeat("名", 65), Platform: "udesk"}, `field "name": is longer than 64 characters`},
		{"control char", Account{Name: "a\tb", Platform: "udesk"}, `field "name": must not contain control characters`},
		{"no platform", Account{Name: "a"}, `accounts.toml: account "a": field "platform": is empty`},
		{"unknown platform", Account{Name: "a", Platform: "fax"}, `field "platform": platform "fax": config: unknown platform`},
		{"bad choice", Account{Name: "a", Platform: "sip", Fields: map[string]string{"server": "s", "transport": "sctp"}},
			`accounts.toml: account "a": field "transport": must be one of udp, tcp, tls, ws, wss`},
		{"missing required", Account{Name: "a", Platform: "sip"}, `accounts.toml: account "a": field "server": required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.PutAccount(tt.a)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("PutAccount = %v\nwant containing %s", err, tt.want)
			}
		})
	}
	if len(s.Accounts()) != 0 {
		t.Fatal("invalid accounts were kept")
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), AccountsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("invalid accounts reached the disk: %v", err)
	}

	bad := DefaultSettings()
	bad.UI.Theme = "neon"
	if err := s.PutSettings(bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `settings.toml: field "ui.theme": must be one of system, light, dark`) {
		t.Fatalf("PutSettings = %v", err)
	}
	if s.Settings().UI.Theme != ThemeSystem {
		t.Fatal("invalid settings were kept")
	}
}

func TestStoreFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	s := openTemp(t)
	must(t, s.PutAccount(office))
	must(t, s.PutSettings(DefaultSettings()))
	info, err := os.Stat(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != dirMode {
		t.Errorf("dir mode %v, want %v", info.Mode().Perm(), os.FileMode(dirMode))
	}
	for _, name := range []string{AccountsFile, SettingsFile} {
		info, err := os.Stat(filepath.Join(s.Dir(), name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != fileMode {
			t.Errorf("%s mode %v, want %v", name, info.Mode().Perm(), os.FileMode(fileMode))
		}
	}
	// A file someone made world-readable is 0600 again after a save.
	must(t, os.Chmod(filepath.Join(s.Dir(), AccountsFile), 0o644))
	must(t, s.PutAccount(office))
	if info, _ := os.Stat(filepath.Join(s.Dir(), AccountsFile)); info.Mode().Perm() != fileMode {
		t.Errorf("after save: mode %v", info.Mode().Perm())
	}
}

func TestOpenReportsEveryProblemAndKeepsTheFiles(t *testing.T) {
	dir := t.TempDir()
	accounts := "[[account]]\nname = \"a\"\nplatform = \"sip\"\n[account.fields]\nserver = \"s\"\ntransport = \"x\"\n"
	settings := "[ui]\ntheme = \"neon\"\n"
	must(t, os.WriteFile(filepath.Join(dir, AccountsFile), []byte(accounts), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, SettingsFile), []byte(settings), 0o600))
	s, err := OpenWith(Options{Dir: dir, ValidateFields: testValidator})
	if s != nil || err == nil {
		t.Fatalf("Open = %v, %v", s, err)
	}
	want := "accounts.toml:6: account \"a\": field \"transport\": must be one of udp, tcp, tls, ws, wss\n" +
		"settings.toml:2: field \"ui.theme\": must be one of system, light, dark"
	if err.Error() != want {
		t.Fatalf("Open error\n%s\nwant\n%s", err, want)
	}
	for name, content := range map[string]string{AccountsFile: accounts, SettingsFile: settings} {
		if data, _ := os.ReadFile(filepath.Join(dir, name)); string(data) != content {
			t.Errorf("failed Open changed %s", name)
		}
	}
}

func TestOpenWarnings(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, SettingsFile), []byte("[ui]\nclose_to_try = false\n"), 0o600))
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := s.Warnings()
	if len(w) != 1 || w[0].String() != `settings.toml:2: unknown key "ui.close_to_try" ignored` {
		t.Fatalf("warnings %v", w)
	}
	if !s.Settings().UI.CloseToTray {
		t.Fatal("the misspelt key changed close_to_tray")
	}
}

// TestCrashBeforeRenameKeepsOldFile stands in for a crash between writing
// the temporary file and renaming it: the old file stays whole, the next
// Open reads it and clears the leftover.
func TestCrashBeforeRenameKeepsOldFile(t *testing.T) {
	s := openTemp(t)
	must(t, s.PutAccount(office))
	before, err := os.ReadFile(filepath.Join(s.Dir(), AccountsFile))
	if err != nil {
		t.Fatal(err)
	}

	crash := errors.New("power cut")
	var leftover string
	s.beforeRename = func(tmp string) error {
		// A crash leaves the temp file behind; keep a copy to put back
		// after writeFileAtomic's cleanup.
		data, err := os.ReadFile(tmp)
		if err != nil {
			return err
		}
		leftover = tmp
		return errors.Join(crash, os.WriteFile(tmp+".crash", data, 0o600))
	}
	if err := s.PutAccount(Account{Name: "new", Platform: "udesk"}); !errors.Is(err, crash) {
		t.Fatalf("PutAccount = %v, want the crash", err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed write left %s behind", leftover)
	}
	if got := s.Accounts(); len(got) != 1 {
		t.Errorf("failed write changed memory: %+v", got)
	}
	must(t, os.Rename(leftover+".crash", leftover)) // as a real crash would leave it
	after, _ := os.ReadFile(filepath.Join(s.Dir(), AccountsFile))
	if !bytes.Equal(before, after) {
		t.Fatalf("the old file changed:\n%s", after)
	}

	reopened, err := OpenWith(Options{Dir: s.Dir(), ValidateFields: testValidator})
	if err != nil {
		t.Fatal(err)
	}
	if got := reopened.Accounts(); len(got) != 1 || got[0].Name != "office" {
		t.Fatalf("after the crash: %+v", got)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open did not clear the leftover %s", filepath.Base(leftover))
	}
}

// TestReadersNeverSeeAPartialFile has a reader read accounts.toml in a
// loop while a writer rewrites it with growing and shrinking contents:
// every read must parse and hold one of the written versions in full.
func TestReadersNeverSeeAPartialFile(t *testing.T) {
	s := openTemp(t)
	path := filepath.Join(s.Dir(), AccountsFile)
	version := func(i int) Account {
		return Account{Name: "office", Platform: "udesk",
			Fields: map[string]string{"note": strings.Repeat(fmt.Sprint(i%10), 1+(i*997)%4000), "n": fmt.Sprint(i)}}
	}
	must(t, s.PutAccount(version(0)))

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const writes = 50
	writerDone := make(chan error, 1)
	go func() {
		for i := 1; i <= writes; i++ {
			if err := s.PutAccount(version(i)); err != nil {
				writerDone <- err
				return
			}
		}
		writerDone <- nil
	}()

	reads := 0
	var wg sync.WaitGroup
	readerErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			default:
			}
			data, err := os.ReadFile(path)
			if err != nil {
				readerErr <- err
				return
			}
			accounts, _, err := decodeAccounts(data, nil)
			if err != nil || len(accounts) != 1 {
				readerErr <- fmt.Errorf("read %d bytes that do not parse: %v", len(data), err)
				return
			}
			var n int
			fmt.Sscan(accounts[0].Fields["n"], &n)
			if !reflect.DeepEqual(accounts[0], version(n)) {
				readerErr <- fmt.Errorf("read a mix of versions: %+v", accounts[0])
				return
			}
			reads++
		}
	}()

	select {
	case err := <-writerDone:
		if err != nil {
			t.Fatal(err)
		}
	case err := <-readerErr:
		t.Fatal(err)
	case <-ctx.Done():
		t.Fatal("writer did not finish within 20s")
	}
	cancel()
	wg.Wait()
	select {
	case err := <-readerErr:
		t.Fatal(err)
	default:
	}
	if reads < 10 {
		t.Fatalf("only %d reads overlapped %d writes; the test proved little", reads, writes)
	}
	t.Logf("%d reads during %d writes, none partial", reads, writes)
}

func TestStoreConcurrentUse(t *testing.T) {
	s := openTemp(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				a := Account{Name: fmt.Sprintf("agent%d", i), Platform: "udesk", Fields: map[string]string{"n": fmt.Sprint(j)}}
				if err := s.PutAccount(a); err != nil {
					t.Error(err)
					return
				}
				_ = s.Accounts()
				st := s.Settings()
				st.Calls.AutoAnswer = j%2 == 0
				if err := s.PutSettings(st); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	reopened, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if got := reopened.Accounts(); len(got) != 4 {
		t.Fatalf("after concurrent puts the file holds %d accounts, want 4", len(got))
	}
	for _, a := range reopened.Accounts() {
		if a.Fields["n"] != "9" {
			t.Errorf("%s ended at n=%s, want 9", a.Name, a.Fields["n"])
		}
	}
}

func BenchmarkPutAccount(b *testing.B) {
	s := openTemp(b)
	for i := range 20 {
		must(b, s.PutAccount(Account{Name: fmt.Sprintf("a%d", i), Platform: "udesk", Fields: map[string]string{"x": "y"}}))
	}
	a := office.Clone()
	for b.Loop() {
		must(b, s.PutAccount(a))
	}
}

func BenchmarkOpen(b *testing.B) {
	s := openTemp(b)
	for i := range 20 {
		must(b, s.PutAccount(Account{Name: fmt.Sprintf("a%d", i), Platform: "sip", Fields: map[string]string{"server": "s", "transport": "udp"}}))
	}
	must(b, s.PutSettings(DefaultSettings()))
	for b.Loop() {
		if _, err := OpenWith(Options{Dir: s.Dir(), ValidateFields: testValidator}); err != nil {
			b.Fatal(err)
		}
	}
}
