package pinata

/*
#include <stdlib.h>
#include "pinata.h"
*/
import "C"

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"time"
	"unsafe"
)

// Network is the network of a v3 resource.
type Network int32

// The v3 networks.
const (
	NetworkPublic  Network = C.PINATA_NETWORK_PUBLIC  // IPFS
	NetworkPrivate Network = C.PINATA_NETWORK_PRIVATE // reached through signed links only
)

// String returns the network's name in Pinata's paths ("public", "private").
func (n Network) String() string {
	switch n {
	case NetworkPublic:
		return "public"
	case NetworkPrivate:
		return "private"
	}
	return fmt.Sprintf("Network(%d)", int32(n))
}

// ParseNetwork reads "public" or "private".
func ParseNetwork(s string) (Network, error) {
	switch s {
	case "public":
		return NetworkPublic, nil
	case "private":
		return NetworkPrivate, nil
	}
	return 0, invalidArg(fmt.Sprintf("network must be public or private, not %q", s))
}

// PinGroup is a legacy (CID-based) group.
type PinGroup struct {
	ID        string
	Name      string
	UserID    string
	CreatedAt time.Time
	UpdatedAt time.Time
	RawJSON   string // the whole group as the service sent it
}

func copyPinGroup(g *C.pinata_pin_group) PinGroup {
	return PinGroup{
		ID:        goString(C.pinata_pin_group_id(g)),
		Name:      goString(C.pinata_pin_group_name(g)),
		UserID:    goString(C.pinata_pin_group_user_id(g)),
		CreatedAt: parseTime(goString(C.pinata_pin_group_created_at(g))),
		UpdatedAt: parseTime(goString(C.pinata_pin_group_updated_at(g))),
		RawJSON:   goString(C.pinata_pin_group_raw_json(g)),
	}
}

// takePinGroup copies a group a call returned and frees it.
func takePinGroup(g *C.pinata_pin_group) PinGroup {
	defer C.pinata_pin_group_free(g)
	return copyPinGroup(g)
}

// CreatePinGroup creates a legacy group (POST /groups).
func (c *Client) CreatePinGroup(ctx context.Context, name string) (PinGroup, error) {
	var out PinGroup
	err := c.callText(ctx, "name", name,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			var g *C.pinata_pin_group
			st := C.pinata_pin_groups_create(cl, text, &g, cerr)
			if st == C.PINATA_OK {
				out = takePinGroup(g)
			}
			return st
		})
	return out, err
}

// GetPinGroup fetches a legacy group; an unknown id gives ErrNotFound.
func (c *Client) GetPinGroup(ctx context.Context, id string) (PinGroup, error) {
	var out PinGroup
	err := c.callText(ctx, "group id", id,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			var g *C.pinata_pin_group
			st := C.pinata_pin_groups_get(cl, text, &g, cerr)
			if st == C.PINATA_OK {
				out = takePinGroup(g)
			}
			return st
		})
	return out, err
}

// RenamePinGroup renames a legacy group and returns it as updated.
func (c *Client) RenamePinGroup(ctx context.Context, id, name string) (PinGroup, error) {
	var a cstrings
	defer a.free()
	cid, cname := a.str("group id", id), a.str("name", name)
	if a.err != nil {
		return PinGroup{}, a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return PinGroup{}, err
	}
	defer k.end()
	var g *C.pinata_pin_group
	var cerr *C.pinata_error
	if st := C.pinata_pin_groups_update(k.cl, cid, cname, &g, &cerr); st != C.PINATA_OK {
		return PinGroup{}, k.fail(st, cerr)
	}
	return takePinGroup(g), nil
}

// DeletePinGroup deletes a legacy group; its CIDs stay pinned.
func (c *Client) DeletePinGroup(ctx context.Context, id string) error {
	return c.callText(ctx, "group id", id,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			return C.pinata_pin_groups_delete(cl, text, cerr)
		})
}

// AddPinGroupCIDs adds CIDs to a legacy group (at least one).
func (c *Client) AddPinGroupCIDs(ctx context.Context, id string, cids ...string) error {
	return c.pinGroupCIDs(ctx, id, cids, true)
}

// RemovePinGroupCIDs removes CIDs from a legacy group (at least one); they stay pinned.
func (c *Client) RemovePinGroupCIDs(ctx context.Context, id string, cids ...string) error {
	return c.pinGroupCIDs(ctx, id, cids, false)
}

