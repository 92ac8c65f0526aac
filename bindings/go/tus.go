package pinata

/*
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "pinata.h"

// Defined in callback.go (//export); userdata carries a runtime/cgo.Handle.
extern int32_t pinataGoProgress(uint64_t sent, uint64_t total, uintptr_t handle);

static int32_t pinata_go_tus_progress_trampoline(uint64_t sent, uint64_t total, void *userdata) {
	return pinataGoProgress(sent, total, (uintptr_t)userdata);
}

static pinata_status pinata_go_tus_set_progress(pinata_upload_resumable_options *options,
                                                uintptr_t handle, pinata_error **err_out) {
	return pinata_upload_resumable_options_set_progress(options, pinata_go_tus_progress_trampoline,
	                                                    (void *)handle, err_out);
}
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sort"
)

// ResumableOptions configure UploadResumable (TUS). As for UploadOptions, Network's
// zero value is NetworkPublic and nil options upload to NetworkPrivate. Otherwise the
// zero value means: the file's own name, CID v1, 16 MiB chunks, journals in the default directory
// ($XDG_CACHE_HOME/libpinata/tus, else ~/.cache/libpinata/tus), CID check on, endpoint
// {upload host}/v3/files, and the file row read from the API after the upload.
type ResumableOptions struct {
	Name       string
	MimeType   string
	Network    Network
	GroupID    string
	KeyValues  map[string]string
	CIDv0      bool
	ChunkSize  uint64 // 0: the default
	JournalDir string // "": the default directory
	Endpoint   string // "": {upload host}/v3/files
	// NoCIDCheck turns the check of the server's CID against the file off.
	NoCIDCheck bool
	// NoFileRow skips reading the file row (for a plain TUS server).
	NoFileRow bool
	// Progress, when set, is called on the calling goroutine as chunks go out (by
	// UploadResumable; AbandonResumable sends nothing): sent counts from the start of
	// the file, so a resumed upload reports its first call at the resumed offset.
	// Return false to stop the upload (ErrCancelled; the journal stays, so the next
	// call resumes).
	Progress func(sent, total uint64) bool
}

// ResumableResult is what UploadResumable did.
type ResumableResult struct {
	CID      string
	LocalCID string // "" when the check was off
	// ResumedFrom is the offset the upload resumed from (0 for a fresh upload).
	ResumedFrom uint64
	// BytesSent counts the bytes this call sent.
	BytesSent uint64
	// RestartReason says why a journal was found but the upload started over (the
	// file changed, the server no longer had the upload, a corrupt journal); "" if not.
	RestartReason string
	// File is the uploaded file's row as JSON ("" with NoFileRow).
	FileJSON string
}

// PendingUpload is an upload whose journal waits in a journal directory.
type PendingUpload struct {
	Path   string
	Size   uint64
	Offset uint64 // the last offset the server confirmed
}

func newResumableOptions(o *ResumableOptions, a *cstrings) (*C.pinata_upload_resumable_options, error) {
	var co *C.pinata_upload_resumable_options
	var cerr *C.pinata_error
	if st := C.pinata_upload_resumable_options_new(&co, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	if o == nil {
		return co, nil
	}
	check := func(st C.pinata_status) bool {
		return st == C.PINATA_OK
	}
	fail := func(st C.pinata_status) (*C.pinata_upload_resumable_options, error) {
		C.pinata_upload_resumable_options_free(co)
		return nil, takeError(st, cerr)
	}
	text := []struct {
		arg, value string
		set        func(*C.char) C.pinata_status
	}{
		{"name", o.Name, func(s *C.char) C.pinata_status { return C.pinata_upload_resumable_options_set_name(co, s, &cerr) }},
		{"mime_type", o.MimeType, func(s *C.char) C.pinata_status { return C.pinata_upload_resumable_options_set_mime_type(co, s, &cerr) }},
		{"group_id", o.GroupID, func(s *C.char) C.pinata_status { return C.pinata_upload_resumable_options_set_group_id(co, s, &cerr) }},
		{"journal_dir", o.JournalDir, func(s *C.char) C.pinata_status {
			return C.pinata_upload_resumable_options_set_journal_dir(co, s, &cerr)
		}},
		{"endpoint", o.Endpoint, func(s *C.char) C.pinata_status { return C.pinata_upload_resumable_options_set_endpoint(co, s, &cerr) }},
	}
	for _, t := range text {
		if t.value == "" {
			continue
		}
		s := a.str(t.arg, t.value)
		if a.err != nil {
			C.pinata_upload_resumable_options_free(co)
			return nil, a.err
		}
		if st := t.set(s); !check(st) {
			return fail(st)
		}
	}
	if st := C.pinata_upload_resumable_options_set_network(co, C.int32_t(o.Network), &cerr); !check(st) {
		return fail(st)
	}
	if o.CIDv0 {
		if st := C.pinata_upload_resumable_options_set_cid_version(co, 0, &cerr); !check(st) {
			return fail(st)
		}
	}
	if o.ChunkSize != 0 {
		if st := C.pinata_upload_resumable_options_set_chunk_size(co, C.uint64_t(o.ChunkSize), &cerr); !check(st) {
			return fail(st)
		}
	}
	if st := C.pinata_upload_resumable_options_set_verify_cid(co, C.bool(!o.NoCIDCheck), &cerr); !check(st) {
		return fail(st)
	}
	if st := C.pinata_upload_resumable_options_set_fetch_file_row(co, C.bool(!o.NoFileRow), &cerr); !check(st) {
		return fail(st)
	}
	keys := make([]string, 0, len(o.KeyValues))
	for k := range o.KeyValues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ck, cv := a.str("key", k), a.str("value", o.KeyValues[k])
		if a.err != nil {
			C.pinata_upload_resumable_options_free(co)
			return nil, a.err
		}
		if st := C.pinata_upload_resumable_options_set_keyvalue(co, ck, cv, &cerr); !check(st) {
			return fail(st)
		}
	}
	return co, nil
}

// UploadResumable uploads the file at path with TUS in chunks streamed from disk,
// keeping a journal so that a later call (in this process or another one, after a
// crash) resumes where the server stopped. Cancelling ctx stops the upload with
// ErrCancelled (wrapping ctx's error) and leaves the journal: the next call resumes.
// opts may be nil.
func (c *Client) UploadResumable(ctx context.Context, path string, opts *ResumableOptions) (*ResumableResult, error) {
	var a cstrings
	defer a.free()
	p := a.str("path", path)
	if a.err != nil {
		return nil, a.err
	}
	co, err := newResumableOptions(opts, &a)
	if err != nil {
		return nil, err
	}
	defer C.pinata_upload_resumable_options_free(co)
	var prog *progress
	var cerr *C.pinata_error
	if opts != nil && opts.Progress != nil {
		prog = &progress{fn: opts.Progress}
		h := cgo.NewHandle(prog)
		defer h.Delete()
		if st := C.pinata_go_tus_set_progress(co, C.uintptr_t(h), &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var r *C.pinata_upload_resumable_result
	st := C.pinata_upload_resumable(k.cl, p, co, &r, &cerr)
	if prog != nil && prog.panicked {
		if st == C.PINATA_OK {
			C.pinata_upload_resumable_result_free(r)
		} else {
			C.pinata_error_free(cerr)
		}
		panic(prog.panicVal)
	}
	if st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_upload_resumable_result_free(r)
	res := &ResumableResult{
		CID:           goString(C.pinata_upload_resumable_result_cid(r)),
		LocalCID:      goString(C.pinata_upload_resumable_result_local_cid(r)),
		ResumedFrom:   uint64(C.pinata_upload_resumable_result_resumed_from(r)),
		BytesSent:     uint64(C.pinata_upload_resumable_result_bytes_sent(r)),
		RestartReason: goString(C.pinata_upload_resumable_result_restart_reason(r)),
	}
	if row := C.pinata_upload_resumable_result_file(r); row != nil {
		res.FileJSON = goString(C.pinata_file_row_raw_json(row))
	}
	return res, nil
}

// AbandonResumable deletes the pending upload of path on the server and removes its
// journal; it reports whether there was one. opts selects the journal directory,
// endpoint and network, as for UploadResumable; it may be nil.
func (c *Client) AbandonResumable(ctx context.Context, path string, opts *ResumableOptions) (bool, error) {
	var a cstrings
	defer a.free()
	p := a.str("path", path)
	if a.err != nil {
		return false, a.err
	}
	co, err := newResumableOptions(opts, &a)
	if err != nil {
		return false, err
	}
	defer C.pinata_upload_resumable_options_free(co)
	k, err := c.begin(ctx)
	if err != nil {
		return false, err
	}
	defer k.end()
	var found C.bool
	var cerr *C.pinata_error
	if st := C.pinata_upload_resumable_abandon(k.cl, p, co, &found, &cerr); st != C.PINATA_OK {
		return false, k.fail(st, cerr)
	}
	return bool(found), nil
}

// PendingUploads lists the journals in journalDir ("" for the default directory).
func PendingUploads(journalDir string) ([]PendingUpload, error) {
	var a cstrings
	defer a.free()
	d := a.opt("journal_dir", journalDir)
	if a.err != nil {
		return nil, a.err
	}
	var list *C.pinata_upload_pending
	var cerr *C.pinata_error
	if st := C.pinata_upload_pending_list(d, &list, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer C.pinata_upload_pending_free(list)
	n := int(C.pinata_upload_pending_count(list))
	out := make([]PendingUpload, 0, n)
	for i := 0; i < n; i++ {
		idx := C.size_t(i)
		out = append(out, PendingUpload{
			Path:   goString(C.pinata_upload_pending_path(list, idx)),
			Size:   uint64(C.pinata_upload_pending_size(list, idx)),
			Offset: uint64(C.pinata_upload_pending_offset(list, idx)),
		})
	}
	runtime.KeepAlive(list)
	return out, nil
}
