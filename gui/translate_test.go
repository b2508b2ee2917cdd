package gui

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"agentbar/core"
)

func TestTranslationFilesMatch(t *testing.T) {
	zh, err := readTranslations("zh")
	if err != nil {
		t.Fatal(err)
	}
	en, err := readTranslations("en")
	if err != nil {
		t.Fatal(err)
	}
	zhKeys, enKeys := slices.Sorted(maps.Keys(zh)), slices.Sorted(maps.Keys(en))
	if !slices.Equal(zhKeys, enKeys) {
		t.Errorf("zh.json and en.json differ in keys:\nzh %q\nen %q", zhKeys, enKeys)
	}
	for k, v := range zh {
		if strings.TrimSpace(v) == "" || strings.TrimSpace(en[k]) == "" {
			t.Errorf("key %q is empty in a language", k)
		}
		if k != "busy.suffix" && v == en[k] {
			t.Errorf("key %q is not translated: %q", k, v)
		}
	}
}

// TestEveryKeyIsUsedAndDefined reads the package's Go files: every key
// looked up exists, and every key defined is looked up somewhere.
func TestEveryKeyIsUsedAndDefined(t *testing.T) {
	zh, err := readTranslations("zh")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile(`"([a-z]+\.[a-z.]+)"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range quoted.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	// Keys built at run time: "conn." + state.
	for _, s := range []core.ConnState{core.ConnOffline, core.ConnConnecting, core.ConnConnected, core.ConnReconnecting} {
		used["conn."+s.String()] = true
	}
	for k := range zh {
		if !used[k] {
			t.Errorf("key %q is defined but never used", k)
		}
	}
	for k := range used {
		if _, ok := zh[k]; !ok && !strings.HasSuffix(k, ".json") && !strings.HasSuffix(k, ".png") {
			t.Errorf("key %q is used but not defined", k)
		}
	}
}

func TestTranslatorLookups(t *testing.T) {
	tests := []struct {
		lang, key string
		args      []string
		want      string
	}{
		{"zh", "dial.button", nil, "拨打"},
		{"en", "dial.button", nil, "Call"},
		{"", "dial.button", nil, "拨打"},        // Chinese by default
		{"fr", "dial.button", nil, "拨打"},      // unknown: Chinese
		{"en_US", "dial.button", nil, "Call"}, // a locale name
		{"zh", "session.agent", []string{"ID", "1001"}, "工号 1001"},
		{"en", "session.extension", []string{"Ext", "8001"}, "Ext. 8001"},
		{"zh", "no.such.key", nil, "no.such.key"},
	}
	for _, tt := range tests {
		if got := mustTranslator(tt.lang).T(tt.key, tt.args...); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	// A key one file lacks falls back to the other language.
	tr := mustTranslator("en")
	tr.msgs = map[string]string{}
	if got := tr.T("dial.button"); got != "拨打" {
		t.Errorf("fallback gave %q", got)
	}
}

func TestTranslationsLoadIntoFyne(t *testing.T) {
	if err := registerWithFyne(); err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	data, err := translationFS.ReadFile("translations/en.json")
	if err != nil || json.Unmarshal(data, &m) != nil {
		t.Fatal("en.json is not a flat JSON object")
	}
	// fyne's lang now knows the keys, in whichever language the locale
	// picked for it.
	got := lang.L("dial.button")
	if got != mustTranslator("zh").T("dial.button") && got != mustTranslator("en").T("dial.button") {
		t.Errorf("lang.L(dial.button) = %q: fyne did not load the files", got)
	}
	// A Chinese desktop's locale (zh_CN) picks fyne's zh-Hans; our strings
	// must be there too.
	if got := lang.LocalizeKey("dial.button", "missing"); strings.HasPrefix(os.Getenv("LANG"), "zh") && got != "拨打" {
		t.Errorf("under %s lang finds %q", os.Getenv("LANG"), got)
	}
}

func TestInputErrorSentences(t *testing.T) {
	for sentinel, key := range inputSentenceKeys {
		err := error(&InputError{sentinel})
		if !errors.Is(err, sentinel) {
			t.Errorf("%v does not unwrap to its sentinel", err)
		}
		for _, lang := range []string{"zh", "en"} {
			if got, want := core.Sentence(err, lang), mustTranslator(lang).T(key); got != want || got == "" {
				t.Errorf("%s sentence for %v: %q, want %q", lang, sentinel, got, want)
			}
		}
	}
	if s := (&InputError{errors.New("other")}).Sentence("zh"); s != "" {
		t.Errorf("an unknown input error has the sentence %q", s)
	}
}
