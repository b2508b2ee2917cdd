package udesksim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"agentbar/vendors/udesk/wire"
)

// serveQuery is HttpDomain: POST /backend/<Method>, the token in headers.
func (f *Front) serveQuery(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	silent := f.restarting || f.opts.Now().Before(f.silentUntil)
	f.mu.Unlock()
	if silent {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	method := strings.TrimPrefix(r.URL.Path, "/backend/")
	if r.Method != http.MethodPost {
		writeEnvelope(w, http.StatusMethodNotAllowed, failure(wire.CodeBadParams, "POST only", false))
		return
	}
	if !wire.Queries[method] && method != wire.MethodGetState {
		writeEnvelope(w, http.StatusNotFound, failure(wire.CodeUnknownMethod, method+" 请通过 WebSocket 调用", false))
		return
	}
	agent := r.Header.Get(wire.HeaderAgentId)
	if code := f.checkToken(r.Header.Get(wire.HeaderAppId), agent, r.Header.Get(wire.HeaderTimestamp), r.Header.Get(wire.HeaderToken)); code != wire.CodeOK {
		writeEnvelope(w, http.StatusUnauthorized, failure(code, "令牌无效或已过期", false))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, wire.MaxFrameSize+1))
	if err != nil || len(body) > wire.MaxFrameSize {
		writeEnvelope(w, http.StatusRequestEntityTooLarge, failure(wire.CodeBadParams, "请求过大", false))
		return
	}
	writeEnvelope(w, http.StatusOK, f.handle(agent, method, body))
}

func writeEnvelope(w http.ResponseWriter, status int, env wire.Envelope) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(env)
}
