package config

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestPathsFor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name    string
		goos    string
		getenv  func(string) string
		want    Paths
		wantErr bool
	}{
		{"linux defaults", "linux", env("HOME", "/home/a"), Paths{
			ConfigDir: "/home/a/.config/agentbar",
			DataDir:   "/home/a/.local/share/agentbar",
			CacheDir:  "/home/a/.cache/agentbar",
			StateDir:  "/home/a/.local/state/agentbar",
		}, false},
		{"linux XDG", "linux", env("HOME", "/home/a", "XDG_CONFIG_HOME", "/x/c", "XDG_DATA_HOME", "/x/d",
			"XDG_CACHE_HOME", "/x/k", "XDG_STATE_HOME", "/x/s"), Paths{
			ConfigDir: "/x/c/agentbar", DataDir: "/x/d/agentbar", CacheDir: "/x/k/agentbar", StateDir: "/x/s/agentbar",
		}, false},
		{"linux relative XDG ignored", "linux", env("HOME", "/home/a", "XDG_DATA_HOME", "rel/data", "XDG_CONFIG_HOME", "./c"), Paths{
			ConfigDir: "/home/a/.config/agentbar",
			DataDir:   "/home/a/.local/share/agentbar",
			CacheDir:  "/home/a/.cache/agentbar",
			StateDir:  "/home/a/.local/state/agentbar",
		}, false},
		{"freebsd XDG data only", "freebsd", env("XDG_CONFIG_HOME", "/c", "XDG_DATA_HOME", "/d", "XDG_CACHE_HOME", "/k", "XDG_STATE_HOME", "/s"), Paths{
			ConfigDir: "/c/agentbar", DataDir: "/d/agentbar", CacheDir: "/k/agentbar", StateDir: "/s/agentbar",
		}, false},
		{"linux no home", "linux", env("XDG_CONFIG_HOME", "/c"), Paths{}, true},
		{"darwin", "darwin", env("HOME", "/Users/a"), Paths{
			ConfigDir: "/Users/a/Library/Application Support/agentbar",
			DataDir:   "/Users/a/Library/Application Support/agentbar",
			CacheDir:  "/Users/a/Library/Caches/agentbar",
			StateDir:  "/Users/a/Library/Logs/agentbar",
		}, false},
		{"darwin no home", "darwin", env(), Paths{}, true},
		{"windows", "windows", env("AppData", "/w/Roaming", "LocalAppData", "/w/Local"), Paths{
			ConfigDir: filepath.Join("/w/Roaming", "agentbar"),
			DataDir:   filepath.Join("/w/Local", "agentbar"),
			CacheDir:  filepath.Join("/w/Local", "agentbar", "cache"),
			StateDir:  filepath.Join("/w/Local", "agentbar", "state"),
		}, false},
		{"windows unset", "windows", env("AppData", "/w/Roaming"), Paths{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pathsFor(tt.goos, tt.getenv)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDefaultPathsHonoursXDG(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("XDG applies to Linux and the BSDs")
	}
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(base, "conf"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(base, "data"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(base, "cache"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(base, "state"))
	p, err := DefaultPaths()
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{
		ConfigDir: filepath.Join(base, "conf", "agentbar"),
		DataDir:   filepath.Join(base, "data", "agentbar"),
		CacheDir:  filepath.Join(base, "cache", "agentbar"),
		StateDir:  filepath.Join(base, "state", "agentbar"),
	}
	if p != want {
		t.Fatalf("DefaultPaths = %+v, want %+v", p, want)
	}
	// The config dir is os.UserConfigDir's, as the rest of Go sees it.
	ucd, err := os.UserConfigDir()
	if err != nil || p.ConfigDir != filepath.Join(ucd, AppDirName) {
		t.Errorf("ConfigDir %s, os.UserConfigDir %s (%v)", p.ConfigDir, ucd, err)
	}
	ucache, err := os.UserCacheDir()
	if err != nil || p.CacheDir != filepath.Join(ucache, AppDirName) {
		t.Errorf("CacheDir %s, os.UserCacheDir %s (%v)", p.CacheDir, ucache, err)
	}

	// Open("") lands in $XDG_CONFIG_HOME/agentbar.
	s, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir() != want.ConfigDir {
		t.Fatalf("Open(\"\").Dir() = %s, want %s", s.Dir(), want.ConfigDir)
	}
	must(t, s.PutSettings(DefaultSettings()))
	if _, err := os.Stat(filepath.Join(base, "conf", "agentbar", SettingsFile)); err != nil {
		t.Fatalf("settings not written under XDG_CONFIG_HOME: %v", err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
