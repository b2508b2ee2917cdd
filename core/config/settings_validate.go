package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"
)

// settingsProblems returns what is wrong with s, each with its key path in
// settings.toml ("ui.language").
func settingsProblems(s Settings) []fieldProblem {
	var out []fieldProblem
	add := func(field, en, zh string) { out = append(out, fieldProblem{field, problemErr(en, zh)}) }
	oneOf := func(field, v string, allowed ...string) {
		for _, a := range allowed {
			if v == a {
				return
			}
		}
		add(field, "must be one of "+strings.Join(allowed, ", "), "必须是 "+strings.Join(allowed, "、")+" 之一")
	}

	for _, d := range []struct{ field, v string }{
		{"audio.capture_device", s.Audio.CaptureDevice},
		{"audio.playback_device", s.Audio.PlaybackDevice},
		{"audio.ringer_device", s.Audio.RingerDevice},
	} {
		if strings.IndexFunc(d.v, unicode.IsControl) >= 0 || len(d.v) > 1024 {
			add(d.field, "is not a device id", "不是有效的设备标识")
		}
	}
	if r := s.Audio.Ringtone; r != "" && !filepath.IsAbs(r) {
		add("audio.ringtone", "must be an absolute path to a sound file", "必须是声音文件的完整路径")
	}

	oneOf("ui.language", s.UI.Language, LanguageSystem, LanguageZh, LanguageEn)
	oneOf("ui.theme", s.UI.Theme, ThemeSystem, ThemeLight, ThemeDark)

	if d := s.Calls.AutoAnswerDelay; d < 0 || d > MaxAutoAnswerDelay {
		add("calls.auto_answer_delay", fmt.Sprintf("must be between 0s and %v", MaxAutoAnswerDelay),
			fmt.Sprintf("必须在 0 秒到 %.0f 秒之间", MaxAutoAnswerDelay.Seconds()))
	}
	if c := s.Calls.BusyRejectsWith; c != RejectBusyHere && c != RejectDecline {
		add("calls.busy_rejects_with", "must be 486 (Busy Here) or 603 (Decline)", "必须是 486（忙）或 603（拒绝）")
	}
	if err := CheckScreenPop(s.Calls.ScreenPopURL); err != nil {
		out = append(out, fieldProblem{"calls.screen_pop_url", err})
	}

	seen := map[string]string{}
	for _, sc := range []struct{ field, v string }{
		{"shortcuts.answer", s.Shortcuts.Answer},
		{"shortcuts.hangup", s.Shortcuts.Hangup},
		{"shortcuts.hold", s.Shortcuts.Hold},
		{"shortcuts.mute", s.Shortcuts.Mute},
	} {
		if sc.v == "" {
			continue
		}
		k, err := ParseShortcut(sc.v)
		if err != nil {
			out = append(out, fieldProblem{sc.field, err})
			continue
		}
		if other, dup := seen[k.String()]; dup {
			add(sc.field, fmt.Sprintf("%s is already used by %s", k, other), fmt.Sprintf("%s 已用于 %s", k, other))
			continue
		}
		seen[k.String()] = sc.field
	}

	if p := s.ControlAPI.Port; p < 0 || p > 65535 {
		add("control_api.port", "must be 0 (pick a free port) to 65535", "必须在 0（自动选择）到 65535 之间")
	}
	for _, o := range s.ControlAPI.AllowedOrigins {
		if err := checkOrigin(o); err != nil {
			out = append(out, fieldProblem{"control_api.allowed_origins", err})
		}
	}

	if p := s.Demo.Platform; strings.IndexFunc(p, unicode.IsControl) >= 0 || len(p) > 64 {
		add("demo.platform", "is not a platform id", "不是有效的平台标识")
	}
	return out
}

// checkOrigin accepts a web origin: scheme http or https, a host (whose
// first label may be "*" to allow every subdomain), an optional port, and
// nothing else.
func checkOrigin(o string) error {
	bad := problemErr(fmt.Sprintf("%q is not a web origin such as https://crm.example.com or https://*.example.com", o),
		fmt.Sprintf("“%s”不是网页来源，应形如 https://crm.example.com 或 https://*.example.com", o))
	parsed := strings.Replace(o, "://*.", "://wildcard.", 1)
	u, err := url.Parse(parsed)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
		strings.Contains(u.Hostname(), "*") || strings.HasSuffix(o, "?") || strings.HasSuffix(o, "#") {
		return bad
	}
	return nil
}
