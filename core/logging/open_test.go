package logging

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openInTemp(t *testing.T, opts Options) (*slog.Logger, io.Closer, string) {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = filepath.Join(t.TempDir(), "logs")
	}
	log, closer, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { closer.Close() })
	return log, closer, filepath.Join(opts.Dir, FileName)
}

// The engine signs in: it registers the password and token, then logs the
// way real code does. Nothing of either may reach the disk.
func TestLoginSequenceLeavesNoSecretOnDisk(t *testing.T) {
	const (
		password = "Zq9!pw w/ space&amp" // spaces, & and / to exercise the encoded forms
		token    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI4MDAxIn0.sig-Xy_9"
	)
	r := NewRedactor()
	log, closer, path := openInTemp(t, Options{Redactor: r, Debug: true, Stderr: io.Discard})

	// Before the engine knows the secrets, only the key and pattern rules
	// protect it: log a labelled password then.
	log.Info("login form submitted", "user", "8001", "password", password)
	r.AddSecret(password)
	acct := log.With("account", "8001", "platform", "udesk")
	acct.Info("login request", "url", "https://cti.example.com/login?user=8001&pwd="+url.QueryEscape(password))
	acct.Debug("login body", "body", []byte(`{"user":"8001","password":"`+password+`"}`))
	r.AddSecret(token)
	acct.Info("login ok, token " + token)
	acct.Info("websocket", "url", "wss://cti.example.com/ws?token="+token)
	acct.Debug("http request", "headers", "Authorization: Bearer "+token+"\r\nAccept: */*")
	acct.Debug("sip tx", "msg", "REGISTER sip:pbx SIP/2.0\r\n"+
		`Authorization: Digest username="8001", realm="pbx", nonce="n1", uri="sip:pbx", response="0cc175b9c0f1b6a831c399e269772661"`+"\r\n\r\n")
	acct.Warn("register failed", "err", fmt.Errorf("sip: 403 Forbidden for password %q", password))
	acct.Info("session", slog.Group("auth", "token", token, "expires", 3600), slog.Group("agent", "id", "8001", "note", "pw="+password))
	acct.Info("config", "account", struct {
		User, Password, Token string
	}{"8001", password, token})
	acct.Info("call answered", "number", "13912345678", "duration_s", 35)
	if err := closer.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, leak := range []string{password, url.QueryEscape(password), url.PathEscape(password), token, "0cc175b9c0f1b6a831c399e269772661", "Zq9!pw"} {
		if strings.Contains(text, leak) {
			t.Errorf("log file contains %q:\n%s", leak, text)
		}
	}
	// The log must still be useful: every record is there, with the
	// harmless details.
	if n := strings.Count(text, "\n"); n != 11 {
		t.Errorf("log has %d lines, want 11:\n%s", n, text)
	}
	for _, want := range []string{`"number":"13912345678"`, `username=\"8001\"`, `"platform":"udesk"`, `"msg":"call answered"`} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %s:\n%s", want, text)
		}
	}
}

func TestOpenPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "logs")
	_, _, path := openInTemp(t, Options{Dir: dir})
	assertPerm(t, dir, 0o700)
	assertPerm(t, filepath.Dir(dir), 0o700)
	assertPerm(t, path, 0o600) // created by Open, before any record
}

// A directory the user chose may be shared: Open leaves its mode alone and
// relies on the 0600 file.
func TestOpenLeavesExistingChosenDirMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, path := openInTemp(t, Options{Dir: dir})
	assertPerm(t, dir, 0o755)
	assertPerm(t, path, 0o600)
}

// The default directory is agentbar's own: an existing one is tightened,
// and an existing log file in it too.
func TestOpenTightensExistingDefaultDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := filepath.Join(cache, "agentbar", "logs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte("old line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	log, closer, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	log.Info("new line")
	closer.Close()
	assertPerm(t, dir, 0o700)
	assertPerm(t, path, 0o600)
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "old line\n") || !strings.Contains(string(data), "new line") {
		t.Errorf("existing log not appended to:\n%s", data)
	}
}

func assertPerm(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s mode = %o, want %o", path, got, want)
	}
}

