package pinata

/*
#include <stdint.h>
#include <stdlib.h>
#include "pinata.h"

// Defined in psa_callback.go (//export); userdata carries a runtime/cgo.Handle.
extern int32_t pinataGoPSAStatus(char *status, uintptr_t handle);

static int32_t pinata_go_psa_status_trampoline(const char *status, void *userdata) {
	return pinataGoPSAStatus((char *)status, (uintptr_t)userdata);
}

static pinata_status pinata_go_psa_wait(const pinata_psa_client *client, const char *id,
                                        uint64_t budget, uint64_t interval, uint64_t max_interval,
                                        uintptr_t handle, pinata_psa_request **out,
                                        pinata_error **err_out) {
	return pinata_psa_wait(client, id, budget, interval, max_interval,
	                       pinata_go_psa_status_trampoline, (void *)handle, out, err_out);
}
*/
import "C"

import (
	"context"
	"encoding/json"
	"iter"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
)

// PSAStatus is a pin request's status in the IPFS Pinning Service API.
type PSAStatus int32

const (
	// PSAQueued: waiting to be processed.
	PSAQueued PSAStatus = C.PINATA_PSA_QUEUED
	// PSAPinning: being fetched.
	PSAPinning PSAStatus = C.PINATA_PSA_PINNING
	// PSAPinned: pinned.
	PSAPinned PSAStatus = C.PINATA_PSA_PINNED
	// PSAFailed: failed for good.
	PSAFailed PSAStatus = C.PINATA_PSA_FAILED
)

func (s PSAStatus) String() string {
	switch s {
	case PSAQueued:
		return "queued"
	case PSAPinning:
		return "pinning"
	case PSAPinned:
		return "pinned"
	case PSAFailed:
		return "failed"
	}
	return "unknown"
}

// PSAMatch is how the list's name filter matches.
type PSAMatch int32

const (
	// PSAMatchExact matches the exact name (the default).
	PSAMatchExact PSAMatch = C.PINATA_PSA_MATCH_EXACT
	// PSAMatchIExact matches the exact name, ignoring case.
	PSAMatchIExact PSAMatch = C.PINATA_PSA_MATCH_IEXACT
	// PSAMatchPartial matches a substring.
	PSAMatchPartial PSAMatch = C.PINATA_PSA_MATCH_PARTIAL
	// PSAMatchIPartial matches a substring, ignoring case.
	PSAMatchIPartial PSAMatch = C.PINATA_PSA_MATCH_IPARTIAL
)

// PSAPin is what to pin.
type PSAPin struct {
	CID     string
	Name    string            // "" for none
	Origins []string          // multiaddrs of peers that have the content (checked, at most 20)
	Meta    map[string]string // string metadata
	// DropPrivateOrigins leaves out LAN, loopback and link-local origins (a remote
	// service cannot reach them; Pinata refuses them with INVALID_ORIGINS).
	DropPrivateOrigins bool
}

// PSARequest is a pin request as the service reports it.
type PSARequest struct {
	RequestID string
	Status    PSAStatus
	Created   string // RFC 3339, as sent
	CID       string
	Name      string
	Origins   []string
	Delegates []string // checked multiaddrs with a /p2p/ peer id
	Meta      map[string]string
	Info      map[string]string
	RawJSON   string
}

// PSAQuery filters a listing; the zero value (or nil) is the service's default:
// pinned requests only.
type PSAQuery struct {
	CIDs      []string // at most 10
	Name      string
	Match     PSAMatch
	Statuses  []PSAStatus
	Before    string // RFC 3339
	After     string // RFC 3339
	PageLimit uint32 // 1–1000; 0 for the service's default (10)
	Meta      map[string]string
}

// PSAClient speaks the vendor-neutral IPFS Pinning Service API (Pinata at /psa, or any
// provider). Safe for concurrent use; Close it when done.
type PSAClient struct {
	mu  sync.RWMutex // calls hold it for reading, Close for writing
	ptr *C.pinata_psa_client
}

// PSAOption configures a PSAClient made by NewPSAClient.
type PSAOption func(*psaConfig)

type psaConfig struct {
	retries     *uint32
	retryBudget time.Duration
}

