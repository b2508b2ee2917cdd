package control

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"agentbar/core"
)

// errorReply is the body of every error response.
type errorReply struct {
	OK        bool   `json:"ok"`
	Error     string `json:"error"`   // technical, for logs
	Message   string `json:"message"` // the sentence in the backend's language
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
	Code      string `json:"code"`
}

// okPrefix is spliced in front of a result object's fields: results are
// flat, {"ok":true,"call":"..."}.
var okPrefix = []byte(`{"ok":true`)

// okBody builds a success body. A result must marshal to a JSON object
// (or be nil); its fields sit beside "ok".
func okBody(result any) ([]byte, error) {
	if result == nil {
		return []byte(`{"ok":true}`), nil
	}
	b, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '{' {
		return nil, fmt.Errorf("control: result %T is not a JSON object", result)
	}
	out := make([]byte, 0, len(okPrefix)+len(b)+1)
	out = append(out, okPrefix...)
	if len(bytes.TrimSpace(b[1:len(b)-1])) > 0 {
		out = append(out, ',')
	}
	return append(out, b[1:]...), nil
}

// errorBody builds the error reply for err in the backend's language.
func errorBody(err error, lang string) (int, []byte) {
	status, code := classify(err)
	reply := errorReply{
		Error:     err.Error(),
		MessageZH: sentence(err, "zh"),
		MessageEN: sentence(err, "en"),
		Code:      code,
	}
	reply.Message = reply.MessageZH
	if lang == "en" {
		reply.Message = reply.MessageEN
	}
	b, mErr := json.Marshal(reply)
	if mErr != nil { // strings only: cannot happen, but never send nothing
		return http.StatusInternalServerError, []byte(`{"ok":false,"code":"internal_error"}`)
	}
	return status, b
}

// sentence is core.Sentence, minus the package prefix core puts into its
// generic invalid-argument sentence ("Invalid input: core: invalid
// argument: ...") which means nothing to an agent.
func sentence(err error, lang string) string {
	s := core.Sentence(err, lang)
	return strings.Replace(s, core.ErrInvalidArgument.Error()+": ", "", 1)
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
