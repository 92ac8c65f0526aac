package pinata

/*
#include <stdint.h>
#include <stdlib.h>
#include "pinata.h"

// Defined in psa_callback.go (//export); userdata carries a runtime/cgo.Handle of a
// *psaWaiter, the same waiter as PSAClient.Wait.
extern int32_t pinataGoPSAStatus(char *status, uintptr_t handle);

static int32_t pinata_go_files_pin_status_trampoline(const char *status, void *userdata) {
	return pinataGoPSAStatus((char *)status, (uintptr_t)userdata);
}

static pinata_status pinata_go_files_pin_wait(const pinata_client *client, const char *id,
                                              const char *cid, uint64_t budget,
                                              uint64_t interval, uint64_t max_interval,
                                              uintptr_t handle, pinata_files_pin_request **out,
                                              pinata_error **err_out) {
	return pinata_files_pin_wait(client, id, cid, budget, interval, max_interval,
	                             pinata_go_files_pin_status_trampoline, (void *)handle, out,
	                             err_out);
}
*/
import "C"

import (
	"context"
	"iter"
	"runtime"
	"time"
)

// The v3 pin-by-CID queue (public network): queue a CID, list the queue, cancel a
// request, and wait until a request is pinned.

// FilesPinOptions are the options of [Client.FilesPinByCID]; nil gives the defaults
// (the name defaults to the CID).
type FilesPinOptions struct {
	Name      string
	KeyValues map[string]string // at most 10
	GroupID   string            // a v3 group
	HostNodes []string          // multiaddrs of nodes that have the content (at most 5)
}

// PinRequest is a request of the v3 pin-by-CID queue.
type PinRequest struct {
	ID         string
	CID        string
	Name       string
	Status     string    // prechecking, searching, retrieving, backfilled, pinned, expired, ...
	DateQueued time.Time // zero when the service did not say
	RawJSON    string
}

// Pinned reports whether the request's status is "pinned" (what FilesPinWait returns
// for a request that succeeded; any other status it returns is a failure).
func (r PinRequest) Pinned() bool { return r.Status == "pinned" }

func copyPinRequest(r *C.pinata_files_pin_request) PinRequest {
	return PinRequest{
		ID:         goString(C.pinata_files_pin_request_id(r)),
		CID:        goString(C.pinata_files_pin_request_cid(r)),
		Name:       goString(C.pinata_files_pin_request_name(r)),
		Status:     goString(C.pinata_files_pin_request_status(r)),
		DateQueued: parseTime(goString(C.pinata_files_pin_request_date_queued(r))),
		RawJSON:    goString(C.pinata_files_pin_request_raw_json(r)),
	}
}

