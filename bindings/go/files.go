package pinata

/*
#include <stdint.h>
#include <stdlib.h>
#include "pinata.h"

// Defined in callback.go (//export); userdata carries a runtime/cgo.Handle.
extern int32_t pinataGoProgress(uint64_t sent, uint64_t total, uintptr_t handle);

static int32_t pinata_go_v3_progress_trampoline(uint64_t sent, uint64_t total, void *userdata) {
	return pinataGoProgress(sent, total, (uintptr_t)userdata);
}

static pinata_status pinata_go_v3_set_progress(pinata_upload_options *options, uintptr_t handle,
                                               pinata_error **err_out) {
	return pinata_upload_options_set_progress(options, pinata_go_v3_progress_trampoline,
	                                          (void *)handle, err_out);
}
*/
import "C"

import (
	"context"
	"encoding/json"
	"iter"
	"math"
	"runtime"
	"runtime/cgo"
	"time"
)

// The v3 Files API: uploads to the public or private network, files per network,
// signed upload URLs, download links and the v3 pin-by-CID queue.

// WithUploadURL replaces https://uploads.pinata.cloud, the host of v3 uploads and
// signed upload URLs (the emulator serves both hosts on one address).
func WithUploadURL(url string) Option { return func(c *config) { c.uploadURL = url } }

func setUploadURL(ptr *C.pinata_client, url string) error {
	var a cstrings
	defer a.free()
	u := a.str("upload_url", url)
	if a.err != nil {
		return a.err
	}
	var cerr *C.pinata_error
	if st := C.pinata_client_set_upload_url(ptr, u, &cerr); st != C.PINATA_OK {
		return takeError(st, cerr)
	}
	return nil
}

// Order is the order of a v3 listing (by creation time).
type Order int32

const (
	// DefaultOrder leaves the service's order.
	DefaultOrder Order = -1
	// Ascending is oldest first.
	Ascending Order = C.PINATA_ORDER_ASC
	// Descending is newest first.
	Descending Order = C.PINATA_ORDER_DESC
)

// UploadOptions are the options of a v3 upload; nil gives the defaults (the private
// network, the file's name, the service's CID version v1, CID check on).
type UploadOptions struct {
	// Network is where the file goes. Its zero value is NetworkPublic; nil options
	// upload to NetworkPrivate, the API's own default.
	Network    Network
	Name       string
	KeyValues  map[string]string
	GroupID    string
	CIDVersion *int // 0 or 1; nil: the service's default (v1)
	Car        bool // a CAR to import (public only)
	Streamable bool
	ExpiresAt  time.Time // zero: never
	// VerifyCID: nil means true.
	VerifyCID *bool
	// Progress is called on the calling goroutine as bytes go out; false cancels.
	Progress func(sent, total uint64) bool
	// Path is how UploadFile sends the file (upload_choice.go): UploadPathAuto, the
	// zero value, takes TUS above ResumableThreshold (0: the default, 90 MiB).
	Path               UploadPath
	ResumableThreshold uint64
	// JournalDir holds the TUS journals ("": the library's default directory).
	JournalDir string
	// ResumableChunkSize is the bytes per TUS PATCH when the upload goes through TUS
	// (0: the default, 16 MiB; at least 64 KiB). Memory does not grow with it; after a
	// crash the next call sends at most one chunk again.
	ResumableChunkSize uint64
}

// FileRow is a v3 file.
type FileRow struct {
	ID            string
	Name          string
	CID           string
	Size          uint64
	NumberOfFiles uint64
	MimeType      string
	GroupID       string
	KeyValues     map[string]any
	CreatedAt     time.Time
	IsDuplicate   bool
	RawJSON       string
}

