package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Placeholders a screen-pop URL may use, each written as {name}.
const (
	PopNumber        = "number"         // the remote party's number
	PopDisplayNumber = "display_number" // the number as the platform shows it (may be masked)
	PopCallID        = "call_id"        // the platform's call id
	PopDirection     = "direction"      // in, out or internal
	PopQueue         = "queue"          // the queue the call came through
	PopLocation      = "location"       // the caller's city or region
	PopAgent         = "agent"          // the agent's id on the platform
	PopAccount       = "account"        // the agentbar account's name
	PopPlatform      = "platform"       // the platform id
)

// ScreenPopPlaceholders lists every placeholder, in documentation order.
func ScreenPopPlaceholders() []string {
	return []string{PopNumber, PopDisplayNumber, PopCallID, PopDirection, PopQueue,
		PopLocation, PopAgent, PopAccount, PopPlatform}
}

// ExpandScreenPop fills a screen-pop URL template such as
// "https://crm.example.com/pop?tel={number}&id={call_id}": each {name} is
// replaced by values[name] ("" when absent), escaped for where it stands
// (path or query). It fails on a template CheckScreenPop rejects.
func ExpandScreenPop(template string, values map[string]string) (string, error) {
	if err := CheckScreenPop(template); err != nil {
		return "", err
	}
	var b strings.Builder
	inQuery := false
	for rest := template; rest != ""; {
		i := strings.IndexAny(rest, "{?#")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		if rest[i] != '{' {
			inQuery = true
			b.WriteByte(rest[i])
			rest = rest[i+1:]
			continue
		}
		end := strings.IndexByte(rest[i:], '}') + i
		v := values[rest[i+1:end]]
		if inQuery {
			b.WriteString(url.QueryEscape(v))
		} else {
			b.WriteString(url.PathEscape(v))
		}
		rest = rest[end+1:]
	}
	return b.String(), nil
}

// CheckScreenPop checks a screen-pop URL template: an http or https URL
// with a host, whose {placeholders} are all known and well formed. ""
// (no screen pop) is valid.
func CheckScreenPop(template string) error {
	if template == "" {
		return nil
	}
	var sample strings.Builder
	for rest := template; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if closeAt := strings.IndexByte(rest, '}'); closeAt >= 0 && (open < 0 || closeAt < open) {
			return problemErr("has a \"}\" without \"{\"", "含有不成对的“}”")
		}
		if open < 0 {
			sample.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return problemErr("has a \"{\" without \"}\"", "含有不成对的“{”")
		}
		name := rest[open+1 : open+end]
		if !slices.Contains(ScreenPopPlaceholders(), name) {
			return problemErr(fmt.Sprintf("unknown placeholder {%s}; known: {%s}", name, strings.Join(ScreenPopPlaceholders(), "}, {")),
				fmt.Sprintf("不认识占位符 {%s}；可用：{%s}", name, strings.Join(ScreenPopPlaceholders(), "}、{")))
		}
		sample.WriteString(rest[:open])
		sample.WriteString("x")
		rest = rest[open+end+1:]
	}
	u, err := url.Parse(sample.String())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return problemErr("must be an http:// or https:// URL with a host", "必须是带主机名的 http:// 或 https:// 网址")
	}
	return nil
}
