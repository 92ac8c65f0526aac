// Package pinata is the Go binding of libpinata, a native client for the Pinata IPFS
// pinning service (https://pinata.cloud). It wraps the library's C ABI with cgo and
// finds an installed libpinata through pkg-config (`#cgo pkg-config: pinata`); with
// `-tags pinata_static` it links the static library, so programs built with it do not
// need libpinata.so at run time. The package's README lists every linking mode.
//
// A [Client] is safe for concurrent use by many goroutines. Every method that talks
// to the service takes a [context.Context]; cancelling it (or reaching its deadline)
// stops the call in flight, uploads included, and the returned error satisfies both
// errors.Is(err, [ErrCancelled]) and errors.Is(err, ctx.Err()).
//
// Errors are [*Error] values; compare them with errors.Is against the sentinels
// ([ErrUnauthorized], [ErrNotFound], ...) or use errors.As to read the HTTP status,
// Pinata's reason code and the Retry-After the server asked for.
//
// Handles owned by Go values ([Client], [PinIterator]) are released by Close and, as
// a fallback, by a finalizer. Results are plain Go values copied out of the library.
package pinata

/*
#include <stdlib.h>
#include "pinata.h"

#if PINATA_VERSION_MAJOR != 0 || PINATA_VERSION_MINOR < 1
#error "this Go binding needs libpinata 0.x with x >= 1"
#endif
*/
import "C"

import (
	"strings"
	"sync/atomic"
	"time"
	"unsafe"
)

// Version returns the version of the linked library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.pinata_version())
}

// VersionNumber returns the linked library's version as (major<<16)|(minor<<8)|patch.
func VersionNumber() uint32 {
	return uint32(C.pinata_version_number())
}

// HeaderVersionNumber is the version of the pinata.h this package was compiled
// against, in the form of [VersionNumber].
const HeaderVersionNumber = uint32(C.PINATA_VERSION_MAJOR<<16 | C.PINATA_VERSION_MINOR<<8 | C.PINATA_VERSION_PATCH)

// CIDOfPath computes the CID of a file, or of a directory recursively, as
// `ipfs add` (`-r`) does with kubo's defaults: cidVersion 0 gives CIDv0, 1 gives
// CIDv1 with raw leaves. Only the local file system is read.
func CIDOfPath(path string, cidVersion int) (string, error) {
	return cidOfPath(path, cidVersion, func(p *C.char, v C.int32_t, out **C.char, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_cid_of_path(p, v, out, cerr)
	})
}

// CIDOfPathThreads is CIDOfPath hashing large files on threads threads (0: one per
// core); the CID is the same as with one thread.
func CIDOfPathThreads(path string, cidVersion int, threads uint32) (string, error) {
	return cidOfPath(path, cidVersion, func(p *C.char, v C.int32_t, out **C.char, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_cid_of_path_threads(p, v, C.uint32_t(threads), out, cerr)
	})
}

// cidOfPath checks the arguments of CIDOfPath and CIDOfPathThreads and runs fn, one
// of the two C functions.
func cidOfPath(path string, cidVersion int,
	fn func(p *C.char, v C.int32_t, out **C.char, cerr **C.pinata_error) C.pinata_status) (string, error) {
	var a cstrings
	defer a.free()
	p := a.str("path", path)
	if a.err != nil {
		return "", a.err
	}
	if cidVersion < -1<<31 || cidVersion > 1<<31-1 {
		return "", invalidArg("cid_version out of range")
	}
	var out *C.char
	var cerr *C.pinata_error
	if st := fn(p, C.int32_t(cidVersion), &out, &cerr); st != C.PINATA_OK {
		return "", takeError(st, cerr)
	}
	return takeString(out), nil
}