func (c *Client) pinGroupCIDs(ctx context.Context, id string, cids []string, add bool) error {
	var a cstrings
	defer a.free()
	cid := a.str("group id", id)
	// The array of pointers lives in C memory: cgo forbids Go memory holding Go pointers.
	n := len(cids)
	var arr **C.char
	if n > 0 {
		arr = (**C.char)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(uintptr(0)))))
		defer C.free(unsafe.Pointer(arr))
		view := unsafe.Slice(arr, n)
		for i, s := range cids {
			view[i] = a.str("cid", s)
		}
	}
	if a.err != nil {
		return a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer k.end()
	var cerr *C.pinata_error
	var st C.pinata_status
	if add {
		st = C.pinata_pin_groups_add_cids(k.cl, cid, arr, C.size_t(n), &cerr)
	} else {
		st = C.pinata_pin_groups_remove_cids(k.cl, cid, arr, C.size_t(n), &cerr)
	}
	if st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	return nil
}

// PinGroupQuery filters and pages the legacy group list. The zero value lists all.
type PinGroupQuery struct {
	NameContains string
	PageSize     uint32 // groups per request, 1-1000; 0 for the default (10)
	Offset       uint64 // groups to skip
}

// PinGroups returns an iterator over every legacy group matching q (nil: all), newest
// first, for range-over-func. An error is yielded once, as the last element;
// cancelling ctx stops the walk.
func (c *Client) PinGroups(ctx context.Context, q *PinGroupQuery) iter.Seq2[PinGroup, error] {
	return func(yield func(PinGroup, error) bool) {
		var a cstrings
		defer a.free()
		var cq *C.pinata_pin_group_query
		var cerr *C.pinata_error
		if q != nil {
			name := a.opt("name filter", q.NameContains)
			if a.err != nil {
				yield(PinGroup{}, a.err)
				return
			}
			if st := C.pinata_pin_group_query_new(&cq, &cerr); st != C.PINATA_OK {
				yield(PinGroup{}, takeError(st, cerr))
				return
			}
			defer C.pinata_pin_group_query_free(cq)
			if st := C.pinata_pin_group_query_set_name_contains(cq, name, &cerr); st != C.PINATA_OK {
				yield(PinGroup{}, takeError(st, cerr))
				return
			}
			if q.PageSize != 0 || q.Offset != 0 {
				page := q.PageSize
				if page == 0 {
					page = 10
				}
				if st := C.pinata_pin_group_query_set_paging(cq, C.uint32_t(page), C.uint64_t(q.Offset), &cerr); st != C.PINATA_OK {
					yield(PinGroup{}, takeError(st, cerr))
					return
				}
			}
		}
		k, err := c.begin(ctx)
		if err != nil {
			yield(PinGroup{}, err)
			return
		}
		defer k.end()
		var it *C.pinata_pin_group_iter
		if st := C.pinata_pin_groups_list(k.cl, cq, &it, &cerr); st != C.PINATA_OK {
			yield(PinGroup{}, k.fail(st, cerr))
			return
		}
		defer C.pinata_pin_group_iter_free(it)
		for {
			var g *C.pinata_pin_group
			if st := C.pinata_pin_group_iter_next(it, &g, &cerr); st != C.PINATA_OK {
				yield(PinGroup{}, k.fail(st, cerr))
				return
			}
			if g == nil {
				return
			}
			if !yield(copyPinGroup(g), nil) {
				return
			}
		}
	}
}

// Group is a v3 group.
type Group struct {
	ID        string
	Name      string
	IsPublic  bool
	CreatedAt time.Time
	RawJSON   string // the whole group as the service sent it
}

func copyGroup(g *C.pinata_group) Group {
	return Group{
		ID:        goString(C.pinata_group_id(g)),
		Name:      goString(C.pinata_group_name(g)),
		IsPublic:  bool(C.pinata_group_is_public(g)),
		CreatedAt: parseTime(goString(C.pinata_group_created_at(g))),
		RawJSON:   goString(C.pinata_group_raw_json(g)),
	}
}

func takeGroup(g *C.pinata_group) Group {
	defer C.pinata_group_free(g)
	return copyGroup(g)
}

// CreateGroup creates a v3 group on a network (POST /v3/groups/{network}).
func (c *Client) CreateGroup(ctx context.Context, network Network, name string, isPublic bool) (Group, error) {
	var out Group
	err := c.callText(ctx, "name", name,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			var g *C.pinata_group
			st := C.pinata_groups_create(cl, C.int32_t(network), text, C.bool(isPublic), &g, cerr)
			if st == C.PINATA_OK {
				out = takeGroup(g)
			}
			return st
		})
	return out, err
}

// GetGroup fetches a v3 group; an unknown id (or one of the other network) gives
// ErrNotFound.
func (c *Client) GetGroup(ctx context.Context, network Network, id string) (Group, error) {
	var out Group
	err := c.callText(ctx, "group id", id,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			var g *C.pinata_group
			st := C.pinata_groups_get(cl, C.int32_t(network), text, &g, cerr)
			if st == C.PINATA_OK {
				out = takeGroup(g)
			}
			return st
		})
	return out, err
}

// GroupUpdate is a change to a v3 group: nil fields stay as they are; at least one
// must be set.
type GroupUpdate struct {
	Name     *string
	IsPublic *bool
}