// UploadResult is the answer to a v3 upload.
type UploadResult struct {
	File     FileRow
	LocalCID string
	CIDCheck CIDCheck
	RawJSON  string
	// Path is the path that ran (UploadPathMultipart or UploadPathResumable).
	Path UploadPath
	// Resumed tells whether TUS resumed an upload its journal described, from
	// ResumedFrom; RestartReason why a journal was found but not resumed.
	Resumed       bool
	ResumedFrom   uint64
	RestartReason string
}

func copyFileRow(r *C.pinata_file_row) FileRow {
	row := FileRow{
		ID:            goString(C.pinata_file_row_id(r)),
		Name:          goString(C.pinata_file_row_name(r)),
		CID:           goString(C.pinata_file_row_cid(r)),
		Size:          uint64(C.pinata_file_row_size(r)),
		NumberOfFiles: uint64(C.pinata_file_row_number_of_files(r)),
		MimeType:      goString(C.pinata_file_row_mime_type(r)),
		GroupID:       goString(C.pinata_file_row_group_id(r)),
		CreatedAt:     parseTime(goString(C.pinata_file_row_created_at(r))),
		IsDuplicate:   bool(C.pinata_file_row_is_duplicate(r)),
		RawJSON:       goString(C.pinata_file_row_raw_json(r)),
	}
	_ = json.Unmarshal([]byte(goString(C.pinata_file_row_keyvalues_json(r))), &row.KeyValues)
	return row
}

// uploadOptions is a C options handle made for one call.
type uploadOptions struct {
	ptr    *C.pinata_upload_options
	prog   *progress
	handle cgo.Handle
	cancel *C.pinata_cancel
	stop   func() bool
}

func (o *uploadOptions) free() {
	if o.stop != nil {
		o.stop()
	}
	C.pinata_upload_options_free(o.ptr)
	C.pinata_cancel_free(o.cancel)
	if o.handle != 0 {
		o.handle.Delete()
	}
}

func (o *uploadOptions) rethrow() {
	if o.prog != nil && o.prog.panicked {
		panic(o.prog.panicVal)
	}
}

