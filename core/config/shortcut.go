package config

import (
	"fmt"
	"strings"
)

// Shortcut is a parsed key combination.
type Shortcut struct {
	Ctrl, Alt, Shift, Super bool
	Key                     string // canonical name: "A", "7", "F5", "Space" ...
}

// String is the canonical form: modifiers in the order Ctrl, Alt, Shift,
// Super, then the key, joined by "+".
func (k Shortcut) String() string {
	var parts []string
	for _, m := range []struct {
		on   bool
		name string
	}{{k.Ctrl, "Ctrl"}, {k.Alt, "Alt"}, {k.Shift, "Shift"}, {k.Super, "Super"}} {
		if m.on {
			parts = append(parts, m.name)
		}
	}
	return strings.Join(append(parts, k.Key), "+")
}

// namedKeys maps accepted spellings (lower case) to canonical key names.
var namedKeys = func() map[string]string {
	m := map[string]string{
		"space": "Space", "enter": "Enter", "return": "Enter", "tab": "Tab",
		"escape": "Escape", "esc": "Escape", "backspace": "Backspace",
		"delete": "Delete", "del": "Delete", "insert": "Insert", "ins": "Insert",
		"home": "Home", "end": "End", "pageup": "PageUp", "pgup": "PageUp",
		"pagedown": "PageDown", "pgdn": "PageDown", "up": "Up", "down": "Down",
		"left": "Left", "right": "Right", "pause": "Pause",
	}
	for i := 1; i <= 24; i++ {
		m[fmt.Sprintf("f%d", i)] = fmt.Sprintf("F%d", i)
	}
	return m
}()

// ParseShortcut reads a combination such as "Ctrl+Alt+A" or "shift+f5".
// Modifiers are Ctrl (Control), Alt (Option), Shift and Super (Meta, Win,
// Cmd), in any order and case; the key is a letter, a digit, F1 to F24 or
// a named key (Space, Enter, Escape, Home, PageUp, Up ...). A letter or
// digit needs Ctrl, Alt or Super, or typing would trigger it.
func ParseShortcut(s string) (Shortcut, error) {
	var k Shortcut
	parts := strings.Split(s, "+")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return Shortcut{}, problemErr(fmt.Sprintf("%q has an empty part", s), fmt.Sprintf("“%s”中有空的部分", s))
		}
		lower := strings.ToLower(p)
		if i < len(parts)-1 {
			var mod *bool
			switch lower {
			case "ctrl", "control":
				mod = &k.Ctrl
			case "alt", "option":
				mod = &k.Alt
			case "shift":
				mod = &k.Shift
			case "super", "meta", "win", "cmd", "command":
				mod = &k.Super
			default:
				return Shortcut{}, problemErr(fmt.Sprintf("%q: %q is not a modifier (Ctrl, Alt, Shift, Super)", s, p),
					fmt.Sprintf("“%s”中的“%s”不是修饰键（Ctrl、Alt、Shift、Super）", s, p))
			}
			if *mod {
				return Shortcut{}, problemErr(fmt.Sprintf("%q repeats %s", s, p), fmt.Sprintf("“%s”重复了 %s", s, p))
			}
			*mod = true
			continue
		}
		switch {
		case len(p) == 1 && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z' || p[0] >= '0' && p[0] <= '9'):
			k.Key = strings.ToUpper(p)
			if !k.Ctrl && !k.Alt && !k.Super {
				return Shortcut{}, problemErr(fmt.Sprintf("%q needs Ctrl, Alt or Super", s),
					fmt.Sprintf("“%s”需要 Ctrl、Alt 或 Super 组合键", s))
			}
		case namedKeys[lower] != "":
			k.Key = namedKeys[lower]
		default:
			return Shortcut{}, problemErr(fmt.Sprintf("%q: unknown key %q", s, p), fmt.Sprintf("“%s”中的按键“%s”无法识别", s, p))
		}
	}
	return k, nil
}
