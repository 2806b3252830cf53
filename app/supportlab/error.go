// Package supportlab holds SupportLab's domain: the types every other package
// speaks (quizzes, scenarios, users, attempts) and the rules that do not depend
// on storage or HTTP. It imports nothing of the project, so web, sqlite,
// lessons and quizbank can all depend on it without depending on each other.
package supportlab

import (
	"errors"
	"fmt"
)

// Error codes. They say what kind of failure happened so that the web layer can
// pick a status and a page without knowing which package failed.
const (
	ENOTFOUND     = "not_found"
	EINVALID      = "invalid"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error is the one error type that crosses package boundaries. Message is safe
// to show to a user; internal errors keep their cause for the log only.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("supportlab: %s: %s", e.Code, e.Message) }

// Errorf builds a domain error with a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for any error that is not a
// domain error, and "" for nil. Callers switch on it instead of type-asserting.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic text so that no detail of the failure leaks to the browser.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
