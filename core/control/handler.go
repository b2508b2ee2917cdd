package control

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// apiPrefix is the versioned root of every route.
const apiPrefix = "/v1/"

// ServeHTTP checks, in order: the Host header (loopback only), the Origin
// (listed, when a browser sends one), CORS preflight, the token, then
// dispatches the command. Checking the token before the route keeps the
// list of commands from strangers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	if !hostIsLoopback(r.Host) {
		s.fail(w, r, began, &RequestError{Status: http.StatusForbidden, Code: CodeForbiddenHost,
			Detail: "Host header " + quote(r.Host) + " is not a loopback address",
			ZH:     "只接受发往本机地址（127.0.0.1）的请求。",
			EN:     "Only requests addressed to this computer (127.0.0.1) are accepted."})
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if !s.origins.allows(origin) {
			origin = shorten(origin, 200)
			s.fail(w, r, began, &RequestError{Status: http.StatusForbidden, Code: CodeForbiddenOrigin,
				Detail: "origin " + quote(origin) + " is not in the allowed origins",
				ZH:     "网页 " + origin + " 不在允许的网址列表里。请在 agentbar 设置中添加它。",
				EN:     "The web page " + origin + " is not in the list of allowed sites. Add it in agentbar's settings."})
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions {
			s.preflight(w, r)
			return
		}
	}
	name, inAPI := strings.CutPrefix(r.URL.Path, apiPrefix)
	events := inAPI && name == "events"
	if !s.authorized(r, events) {
		s.fail(w, r, began, errUnauthorized())
		return
	}
	if events {
		if r.Method != http.MethodGet {
			s.fail(w, r, began, errMethod(r.Method, http.MethodGet, w))
			return
		}
		s.serveEvents(w, r)
		return
	}
	rt, known := s.routes[name]
	if !inAPI || !known {
		s.fail(w, r, began, errUnknownCommand(strings.TrimPrefix(r.URL.Path, apiPrefix)))
		return
	}
	if r.Method != rt.method {
		s.fail(w, r, began, errMethod(r.Method, rt.method, w))
		return
	}
	var body []byte
	if rt.method == http.MethodPost {
		b, err := readBody(w, r)
		if err != nil {
			s.fail(w, r, began, err)
			return
		}
		body = b
	}
	result, err := rt.run(r.Context(), s.o.Backend, r.URL.Query(), body)
	if err != nil {
		s.fail(w, r, began, err)
		return
	}
	out, err := okBody(result)
	if err != nil {
		s.fail(w, r, began, err)
		return
	}
	writeBody(w, http.StatusOK, out)
	s.log.Debug("control: request", "method", r.Method, "command", name, "status", http.StatusOK, "took", time.Since(began))
}

// preflight answers a CORS preflight from an allowed origin. Browsers send
// it without the token, so it must not need one; it reveals nothing.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	// Chrome's Private Network Access: a public site reaching 127.0.0.1
	// must be let in explicitly.
	if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
		h.Set("Access-Control-Allow-Private-Network", "true")
	}
	w.WriteHeader(http.StatusNoContent)
}

// authorized checks the bearer token. The event stream also takes
// ?token=, because browsers cannot set headers on a WebSocket.
func (s *Server) authorized(r *http.Request, queryOK bool) bool {
	auth := r.Header.Get("Authorization")
	if scheme, tok, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return tokenMatches(strings.TrimSpace(tok), s.token)
	}
	if queryOK && auth == "" {
		if tok := r.URL.Query().Get("token"); tok != "" {
			return tokenMatches(tok, s.token)
		}
	}
	return false
}

// fail writes an error reply and logs it (never the body or the token).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, began time.Time, err error) {
	status, body := errorBody(err, s.o.Backend.Lang())
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="agentbar"`)
	}
	writeBody(w, status, body)
	level := s.log.Debug
	if status >= 500 {
		level = s.log.Warn
	}
	level("control: request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err, "took", time.Since(began))
}

func errUnauthorized() *RequestError {
	return &RequestError{Status: http.StatusUnauthorized, Code: CodeUnauthorized,
		Detail: "missing or wrong bearer token",
		ZH:     "控制接口的令牌缺失或不对。令牌在 agentbar 配置目录的 control-token 文件里。",
		EN:     "The control token is missing or wrong. It is in the control-token file in agentbar's config directory."}
}

func errUnknownCommand(name string) *RequestError {
	name = shorten(name, 64)
	return &RequestError{Status: http.StatusNotFound, Code: CodeUnknownCommand,
		Detail: "unknown command " + quote(name),
		ZH:     "没有“" + name + "”这个命令。",
		EN:     "There is no command \"" + name + "\"."}
}

func errMethod(got, want string, w http.ResponseWriter) *RequestError {
	w.Header().Set("Allow", want)
	return &RequestError{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed,
		Detail: got + " not allowed, use " + want,
		ZH:     "这个命令要用 " + want + " 请求。",
		EN:     "This command needs a " + want + " request."}
}

func quote(s string) string { return `"` + shorten(s, 200) + `"` }

// shorten makes caller-supplied text safe to echo: valid UTF-8, no control
// characters, at most max bytes.
func shorten(s string, max int) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
