package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ValidationError is one problem in a config file or in a value about to be
// saved. Error() is for the log and reads like
//
//	accounts.toml:7: account "office": field "transport": must be one of udp, tcp, tls, ws, wss
//
// and Sentence gives the agent the same in Chinese or English.
type ValidationError struct {
	File    string // "accounts.toml" or "settings.toml"
	Line    int    // 1-based line in File; 0 when unknown (a value not yet saved)
	Account string // the account's name, for accounts.toml problems
	Field   string // the key at fault: "transport", "ui.language"; may be empty
	Problem string // what is wrong, in English
	// ProblemZh is what is wrong, in Chinese; empty when only English is
	// known (a TOML syntax message, a validator's plain error).
	ProblemZh string
	// Err is the underlying error: a FieldValidator's, a sentinel such as
	// ErrSecretField, or the TOML parser's.
	Err error
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Account != "" {
		fmt.Fprintf(&b, ": account %q", e.Account)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %q", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	return b.String()
}

// Is makes every ValidationError match ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the underlying error.
func (e *ValidationError) Unwrap() error { return e.Err }

// sentencer is what core calls Sentencer: an error with words for the agent.
type sentencer interface{ Sentence(lang string) string }

// Sentence says where the problem is and what it is, for the agent. lang is
// "zh" (the default) or "en". When the underlying error has a sentence of
// its own (a platform validator's), that sentence is used for the problem.
func (e *ValidationError) Sentence(lang string) string {
	en := strings.HasPrefix(lang, "en")
	var inner sentencer
	problem := e.Problem
	if errors.As(e.Err, &inner) {
		problem = inner.Sentence(lang)
	} else if !en && e.ProblemZh != "" {
		problem = e.ProblemZh
	}
	problem = strings.TrimRight(problem, "。.")
	if en {
		var b strings.Builder
		b.WriteString("Settings file " + e.File)
		if e.Line > 0 {
			b.WriteString(", line " + strconv.Itoa(e.Line))
		}
		if e.Account != "" {
			b.WriteString(", account “" + e.Account + "”")
		}
		if e.Field != "" && inner == nil {
			b.WriteString(", setting “" + e.Field + "”")
		}
		b.WriteString(": " + problem + ".")
		return b.String()
	}
	var b strings.Builder
	b.WriteString("配置文件 " + e.File)
	if e.Line > 0 {
		b.WriteString(" 第 " + strconv.Itoa(e.Line) + " 行")
	}
	if e.Account != "" {
		b.WriteString("，账号“" + e.Account + "”")
	}
	if e.Field != "" && inner == nil {
		if e.Line == 0 && e.Account == "" {
			b.WriteString(" 中")
		}
		b.WriteString("的设置“" + e.Field + "”有误")
	}
	b.WriteString("：" + problem + "。")
	return b.String()
}

// FieldError lets a FieldValidator say which field is wrong, so that the
// ValidationError points at that field's line. Validators that return an
// error with a FieldKey() string method (such as this one) get the same.
type FieldError struct {
	Field string // the field's key in the account's fields
	Err   error  // what is wrong; its Sentence, if any, reaches the agent
}

func (e *FieldError) Error() string { return fmt.Sprintf("field %q: %v", e.Field, e.Err) }

// FieldKey names the field at fault.
func (e *FieldError) FieldKey() string { return e.Field }

// Unwrap returns what is wrong.
func (e *FieldError) Unwrap() error { return e.Err }
