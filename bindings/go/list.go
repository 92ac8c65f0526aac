package pinata

/*
#include "pinata.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"runtime"
	"time"
)

// PinStatus selects pinned or unpinned records.
type PinStatus int32

// The pin statuses of the list filter.
const (
	PinStatusAll      PinStatus = C.PINATA_PIN_STATUS_ALL // pinned and unpinned (the service's default)
	PinStatusPinned   PinStatus = C.PINATA_PIN_STATUS_PINNED
	PinStatusUnpinned PinStatus = C.PINATA_PIN_STATUS_UNPINNED
)

// KeyValueOp is an operator of a keyvalue filter.
type KeyValueOp int32

// The keyvalue operators.
const (
	OpGT         KeyValueOp = C.PINATA_OP_GT
	OpGTE        KeyValueOp = C.PINATA_OP_GTE
	OpLT         KeyValueOp = C.PINATA_OP_LT
	OpLTE        KeyValueOp = C.PINATA_OP_LTE
	OpNE         KeyValueOp = C.PINATA_OP_NE
	OpEQ         KeyValueOp = C.PINATA_OP_EQ
	OpBetween    KeyValueOp = C.PINATA_OP_BETWEEN
	OpNotBetween KeyValueOp = C.PINATA_OP_NOT_BETWEEN
	OpLike       KeyValueOp = C.PINATA_OP_LIKE
	OpNotLike    KeyValueOp = C.PINATA_OP_NOT_LIKE
	OpILike      KeyValueOp = C.PINATA_OP_ILIKE
	OpNotILike   KeyValueOp = C.PINATA_OP_NOT_ILIKE
	OpRegexp     KeyValueOp = C.PINATA_OP_REGEXP
	OpIRegexp    KeyValueOp = C.PINATA_OP_IREGEXP
)

var opNames = []string{"gt", "gte", "lt", "lte", "ne", "eq", "between", "notBetween",
	"like", "notLike", "iLike", "notILike", "regexp", "iRegexp"}

// String returns Pinata's name of the operator, e.g. "notBetween".
func (op KeyValueOp) String() string {
	if op >= 0 && int(op) < len(opNames) {
		return opNames[op]
	}
	return fmt.Sprintf("KeyValueOp(%d)", int32(op))
}

// CName returns the name of the operator's C constant, e.g. "PINATA_OP_NOT_BETWEEN"
// ("PINATA_OP_UNKNOWN" for a value this version of libpinata does not know).
func (op KeyValueOp) CName() string {
	return C.GoString(C.pinata_keyvalue_op_str(C.pinata_keyvalue_op(op)))
}

// ParseKeyValueOp reads Pinata's name of an operator ("eq", "between", "iLike"...).
func ParseKeyValueOp(name string) (KeyValueOp, error) {
	for i, n := range opNames {
		if n == name {
			return KeyValueOp(i), nil
		}
	}
	return 0, invalidArg(fmt.Sprintf("unknown keyvalue operator %q", name))
}

// KeyValueFilter is one condition on a keyvalue. Value (and SecondValue, required
// exactly for OpBetween and OpNotBetween) are strings or numbers, both of one kind.
type KeyValueFilter struct {
	Key         string
	Op          KeyValueOp
	Value       any
	SecondValue any
}

// PinListQuery filters and pages the pin list. The zero value lists every record.
type PinListQuery struct {
	CID          string // a CID or part of one
	GroupID      string
	NameContains string
	Status       PinStatus
	PinStart     time.Time // pinned within [PinStart, PinEnd]; zero for open
	PinEnd       time.Time
	UnpinStart   time.Time // unpinned within [UnpinStart, UnpinEnd]
	UnpinEnd     time.Time
	MinSize      int64  // bytes; 0 for open
	MaxSize      int64  // bytes; 0 for open
	PageSize     uint32 // records per request, 1-1000; 0 for the default (100)
	Offset       uint64 // records to skip
	KeyValues    []KeyValueFilter
}

// PinRow is one pin record.
type PinRow struct {
	ID           string
	CID          string
	Size         uint64
	DatePinned   time.Time
	DateUnpinned time.Time // zero while pinned
	Name         string
	KeyValues    map[string]any // nil when none; numbers are float64
	RawJSON      string         // the whole record
}

func newPinListQuery(q *PinListQuery) (_ *C.pinata_pin_list_query, err error) {
	if q == nil {
		return nil, nil
	}
	var a cstrings
	defer a.free()
	cid := a.opt("cid", q.CID)
	group := a.opt("group_id", q.GroupID)
	name := a.opt("name_contains", q.NameContains)
	ps := a.opt("pin_start", formatTime(q.PinStart))
	pe := a.opt("pin_end", formatTime(q.PinEnd))
	us := a.opt("unpin_start", formatTime(q.UnpinStart))
	ue := a.opt("unpin_end", formatTime(q.UnpinEnd))
	if a.err != nil {
		return nil, a.err
	}
	var cq *C.pinata_pin_list_query
	var cerr *C.pinata_error
	if st := C.pinata_pin_list_query_new(&cq, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer func() {
		if err != nil {
			C.pinata_pin_list_query_free(cq)
		}
	}()
	check := func(st C.pinata_status) error {
		if st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if err := check(C.pinata_pin_list_query_set_text(cq, cid, group, name, &cerr)); err != nil {
		return nil, err
	}
	if err := check(C.pinata_pin_list_query_set_status(cq, C.int32_t(q.Status), &cerr)); err != nil {
		return nil, err
	}
	if ps != nil || pe != nil || us != nil || ue != nil {
		if err := check(C.pinata_pin_list_query_set_dates(cq, ps, pe, us, ue, &cerr)); err != nil {
			return nil, err
		}
	}
	if q.MinSize != 0 || q.MaxSize != 0 {
		lo, hi := q.MinSize, q.MaxSize
		if lo == 0 {
			lo = -1
		}
		if hi == 0 {
			hi = -1
		}
		if err := check(C.pinata_pin_list_query_set_size_range(cq, C.int64_t(lo), C.int64_t(hi), &cerr)); err != nil {
			return nil, err
		}
	}
	if q.PageSize != 0 || q.Offset != 0 {
		page := q.PageSize
		if page == 0 {
			page = 100
		}
		if err := check(C.pinata_pin_list_query_set_paging(cq, C.uint32_t(page), C.uint64_t(q.Offset), &cerr)); err != nil {
			return nil, err
		}
	}
	for _, f := range q.KeyValues {
		if err := addKeyValueFilter(cq, &a, f); err != nil {
			return nil, err
		}
	}
	return cq, nil
}

func addKeyValueFilter(cq *C.pinata_pin_list_query, a *cstrings, f KeyValueFilter) error {
	var cerr *C.pinata_error
	key := a.str("keyvalue key", f.Key)
	if s, ok := f.Value.(string); ok {
		v := a.str("keyvalue value", s)
		var second *C.char
		if f.SecondValue != nil {
			s2, ok := f.SecondValue.(string)
			if !ok {
				return invalidArg(fmt.Sprintf("keyvalue %q: the second value must be a string like the first", f.Key))
			}
			second = a.str("keyvalue second value", s2)
		}
		if a.err != nil {
			return a.err
		}
		if st := C.pinata_pin_list_query_add_keyvalue_string(cq, key, C.pinata_keyvalue_op(f.Op), v, second, &cerr); st != C.PINATA_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	v, ok := numberOf(f.Value)
	if !ok {
		return invalidArg(fmt.Sprintf("keyvalue %q: %T is neither a string nor a number", f.Key, f.Value))
	}
	var second float64
	has := f.SecondValue != nil
	if has {
		if second, ok = numberOf(f.SecondValue); !ok {
			return invalidArg(fmt.Sprintf("keyvalue %q: the second value must be a number like the first", f.Key))
		}
	}
	if a.err != nil {
		return a.err
	}
	if st := C.pinata_pin_list_query_add_keyvalue_number(cq, key, C.pinata_keyvalue_op(f.Op), C.double(v), C.double(second), C.bool(has), &cerr); st != C.PINATA_OK {
		return takeError(st, cerr)
	}
	return nil
}

func copyPinRow(r *C.pinata_pin_row) PinRow {
	row := PinRow{
		ID:           goString(C.pinata_pin_row_id(r)),
		CID:          goString(C.pinata_pin_row_cid(r)),
		Size:         uint64(C.pinata_pin_row_size(r)),
		DatePinned:   parseTime(goString(C.pinata_pin_row_date_pinned(r))),
		DateUnpinned: parseTime(goString(C.pinata_pin_row_date_unpinned(r))),
		Name:         goString(C.pinata_pin_row_name(r)),
		RawJSON:      goString(C.pinata_pin_row_raw_json(r)),
	}
	if kv := goString(C.pinata_pin_row_keyvalues_json(r)); kv != "" && kv != "null" {
		_ = json.Unmarshal([]byte(kv), &row.KeyValues)
	}
	return row
}

// PinIterator walks the pin list, fetching pages as needed:
//
//	it, err := client.PinListIterator(ctx, &pinata.PinListQuery{Status: pinata.PinStatusPinned})
//	if err != nil { ... }
//	defer it.Close()
//	for it.Next() {
//		row := it.Row()
//	}
//	if err := it.Err(); err != nil { ... }
//
// It owns its own reference to the client's connection, so it stays usable after
// the Client is closed. Use it from one goroutine at a time.
type PinIterator struct {
	w *walker[PinRow]
}

// PinListIterator starts iterating over every pin matching q (nil: every record).
// No request is made before the first Next. Cancelling ctx stops the iteration: the
// call in flight fails and Err reports it.
func (c *Client) PinListIterator(ctx context.Context, q *PinListQuery) (*PinIterator, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	cq, err := newPinListQuery(q)
	if err != nil {
		return nil, err
	}
	defer C.pinata_pin_list_query_free(cq)
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	ptr, err := c.acquire()
	if err != nil {
		return nil, err
	}
	defer c.release()
	// The C iterator keeps its own reference to the client, so it outlives Close of c.
	// When ctx can be done, the iterator is made from a derived client whose cancel
	// flag the context's watcher raises; the iterator's reference carries that flag,
	// so the derived client itself is freed at once.
	k := &call{c: c, ctx: ctx, cl: ptr}
	if ctx.Done() != nil {
		if err := k.attachCancel(ptr); err != nil {
			return nil, err
		}
		k.cl = k.derived
	}
	var it *C.pinata_pin_list_iter
	var cerr *C.pinata_error
	st := C.pinata_pin_list_iter_new(k.cl, cq, &it, &cerr)
	C.pinata_client_free(k.derived)
	k.derived, k.cl = nil, nil
	runtime.KeepAlive(c)
	if st != C.PINATA_OK {
		k.detach()
		return nil, takeError(st, cerr)
	}
	pi := &PinIterator{w: newWalker(k.ctx, func() (PinRow, bool, error) {
		var row *C.pinata_pin_row
		var cerr *C.pinata_error
		if st := C.pinata_pin_list_iter_next(it, &row, &cerr); st != C.PINATA_OK {
			return PinRow{}, false, k.fail(st, cerr)
		}
		if row == nil {
			return PinRow{}, false, nil
		}
		return copyPinRow(row), true, nil
	}, func() int64 {
		return int64(C.pinata_pin_list_iter_total(it))
	}, func() {
		C.pinata_pin_list_iter_free(it)
		k.detach()
	})}
	runtime.SetFinalizer(pi, func(pi *PinIterator) {
		if pi.free() {
			finalizedHandles.Add(1)
		}
	})
	return pi, nil
}

// Next moves to the next record, returning false at the end of the list or on an
// error (see Err).
func (it *PinIterator) Next() bool {
	ok := it.w.step()
	runtime.KeepAlive(it)
	return ok
}

// Row returns the current record.
func (it *PinIterator) Row() PinRow { return it.w.current() }

// Err returns the error that ended the iteration, nil at the end of the list.
func (it *PinIterator) Err() error { return it.w.failure() }

// Total returns the total count the service reported so far, or -1.
func (it *PinIterator) Total() int64 {
	t := it.w.count()
	runtime.KeepAlive(it)
	return t
}

// Close frees the iterator; calling it again does nothing.
func (it *PinIterator) Close() error {
	it.free()
	return nil
}

func (it *PinIterator) free() bool {
	if !it.w.free() {
		return false
	}
	runtime.SetFinalizer(it, nil)
	return true
}

// PinList returns an iterator over every pin matching q (nil: every record), for
// range-over-func:
//
//	for row, err := range client.PinList(ctx, nil) {
//		if err != nil { return err }
//		fmt.Println(row.CID, row.Name)
//	}
//
// An error is yielded once, as the last element. Each range starts a new walk from
// the beginning; breaking out of the loop frees everything.
func (c *Client) PinList(ctx context.Context, q *PinListQuery) iter.Seq2[PinRow, error] {
	return func(yield func(PinRow, error) bool) {
		it, err := c.PinListIterator(ctx, q)
		if err != nil {
			yield(PinRow{}, err)
			return
		}
		defer it.Close()
		for it.Next() {
			if !yield(it.Row(), nil) {
				return
			}
		}
		if err := it.Err(); err != nil {
			yield(PinRow{}, err)
		}
	}
}
