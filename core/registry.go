package core

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Info describes one platform adapter to the registry.
type Info struct {
	ID     string  // stable id used in config files and the CLI: "sip", "udesk" ...
	Name   Text    // shown in the platform chooser
	Fields []Field // what an account of this platform needs, in display order
	// New builds an adapter for one signed-in session.
	New func(cfg Config) (Vendor, error)
	// Demo, when set, marks a platform the built-in demo can start.
	Demo bool
}

// Text is a UI string in both languages.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text for lang ("zh" or "en"), falling back to the other.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" || t.ZH == "" {
		return t.EN
	}
	return t.ZH
}

// FieldKind says how a field is entered and checked.
type FieldKind string

// Field kinds.
const (
	FieldText   FieldKind = "text"
	FieldNumber FieldKind = "number" // an integer
	FieldChoice FieldKind = "choice"
	FieldBool   FieldKind = "bool"
	FieldURL    FieldKind = "url"
	// FieldSecret is a password or token: never written to config files, kept
	// in the keyring. The first secret field is the account's password,
	// asked for at sign-in when not remembered, passed as Config.Secret; any
	// later ones (a key agreed with the platform ...) are only ever read from
	// the keyring and passed in Config.ExtraSecrets.
	FieldSecret FieldKind = "secret"
)

// Field is one account setting a platform needs.
type Field struct {
	Key      string    `json:"key"`
	Label    Text      `json:"label"`
	Kind     FieldKind `json:"kind"`
	Required bool      `json:"required"`
	Default  string    `json:"default,omitempty"`
	Choices  []Choice  `json:"choices,omitempty"`
	Help     Text      `json:"help"`
	// Schemes limits FieldURL values (e.g. "ws", "wss").
	Schemes []string `json:"schemes,omitempty"`
}

// Choice is one value of a FieldChoice.
type Choice struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Registry holds the platform adapters. Most code uses the package-level
// one through Register and Lookup; tests make their own.
type Registry struct {
	mu        sync.RWMutex
	platforms map[string]Info
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{platforms: map[string]Info{}} }

var defaultRegistry = NewRegistry()

// Register adds a platform to the default registry. It panics on a duplicate
// or malformed Info, like database/sql.Register: both are programming errors.
func Register(info Info) { defaultRegistry.Register(info) }

// Lookup finds a platform in the default registry.
func Lookup(id string) (Info, bool) { return defaultRegistry.Lookup(id) }

// Platforms lists the default registry's platforms by id.
func Platforms() []Info { return defaultRegistry.Platforms() }

// DefaultRegistry returns the registry adapters register into.
func DefaultRegistry() *Registry { return defaultRegistry }

// Register adds a platform; it panics on a duplicate id or a malformed Info.
func (r *Registry) Register(info Info) {
	if info.ID == "" || info.New == nil {
		panic("core: Register needs an ID and New")
	}
	seen := map[string]bool{}
	for _, f := range info.Fields {
		if f.Key == "" || seen[f.Key] {
			panic(fmt.Sprintf("core: platform %q: empty or duplicate field key %q", info.ID, f.Key))
		}
		seen[f.Key] = true
		if f.Kind == FieldChoice && len(f.Choices) == 0 {
			panic(fmt.Sprintf("core: platform %q: choice field %q has no choices", info.ID, f.Key))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.platforms[info.ID]; dup {
		panic("core: Register called twice for platform " + info.ID)
	}
	r.platforms[info.ID] = info
}

// Lookup finds a platform by id.
func (r *Registry) Lookup(id string) (Info, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	info, ok := r.platforms[id]
	return info, ok
}

// Platforms lists every platform, sorted by id.
func (r *Registry) Platforms() []Info {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Info, 0, len(r.platforms))
	for _, info := range r.platforms {
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// SecretField returns the platform's secret field, if it has one.
func (info Info) SecretField() (Field, bool) {
	for _, f := range info.Fields {
		if f.Kind == FieldSecret {
			return f, true
		}
	}
	return Field{}, false
}

// ExtraSecretFields returns the secret fields after the first (see
// FieldSecret).
func (info Info) ExtraSecretFields() []Field {
	var out []Field
	first := true
	for _, f := range info.Fields {
		if f.Kind != FieldSecret {
			continue
		}
		if first {
			first = false
			continue
		}
		out = append(out, f)
	}
	return out
}

// FieldError names the field that is wrong and why.
type FieldError struct {
	Platform, Key, Problem string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("platform %s: field %q: %s", e.Platform, e.Key, e.Problem)
}

// Unwrap makes errors.Is(err, ErrInvalidArgument) true.
func (e *FieldError) Unwrap() error { return ErrInvalidArgument }

// FieldKey names the field; config uses it to point at the file's line.
func (e *FieldError) FieldKey() string { return e.Key }

// Sentence implements Sentencer.
func (e *FieldError) Sentence(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Account setting \"%s\" is not right: %s.", e.Key, e.Problem)
	}
	return fmt.Sprintf("账号设置“%s”有误：%s。", e.Key, e.Problem)
}

// ValidateFields checks an account's fields against the platform's
// declaration: unknown keys, missing required fields, numbers, choices and
// URLs. Secret fields are not expected here (they live in the keyring).
// Defaults are applied to a copy, which is returned.
func (info Info) ValidateFields(fields map[string]string) (map[string]string, error) {
	out := map[string]string{}
	known := map[string]Field{}
	for _, f := range info.Fields {
		known[f.Key] = f
	}
	for k, v := range fields {
		f, ok := known[k]
		if !ok {
			return nil, &FieldError{info.ID, k, "unknown field (known: " + strings.Join(info.fieldKeys(), ", ") + ")"}
		}
		if f.Kind == FieldSecret {
			return nil, &FieldError{info.ID, k, "secrets go to the keyring, not the account file"}
		}
		out[k] = v
	}
	for _, f := range info.Fields {
		if f.Kind == FieldSecret {
			continue
		}
		v, ok := out[f.Key]
		if !ok || v == "" {
			if f.Default != "" {
				out[f.Key] = f.Default
				continue
			}
			if f.Required {
				return nil, &FieldError{info.ID, f.Key, "required"}
			}
			continue
		}
		if err := f.check(v); err != "" {
			return nil, &FieldError{info.ID, f.Key, err}
		}
	}
	return out, nil
}

func (f Field) check(v string) string {
	switch f.Kind {
	case FieldNumber:
		if _, err := strconv.Atoi(v); err != nil {
			return "must be a whole number"
		}
	case FieldBool:
		if _, err := strconv.ParseBool(v); err != nil {
			return "must be true or false"
		}
	case FieldChoice:
		var vals []string
		for _, c := range f.Choices {
			if c.Value == v {
				return ""
			}
			vals = append(vals, c.Value)
		}
		return "must be one of " + strings.Join(vals, ", ")
	case FieldURL:
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") {
			return "must be a full URL such as https://host:port/path"
		}
		if len(f.Schemes) > 0 && !slices.Contains(f.Schemes, u.Scheme) {
			return "URL scheme must be one of " + strings.Join(f.Schemes, ", ")
		}
	}
	return ""
}

func (info Info) fieldKeys() []string {
	var keys []string
	for _, f := range info.Fields {
		if f.Kind != FieldSecret {
			keys = append(keys, f.Key)
		}
	}
	return keys
}
