// Command psa-boxo drives the emulator's Pinning Service API with boxo's PSA client
// (github.com/ipfs/boxo/pinning/remote/client, the code behind kubo's `ipfs pin
// remote`): add a pin, wait for it as kubo does (polling by request id until pinned),
// list by cid, name and status, replace and delete. Any mismatch exits non-zero.
//
//	go run . URL/psa TOKEN
package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	pinclient "github.com/ipfs/boxo/pinning/remote/client"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multiaddr"
	"github.com/multiformats/go-multihash"
)

// rawCid makes a CIDv1 (raw leaves) of some text, as the compliance suite does.
func rawCid(text string) cid.Cid {
	sum := sha256.Sum256([]byte(text))
	mh, err := multihash.Encode(sum[:], multihash.SHA2_256)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(cid.Raw, mh)
}

var failures int

func check(ok bool, format string, args ...any) {
	if !ok {
		failures++
		fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	}
}

// waitPinned polls like kubo's `ipfs pin remote add` (every 500 ms until pinned/failed).
func waitPinned(ctx context.Context, c *pinclient.Client, id string) pinclient.PinStatusGetter {
	for i := 0; i < 200; i++ {
		ps, err := c.GetStatusByID(ctx, id)
		if err != nil {
			check(false, "get %s: %v", id, err)
			return nil
		}
		check(ps.GetRequestId() == id, "get returned request %s, want %s", ps.GetRequestId(), id)
		if ps.GetStatus() == pinclient.StatusPinned || ps.GetStatus() == pinclient.StatusFailed {
			return ps
		}
		time.Sleep(500 * time.Millisecond)
	}
	check(false, "request %s never settled", id)
	return nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: psa-boxo URL/psa TOKEN")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := pinclient.NewClient(os.Args[1], os.Args[2])
	stamp := time.Now().UnixNano()
	name := fmt.Sprintf("boxo-%d", stamp)
	first := rawCid(fmt.Sprintf("first %d", stamp))
	origin, err := multiaddr.NewMultiaddr("/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF")
	if err != nil {
		panic(err)
	}

	// Add.
	ps, err := c.Add(ctx, first, pinclient.PinOpts.WithName(name),
		pinclient.PinOpts.WithOrigins(origin), pinclient.PinOpts.AddMeta(map[string]string{"by": "boxo"}))
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: add: %v\n", err)
		os.Exit(1)
	}
	check(ps.GetPin().GetCid().Equals(first), "add echoed cid %s", ps.GetPin().GetCid())
	check(ps.GetPin().GetName() == name, "add echoed name %q", ps.GetPin().GetName())
	check(ps.GetStatus() == pinclient.StatusQueued || ps.GetStatus() == pinclient.StatusPinning ||
		ps.GetStatus() == pinclient.StatusPinned, "add status %s", ps.GetStatus())
	check(len(ps.GetDelegates()) > 0, "no delegate parsed as a multiaddr")
	check(!ps.GetCreated().IsZero(), "no created time")
	id := ps.GetRequestId()

	// Wait.
	done := waitPinned(ctx, c, id)
	if done != nil {
		check(done.GetStatus() == pinclient.StatusPinned, "status %s after waiting", done.GetStatus())
		check(done.GetPin().GetMeta()["by"] == "boxo", "meta %v", done.GetPin().GetMeta())
		check(len(done.GetPin().GetOrigins()) == 1, "origins %v", done.GetPin().GetOrigins())
	}

	// List by cid, by name, by status (and the default, pinned only).
	one := func(what string, opts ...pinclient.LsOption) {
		got, err := c.LsSync(ctx, opts...)
		if err != nil {
			check(false, "ls by %s: %v", what, err)
			return
		}
		n := 0
		for _, p := range got {
			if p.GetRequestId() == id {
				n++
			}
		}
		check(n == 1, "ls by %s: request %s found %d times in %d results", what, id, n, len(got))
	}
	one("cid", pinclient.PinOpts.FilterCIDs(first))
	one("name", pinclient.PinOpts.FilterName(name))
	one("status", pinclient.PinOpts.FilterStatus(pinclient.StatusPinned))
	// Not LsMeta: boxo's generated client sends meta=map[by:boxo] (Go's %v of a map),
	// not the URL-encoded JSON object the spec asks for, and a spec service refuses it.
	none, err := c.LsSync(ctx, pinclient.PinOpts.FilterCIDs(first), pinclient.PinOpts.FilterStatus(pinclient.StatusFailed))
	check(err == nil && len(none) == 0, "ls failed-only found %d (%v)", len(none), err)

	// Paging: 12 more pins, listed in pages of 5 through LsSync (pages by `before`).
	prefix := fmt.Sprintf("page-%d-", stamp)
	for i := 0; i < 12; i++ {
		if _, err := c.Add(ctx, rawCid(fmt.Sprintf("page %d %d", stamp, i)), pinclient.PinOpts.WithName(fmt.Sprintf("%s%d", prefix, i))); err != nil {
			check(false, "add page pin %d: %v", i, err)
		}
	}
	all, err := c.LsSync(ctx, pinclient.PinOpts.FilterStatus(pinclient.StatusQueued, pinclient.StatusPinning,
		pinclient.StatusPinned, pinclient.StatusFailed), pinclient.PinOpts.Limit(5))
	check(err == nil, "ls all: %v", err)
	seen := map[string]bool{}
	paged := 0
	for _, p := range all {
		if seen[p.GetRequestId()] {
			check(false, "request %s listed twice", p.GetRequestId())
			break
		}
		seen[p.GetRequestId()] = true
		if strings.HasPrefix(p.GetPin().GetName(), prefix) {
			paged++
		}
	}
	check(paged == 12, "paging found %d of the 12 new pins", paged)

	// Replace: a new request id, the old one is gone.
	second := rawCid(fmt.Sprintf("second %d", stamp))
	rep, err := c.Replace(ctx, id, second, pinclient.PinOpts.WithName(name+"-2"))
	if err != nil {
		check(false, "replace: %v", err)
	} else {
		check(rep.GetRequestId() != id, "replace kept the request id")
		check(rep.GetPin().GetCid().Equals(second), "replace echoed cid %s", rep.GetPin().GetCid())
		_, err = c.GetStatusByID(ctx, id)
		check(err != nil && strings.Contains(err.Error(), "404"), "old request after replace: %v", err)
		if done := waitPinned(ctx, c, rep.GetRequestId()); done != nil {
			check(done.GetStatus() == pinclient.StatusPinned, "replacement status %s", done.GetStatus())
		}
		// Delete.
		check(c.DeleteByID(ctx, rep.GetRequestId()) == nil, "delete failed")
		_, err = c.GetStatusByID(ctx, rep.GetRequestId())
		check(err != nil, "deleted request still found")
		err = c.DeleteByID(ctx, rep.GetRequestId())
		check(err != nil, "second delete succeeded")
	}

	// A bad token is refused with the Failure body decoded.
	bad := pinclient.NewClient(os.Args[1], "not-a-token")
	_, err = bad.GetStatusByID(ctx, "x")
	check(err != nil && strings.Contains(err.Error(), "401"), "bad token: %v", err)
	var e interface{ Error() string }
	check(errors.As(err, &e), "bad token error type")

	if failures > 0 {
		fmt.Fprintf(os.Stderr, "psa-boxo: %d failures\n", failures)
		os.Exit(1)
	}
	fmt.Println("psa-boxo: add, wait, ls by cid/name/status, paging, replace, delete: ok")
}