// CIDOfBytes computes the CID of data as `ipfs add` of a file with that content
// (cidVersion 0 or 1, as for [CIDOfPath]).
func CIDOfBytes(data []byte, cidVersion int) (string, error) {
	if cidVersion < -1<<31 || cidVersion > 1<<31-1 {
		return "", invalidArg("cid_version out of range")
	}
	var out *C.char
	var cerr *C.pinata_error
	st := C.pinata_cid_of_bytes(bytesPtr(data), C.size_t(len(data)), C.int32_t(cidVersion), &out, &cerr)
	if st != C.PINATA_OK {
		return "", takeError(st, cerr)
	}
	return takeString(out), nil
}

// bytesPtr returns a pointer to the first byte of b, or nil for an empty slice. The
// pointer is only passed to a C call that does not keep it after returning.
func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// takeString copies a `char *` the library returned and frees it.
func takeString(s *C.char) string {
	if s == nil {
		return ""
	}
	out := C.GoString(s)
	C.pinata_string_free(s)
	return out
}

// goString copies a borrowed `const char *` ("" for NULL).
func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// cView is the C string at s as a Go string without copying it, for a reader that
// keeps nothing of it (parseTime): it is valid only while the C memory is.
func cView(s *C.char) string {
	if s == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(s), n)) != 0 {
		n++
	}
	return unsafe.String((*byte)(unsafe.Pointer(s)), n)
}

// parseTime reads an ISO-8601 timestamp; the zero time when s is empty or unreadable.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseUTCTime(s); ok {
		return t
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseUTCTime reads the form Pinata writes, "2006-01-02T15:04:05.999999999Z", in a
// fraction of time.Parse's work (it runs once per pin result); ok is false for any
// other form, which time.Parse then reads or refuses.
func parseUTCTime(s string) (t time.Time, ok bool) {
	n := len(s)
	if n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
		s[16] != ':' || s[n-1] != 'Z' {
		return time.Time{}, false
	}
	century, yy := twoDigits(s, 0), twoDigits(s, 2)
	month, day := twoDigits(s, 5), twoDigits(s, 8)
	hour, minute, sec := twoDigits(s, 11), twoDigits(s, 14), twoDigits(s, 17)
	// twoDigits gives -1 for a non-digit, which every range check below refuses.
	if century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 ||
		hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	year := century*100 + yy
	if day > daysIn(month, year) { // 31 April and the like: time.Parse refuses them
		return time.Time{}, false
	}
	nsec := 0
	if n > 20 {
		digits := n - 21
		if s[19] != '.' || digits < 1 || digits > 9 {
			return time.Time{}, false
		}
		for i := 20; i < n-1; i++ {
			d := s[i] - '0'
			if d > 9 {
				return time.Time{}, false
			}
			nsec = nsec*10 + int(d)
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// twoDigits is the number the two decimal digits at s[i:i+2] write, or -1.
func twoDigits(s string, i int) int {
	a, b := s[i]-'0', s[i+1]-'0'
	if a > 9 || b > 9 {
		return -1
	}
	return int(a)*10 + int(b)
}

// daysIn is the number of days in month (1 to 12) of year, in the Gregorian calendar.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatTime writes t as the ISO-8601 form the service expects ("" for the zero time).
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// cstrings converts Go strings to C strings for one call and frees them all at
// once. A string containing a NUL byte (which C would silently cut) records an
// invalid-argument error naming the argument.
type cstrings struct {
	ptrs []unsafe.Pointer
	err  error
}

func (a *cstrings) str(arg, s string) *C.char {
	if strings.IndexByte(s, 0) >= 0 {
		if a.err == nil {
			a.err = invalidArg(arg + " contains a NUL byte")
		}
		return nil
	}
	p := C.CString(s)
	a.ptrs = append(a.ptrs, unsafe.Pointer(p))
	return p
}

// opt is str, with "" meaning NULL.
func (a *cstrings) opt(arg, s string) *C.char {
	if s == "" {
		return nil
	}
	return a.str(arg, s)
}

func (a *cstrings) free() {
	for _, p := range a.ptrs {
		C.free(p)
	}
	a.ptrs = nil
}

// Handle accounting, for tests and leak hunting: handles currently owned by Go
// values, and how many of them a finalizer (not Close) released.
var (
	liveHandles      atomic.Int64
	finalizedHandles atomic.Int64
)
