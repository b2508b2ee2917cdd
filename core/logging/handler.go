package logging

import (
	"context"
	"log/slog"
	"sync/atomic"
)

// Handler is a slog.Handler that redacts every record (see the package doc)
// before passing it to the handler it wraps. It is safe for concurrent use.
type Handler struct {
	r     *Redactor
	inner slog.Handler // the wrapped handler, without this Handler's With ops
	ops   []withOp     // WithAttrs and WithGroup calls, in order, unscrubbed
	// maskAll: a group opened by WithGroup is named like a secret, so every
	// attribute logged inside it is masked.
	maskAll bool
	// built is inner with ops applied, scrubbed against the secret set of
	// generation gen; rebuilt when a secret is added.
	built atomic.Pointer[builtHandler]
}

type withOp struct {
	group string      // WithGroup(group) when attrs is nil
	attrs []slog.Attr // WithAttrs(attrs)
}

type builtHandler struct {
	gen uint64
	h   slog.Handler
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler wraps inner. r supplies the literal secrets; nil means a new,
// empty Redactor (key and pattern rules only).
func NewHandler(inner slog.Handler, r *Redactor) *Handler {
	if r == nil {
		r = NewRedactor()
	}
	return &Handler{r: r, inner: inner}
}

// Redactor returns the Redactor this handler consults.
func (h *Handler) Redactor() *Redactor { return h.r }

// Enabled reports whether the wrapped handler wants records of this level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle scrubs the message and attributes of rec and passes a copy on.
func (h *Handler) Handle(ctx context.Context, rec slog.Record) error {
	set := h.r.set.Load()
	target := h.target(set)
	out := slog.NewRecord(rec.Time, rec.Level, h.r.scrubWith(set, rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.redactAttr(set, a, h.maskAll))
		return true
	})
	return target.Handle(ctx, out)
}

// WithAttrs returns a Handler whose records carry attrs. They are kept
// unscrubbed and scrubbed again whenever a secret is registered, so a
// secret logged with With before AddSecret is still hidden after it.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(withOp{attrs: append([]slog.Attr(nil), attrs...)})
}

// WithGroup returns a Handler that nests later attributes under name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	next := h.with(withOp{group: name})
	next.maskAll = h.maskAll || isSensitiveKey(name)
	return next
}

func (h *Handler) with(op withOp) *Handler {
	ops := make([]withOp, len(h.ops), len(h.ops)+1)
	copy(ops, h.ops)
	return &Handler{r: h.r, inner: h.inner, ops: append(ops, op), maskAll: h.maskAll}
}

// target returns the wrapped handler with this Handler's With ops applied,
// scrubbed against set.
func (h *Handler) target(set *secretSet) slog.Handler {
	if len(h.ops) == 0 {
		return h.inner
	}
	var gen uint64
	if set != nil {
		gen = set.gen
	}
	if b := h.built.Load(); b != nil && b.gen == gen {
		return b.h
	}
	// Racing goroutines may both build; the results are equal.
	t := h.inner
	maskAll := false
	for _, op := range h.ops {
		if op.attrs == nil {
			t = t.WithGroup(scrubName(set, op.group))
			maskAll = maskAll || isSensitiveKey(op.group)
			continue
		}
		scrubbed := make([]slog.Attr, len(op.attrs))
		for i, a := range op.attrs {
			scrubbed[i] = h.r.redactAttr(set, a, maskAll)
		}
		t = t.WithAttrs(scrubbed)
	}
	h.built.Store(&builtHandler{gen: gen, h: t})
	return t
}
