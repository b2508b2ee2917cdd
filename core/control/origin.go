package control

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// originPolicy is the user's list of web origins whose pages may use the
// API: exact origins, and "scheme://*.domain[:port]" for any subdomain.
type originPolicy struct {
	exact     map[string]bool
	wildcards []wildcardOrigin
}

// wildcardOrigin matches scheme://<one or more labels>.<domain>[:port].
type wildcardOrigin struct {
	scheme, domain, port string
}

// parseOrigins checks the user's list. Entries are serialised origins
// (scheme://host[:port], http or https, no path), compared as browsers
// send them in the Origin header: lower case, default port left out.
func parseOrigins(list []string) (originPolicy, error) {
	p := originPolicy{exact: make(map[string]bool, len(list))}
	for _, raw := range list {
		scheme, host, port, err := splitOrigin(raw)
		if err != nil {
			return originPolicy{}, err
		}
		if domain, ok := strings.CutPrefix(host, "*."); ok {
			if domain == "" || strings.Contains(domain, "*") || !strings.Contains(domain, ".") {
				return originPolicy{}, fmt.Errorf("%w: %q (a wildcard covers the subdomains of one domain, e.g. https://*.example.com)", ErrBadOrigin, raw)
			}
			p.wildcards = append(p.wildcards, wildcardOrigin{scheme, domain, port})
			continue
		}
		if strings.Contains(host, "*") {
			return originPolicy{}, fmt.Errorf("%w: %q (only a leading *. is allowed)", ErrBadOrigin, raw)
		}
		p.exact[joinOrigin(scheme, host, port)] = true
	}
	return p, nil
}

// splitOrigin parses and normalises an origin.
func splitOrigin(raw string) (scheme, host, port string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", "", "", fmt.Errorf("%w: %q: %v", ErrBadOrigin, raw, err)
	}
	scheme = strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "", "", fmt.Errorf("%w: %q (want scheme://host[:port], e.g. https://crm.example.com)", ErrBadOrigin, raw)
	}
	host, port = strings.ToLower(u.Hostname()), u.Port()
	if host == "" {
		return "", "", "", fmt.Errorf("%w: %q has no host", ErrBadOrigin, raw)
	}
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		port = ""
	}
	return scheme, host, port, nil
}

func joinOrigin(scheme, host, port string) string {
	if port != "" {
		return scheme + "://" + net.JoinHostPort(host, port)
	}
	if strings.Contains(host, ":") { // IPv6 literal
		return scheme + "://[" + host + "]"
	}
	return scheme + "://" + host
}

// allows: a request without Origin comes from a program (ctl, curl, a
// CRM's backend) and is judged by its token alone; a browser always sends
// Origin on cross-site requests and WebSockets, and its page must be one
// the user listed. "null" (sandboxed pages, file://) is never allowed.
func (p originPolicy) allows(origin string) bool {
	scheme, host, port, err := splitOrigin(origin)
	if err != nil {
		return false
	}
	if joinOrigin(scheme, host, port) != strings.ToLower(origin) {
		return false // not in the serialised form browsers send
	}
	if p.exact[origin] || p.exact[strings.ToLower(origin)] {
		return true
	}
	for _, w := range p.wildcards {
		if w.scheme == scheme && w.port == port && strings.HasSuffix(host, "."+w.domain) {
			return true
		}
	}
	return false
}