func TestOpenDefaultDirHonoursXDGCacheHome(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	log, closer, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hello")
	closer.Close()
	data, err := os.ReadFile(filepath.Join(cache, "agentbar", "logs", FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"msg":"hello"`) {
		t.Errorf("file = %s", data)
	}
}

func TestOpenWithoutCacheDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	_, _, err := Open(Options{})
	var oe *OpenError
	if !errors.As(err, &oe) || !errors.Is(err, ErrNoDir) {
		t.Fatalf("err = %v, want *OpenError wrapping ErrNoDir", err)
	}
	if s := oe.Sentence("zh"); !strings.Contains(s, "无法创建日志文件") {
		t.Errorf("zh sentence = %q", s)
	}
}

func TestOpenUnwritableDir(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := Open(Options{Dir: filepath.Join(blocker, "logs")})
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v, want *OpenError", err)
	}
	if oe.Path != filepath.Join(blocker, "logs") {
		t.Errorf("Path = %q", oe.Path)
	}
	if s := oe.Sentence("en"); !strings.Contains(s, "cannot be created") || !strings.Contains(s, oe.Path) {
		t.Errorf("en sentence = %q", s)
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{{Format: Format(7)}, {MaxSizeMB: -1}, {MaxBackups: -2}} {
		o.Dir = t.TempDir()
		if _, _, err := Open(o); !errors.Is(err, ErrBadOptions) {
			t.Errorf("Open(%+v) err = %v, want ErrBadOptions", o, err)
		}
	}
}

func TestOpenLevelsAndDebugTee(t *testing.T) {
	tests := []struct {
		name          string
		opts          Options
		fileHasDebug  bool
		stderrHasInfo bool
	}{
		{"default", Options{}, false, false},
		{"debug", Options{Debug: true}, true, true},
		{"debug with explicit file level", Options{Debug: true, Level: slog.LevelWarn}, false, true},
		{"debug level without tee", Options{Level: slog.LevelDebug}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			tt.opts.Stderr = &stderr
			log, closer, path := openInTemp(t, tt.opts)
			log.Debug("dbg-record", "password", "x1y2z3")
			log.Info("info-record")
			log.Warn("warn-record")
			closer.Close()
			data, _ := os.ReadFile(path)
			file := string(data)
			if got := strings.Contains(file, "dbg-record"); got != tt.fileHasDebug {
				t.Errorf("file has debug record = %v, want %v:\n%s", got, tt.fileHasDebug, file)
			}
			if got := strings.Contains(stderr.String(), "info-record"); got != tt.stderrHasInfo {
				t.Errorf("stderr has info record = %v, want %v:\n%s", got, tt.stderrHasInfo, stderr.String())
			}
			if tt.opts.Debug && !strings.Contains(stderr.String(), "level=DEBUG msg=dbg-record password=[redacted]") {
				t.Errorf("stderr lacks the redacted text debug record:\n%s", stderr.String())
			}
			if strings.Contains(file+stderr.String(), "x1y2z3") {
				t.Error("secret leaked")
			}
		})
	}
}

func TestTextFormatFile(t *testing.T) {
	log, closer, path := openInTemp(t, Options{Format: Text})
	log.Info("hello", "token", "abc")
	closer.Close()
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "msg=hello token=[redacted]") {
		t.Errorf("file = %s", data)
	}
}

func TestWritesAfterCloseAreDropped(t *testing.T) {
	log, closer, path := openInTemp(t, Options{})
	log.Info("before")
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	log.Info("after") // must not reopen the file
	if err := closer.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "after") || !strings.Contains(string(data), "before") {
		t.Errorf("file = %s", data)
	}
	if _, err := closer.(io.Writer).Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close err = %v, want ErrClosed", err)
	}
}

// lumberjack counts in megabytes, so rotating takes writing one: about
// 8,000 records, well under a second.
func TestRotation(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	log, closer, path := openInTemp(t, Options{Dir: dir, MaxSizeMB: 1, NoCompress: true})
	pad := strings.Repeat("x", 100)
	for i := range 12_000 { // ~1.8 MB of JSON lines
		log.Info("filler", "i", i, "pad", pad)
	}
	closer.Close()

	backups, err := filepath.Glob(filepath.Join(dir, "agentbar-*.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(backups) == 0 || len(backups) > 3 {
		t.Fatalf("backups = %v, want 1 to 3", backups)
	}
	lines := 0
	for _, f := range append(backups, path) {
		assertPerm(t, f, 0o600)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 1<<20 {
			t.Errorf("%s is %d bytes, over 1 MB", f, len(data))
		}
		lines += strings.Count(string(data), "\n")
	}
	if lines != 12_000 {
		t.Errorf("%d records across the files, want 12000: rotation lost some", lines)
	}
}

func TestRotationDefaults(t *testing.T) {
	f := newRotatingFile("/x/agentbar.log", Options{})
	if f.lj.MaxSize != 10 || f.lj.MaxBackups != 5 || !f.lj.Compress || !f.lj.LocalTime {
		t.Errorf("lumberjack config = %+v, want 10 MB × 5, compressed, local time", f.lj)
	}
}