// WithPSARetries sets the retry budget of a PSA client made by NewPSAClient: at most
// maxRetries retries of 429, 5xx and network failures after the first attempt
// (default 3; 0 turns retries off), all within budget, backoff included (0: 2m). A
// client from [Client.PSA] has its Client's policy ([WithRetries]).
func WithPSARetries(maxRetries uint32, budget time.Duration) PSAOption {
	return func(c *psaConfig) { c.retries = &maxRetries; c.retryBudget = budget }
}

// NewPSAClient makes a client of the PSA at endpoint (e.g. https://api.pinata.cloud/psa)
// with the access token.
func NewPSAClient(endpoint, token string, opts ...PSAOption) (*PSAClient, error) {
	var cfg psaConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var a cstrings
	defer a.free()
	e := a.str("endpoint", endpoint)
	t := a.str("token", token)
	if a.err != nil {
		return nil, a.err
	}
	var ptr *C.pinata_psa_client
	var cerr *C.pinata_error
	if st := C.pinata_psa_client_new(e, t, &ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	// Nobody else sees the handle yet: the setter has the exclusive access it needs.
	if cfg.retries != nil {
		budget := millis(cfg.retryBudget)
		if cfg.retryBudget == 0 {
			budget = 120000
		}
		if st := C.pinata_psa_client_set_retry_policy(ptr, C.uint32_t(*cfg.retries), budget, &cerr); st != C.PINATA_OK {
			C.pinata_psa_client_free(ptr)
			return nil, takeError(st, cerr)
		}
	}
	return newPSAClient(ptr), nil
}

// PSA returns the Pinning Service API client of this Pinata client: its JWT, settings
// and base URL + /psa. A client made with an API key and secret gives
// ErrInvalidArgument.
func (c *Client) PSA() (*PSAClient, error) {
	ptr, err := c.acquire()
	if err != nil {
		return nil, err
	}
	defer c.release()
	var out *C.pinata_psa_client
	var cerr *C.pinata_error
	st := C.pinata_psa_client_from_client(ptr, &out, &cerr)
	runtime.KeepAlive(c)
	if st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	return newPSAClient(out), nil
}

func newPSAClient(ptr *C.pinata_psa_client) *PSAClient {
	p := &PSAClient{ptr: ptr}
	liveHandles.Add(1)
	runtime.SetFinalizer(p, func(p *PSAClient) {
		if p.free() {
			finalizedHandles.Add(1)
		}
	})
	return p
}

// Close frees the client after the calls in flight; calling it again does nothing.
func (p *PSAClient) Close() error {
	p.free()
	return nil
}

func (p *PSAClient) free() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr == nil {
		return false
	}
	C.pinata_psa_client_free(p.ptr)
	p.ptr = nil
	liveHandles.Add(-1)
	runtime.SetFinalizer(p, nil)
	return true
}

// psaCall is one call's handle: the client, or a derived one whose cancel flag the
// context raises.
type psaCall struct {
	p       *PSAClient
	ctx     context.Context
	cl      *C.pinata_psa_client
	derived *C.pinata_psa_client
	cancel  *C.pinata_cancel
	stop    func() bool
	fired   chan struct{}
}

func (p *PSAClient) begin(ctx context.Context) (*psaCall, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	p.mu.RLock()
	if p.ptr == nil {
		p.mu.RUnlock()
		return nil, closedError("PSA client")
	}
	k := &psaCall{p: p, ctx: ctx, cl: p.ptr}
	if ctx.Done() == nil {
		return k, nil
	}
	var cerr *C.pinata_error
	if st := C.pinata_cancel_new(&k.cancel, &cerr); st != C.PINATA_OK {
		p.mu.RUnlock()
		return nil, takeError(st, cerr)
	}
	if st := C.pinata_psa_client_with_cancel(p.ptr, k.cancel, &k.derived, &cerr); st != C.PINATA_OK {
		C.pinata_cancel_free(k.cancel)
		p.mu.RUnlock()
		return nil, takeError(st, cerr)
	}
	k.cl = k.derived
	cancel, fired := k.cancel, make(chan struct{})
	k.fired = fired
	k.stop = context.AfterFunc(ctx, func() {
		C.pinata_cancel_request(cancel)
		close(fired)
	})
	return k, nil
}

