package config

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheckScreenPop(t *testing.T) {
	good := []string{
		"",
		"https://crm.example.com/pop?tel={number}&id={call_id}",
		"http://10.0.0.5:8080/c/{call_id}/{direction}",
		"https://{account}.crm.example.com/",
		"https://crm.example.com/#/call/{call_id}",
	}
	bad := []string{
		"crm.example.com/pop?tel={number}",
		"ftp://crm.example.com/{number}",
		"javascript:alert({number})",
		"https:///{number}",
		"https://crm.example.com/{number",
		"https://crm.example.com/number}",
		"https://crm.example.com/{tel}",
		"https://crm.example.com/{}",
	}
	for _, s := range good {
		if err := CheckScreenPop(s); err != nil {
			t.Errorf("CheckScreenPop(%q) = %v", s, err)
		}
	}
	for _, s := range bad {
		if err := CheckScreenPop(s); err == nil {
			t.Errorf("CheckScreenPop(%q) accepted it", s)
		}
	}
}

func TestExpandScreenPop(t *testing.T) {
	values := map[string]string{
		PopNumber: "+86 138-0000/0000", PopCallID: "a&b=c", PopDirection: "in", PopLocation: "北京",
	}
	tests := []struct{ template, want string }{
		{"https://crm.example.com/pop?tel={number}&id={call_id}", "https://crm.example.com/pop?tel=%2B86+138-0000%2F0000&id=a%26b%3Dc"},
		{"https://crm.example.com/c/{call_id}/{direction}", "https://crm.example.com/c/a&b=c/in"},
		{"https://crm.example.com/c/{number}", "https://crm.example.com/c/+86%20138-0000%2F0000"},
		{"https://crm.example.com/?city={location}&q={queue}", "https://crm.example.com/?city=%E5%8C%97%E4%BA%AC&q="},
		{"https://crm.example.com/#{call_id}", "https://crm.example.com/#a%26b%3Dc"},
	}
	for _, tt := range tests {
		got, err := ExpandScreenPop(tt.template, values)
		if err != nil || got != tt.want {
			t.Errorf("ExpandScreenPop(%q) = %q, %v\nwant %q", tt.template, got, err, tt.want)
		}
	}
	if _, err := ExpandScreenPop("https://x/{nope}", values); err == nil {
		t.Error("unknown placeholder expanded")
	}
}

// FuzzExpandScreenPop: whatever the values, an accepted template expands to
// a URL on the template's own scheme and host, with every query value
// intact.
func FuzzExpandScreenPop(f *testing.F) {
	f.Add("https://crm.example.com/pop?tel={number}&id={call_id}", "+86 138", "a&b=c#d")
	f.Add("http://h/{number}/{call_id}", "../../etc", "?x")
	f.Fuzz(func(t *testing.T, template, number, callID string) {
		if CheckScreenPop(template) != nil {
			return
		}
		got, err := ExpandScreenPop(template, map[string]string{PopNumber: number, PopCallID: callID})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ExpandScreenPop(template, nil)
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("%q expanded to an unparsable %q: %v", template, got, err)
		}
		w, err := url.Parse(want)
		if err != nil {
			t.Fatalf("%q with no values: %v", template, err)
		}
		if u.Scheme != w.Scheme || u.Host != w.Host {
			t.Fatalf("values moved the URL: %q vs %q", got, want)
		}
		if strings.Contains(template, "?tel={number}&") || strings.HasSuffix(template, "?tel={number}") {
			if v := u.Query().Get("tel"); v != number && strings.ToValidUTF8(number, "") == number {
				t.Fatalf("tel = %q, want %q (%s)", v, number, got)
			}
		}
	})
}
