package pinata

/*
#include <stddef.h>
#include <stdint.h>
#include "pinata.h"

// Defined in batch_callback.go (//export); userdata carries a runtime/cgo.Handle.
extern int32_t pinataGoBatchProgress(size_t files_done, size_t files_total, uint64_t bytes_sent,
                                     uint64_t bytes_total, uintptr_t handle);

static int32_t pinata_go_batch_trampoline(size_t files_done, size_t files_total, uint64_t bytes_sent,
                                          uint64_t bytes_total, void *userdata) {
	return pinataGoBatchProgress(files_done, files_total, bytes_sent, bytes_total, (uintptr_t)userdata);
}

static pinata_status pinata_go_batch_set_progress(pinata_pin_batch *batch, uintptr_t handle,
                                                  pinata_error **err_out) {
	return pinata_pin_batch_set_progress(batch, pinata_go_batch_trampoline, (void *)handle, err_out);
}
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"time"
)

// BatchOptions say how PinBatch, PinEach, UploadBatch and UploadEach run. The zero value (or nil) gives the
// defaults: 8 uploads in flight, failures do not stop the others, no progress.
type BatchOptions struct {
	// InFlight is the number of uploads at once (1–64; 0 means 8).
	InFlight int
	// StopOnError starts no new file after the first failure (files in flight
	// finish; files never started get an error with StatusCancelled).
	StopOnError bool
	// Progress, when set, is called on the calling goroutine after every file and at
	// least every 100 ms; returning false cancels the batch.
	Progress func(BatchProgress) bool
}

// BatchProgress is where a batch stands.
type BatchProgress struct {
	FilesDone, FilesTotal int
	BytesSent, BytesTotal uint64
}

// BatchItem is one file's outcome: Result when it was pinned (PinBatch, PinEach), File
// when it was uploaded (UploadBatch, UploadEach), Err otherwise.
type BatchItem struct {
	Path   string
	Result *PinResult
	File   *UploadResult
	Err    error
}

type batchProgress struct {
	fn       func(BatchProgress) bool
	ctx      context.Context
	panicked bool
	panicVal any
}

// PinBatch pins every file of paths as its own pin (POST /pinning/pinFileToIPFS),
// several at once on this client's connections, and returns one item per path, in
// the order given. opts (may be nil) apply to every file (a Name names every pin;
// without one each pin is named after its file; Progress does not apply: use
// BatchOptions.Progress). Cancelling ctx stops the uploads in flight and starts no
// new one. The error is nil when every file was pinned; otherwise it is the batch's
// (cancelled, or the first failure in path order, counting the failures), and the
// items say which files were pinned.
func (c *Client) PinBatch(ctx context.Context, paths []string, opts *PinOptions, bopts *BatchOptions) ([]BatchItem, error) {
	return c.pinBatch(ctx, opts, bopts, addPaths(paths))
}

// PinEach pins every regular file directly inside dir (sorted by name; hidden files
// included, subdirectories left out) as its own pin, like PinBatch.
func (c *Client) PinEach(ctx context.Context, dir string, opts *PinOptions, bopts *BatchOptions) ([]BatchItem, error) {
	return c.pinBatch(ctx, opts, bopts, addDir(dir))
}

// UploadBatch uploads every file of paths as its own v3 file (POST {upload
// host}/v3/files), as PinBatch pins them: several at once, one item per path (its File
// set when uploaded). opts (may be nil: private network) apply to every file as
// UploadFile applies them, path choice included: a file above the resumable threshold
// goes through TUS with its journal, so running the batch again after a crash resumes
// it. opts.Progress does not apply: use BatchOptions.Progress.
func (c *Client) UploadBatch(ctx context.Context, paths []string, opts *UploadOptions, bopts *BatchOptions) ([]BatchItem, error) {
	return c.uploadBatch(ctx, opts, bopts, addPaths(paths))
}

// UploadEach uploads every regular file directly inside dir (as PinEach finds them) as
// its own v3 file, like UploadBatch.
func (c *Client) UploadEach(ctx context.Context, dir string, opts *UploadOptions, bopts *BatchOptions) ([]BatchItem, error) {
	return c.uploadBatch(ctx, opts, bopts, addDir(dir))
}

// batchAdder puts a batch's files into the C batch.
type batchAdder func(b *C.pinata_pin_batch, a *cstrings) error

func addPaths(paths []string) batchAdder {
	return func(b *C.pinata_pin_batch, a *cstrings) error {
		for _, p := range paths {
			cp := a.str("path", p)
			if a.err != nil {
				return a.err
			}
			var cerr *C.pinata_error
			if st := C.pinata_pin_batch_add(b, cp, &cerr); st != C.PINATA_OK {
				return takeError(st, cerr)
			}
		}
		return nil
	}
}

func addDir(dir string) batchAdder {
	return func(b *C.pinata_pin_batch, a *cstrings) error {
		cd := a.str("dir", dir)
		if a.err != nil {
			return a.err
		}
		var cerr *C.pinata_error
		if st := C.pinata_pin_batch_add_dir(b, cd, nil, &cerr); st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
}

// batchRunner runs a filled C batch: pinata_pin_batch_run or _run_v3 with its options.
type batchRunner func(b *C.pinata_pin_batch, cerr **C.pinata_error) C.pinata_status

func (c *Client) pinBatch(ctx context.Context, opts *PinOptions, bopts *BatchOptions, add batchAdder) ([]BatchItem, error) {
	if opts != nil && opts.Progress != nil {
		o := *opts
		o.Progress = nil
		opts = &o
	}
	co, err := newCOptions(opts)
	if err != nil {
		return nil, err
	}
	defer co.free()
	return c.batch(ctx, bopts, add, func(b *C.pinata_pin_batch, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_pin_batch_run(b, co.handlePtr(), cerr)
	})
}

func (c *Client) uploadBatch(ctx context.Context, opts *UploadOptions, bopts *BatchOptions, add batchAdder) ([]BatchItem, error) {
	if opts != nil && opts.Progress != nil {
		o := *opts
		o.Progress = nil
		opts = &o
	}
	uo, err := newUploadOptions(opts)
	if err != nil {
		return nil, err
	}
	defer uo.free()
	return c.batch(ctx, bopts, add, func(b *C.pinata_pin_batch, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_pin_batch_run_v3(b, uo.ptr, cerr)
	})
}

func (c *Client) batch(ctx context.Context, bopts *BatchOptions, add batchAdder, run batchRunner) ([]BatchItem, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	if bopts == nil {
		bopts = &BatchOptions{}
	}
	ptr, err := c.acquire()
	if err != nil {
		return nil, err
	}
	defer c.release()
	defer runtime.KeepAlive(c)
	var b *C.pinata_pin_batch
	var cerr *C.pinata_error
	if st := C.pinata_pin_batch_new(ptr, &b, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer C.pinata_pin_batch_free(b)
	var a cstrings
	defer a.free()
	if err := add(b, &a); err != nil {
		return nil, err
	}
	if bopts.InFlight != 0 {
		if bopts.InFlight < 0 || bopts.InFlight > 64 {
			return nil, invalidArg("in_flight must be between 1 and 64")
		}
		if st := C.pinata_pin_batch_set_in_flight(b, C.uint32_t(bopts.InFlight), &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}
	if bopts.StopOnError {
		if st := C.pinata_pin_batch_set_stop_on_error(b, true, &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}
	var prog *batchProgress
	if bopts.Progress != nil {
		prog = &batchProgress{fn: bopts.Progress, ctx: ctx}
		h := cgo.NewHandle(prog)
		defer h.Delete()
		if st := C.pinata_go_batch_set_progress(b, C.uintptr_t(h), &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}
	// The context's cancellation raises the batch's cancel flag.
	var flag *C.pinata_cancel
	if st := C.pinata_cancel_new(&flag, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer C.pinata_cancel_free(flag)
	if st := C.pinata_pin_batch_set_cancel(b, flag, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		C.pinata_cancel_request(flag)
		close(fired)
	})
	st := run(b, &cerr)
	if !stop() {
		<-fired
	}
	if prog != nil && prog.panicked {
		if cerr != nil {
			C.pinata_error_free(cerr)
		}
		panic(prog.panicVal)
	}
	n := int(C.pinata_pin_batch_len(b))
	items := make([]BatchItem, n)
	for i := 0; i < n; i++ {
		ci := C.size_t(i)
		items[i].Path = goString(C.pinata_pin_batch_path(b, ci))
		if r := C.pinata_pin_batch_result(b, ci); r != nil {
			items[i].Result = copyPinResult(r)
		} else if u := C.pinata_pin_batch_upload_result(b, ci); u != nil {
			items[i].File = copyUploadResult(u)
		} else if e := C.pinata_pin_batch_error(b, ci); e != nil {
			items[i].Err = borrowedError(e, ctx)
		}
	}
	if st != C.PINATA_OK {
		e := takeError(st, cerr)
		if e.Status == StatusCancelled && ctx.Err() != nil {
			e.cause = ctx.Err()
		}
		return items, e
	}
	return items, nil
}

// borrowedError copies an error the batch owns (it is freed with the batch).
func borrowedError(cerr *C.pinata_error, ctx context.Context) *Error {
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
	if e.Status == StatusCancelled && ctx.Err() != nil {
		e.cause = ctx.Err()
	}
	return e
}
