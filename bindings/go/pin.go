package pinata

/*
#include <stdint.h>
#include "pinata.h"
#include "pinata_go.h"

// Defined in callback.go (//export); userdata carries a runtime/cgo.Handle.
extern int32_t pinataGoProgress(uint64_t sent, uint64_t total, uintptr_t handle);

static int32_t pinata_go_progress_trampoline(uint64_t sent, uint64_t total, void *userdata) {
	return pinataGoProgress(sent, total, (uintptr_t)userdata);
}

static pinata_status pinata_go_set_progress(pinata_pin_options *options, uintptr_t handle,
                                            pinata_error **err_out) {
	return pinata_pin_options_set_progress(options, pinata_go_progress_trampoline,
	                                       (void *)handle, err_out);
}

*/
import "C"

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"runtime/cgo"
	"sort"
	"sync"
	"time"
	"unsafe"
)

// PinOptions are the options of the pin calls. The zero value (or a nil pointer)
// gives the defaults.
type PinOptions struct {
	// Name is the pin's name; "" gives the default (the file or folder name, "json").
	Name string
	// KeyValues are the pin's metadata keyvalues (at most 10): each value a string or
	// a number (any Go integer or float type, or json.Number).
	KeyValues map[string]any
	// CIDVersion is 0 or 1; nil leaves the service's default (v0).
	CIDVersion *int
	// WrapWithDirectory wraps an upload in a directory (uploads only).
	WrapWithDirectory bool
	// GroupID puts the pin in a group.
	GroupID string
	// VerifyCID checks the service's CID against the one computed locally from the
	// bytes sent. nil means true; use pinata.Bool(false) to turn it off.
	VerifyCID *bool
	// Progress, when set, is called on the calling goroutine about once a second
	// and whenever bytes move during an upload: sent of total bytes of the request
	// body. Return false to stop the upload (the call fails with ErrCancelled).
	Progress func(sent, total uint64) bool
	// HostNodes are multiaddrs of nodes that hold the content (PinByCID only; at
	// most 5).
	HostNodes []string
}

// CIDCheck is the outcome of the CID verification of an upload.
type CIDCheck int32

// The outcomes of the CID check.
const (
	CIDNotChecked   CIDCheck = C.PINATA_CID_NOT_CHECKED  // verification was off
	CIDVerified     CIDCheck = C.PINATA_CID_VERIFIED     // the service's CID equals the local one
	CIDUnverifiable CIDCheck = C.PINATA_CID_UNVERIFIABLE // no local profile applies
)

func (c CIDCheck) String() string {
	switch c {
	case CIDNotChecked:
		return "not checked"
	case CIDVerified:
		return "verified"
	case CIDUnverifiable:
		return "unverifiable"
	}
	return fmt.Sprintf("CIDCheck(%d)", int32(c))
}

// CIDProfile is a set of importer settings a local CID is computed with
// (PINATA_CID_PROFILE_*): which one produced the service's CID tells how the service
// imported the content.
type CIDProfile int32

// The CID profiles.
const (
	// CIDProfileNone: no profile (the check was off, or matched none in its own form).
	CIDProfileNone CIDProfile = C.PINATA_CID_PROFILE_NONE
	// CIDProfileKuboV0 is kubo's default: CIDv0, dag-pb leaves, 256 KiB chunks.
	CIDProfileKuboV0 CIDProfile = C.PINATA_CID_PROFILE_KUBO_V0
	// CIDProfileKuboV1 is kubo --cid-version=1: CIDv1, raw leaves, 256 KiB chunks,
	// 174 links per node.
	CIDProfileKuboV1 CIDProfile = C.PINATA_CID_PROFILE_KUBO_V1
	// CIDProfileUnixFSV1_2025 is unixfs-v1-2025 (IPIP-499): CIDv1, raw leaves, 1 MiB
	// chunks, 1024 links per node.
	CIDProfileUnixFSV1_2025 CIDProfile = C.PINATA_CID_PROFILE_UNIXFS_V1_2025
)

// String names the profile ("none", "kubo-v0", "kubo-v1", "unixfs-v1-2025").
func (p CIDProfile) String() string {
	switch p {
	case CIDProfileNone:
		return "none"
	case CIDProfileKuboV0:
		return "kubo-v0"
	case CIDProfileKuboV1:
		return "kubo-v1"
	case CIDProfileUnixFSV1_2025:
		return "unixfs-v1-2025"
	}
	return fmt.Sprintf("CIDProfile(%d)", int32(p))
}

