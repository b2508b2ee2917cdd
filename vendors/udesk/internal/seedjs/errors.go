package seedjs

import "errors"

// ErrSyntax: the text is not JavaScript object notation this converter knows.
var ErrSyntax = errors.New("seedjs: syntax")
