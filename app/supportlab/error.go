package supportlab

import (
	"errors"
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
	EUNAVAILABLE  = "unavailable" // busy for a moment: try again shortly
	EINTERNAL     = "internal"
)

// Error is the one error type that crosses package boundaries. It carries no
// text of its own: Key names a message of the interface catalogue
// (views/locales), so that whoever shows it (a page, the JSON API, the
// command line) words it in the reader's language. Internal errors are not
// *Error values; their details stay in the log.
type Error struct {
	Code string
	// Key is the catalogue id of the message, Args its name/value pairs:
	// NewError(EINVALID, "teams.error.name_too_long", "Max", 100).
	Key  string
	Args []any
	// Fields are per-field problems of a form, in the form's order, for
	// an EINVALID error that a page shows next to each input.
	Fields []FieldError
}

// FieldError is one problem of one form field.
type FieldError struct {
	Field string // the form field's name
	Key   string
	Args  []any
}

// NewError builds a domain error whose message is the catalogue entry key.
func NewError(code, key string, pairs ...any) *Error {
	return &Error{Code: code, Key: key, Args: pairs}
}

// Invalid builds an EINVALID error from the problems of a form's fields; it
// returns nil when there is none, so that a validator can end with it.
func Invalid(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: fields[0].Key, Args: fields[0].Args, Fields: fields}
}

// Error implements the error interface; the text is for logs and tests.
func (e *Error) Error() string { return "supportlab: " + e.Code + ": " + e.Key }

// Field returns the problem of the named field, or nil.
func (e *Error) Field(name string) *FieldError {
	for i := range e.Fields {
		if e.Fields[i].Field == name {
			return &e.Fields[i]
		}
	}
	return nil
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

// AsError returns err's domain error, or nil when err is nil or internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