// PinResult is the answer to an upload.
type PinResult struct {
	CID         string
	Size        uint64
	Timestamp   time.Time
	IsDuplicate bool
	LocalCID    string // "" when verification was off
	CIDCheck    CIDCheck
	// CIDProfile is the profile whose local CID equals the service's: which importer
	// settings the service used (CIDProfileNone when the check was off or did not
	// match).
	CIDProfile CIDProfile
	// ProfilesHashed is how many profiles were hashed to check the upload: 0 with the
	// check off, 1 for v0 and for v1 once the client learned its service's profile
	// (see [Client.LearnedCIDProfile]), 2 otherwise.
	ProfilesHashed uint32
	RawJSON        string // the service's whole answer
}

// PinJob is a pin-by-CID job.
type PinJob struct {
	ID         string
	CID        string
	Status     string // prechecking, searching, retrieving, expired, ...
	Name       string
	DateQueued time.Time // list rows only
	RawJSON    string
}

// progress is the Go side of a progress callback, reached from C through a
// runtime/cgo.Handle: C never holds a Go pointer.
type progress struct {
	fn       func(sent, total uint64) bool
	panicked bool
	panicVal any
}

// cOptions is a C pin-options handle made for one call.
type cOptions struct {
	ptr    *C.pinata_pin_options
	prog   *progress
	handle cgo.Handle
}

func (o *cOptions) free() {
	if o == nil {
		return
	}
	C.pinata_pin_options_free(o.ptr)
	if o.handle != 0 {
		o.handle.Delete()
	}
}

// rethrow re-raises, on the caller's goroutine, a panic of the progress callback.
func (o *cOptions) rethrow() {
	if o != nil && o.prog != nil && o.prog.panicked {
		panic(o.prog.panicVal)
	}
}