// detach stops the watcher and frees the derived client and flag (kept by an iterator
// only through its own reference).
func (k *psaCall) detach() {
	if k.stop != nil && !k.stop() {
		<-k.fired
	}
	k.stop = nil
	C.pinata_psa_client_free(k.derived)
	C.pinata_cancel_free(k.cancel)
	k.derived, k.cancel = nil, nil
}

func (k *psaCall) end() {
	k.detach()
	k.p.mu.RUnlock()
	runtime.KeepAlive(k.p)
}

func (k *psaCall) fail(st C.pinata_status, cerr *C.pinata_error) error {
	e := takeError(st, cerr)
	if e.Status == StatusCancelled && k.ctx.Err() != nil {
		e.cause = k.ctx.Err()
	}
	return e
}

func jsonMap(s string) map[string]string {
	m := map[string]string{}
	_ = json.Unmarshal([]byte(s), &m)
	return m
}

func copyPSAStatus(s *C.pinata_psa_status) PSARequest {
	r := PSARequest{
		RequestID: C.GoString(C.pinata_psa_status_requestid(s)),
		Status:    PSAStatus(C.pinata_psa_status_status(s)),
		Created:   C.GoString(C.pinata_psa_status_created(s)),
		CID:       C.GoString(C.pinata_psa_status_cid(s)),
		Meta:      jsonMap(C.GoString(C.pinata_psa_status_meta_json(s))),
		Info:      jsonMap(C.GoString(C.pinata_psa_status_info_json(s))),
		RawJSON:   C.GoString(C.pinata_psa_status_raw_json(s)),
	}
	if n := C.pinata_psa_status_name(s); n != nil {
		r.Name = C.GoString(n)
	}
	for i := C.size_t(0); i < C.pinata_psa_status_origin_count(s); i++ {
		r.Origins = append(r.Origins, C.GoString(C.pinata_psa_status_origin(s, i)))
	}
	for i := C.size_t(0); i < C.pinata_psa_status_delegate_count(s); i++ {
		r.Delegates = append(r.Delegates, C.GoString(C.pinata_psa_status_delegate(s, i)))
	}
	return r
}

func takeRequest(r *C.pinata_psa_request) PSARequest {
	defer C.pinata_psa_request_free(r)
	return copyPSAStatus(C.pinata_psa_request_status(r))
}

