package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// tomlLine finds the line number in the text of a toml decode error
// ("toml: line 5 (last key ...): incompatible types ...").
var tomlLine = regexp.MustCompile(`^toml: line (\d+)`)

// decodeError turns an error from toml.Decode into a *ValidationError
// naming the file and, where toml knows it, the line.
func decodeError(file string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &ValidationError{
			File:      file,
			Line:      pe.Position.Line,
			Problem:   "not valid TOML: " + pe.Message,
			ProblemZh: "不是有效的 TOML 格式：" + pe.Message,
			Err:       err,
		}
	}
	msg := err.Error()
	line := 0
	if m := tomlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg = strings.TrimPrefix(msg, "toml: ")
	if i := strings.Index(msg, "): "); line > 0 && i >= 0 {
		msg = msg[i+3:] // drop "line N (last key ...)", the line is in Line
	}
	return &ValidationError{
		File:      file,
		Line:      line,
		Problem:   msg,
		ProblemZh: "值的类型不对：" + msg,
		Err:       err,
	}
}

// versionError checks a file's format version; 0 means the key is absent
// (version 1).
func versionError(file string, version int, lines keyLines) error {
	switch {
	case version == 0 || version == formatVersion:
		return nil
	case version > formatVersion:
		return &ValidationError{
			File: file, Line: lines.line("version"), Field: "version",
			Problem:   fmt.Sprintf("format version %d is newer than this agentbar understands (%d); update agentbar", version, formatVersion),
			ProblemZh: fmt.Sprintf("格式版本 %d 比当前 agentbar 支持的（%d）更新，请升级 agentbar", version, formatVersion),
			Err:       ErrNewerVersion,
		}
	}
	return &ValidationError{
		File: file, Line: lines.line("version"), Field: "version",
		Problem:   fmt.Sprintf("must be %d", formatVersion),
		ProblemZh: fmt.Sprintf("必须是 %d", formatVersion),
	}
}

// problemError turns a fieldProblem into a *ValidationError at line.
func problemError(file string, line int, account string, fp fieldProblem) *ValidationError {
	e := &ValidationError{
		File:    file,
		Line:    line,
		Account: account,
		Field:   strings.TrimPrefix(fp.field, "fields."),
	}
	var p *problem
	var secret *secretFieldError
	switch {
	case errors.As(fp.err, &p):
		e.Problem, e.ProblemZh = p.en, p.zh
	case errors.As(fp.err, &secret):
		e.Problem = secret.Error()
		e.ProblemZh = "看起来是密码或令牌；密码只保存在系统钥匙串中，不能写进 accounts.toml"
		e.Err = fp.err
	default:
		// A FieldValidator's error. Its text often names the field again
		// ("platform sip: field \"transport\": must be ..."); keep what
		// follows.
		e.Problem = fp.err.Error()
		if e.Field != "" {
			marker := fmt.Sprintf("field %q: ", e.Field)
			if i := strings.LastIndex(e.Problem, marker); i >= 0 {
				e.Problem = e.Problem[i+len(marker):]
			}
		}
		e.Err = fp.err
	}
	return e
}