// numberOf returns v as a float64 when it is a Go number.
func numberOf(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case float32:
		return float64(n), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// newCOptions builds the C options for o (nil options give a nil handle: the
// library's defaults).
func newCOptions(o *PinOptions) (_ *cOptions, err error) {
	if o == nil {
		return nil, nil
	}
	var a cstrings
	defer a.free()
	name := a.opt("name", o.Name)
	group := a.opt("group_id", o.GroupID)
	hosts := make([]*C.char, len(o.HostNodes))
	for i, h := range o.HostNodes {
		hosts[i] = a.str("host_node", h)
	}
	if a.err != nil {
		return nil, a.err
	}
	co := &cOptions{}
	var cerr *C.pinata_error
	if st := C.pinata_pin_options_new(&co.ptr, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer func() {
		if err != nil {
			co.free()
		}
	}()
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if name != nil {
		if err := check(C.pinata_pin_options_set_name(co.ptr, name, &cerr)); err != nil {
			return nil, err
		}
	}
	for _, key := range sortedKeys(o.KeyValues) {
		v := o.KeyValues[key]
		ck := a.str("keyvalue key", key)
		if s, ok := v.(string); ok {
			cv := a.str("keyvalue "+key, s)
			if a.err != nil {
				return nil, a.err
			}
			if err := check(C.pinata_pin_options_set_keyvalue_string(co.ptr, ck, cv, &cerr)); err != nil {
				return nil, err
			}
			continue
		}
		f, ok := numberOf(v)
		if !ok {
			return nil, invalidArg(fmt.Sprintf("keyvalue %q: %T is neither a string nor a number", key, v))
		}
		if a.err != nil {
			return nil, a.err
		}
		if err := check(C.pinata_pin_options_set_keyvalue_number(co.ptr, ck, C.double(f), &cerr)); err != nil {
			return nil, err
		}
	}
	if o.CIDVersion != nil {
		if *o.CIDVersion < math.MinInt32 || *o.CIDVersion > math.MaxInt32 {
			return nil, invalidArg("cid_version out of range")
		}
		if err := check(C.pinata_pin_options_set_cid_version(co.ptr, C.int32_t(*o.CIDVersion), &cerr)); err != nil {
			return nil, err
		}
	}
	if o.WrapWithDirectory {
		if err := check(C.pinata_pin_options_set_wrap_with_directory(co.ptr, true, &cerr)); err != nil {
			return nil, err
		}
	}
	if group != nil {
		if err := check(C.pinata_pin_options_set_group_id(co.ptr, group, &cerr)); err != nil {
			return nil, err
		}
	}
	if o.VerifyCID != nil && !*o.VerifyCID {
		if err := check(C.pinata_pin_options_set_verify_cid(co.ptr, false, &cerr)); err != nil {
			return nil, err
		}
	}
	for _, h := range hosts {
		if err := check(C.pinata_pin_options_add_host_node(co.ptr, h, &cerr)); err != nil {
			return nil, err
		}
	}
	if o.Progress != nil {
		co.prog = &progress{fn: o.Progress}
		co.handle = cgo.NewHandle(co.prog)
		if err := check(C.pinata_go_set_progress(co.ptr, C.uintptr_t(co.handle), &cerr)); err != nil {
			return nil, err
		}
	}
	return co, nil
}

func (o *cOptions) handlePtr() *C.pinata_pin_options {
	if o == nil {
		return nil
	}
	return o.ptr
}

func copyPinResult(r *C.pinata_pin_result) *PinResult {
	var f C.pinata_go_pin_fields
	C.pinata_go_pin_fields_of(r, &f) // nine getters in one crossing
	return pinResultOf(&f)
}

// pinResultOf copies a result's fields into Go memory (the result must be alive).
func pinResultOf(f *C.pinata_go_pin_fields) *PinResult {
	return &PinResult{
		CID:            goString(f.cid),
		Size:           uint64(f.size),
		Timestamp:      parseTime(cView(f.timestamp)),
		IsDuplicate:    bool(f.is_duplicate),
		LocalCID:       goString(f.local_cid),
		CIDCheck:       CIDCheck(f.cid_check),
		CIDProfile:     CIDProfile(f.cid_profile),
		ProfilesHashed: uint32(f.profiles_hashed),
		RawJSON:        goString(f.raw_json),
	}
}

// LearnedCIDProfile is the v1 CID profile this client learned its service answers in
// (CIDProfileKuboV1 or CIDProfileUnixFSV1_2025): after a v1 upload whose check matched
// exactly one of them, later v1 checks hash only that one (PinResult.ProfilesHashed is
// then 1), and fall back to both when it stops matching. CIDProfileNone until then,
// and for a closed client. It makes no request.
func (c *Client) LearnedCIDProfile() CIDProfile {
	ptr, err := c.acquire()
	if err != nil {
		return CIDProfileNone
	}
	defer c.release()
	p := CIDProfile(C.pinata_client_learned_cid_profile(ptr))
	runtime.KeepAlive(c)
	return p
}

// upload runs one upload call with options and context, copying the result.
func (c *Client) upload(ctx context.Context, opts *PinOptions,
	run func(cl *C.pinata_client, o *C.pinata_pin_options, r **C.pinata_pin_result, e **C.pinata_error) C.pinata_status,
) (*PinResult, error) {
	co, err := newCOptions(opts)
	if err != nil {
		return nil, err
	}
	defer co.free()
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var r *C.pinata_pin_result
	var cerr *C.pinata_error
	st := run(k.cl, co.handlePtr(), &r, &cerr)
	co.rethrow()
	if st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_pin_result_free(r)
	return copyPinResult(r), nil
}

// PinFile pins a file, or a directory recursively as one CID
// (POST /pinning/pinFileToIPFS), streamed from disk. opts may be nil.
func (c *Client) PinFile(ctx context.Context, path string, opts *PinOptions) (*PinResult, error) {
	var a cstrings
	defer a.free()
	p := a.str("path", path)
	if a.err != nil {
		return nil, a.err
	}
	return c.upload(ctx, opts, func(cl *C.pinata_client, o *C.pinata_pin_options, r **C.pinata_pin_result, e **C.pinata_error) C.pinata_status {
		return C.pinata_pin_file(cl, p, o, r, e)
	})
}

// PinBytes pins data as a file named fileName (no '/'). opts may be nil.
func (c *Client) PinBytes(ctx context.Context, data []byte, fileName string, opts *PinOptions) (*PinResult, error) {
	var a cstrings
	defer a.free()
	name := a.str("file_name", fileName)
	if a.err != nil {
		return nil, a.err
	}
	return c.upload(ctx, opts, func(cl *C.pinata_client, o *C.pinata_pin_options, r **C.pinata_pin_result, e **C.pinata_error) C.pinata_status {
		// data stays referenced by this closure for the whole call; the library
		// copies it and does not keep the pointer.
		return C.pinata_pin_bytes(cl, bytesPtr(data), C.size_t(len(data)), name, o, r, e)
	})
}

// PinJSON pins v, encoded with encoding/json (a json.RawMessage is sent as is),
// through POST /pinning/pinJSONToIPFS. opts may be nil; Progress and
// WrapWithDirectory do not apply.
func (c *Client) PinJSON(ctx context.Context, v any, opts *PinOptions) (*PinResult, error) {
	buf := docPool.Get().(*[]byte)
	doc, err := jsonDocument(v, (*buf)[:0])
	if err != nil {
		docPool.Put(buf)
		return nil, err
	}
	defer putDoc(buf, doc)
	scalars, simple := scalarPinOptions(opts)
	var co *cOptions
	if !simple {
		if co, err = newCOptions(opts); err != nil {
			return nil, err
		}
		defer co.free()
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	return k.pinJSON((*C.char)(unsafe.Pointer(&doc[0])), co.handlePtr(), scalars)
}

// jsonDocument is v's JSON text with a NUL after it: the library copies it before
// pinata_pin_json_start returns, so it reads it in Go's memory. A json.RawMessage
// goes as written, appended to buf (the library checks that it is JSON, as
// json.Marshal would); anything else through json.Marshal, which escapes a NUL
// inside a string.
func jsonDocument(v any, buf []byte) ([]byte, error) {
	if raw, ok := v.(json.RawMessage); ok && len(raw) > 0 {
		if bytes.IndexByte(raw, 0) >= 0 {
			return nil, invalidArg("json: the document holds a NUL byte")
		}
		return append(append(buf, raw...), 0), nil
	}
	doc, err := json.Marshal(v)
	if err != nil {
		return nil, invalidArg("json: " + err.Error())
	}
	return append(doc, 0), nil
}

// docPool keeps PinJSON's document buffers for later calls; one larger than
// maxPooledDoc is left to the collector.
var docPool = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledDoc = 64 << 10

// putDoc returns doc's memory to docPool in buf, once the library is done with it.
func putDoc(buf *[]byte, doc []byte) {
	if cap(doc) <= maxPooledDoc {
		*buf = doc[:0]
		docPool.Put(buf)
	}
}

func copyPinJob(j *C.pinata_pin_job_info) PinJob {
	return PinJob{
		ID:         goString(C.pinata_pin_job_info_id(j)),
		CID:        goString(C.pinata_pin_job_info_cid(j)),
		Status:     goString(C.pinata_pin_job_info_status(j)),
		Name:       goString(C.pinata_pin_job_info_name(j)),
		DateQueued: parseTime(goString(C.pinata_pin_job_info_date_queued(j))),
		RawJSON:    goString(C.pinata_pin_job_info_raw_json(j)),
	}
}

// PinByCID asks Pinata to pin an existing CID (POST /pinning/pinByHash); the
// content is fetched asynchronously. Uses the options' Name, KeyValues, GroupID and
// HostNodes; opts may be nil.
func (c *Client) PinByCID(ctx context.Context, cid string, opts *PinOptions) (*PinJob, error) {
	var a cstrings
	defer a.free()
	ccid := a.str("cid", cid)
	if a.err != nil {
		return nil, a.err
	}
	co, err := newCOptions(opts)
	if err != nil {
		return nil, err
	}
	defer co.free()
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var job *C.pinata_pin_job
	var cerr *C.pinata_error
	if st := C.pinata_pin_by_cid(k.cl, ccid, co.handlePtr(), &job, &cerr); st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_pin_job_free(job)
	j := copyPinJob(C.pinata_pin_job_get_info(job))
	return &j, nil
}

// SortOrder orders pin jobs by queue date.
type SortOrder int

// The sort orders.
const (
	SortDefault     SortOrder = iota // the service's default
	SortNewestFirst                  // newest first
	SortOldestFirst                  // oldest first
)

// PinJobQuery filters the pin-job list. The zero value lists with no filter.
type PinJobQuery struct {
	Status string // "" for any
	CID    string // "" for any
	Sort   SortOrder
	Limit  uint32 // page size, 0 for the service's default, else 1-1000
	Offset uint64
}

// PinJobPage is one page of pin jobs and the total the service reported (-1 when
// none).
type PinJobPage struct {
	Jobs  []PinJob
	Total int64
}

// PinJobs lists pin-by-CID jobs (GET /pinning/pinJobs); q may be nil.
func (c *Client) PinJobs(ctx context.Context, q *PinJobQuery) (*PinJobPage, error) {
	var cq *C.pinata_pin_job_query
	var cerr *C.pinata_error
	if q != nil {
		var a cstrings
		defer a.free()
		status := a.opt("status", q.Status)
		cid := a.opt("cid", q.CID)
		if a.err != nil {
			return nil, a.err
		}
		var sortArg C.int32_t
		switch q.Sort {
		case SortDefault:
			sortArg = -1
		case SortNewestFirst:
			sortArg = 0
		case SortOldestFirst:
			sortArg = 1
		default:
			return nil, invalidArg(fmt.Sprintf("unknown sort order %d", q.Sort))
		}
		if st := C.pinata_pin_job_query_new(&cq, &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
		defer C.pinata_pin_job_query_free(cq)
		st := C.pinata_pin_job_query_set(cq, status, cid, sortArg, C.uint32_t(q.Limit), C.uint64_t(q.Offset), &cerr)
		if st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var list *C.pinata_pin_job_list
	if st := C.pinata_pin_jobs_list(k.cl, cq, &list, &cerr); st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_pin_job_list_free(list)
	n := int(C.pinata_pin_job_list_len(list))
	page := &PinJobPage{Jobs: make([]PinJob, 0, n), Total: int64(C.pinata_pin_job_list_total(list))}
	for i := 0; i < n; i++ {
		if j := C.pinata_pin_job_list_get(list, C.size_t(i)); j != nil {
			page.Jobs = append(page.Jobs, copyPinJob(j))
		}
	}
	return page, nil
}

// MetadataUpdate is a change of a pin's metadata, merged into its keyvalues.
type MetadataUpdate struct {
	Name   string         // "" keeps the name
	Set    map[string]any // keyvalues to set: strings or numbers
	Remove []string       // keyvalues to remove
}

// UpdateMetadata applies a metadata change to the pin of cid
// (PUT /pinning/hashMetadata). A CID this account has not pinned gives ErrNotFound.
func (c *Client) UpdateMetadata(ctx context.Context, cid string, u MetadataUpdate) error {
	var a cstrings
	defer a.free()
	ccid := a.str("cid", cid)
	name := a.opt("name", u.Name)
	if a.err != nil {
		return a.err
	}
	var cu *C.pinata_metadata_update
	var cerr *C.pinata_error
	if st := C.pinata_metadata_update_new(&cu, &cerr); st != C.PINATA_OK {
		return takeError(st, cerr)
	}
	defer C.pinata_metadata_update_free(cu)
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if name != nil {
		if err := check(C.pinata_metadata_update_set_name(cu, name, &cerr)); err != nil {
			return err
		}
	}
	for _, key := range sortedKeys(u.Set) {
		v := u.Set[key]
		ck := a.str("keyvalue key", key)
		if s, ok := v.(string); ok {
			cv := a.str("keyvalue "+key, s)
			if a.err != nil {
				return a.err
			}
			if err := check(C.pinata_metadata_update_set_string(cu, ck, cv, &cerr)); err != nil {
				return err
			}
			continue
		}
		f, ok := numberOf(v)
		if !ok {
			return invalidArg(fmt.Sprintf("keyvalue %q: %T is neither a string nor a number", key, v))
		}
		if a.err != nil {
			return a.err
		}
		if err := check(C.pinata_metadata_update_set_number(cu, ck, C.double(f), &cerr)); err != nil {
			return err
		}
	}
	for _, key := range u.Remove {
		ck := a.str("keyvalue key", key)
		if a.err != nil {
			return a.err
		}
		if err := check(C.pinata_metadata_update_remove(cu, ck, &cerr)); err != nil {
			return err
		}
	}
	k, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer k.end()
	if st := C.pinata_pin_update_metadata(k.cl, ccid, cu, &cerr); st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	return nil
}

// Unpin unpins cid (DELETE /pinning/unpin/{cid}). A CID this account has not
// pinned gives ErrNotFound; a malformed one ErrInvalidArgument.
func (c *Client) Unpin(ctx context.Context, cid string) error {
	return c.callText(ctx, "cid", cid,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			return C.pinata_unpin(cl, text, cerr)
		})
}