func newPSAPin(pin PSAPin) (_ *C.pinata_psa_pin, err error) {
	var a cstrings
	defer a.free()
	cid := a.str("cid", pin.CID)
	if a.err != nil {
		return nil, a.err
	}
	var p *C.pinata_psa_pin
	var cerr *C.pinata_error
	if st := C.pinata_psa_pin_new(cid, &p, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer func() {
		if err != nil {
			C.pinata_psa_pin_free(p)
		}
	}()
	check := func(st C.pinata_status) error {
		if a.err != nil {
			return a.err
		}
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if pin.Name != "" {
		if err := check(C.pinata_psa_pin_set_name(p, a.str("name", pin.Name), &cerr)); err != nil {
			return nil, err
		}
	}
	for _, o := range pin.Origins {
		if err := check(C.pinata_psa_pin_add_origin(p, a.str("origin", o), &cerr)); err != nil {
			return nil, err
		}
	}
	for k, v := range pin.Meta {
		if err := check(C.pinata_psa_pin_set_meta(p, a.str("key", k), a.str("value", v), &cerr)); err != nil {
			return nil, err
		}
	}
	if err := check(C.pinata_psa_pin_set_drop_private_origins(p, C.bool(pin.DropPrivateOrigins), &cerr)); err != nil {
		return nil, err
	}
	return p, nil
}

// Add asks the service to pin (POST /pins).
func (p *PSAClient) Add(ctx context.Context, pin PSAPin) (PSARequest, error) {
	cp, err := newPSAPin(pin)
	if err != nil {
		return PSARequest{}, err
	}
	defer C.pinata_psa_pin_free(cp)
	k, err := p.begin(ctx)
	if err != nil {
		return PSARequest{}, err
	}
	defer k.end()
	var out *C.pinata_psa_request
	var cerr *C.pinata_error
	if st := C.pinata_psa_add(k.cl, cp, &out, &cerr); st != C.PINATA_OK {
		return PSARequest{}, k.fail(st, cerr)
	}
	return takeRequest(out), nil
}

// Get fetches a request by id; an unknown id gives ErrNotFound.
func (p *PSAClient) Get(ctx context.Context, requestID string) (PSARequest, error) {
	var a cstrings
	defer a.free()
	id := a.str("requestid", requestID)
	if a.err != nil {
		return PSARequest{}, a.err
	}
	k, err := p.begin(ctx)
	if err != nil {
		return PSARequest{}, err
	}
	defer k.end()
	var out *C.pinata_psa_request
	var cerr *C.pinata_error
	if st := C.pinata_psa_get(k.cl, id, &out, &cerr); st != C.PINATA_OK {
		return PSARequest{}, k.fail(st, cerr)
	}
	return takeRequest(out), nil
}

// Replace replaces a request with a new pin; the result has a new request id.
func (p *PSAClient) Replace(ctx context.Context, requestID string, pin PSAPin) (PSARequest, error) {
	var a cstrings
	defer a.free()
	id := a.str("requestid", requestID)
	if a.err != nil {
		return PSARequest{}, a.err
	}
	cp, err := newPSAPin(pin)
	if err != nil {
		return PSARequest{}, err
	}
	defer C.pinata_psa_pin_free(cp)
	k, err := p.begin(ctx)
	if err != nil {
		return PSARequest{}, err
	}
	defer k.end()
	var out *C.pinata_psa_request
	var cerr *C.pinata_error
	if st := C.pinata_psa_replace(k.cl, id, cp, &out, &cerr); st != C.PINATA_OK {
		return PSARequest{}, k.fail(st, cerr)
	}
	return takeRequest(out), nil
}

// Delete removes a request and its pin; an unknown id gives ErrNotFound.
func (p *PSAClient) Delete(ctx context.Context, requestID string) error {
	var a cstrings
	defer a.free()
	id := a.str("requestid", requestID)
	if a.err != nil {
		return a.err
	}
	k, err := p.begin(ctx)
	if err != nil {
		return err
	}
	defer k.end()
	var cerr *C.pinata_error
	if st := C.pinata_psa_delete(k.cl, id, &cerr); st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	return nil
}

// psaWaiter carries the user's callback through C.
type psaWaiter struct {
	fn       func(status string) bool
	panicked bool
	panicVal any
}

// runWait makes one C wait call with o.OnStatus reachable from C through a handle to
// a psaWaiter. A panic in OnStatus is raised again here, once C has returned and
// discard has freed what the call gave (its output when ok, else its error).
func runWait(o *WaitOptions, call func(h C.uintptr_t) C.pinata_status, discard func(ok bool)) C.pinata_status {
	w := &psaWaiter{fn: o.OnStatus}
	h := cgo.NewHandle(w)
	defer h.Delete()
	st := call(C.uintptr_t(h))
	if w.panicked {
		discard(st == C.PINATA_OK)
		panic(w.panicVal)
	}
	return st
}

// waitFor makes one C wait call of a client (see runWait) and copies its output (a C
// handle, P) with convert before freeing it.
func waitFor[P, T any](k *call, o *WaitOptions,
	wait func(h C.uintptr_t, out *P, cerr **C.pinata_error) C.pinata_status,
	free func(P), convert func(P) T) (*T, error) {
	var out P
	var cerr *C.pinata_error
	st := runWait(o, func(h C.uintptr_t) C.pinata_status {
		return wait(h, &out, &cerr)
	}, func(ok bool) {
		if ok {
			free(out)
		} else {
			C.pinata_error_free(cerr)
		}
	})
	if st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer free(out)
	done := convert(out)
	return &done, nil
}

// WaitOptions tunes [PSAClient.Wait], [Client.FilesPinWait] and [Client.PinJobWait];
// zero fields take the defaults (10 minutes, 500 ms, 30 s).
type WaitOptions struct {
	Budget      time.Duration
	Interval    time.Duration
	MaxInterval time.Duration
	// OnStatus is called with each new status; returning false stops the wait
	// (ErrCancelled).
	OnStatus func(status string) bool
}

// Wait polls a request until it is pinned or failed (a failed request is returned
// without error: check Status), with backoff within the budget (ErrTimeout past it).
// Cancelling ctx stops it (ErrCancelled, and errors.Is(err, context.Canceled)).
func (p *PSAClient) Wait(ctx context.Context, requestID string, o *WaitOptions) (PSARequest, error) {
	if o == nil {
		o = &WaitOptions{}
	}
	var a cstrings
	defer a.free()
	id := a.str("requestid", requestID)
	if a.err != nil {
		return PSARequest{}, a.err
	}
	k, err := p.begin(ctx)
	if err != nil {
		return PSARequest{}, err
	}
	defer k.end()
	var out *C.pinata_psa_request
	var cerr *C.pinata_error
	st := runWait(o, func(h C.uintptr_t) C.pinata_status {
		return C.pinata_go_psa_wait(k.cl, id, millis(o.Budget), millis(o.Interval), millis(o.MaxInterval),
			h, &out, &cerr)
	}, func(ok bool) {
		if ok {
			C.pinata_psa_request_free(out)
		} else {
			C.pinata_error_free(cerr)
		}
	})
	if st != C.PINATA_OK {
		return PSARequest{}, k.fail(st, cerr)
	}
	return takeRequest(out), nil
}

func newPSAQuery(q *PSAQuery) (_ *C.pinata_psa_query, err error) {
	var cq *C.pinata_psa_query
	var cerr *C.pinata_error
	if st := C.pinata_psa_query_new(&cq, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	if q == nil {
		return cq, nil
	}
	defer func() {
		if err != nil {
			C.pinata_psa_query_free(cq)
		}
	}()
	var a cstrings
	defer a.free()
	check := func(st C.pinata_status) error {
		if a.err != nil {
			return a.err
		}
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	for _, c := range q.CIDs {
		if err := check(C.pinata_psa_query_add_cid(cq, a.str("cid", c), &cerr)); err != nil {
			return nil, err
		}
	}
	if q.Name != "" {
		if err := check(C.pinata_psa_query_set_name(cq, a.str("name", q.Name), C.int32_t(q.Match), &cerr)); err != nil {
			return nil, err
		}
	}
	for _, s := range q.Statuses {
		if err := check(C.pinata_psa_query_add_status(cq, C.int32_t(s), &cerr)); err != nil {
			return nil, err
		}
	}
	if q.Before != "" {
		if err := check(C.pinata_psa_query_set_time(cq, 0, a.str("before", q.Before), &cerr)); err != nil {
			return nil, err
		}
	}
	if q.After != "" {
		if err := check(C.pinata_psa_query_set_time(cq, 1, a.str("after", q.After), &cerr)); err != nil {
			return nil, err
		}
	}
	if q.PageLimit != 0 {
		if err := check(C.pinata_psa_query_set_limit(cq, C.uint32_t(q.PageLimit), &cerr)); err != nil {
			return nil, err
		}
	}
	for k, v := range q.Meta {
		if err := check(C.pinata_psa_query_set_meta(cq, a.str("key", k), a.str("value", v), &cerr)); err != nil {
			return nil, err
		}
	}
	return cq, nil
}

// List returns every request matching q (nil: pinned ones), newest first, for
// range-over-func; pages are fetched by `before` as needed. An error is yielded once,
// as the last element; breaking out of the loop frees everything.
func (p *PSAClient) List(ctx context.Context, q *PSAQuery) iter.Seq2[PSARequest, error] {
	return func(yield func(PSARequest, error) bool) {
		cq, err := newPSAQuery(q)
		if err != nil {
			yield(PSARequest{}, err)
			return
		}
		defer C.pinata_psa_query_free(cq)
		k, err := p.begin(ctx)
		if err != nil {
			yield(PSARequest{}, err)
			return
		}
		defer k.end()
		var it *C.pinata_psa_list_iter
		var cerr *C.pinata_error
		if st := C.pinata_psa_list_iter_new(k.cl, cq, &it, &cerr); st != C.PINATA_OK {
			yield(PSARequest{}, k.fail(st, cerr))
			return
		}
		defer C.pinata_psa_list_iter_free(it)
		for {
			var s *C.pinata_psa_status
			if st := C.pinata_psa_list_iter_next(it, &s, &cerr); st != C.PINATA_OK {
				yield(PSARequest{}, k.fail(st, cerr))
				return
			}
			if s == nil {
				return
			}
			if !yield(copyPSAStatus(s), nil) {
				return
			}
		}
	}
}

// PSAIterator walks a PSA listing, fetching pages as needed, like [PinIterator]:
//
//	it, err := psa.ListIterator(ctx, &pinata.PSAQuery{Name: "site"})
//	if err != nil { ... }
//	defer it.Close()
//	for it.Next() {
//		req := it.Request()
//	}
//	if err := it.Err(); err != nil { ... }
//	fmt.Println(it.Total()) // the count the service reported
//
// It owns its own reference to the PSA client's connection, so it stays usable after
// the PSAClient is closed. Use it from one goroutine at a time.
type PSAIterator struct {
	w *walker[PSARequest]
}

// ListIterator starts walking every request matching q (nil: pinned ones), newest
// first, as List does. No request is made before the first Next. Cancelling ctx stops
// the iteration: the call in flight fails and Err reports it.
func (p *PSAClient) ListIterator(ctx context.Context, q *PSAQuery) (*PSAIterator, error) {
	cq, err := newPSAQuery(q)
	if err != nil {
		return nil, err
	}
	defer C.pinata_psa_query_free(cq)
	k, err := p.begin(ctx) // holds p.mu for reading until the iterator exists
	if err != nil {
		return nil, err
	}
	// The C iterator keeps its own reference to the client (the derived one, which
	// carries the cancel flag the context's watcher raises), so the derived client
	// itself is freed at once and the iterator outlives Close of p.
	var it *C.pinata_psa_list_iter
	var cerr *C.pinata_error
	st := C.pinata_psa_list_iter_new(k.cl, cq, &it, &cerr)
	C.pinata_psa_client_free(k.derived)
	k.derived, k.cl = nil, nil
	p.mu.RUnlock()
	runtime.KeepAlive(p)
	if st != C.PINATA_OK {
		k.detach()
		return nil, takeError(st, cerr)
	}
	pi := &PSAIterator{w: newWalker(k.ctx, func() (PSARequest, bool, error) {
		var s *C.pinata_psa_status
		var cerr *C.pinata_error
		if st := C.pinata_psa_list_iter_next(it, &s, &cerr); st != C.PINATA_OK {
			return PSARequest{}, false, k.fail(st, cerr)
		}
		if s == nil {
			return PSARequest{}, false, nil
		}
		return copyPSAStatus(s), true, nil
	}, func() int64 {
		return int64(C.pinata_psa_list_iter_total(it))
	}, func() {
		C.pinata_psa_list_iter_free(it)
		k.detach()
	})}
	runtime.SetFinalizer(pi, func(pi *PSAIterator) {
		if pi.free() {
			finalizedHandles.Add(1)
		}
	})
	return pi, nil
}

// Next moves to the next request, returning false at the end of the listing or on an
// error (see Err).
func (it *PSAIterator) Next() bool {
	ok := it.w.step()
	runtime.KeepAlive(it)
	return ok
}

// Request returns the current request.
func (it *PSAIterator) Request() PSARequest { return it.w.current() }

// Err returns the error that ended the iteration, nil at the end of the listing.
func (it *PSAIterator) Err() error { return it.w.failure() }

// Total returns the count of matching requests the service reported on the first
// page, or -1 before the first Next (and after Close).
func (it *PSAIterator) Total() int64 {
	t := it.w.count()
	runtime.KeepAlive(it)
	return t
}

// Close frees the iterator; calling it again does nothing.
func (it *PSAIterator) Close() error {
	it.free()
	return nil
}

func (it *PSAIterator) free() bool {
	if !it.w.free() {
		return false
	}
	runtime.SetFinalizer(it, nil)
	return true
}
