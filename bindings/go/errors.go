package pinata

/*
#include "pinata.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Status is a libpinata status code. The values never change.
type Status int32

// The status codes of pinata.h.
const (
	StatusOK              Status = C.PINATA_OK
	StatusInvalidArgument Status = C.PINATA_E_INVALID_ARGUMENT
	StatusIO              Status = C.PINATA_E_IO
	StatusNetwork         Status = C.PINATA_E_NETWORK
	StatusTimeout         Status = C.PINATA_E_TIMEOUT
	StatusCancelled       Status = C.PINATA_E_CANCELLED
	StatusUnauthorized    Status = C.PINATA_E_UNAUTHORIZED
	StatusForbidden       Status = C.PINATA_E_FORBIDDEN
	StatusNotFound        Status = C.PINATA_E_NOT_FOUND
	StatusRateLimited     Status = C.PINATA_E_RATE_LIMITED
	StatusBadRequest      Status = C.PINATA_E_BAD_REQUEST
	StatusServer          Status = C.PINATA_E_SERVER
	StatusProtocol        Status = C.PINATA_E_PROTOCOL
	StatusIntegrity       Status = C.PINATA_E_INTEGRITY
	StatusInternal        Status = C.PINATA_E_INTERNAL
	StatusTLS             Status = C.PINATA_E_TLS
)

// String returns the status's name in pinata.h, e.g. "PINATA_E_TIMEOUT"
// ("PINATA_E_UNKNOWN" for a value this version does not know).
func (s Status) String() string {
	return C.GoString(C.pinata_status_str(C.pinata_status(s)))
}

// Error is a failed call: the library's status, its message, and, when the service
// answered, the HTTP status, Pinata's reason code, the details text and the
// Retry-After it asked for. Messages never contain credentials.
//
// errors.Is(err, ErrX) compares statuses. When a call was stopped because its
// context was cancelled or timed out, the error also unwraps to the context's error,
// so errors.Is(err, context.Canceled) or errors.Is(err, context.DeadlineExceeded)
// holds as well.
type Error struct {
	Status     Status
	HTTPStatus int           // 0 when there was no response (local and network errors)
	Reason     string        // Pinata's machine-readable reason, e.g. "NO_SCOPES_FOUND"
	Details    string        // the details text of the error body
	RetryAfter time.Duration // negative when the server did not say
	Message    string

	cause    error // the context's error, or ErrClosed
	sentinel bool
}

// Error implements error: "pinata: PINATA_E_NOT_FOUND: message".
func (e *Error) Error() string {
	if e.Message == "" {
		return "pinata: " + e.Status.String()
	}
	return fmt.Sprintf("pinata: %s: %s", e.Status, e.Message)
}

// Is reports whether target is the sentinel of e's status (ErrNotFound, ...).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Status == e.Status
}

// Unwrap returns the context error that stopped the call (or ErrClosed), if any.
func (e *Error) Unwrap() error {
	return e.cause
}

func sentinel(s Status) *Error {
	return &Error{Status: s, RetryAfter: -1, sentinel: true}
}

// Sentinels for errors.Is, one per status.
var (
	ErrInvalidArgument = sentinel(StatusInvalidArgument)
	ErrIO              = sentinel(StatusIO)
	ErrNetwork         = sentinel(StatusNetwork)
	ErrTimeout         = sentinel(StatusTimeout)
	ErrCancelled       = sentinel(StatusCancelled)
	ErrUnauthorized    = sentinel(StatusUnauthorized)
	ErrForbidden       = sentinel(StatusForbidden)
	ErrNotFound        = sentinel(StatusNotFound)
	ErrRateLimited     = sentinel(StatusRateLimited)
	ErrBadRequest      = sentinel(StatusBadRequest)
	ErrServer          = sentinel(StatusServer)
	ErrProtocol        = sentinel(StatusProtocol)
	ErrIntegrity       = sentinel(StatusIntegrity)
	ErrInternal        = sentinel(StatusInternal)
	ErrTLS             = sentinel(StatusTLS)
)

// ErrClosed is wrapped by the error of a call on a closed Client or PinIterator
// (whose status is StatusInvalidArgument).
var ErrClosed = errors.New("pinata: use of a closed handle")

// takeError turns a failed status and its error object (possibly NULL) into an
// *Error, copying every string, and frees the object.
func takeError(st C.pinata_status, cerr *C.pinata_error) *Error {
	if cerr == nil {
		return &Error{Status: Status(st), RetryAfter: -1, Message: Status(st).String()}
	}
	defer C.pinata_error_free(cerr)
	e := &Error{
		Status:     Status(C.pinata_error_status(cerr)),
		HTTPStatus: int(C.pinata_error_http_status(cerr)),
		Reason:     goString(C.pinata_error_reason(cerr)),
		Details:    goString(C.pinata_error_details(cerr)),
		Message:    goString(C.pinata_error_message(cerr)),
		RetryAfter: -1,
	}
	if ra := int64(C.pinata_error_retry_after(cerr)); ra >= 0 {
		e.RetryAfter = time.Duration(ra) * time.Second
	}
	return e
}

func invalidArg(msg string) *Error {
	return &Error{Status: StatusInvalidArgument, RetryAfter: -1, Message: msg}
}

func closedError(what string) *Error {
	return &Error{Status: StatusInvalidArgument, RetryAfter: -1, Message: what + " is closed", cause: ErrClosed}
}

// contextError is the error of a call whose context was done before it started.
func contextError(ctx context.Context) *Error {
	err := ctx.Err()
	return &Error{Status: StatusCancelled, RetryAfter: -1, Message: err.Error(), cause: err}
}
