package gui

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// translationFS holds gui/translations/<lang>.json in fyne's flat format
// ({"key": "text"}), so that lang.AddTranslationsFS reads the same files.
//
//go:embed translations/*.json
var translationFS embed.FS

const translationDir = "translations"

// translator looks strings up in one language.
//
// Why not lang.L: fyne's lang package picks its language once, from the
// process's locale variables (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), and has
// no setter; Options.Lang (the agent's setting) must win over the locale, and
// tests render zh and en in one process. So the window looks its strings up
// here, in the same embedded files that Run also hands to lang.
type translator struct {
	lang     string            // "zh" or "en"
	msgs     map[string]string // the language's strings
	fallback map[string]string // the other language, for a key one file lacks
}

// newTranslator loads the strings for lang; anything but "en" is Chinese.
func newTranslator(lang string) (translator, error) {
	lang = normalizeLang(lang)
	other := "en"
	if lang == "en" {
		other = "zh"
	}
	msgs, err := readTranslations(lang)
	if err != nil {
		return translator{}, err
	}
	fallback, err := readTranslations(other)
	if err != nil {
		return translator{}, err
	}
	return translator{lang: lang, msgs: msgs, fallback: fallback}, nil
}

// mustTranslator is newTranslator for the embedded files, which a test
// proves well-formed: a failure here is a build defect.
func mustTranslator(lang string) translator {
	tr, err := newTranslator(lang)
	if err != nil {
		panic(err)
	}
	return tr
}

func normalizeLang(lang string) string {
	if lang == "en" || strings.HasPrefix(lang, "en_") || strings.HasPrefix(lang, "en-") {
		return "en"
	}
	return "zh"
}

func readTranslations(lang string) (map[string]string, error) {
	name := translationDir + "/" + lang + ".json"
	data, err := translationFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTranslations, name, err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTranslations, name, err)
	}
	return m, nil
}

// T returns the string for key. Arguments come in pairs, name then value,
// and fill fyne-style placeholders: T("session.agent", "ID", "1001") turns
// "工号 {{.ID}}" into "工号 1001". A missing key falls back to the other
// language, then to the key itself (a test keeps both files complete).
func (tr translator) T(key string, args ...string) string {
	s, ok := tr.msgs[key]
	if !ok {
		s, ok = tr.fallback[key]
	}
	if !ok {
		return key
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{{."+args[i]+"}}", args[i+1])
	}
	return s
}

// registerWithFyne hands the translations to fyne's lang package too, so
// that anything fyne looks up with lang.L finds the same strings.
//
// Fyne's own Chinese is filed as zh-Hans (base.zh_Hans.json), and a
// zh_CN locale matches that tag rather than plain "zh": the Chinese
// strings are filed under zh-Hans as well, or lang.L would not find them
// on a Chinese desktop.
func registerWithFyne() error {
	if err := lang.AddTranslationsFS(translationFS, translationDir); err != nil {
		return fmt.Errorf("%w: %w", ErrTranslations, err)
	}
	zh, err := translationFS.ReadFile(translationDir + "/zh.json")
	if err == nil {
		err = lang.AddTranslationsForLocale(zh, "zh-Hans")
	}
	if err != nil {
		return fmt.Errorf("%w: zh-Hans: %w", ErrTranslations, err)
	}
	return nil
}