// newFilesPinOptions makes the C options (nil for nil).
func newFilesPinOptions(o *FilesPinOptions) (_ *C.pinata_files_pin_options, err error) {
	if o == nil {
		return nil, nil
	}
	var co *C.pinata_files_pin_options
	var cerr *C.pinata_error
	if st := C.pinata_files_pin_options_new(&co, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer func() {
		if err != nil {
			C.pinata_files_pin_options_free(co)
		}
	}()
	var a cstrings
	defer a.free()
	set := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if o.Name != "" {
		n := a.str("name", o.Name)
		if a.err != nil {
			return nil, a.err
		}
		if err := set(C.pinata_files_pin_options_set_name(co, n, &cerr)); err != nil {
			return nil, err
		}
	}
	if o.GroupID != "" {
		g := a.str("group_id", o.GroupID)
		if a.err != nil {
			return nil, a.err
		}
		if err := set(C.pinata_files_pin_options_set_group_id(co, g, &cerr)); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedStringKeys(o.KeyValues) {
		ck, cv := a.str("key", k), a.str("value", o.KeyValues[k])
		if a.err != nil {
			return nil, a.err
		}
		if err := set(C.pinata_files_pin_options_set_keyvalue(co, ck, cv, &cerr)); err != nil {
			return nil, err
		}
	}
	for _, h := range o.HostNodes {
		ch := a.str("multiaddr", h)
		if a.err != nil {
			return nil, a.err
		}
		if err := set(C.pinata_files_pin_options_add_host_node(co, ch, &cerr)); err != nil {
			return nil, err
		}
	}
	return co, nil
}

// FilesPinByCID queues cid for pinning on the public network (POST
// /v3/files/public/pin_by_cid); the content is fetched asynchronously: wait for it
// with [Client.FilesPinWait]. opts may be nil.
func (c *Client) FilesPinByCID(ctx context.Context, cid string, opts *FilesPinOptions) (*PinRequest, error) {
	var a cstrings
	defer a.free()
	ccid := a.str("cid", cid)
	if a.err != nil {
		return nil, a.err
	}
	co, err := newFilesPinOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.pinata_files_pin_options_free(co)
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var r *C.pinata_files_pin_request
	var cerr *C.pinata_error
	if st := C.pinata_files_pin_by_cid(k.cl, ccid, co, &r, &cerr); st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_files_pin_request_free(r)
	out := copyPinRequest(r)
	return &out, nil
}

// PinQueueQuery filters [Client.FilesPinQueue]; the zero value lists the whole queue.
type PinQueueQuery struct {
	Status string // only this status ("": any)
	CID    string // only this CID ("": any)
	Order  Order  // by queue time; DefaultOrder (-1) leaves the service's. The zero value is Ascending.
	Limit  uint32 // page size 1-1000, 0 for the service's
}

// FilesPinQueue lists the v3 pin-by-CID queue (GET /v3/files/public/pin_by_cid),
// following the service's page tokens, for range-over-func. q may be nil (the whole
// queue in the service's order). An error is yielded once, last.
func (c *Client) FilesPinQueue(ctx context.Context, q *PinQueueQuery) iter.Seq2[PinRequest, error] {
	return func(yield func(PinRequest, error) bool) {
		if q == nil {
			q = &PinQueueQuery{Order: DefaultOrder}
		}
		var a cstrings
		defer a.free()
		status, cid := a.opt("status", q.Status), a.opt("cid", q.CID)
		if a.err != nil {
			yield(PinRequest{}, a.err)
			return
		}
		k, err := c.begin(ctx)
		if err != nil {
			yield(PinRequest{}, err)
			return
		}
		defer k.end()
		var it *C.pinata_files_pin_queue_iter
		var cerr *C.pinata_error
		if st := C.pinata_files_pin_queue_iter_new(k.cl, status, cid, C.int32_t(q.Order), C.uint32_t(q.Limit),
			&it, &cerr); st != C.PINATA_OK {
			yield(PinRequest{}, k.fail(st, cerr))
			return
		}
		defer C.pinata_files_pin_queue_iter_free(it)
		for {
			var r *C.pinata_files_pin_request
			if st := C.pinata_files_pin_queue_iter_next(it, &r, &cerr); st != C.PINATA_OK {
				yield(PinRequest{}, k.fail(st, cerr))
				return
			}
			if r == nil {
				return
			}
			if !yield(copyPinRequest(r), nil) {
				return
			}
			runtime.KeepAlive(c)
		}
	}
}

// FilesPinCancel cancels a queued request (DELETE /v3/files/public/pin_by_cid/{id});
// an unknown id gives ErrNotFound.
func (c *Client) FilesPinCancel(ctx context.Context, id string) error {
	return c.callText(ctx, "id", id, func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_files_pin_cancel(cl, text, cerr)
	})
}

// FilesPinWait polls the queue request r (by r.ID; r.CID, when set, narrows each poll
// to that CID and recognises the request once it has left the queue pinned) until it
// is pinned or has failed, with backoff within the budget of o (nil: the defaults, 10
// minutes, 500 ms, 30 s). A failed request (expired, invalid_object, ...) is returned
// without error at once: check [PinRequest.Pinned] or Status. Past the budget the
// error is ErrTimeout; a request neither queued nor pinned gives ErrNotFound; o.OnStatus
// returning false, or cancelling ctx, stops it (ErrCancelled, and errors.Is(err,
// context.Canceled) for ctx).
func (c *Client) FilesPinWait(ctx context.Context, r PinRequest, o *WaitOptions) (*PinRequest, error) {
	if o == nil {
		o = &WaitOptions{}
	}
	var a cstrings
	defer a.free()
	id, cid := a.str("id", r.ID), a.opt("cid", r.CID)
	if a.err != nil {
		return nil, a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	return waitFor(k, o, func(h C.uintptr_t, out **C.pinata_files_pin_request, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_go_files_pin_wait(k.cl, id, cid, millis(o.Budget), millis(o.Interval),
			millis(o.MaxInterval), h, out, cerr)
	}, func(r *C.pinata_files_pin_request) { C.pinata_files_pin_request_free(r) }, copyPinRequest)
}