func newUploadOptions(o *UploadOptions) (_ *uploadOptions, err error) {
	uo := &uploadOptions{}
	var cerr *C.pinata_error
	if st := C.pinata_upload_options_new(&uo.ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer func() {
		if err != nil {
			uo.free()
		}
	}()
	if o == nil {
		return uo, nil
	}
	var a cstrings
	defer a.free()
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if err := check(C.pinata_upload_options_set_network(uo.ptr, C.int32_t(o.Network), &cerr)); err != nil {
		return nil, err
	}
	if name := a.opt("name", o.Name); name != nil {
		if err := check(C.pinata_upload_options_set_name(uo.ptr, name, &cerr)); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedStringKeys(o.KeyValues) {
		ck, cv := a.str("keyvalue key", k), a.str("keyvalue "+k, o.KeyValues[k])
		if a.err != nil {
			return nil, a.err
		}
		if err := check(C.pinata_upload_options_set_keyvalue(uo.ptr, ck, cv, &cerr)); err != nil {
			return nil, err
		}
	}
	if g := a.opt("group_id", o.GroupID); g != nil {
		if err := check(C.pinata_upload_options_set_group_id(uo.ptr, g, &cerr)); err != nil {
			return nil, err
		}
	}
	if a.err != nil {
		return nil, a.err
	}
	if o.CIDVersion != nil {
		if *o.CIDVersion < math.MinInt32 || *o.CIDVersion > math.MaxInt32 {
			return nil, invalidArg("cid_version out of range")
		}
		if err := check(C.pinata_upload_options_set_cid_version(uo.ptr, C.int32_t(*o.CIDVersion), &cerr)); err != nil {
			return nil, err
		}
	}
	if err := check(C.pinata_upload_options_set_car(uo.ptr, C.bool(o.Car), &cerr)); err != nil {
		return nil, err
	}
	if err := check(C.pinata_upload_options_set_streamable(uo.ptr, C.bool(o.Streamable), &cerr)); err != nil {
		return nil, err
	}
	if !o.ExpiresAt.IsZero() {
		if err := check(C.pinata_upload_options_set_expires_at(uo.ptr, C.int64_t(o.ExpiresAt.Unix()), &cerr)); err != nil {
			return nil, err
		}
	}
	if o.VerifyCID != nil && !*o.VerifyCID {
		if err := check(C.pinata_upload_options_set_verify_cid(uo.ptr, false, &cerr)); err != nil {
			return nil, err
		}
	}
	if err := applyUploadChoice(uo.ptr, o, &a); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		uo.prog = &progress{fn: o.Progress}
		uo.handle = cgo.NewHandle(uo.prog)
		if err := check(C.pinata_go_v3_set_progress(uo.ptr, C.uintptr_t(uo.handle), &cerr)); err != nil {
			return nil, err
		}
	}
	return uo, nil
}

func sortedStringKeys(m map[string]string) []string {
	anyMap := make(map[string]any, len(m))
	for k := range m {
		anyMap[k] = nil
	}
	return sortedKeys(anyMap)
}

func copyUploadResult(r *C.pinata_upload_result) *UploadResult {
	out := &UploadResult{
		File:     copyFileRow(C.pinata_upload_result_file(r)),
		LocalCID: goString(C.pinata_upload_result_local_cid(r)),
		CIDCheck: CIDCheck(C.pinata_upload_result_cid_check(r)),
		RawJSON:  goString(C.pinata_upload_result_raw_json(r)),
	}
	copyUploadChoice(out, r)
	return out
}

type uploadFn func(cl *C.pinata_client, o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status

func (c *Client) uploadV3(ctx context.Context, opts *UploadOptions, run uploadFn) (*UploadResult, error) {
	uo, err := newUploadOptions(opts)
	if err != nil {
		return nil, err
	}
	defer uo.free()
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var r *C.pinata_upload_result
	var cerr *C.pinata_error
	st := run(k.cl, uo.ptr, &r, &cerr)
	uo.rethrow()
	if st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_upload_result_free(r)
	return copyUploadResult(r), nil
}

// UploadFile uploads one regular file (POST {upload host}/v3/files), streamed from
// disk in constant memory. opts may be nil (private network).
func (c *Client) UploadFile(ctx context.Context, path string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	p := a.str("path", path)
	if a.err != nil {
		return nil, a.err
	}
	return c.uploadV3(ctx, opts, func(cl *C.pinata_client, o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_file(cl, p, o, r, e)
	})
}

// UploadBytes uploads data as a file named fileName (no '/').
func (c *Client) UploadBytes(ctx context.Context, data []byte, fileName string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	name := a.str("file_name", fileName)
	if a.err != nil {
		return nil, a.err
	}
	return c.uploadV3(ctx, opts, func(cl *C.pinata_client, o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_bytes(cl, bytesPtr(data), C.size_t(len(data)), name, o, r, e)
	})
}

// UploadJSON uploads a JSON document, byte for byte as given, as data.json.
func (c *Client) UploadJSON(ctx context.Context, jsonText string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	j := a.str("json", jsonText)
	if a.err != nil {
		return nil, a.err
	}
	return c.uploadV3(ctx, opts, func(cl *C.pinata_client, o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_json(cl, j, o, r, e)
	})
}

// signedUpload runs an upload through a signed URL with no client and no
// credentials; ctx cancels it through the options' cancel flag.
func signedUpload(ctx context.Context, opts *UploadOptions,
	run func(o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status,
) (*UploadResult, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	uo, err := newUploadOptions(opts)
	if err != nil {
		return nil, err
	}
	defer uo.free()
	var cerr *C.pinata_error
	if ctx.Done() != nil {
		if st := C.pinata_cancel_new(&uo.cancel, &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
		if st := C.pinata_upload_options_set_cancel(uo.ptr, uo.cancel, &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
		flag, fired := uo.cancel, make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			C.pinata_cancel_request(flag)
			close(fired)
		})
		uo.stop = func() bool {
			if !stop() {
				<-fired
			}
			return true
		}
	}
	var r *C.pinata_upload_result
	st := run(uo.ptr, &r, &cerr)
	uo.rethrow()
	if st != C.PINATA_OK {
		e := takeError(st, cerr)
		if e.Status == StatusCancelled && ctx.Err() != nil {
			e.cause = ctx.Err()
		}
		return nil, e
	}
	defer C.pinata_upload_result_free(r)
	return copyUploadResult(r), nil
}

// UploadFileSigned uploads a file through a signed upload URL with NO credentials
// (an app that holds only the URL). The URL never appears in an error.
func UploadFileSigned(ctx context.Context, signedURL, path string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	u, p := a.str("signed_url", signedURL), a.str("path", path)
	if a.err != nil {
		return nil, a.err
	}
	return signedUpload(ctx, opts, func(o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_file_signed(nil, u, p, o, r, e)
	})
}

// UploadBytesSigned is UploadFileSigned for bytes named fileName.
func UploadBytesSigned(ctx context.Context, signedURL string, data []byte, fileName string, opts *UploadOptions) (*UploadResult, error) {
	var a cstrings
	defer a.free()
	u, n := a.str("signed_url", signedURL), a.str("file_name", fileName)
	if a.err != nil {
		return nil, a.err
	}
	return signedUpload(ctx, opts, func(o *C.pinata_upload_options, r **C.pinata_upload_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_upload_bytes_signed(nil, u, bytesPtr(data), C.size_t(len(data)), n, o, r, e)
	})
}

// SignOptions say what a signed upload URL allows.
type SignOptions struct {
	Expires        time.Duration // 1 s to one year; zero: 60 s
	MaxFileSize    uint64        // zero: no limit
	AllowMimeTypes []string      // "image/png", "image/*"; none: any
	Network        *Network      // nil: the service's default
	GroupID        string
	Name           string
	KeyValues      map[string]string
}

// SignUploadURL creates a signed upload URL (POST {upload host}/v3/files/sign). The
// URL is a credential: hand it only to the app that uploads.
func (c *Client) SignUploadURL(ctx context.Context, o *SignOptions) (string, error) {
	var so *C.pinata_sign_options
	var cerr *C.pinata_error
	if st := C.pinata_sign_options_new(&so, &cerr); st != C.PINATA_OK {
		return "", takeError(st, cerr)
	}
	defer C.pinata_sign_options_free(so)
	if o != nil {
		var a cstrings
		defer a.free()
		check := func(st C.pinata_status) error {
			if st != C.PINATA_OK {
				return takeError(st, cerr)
			}
			return nil
		}
		steps := []func() C.pinata_status{}
		if o.Expires != 0 {
			steps = append(steps, func() C.pinata_status {
				return C.pinata_sign_options_set_expires(so, C.uint64_t(o.Expires/time.Second), &cerr)
			})
		}
		steps = append(steps, func() C.pinata_status {
			return C.pinata_sign_options_set_max_file_size(so, C.uint64_t(o.MaxFileSize), &cerr)
		})
		for _, m := range o.AllowMimeTypes {
			cm := a.str("mime_type", m)
			steps = append(steps, func() C.pinata_status { return C.pinata_sign_options_add_mime_type(so, cm, &cerr) })
		}
		if o.Network != nil {
			n := *o.Network
			steps = append(steps, func() C.pinata_status { return C.pinata_sign_options_set_network(so, C.int32_t(n), &cerr) })
		}
		if g := a.opt("group_id", o.GroupID); g != nil {
			steps = append(steps, func() C.pinata_status { return C.pinata_sign_options_set_group_id(so, g, &cerr) })
		}
		if n := a.opt("name", o.Name); n != nil {
			steps = append(steps, func() C.pinata_status { return C.pinata_sign_options_set_name(so, n, &cerr) })
		}
		for _, k := range sortedStringKeys(o.KeyValues) {
			ck, cv := a.str("keyvalue key", k), a.str("keyvalue "+k, o.KeyValues[k])
			steps = append(steps, func() C.pinata_status { return C.pinata_sign_options_set_keyvalue(so, ck, cv, &cerr) })
		}
		if a.err != nil {
			return "", a.err
		}
		for _, s := range steps {
			if err := check(s()); err != nil {
				return "", err
			}
		}
	}
	k, err := c.begin(ctx)
	if err != nil {
		return "", err
	}
	defer k.end()
	var url *C.char
	if st := C.pinata_sign_upload_url(k.cl, so, &url, &cerr); st != C.PINATA_OK {
		return "", k.fail(st, cerr)
	}
	return takeString(url), nil
}

// DownloadLink creates a download link for the private file cid on the account's
// gateway (https://NAME.mypinata.cloud), valid for expires (whole seconds, at least 1).
func (c *Client) DownloadLink(ctx context.Context, gatewayURL, cid string, expires time.Duration) (string, error) {
	var a cstrings
	defer a.free()
	g, ci := a.str("gateway_url", gatewayURL), a.str("cid", cid)
	if a.err != nil {
		return "", a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return "", err
	}
	defer k.end()
	var link *C.char
	var cerr *C.pinata_error
	if st := C.pinata_files_download_link(k.cl, g, ci, C.uint64_t(expires/time.Second), &link, &cerr); st != C.PINATA_OK {
		return "", k.fail(st, cerr)
	}
	return takeString(link), nil
}

// FileQuery filters a v3 file listing; the zero value lists every file.
type FileQuery struct {
	Name       string            // name contains
	GroupID    string            // files of this group
	NoGroup    bool              // files in no group
	MimeType   string            // exact
	CID        string            // exact
	CIDPending bool              // CID still being computed
	KeyValues  map[string]string // all must equal
	Order      Order             // zero value is Ascending: use DefaultOrder for the service's
	Limit      uint32            // page size 1-1000; 0: the service's
}

func newFilesQuery(q *FileQuery) (_ *C.pinata_files_query, err error) {
	var cq *C.pinata_files_query
	var cerr *C.pinata_error
	if st := C.pinata_files_query_new(&cq, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer func() {
		if err != nil {
			C.pinata_files_query_free(cq)
		}
	}()
	if q == nil {
		return cq, nil
	}
	var a cstrings
	defer a.free()
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	name, group, mime, cid := a.opt("name", q.Name), a.opt("group_id", q.GroupID), a.opt("mime_type", q.MimeType), a.opt("cid", q.CID)
	if a.err != nil {
		return nil, a.err
	}
	steps := []func() C.pinata_status{
		func() C.pinata_status { return C.pinata_files_query_set_name(cq, name, &cerr) },
		func() C.pinata_status { return C.pinata_files_query_set_group(cq, group, &cerr) },
		func() C.pinata_status { return C.pinata_files_query_set_mime_type(cq, mime, &cerr) },
		func() C.pinata_status { return C.pinata_files_query_set_cid(cq, cid, &cerr) },
		func() C.pinata_status { return C.pinata_files_query_set_cid_pending(cq, C.bool(q.CIDPending), &cerr) },
	}
	if q.NoGroup {
		steps = append(steps, func() C.pinata_status { return C.pinata_files_query_set_no_group(cq, true, &cerr) })
	}
	if q.Order != DefaultOrder {
		steps = append(steps, func() C.pinata_status { return C.pinata_files_query_set_order(cq, C.int32_t(q.Order), &cerr) })
	}
	if q.Limit != 0 {
		steps = append(steps, func() C.pinata_status { return C.pinata_files_query_set_limit(cq, C.uint32_t(q.Limit), &cerr) })
	}
	for _, k := range sortedStringKeys(q.KeyValues) {
		ck, cv := a.str("keyvalue key", k), a.str("keyvalue "+k, q.KeyValues[k])
		steps = append(steps, func() C.pinata_status { return C.pinata_files_query_add_keyvalue(cq, ck, cv, &cerr) })
	}
	if a.err != nil {
		return nil, a.err
	}
	for _, s := range steps {
		if err := check(s()); err != nil {
			return nil, err
		}
	}
	return cq, nil
}

// Files lists the files of network matching q (nil: all), following the service's
// page tokens, for range-over-func. An error is yielded once, last. Cancelling ctx
// stops the call in flight.
func (c *Client) Files(ctx context.Context, network Network, q *FileQuery) iter.Seq2[FileRow, error] {
	return func(yield func(FileRow, error) bool) {
		cq, err := newFilesQuery(q)
		if err != nil {
			yield(FileRow{}, err)
			return
		}
		defer C.pinata_files_query_free(cq)
		k, err := c.begin(ctx)
		if err != nil {
			yield(FileRow{}, err)
			return
		}
		defer k.end()
		var it *C.pinata_files_list_iter
		var cerr *C.pinata_error
		if st := C.pinata_files_list_iter_new(k.cl, C.int32_t(network), cq, &it, &cerr); st != C.PINATA_OK {
			yield(FileRow{}, k.fail(st, cerr))
			return
		}
		defer C.pinata_files_list_iter_free(it)
		for {
			var row *C.pinata_file_row
			if st := C.pinata_files_list_iter_next(it, &row, &cerr); st != C.PINATA_OK {
				yield(FileRow{}, k.fail(st, cerr))
				return
			}
			if row == nil {
				return
			}
			if !yield(copyFileRow(row), nil) {
				return
			}
			runtime.KeepAlive(c)
		}
	}
}

// GetFile gets one file; an unknown id gives ErrNotFound.
func (c *Client) GetFile(ctx context.Context, network Network, id string) (*FileRow, error) {
	var a cstrings
	defer a.free()
	cid := a.str("id", id)
	if a.err != nil {
		return nil, a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var r *C.pinata_file_row
	var cerr *C.pinata_error
	if st := C.pinata_files_get(k.cl, C.int32_t(network), cid, &r, &cerr); st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_file_row_free(r)
	row := copyFileRow(r)
	return &row, nil
}

// FileUpdate is what UpdateFile changes; at least one field must be set.
type FileUpdate struct {
	Name      string         // "": unchanged
	KeyValues map[string]any // nil: unchanged; a nil value removes the key
	ExpiresAt time.Time      // zero: unchanged
}

// UpdateFile changes a file's name, keyvalues or expiry.
func (c *Client) UpdateFile(ctx context.Context, network Network, id string, u FileUpdate) (*FileRow, error) {
	var a cstrings
	defer a.free()
	cid, name := a.str("id", id), a.opt("name", u.Name)
	var kv *C.char
	if u.KeyValues != nil {
		b, err := json.Marshal(u.KeyValues)
		if err != nil {
			return nil, invalidArg("keyvalues: " + err.Error())
		}
		kv = a.str("keyvalues", string(b))
	}
	if a.err != nil {
		return nil, a.err
	}
	var exp int64
	if !u.ExpiresAt.IsZero() {
		exp = u.ExpiresAt.Unix()
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var r *C.pinata_file_row
	var cerr *C.pinata_error
	if st := C.pinata_files_update(k.cl, C.int32_t(network), cid, name, kv, C.int64_t(exp), &r, &cerr); st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_file_row_free(r)
	row := copyFileRow(r)
	return &row, nil
}

// DeleteFile deletes a file (a public one is unpinned); an unknown id gives
// ErrNotFound.
func (c *Client) DeleteFile(ctx context.Context, network Network, id string) error {
	return c.callText(ctx, "id", id, func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_files_delete(cl, C.int32_t(network), text, cerr)
	})
}