// UpdateGroup changes a v3 group and returns it as updated.
func (c *Client) UpdateGroup(ctx context.Context, network Network, id string, u GroupUpdate) (Group, error) {
	var a cstrings
	defer a.free()
	cid := a.str("group id", id)
	var name *C.char
	if u.Name != nil {
		name = a.str("name", *u.Name)
	}
	if a.err != nil {
		return Group{}, a.err
	}
	pub := C.int32_t(-1)
	if u.IsPublic != nil {
		pub = 0
		if *u.IsPublic {
			pub = 1
		}
	}
	k, err := c.begin(ctx)
	if err != nil {
		return Group{}, err
	}
	defer k.end()
	var g *C.pinata_group
	var cerr *C.pinata_error
	if st := C.pinata_groups_update(k.cl, C.int32_t(network), cid, name, pub, &g, &cerr); st != C.PINATA_OK {
		return Group{}, k.fail(st, cerr)
	}
	return takeGroup(g), nil
}

// DeleteGroup deletes a v3 group; its files stay.
func (c *Client) DeleteGroup(ctx context.Context, network Network, id string) error {
	return c.callText(ctx, "group id", id,
		func(cl *C.pinata_client, text *C.char, cerr **C.pinata_error) C.pinata_status {
			return C.pinata_groups_delete(cl, C.int32_t(network), text, cerr)
		})
}

// AddFileToGroup puts a file (by its v3 file id) in a group.
func (c *Client) AddFileToGroup(ctx context.Context, network Network, groupID, fileID string) error {
	return c.groupFile(ctx, network, groupID, fileID, true)
}

// RemoveFileFromGroup takes a file (by its v3 file id) out of a group; the file stays.
func (c *Client) RemoveFileFromGroup(ctx context.Context, network Network, groupID, fileID string) error {
	return c.groupFile(ctx, network, groupID, fileID, false)
}

func (c *Client) groupFile(ctx context.Context, network Network, groupID, fileID string, add bool) error {
	var a cstrings
	defer a.free()
	g, f := a.str("group id", groupID), a.str("file id", fileID)
	if a.err != nil {
		return a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer k.end()
	var cerr *C.pinata_error
	var st C.pinata_status
	if add {
		st = C.pinata_groups_add_file(k.cl, C.int32_t(network), g, f, &cerr)
	} else {
		st = C.pinata_groups_remove_file(k.cl, C.int32_t(network), g, f, &cerr)
	}
	if st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	return nil
}

// GroupQuery filters the v3 group list. The zero value lists all.
type GroupQuery struct {
	Name     string // groups whose name matches
	IsPublic *bool  // only public (true) or only non-public (false) groups
	PageSize uint32 // groups per request, 1-1000; 0 for the service's default
}

// Groups returns an iterator over every v3 group of a network matching q (nil: all),
// following the service's page tokens, for range-over-func. An error is yielded
// once, as the last element; cancelling ctx stops the walk.
func (c *Client) Groups(ctx context.Context, network Network, q *GroupQuery) iter.Seq2[Group, error] {
	return func(yield func(Group, error) bool) {
		var a cstrings
		defer a.free()
		var cq *C.pinata_group_query
		var cerr *C.pinata_error
		if q != nil {
			name := a.opt("name filter", q.Name)
			if a.err != nil {
				yield(Group{}, a.err)
				return
			}
			if st := C.pinata_group_query_new(&cq, &cerr); st != C.PINATA_OK {
				yield(Group{}, takeError(st, cerr))
				return
			}
			defer C.pinata_group_query_free(cq)
			pub := C.int32_t(-1)
			if q.IsPublic != nil {
				pub = 0
				if *q.IsPublic {
					pub = 1
				}
			}
			if st := C.pinata_group_query_set_filters(cq, name, pub, &cerr); st != C.PINATA_OK {
				yield(Group{}, takeError(st, cerr))
				return
			}
			if q.PageSize != 0 {
				if st := C.pinata_group_query_set_limit(cq, C.uint32_t(q.PageSize), &cerr); st != C.PINATA_OK {
					yield(Group{}, takeError(st, cerr))
					return
				}
			}
		}
		k, err := c.begin(ctx)
		if err != nil {
			yield(Group{}, err)
			return
		}
		defer k.end()
		var it *C.pinata_group_iter
		if st := C.pinata_groups_list(k.cl, C.int32_t(network), cq, &it, &cerr); st != C.PINATA_OK {
			yield(Group{}, k.fail(st, cerr))
			return
		}
		defer C.pinata_group_iter_free(it)
		for {
			var g *C.pinata_group
			if st := C.pinata_group_iter_next(it, &g, &cerr); st != C.PINATA_OK {
				yield(Group{}, k.fail(st, cerr))
				return
			}
			if g == nil {
				runtime.KeepAlive(c)
				return
			}
			if !yield(copyGroup(g), nil) {
				return
			}
		}
	}
}
