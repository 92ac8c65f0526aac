package main

// The v3 pin-by-CID queue: files pin CID [--wait], files queue, files cancel ID,
// files wait ID.

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// pinRequestJSON is what --json prints for a queue request.
func pinRequestJSON(r pinata.PinRequest) map[string]any {
	m := map[string]any{"id": r.ID, "cid": r.CID, "status": r.Status, "name": r.Name}
	if !r.DateQueued.IsZero() {
		m["date_queued"] = r.DateQueued
	}
	return m
}

// queueWaitFlags are the flags of a wait: the budget and the first interval.
type queueWaitFlags struct {
	budget, interval *time.Duration
}

func newQueueWaitFlags(fs *flag.FlagSet) queueWaitFlags {
	return queueWaitFlags{
		budget:   fs.Duration("budget", 10*time.Minute, "give up waiting after this long"),
		interval: fs.Duration("interval", 500*time.Millisecond, "first pause between polls (doubles while nothing changes)"),
	}
}

// waitQueued waits for r, printing each status on stderr (unless quiet), and prints
// the settled request. A request that failed is an error (exit status 1) after it is
// printed, so that scripts can tell.
func waitQueued(ctx context.Context, a *app, c *pinata.Client, r pinata.PinRequest, f queueWaitFlags, asJSON bool) error {
	done, err := c.FilesPinWait(ctx, r, &pinata.WaitOptions{Budget: *f.budget, Interval: *f.interval,
		OnStatus: func(s string) bool {
			if !asJSON {
				fmt.Fprintf(a.stderr, "%s: %s\n", r.ID, s)
			}
			return true
		}})
	if err != nil {
		return err
	}
	if err := showPinRequest(a, *done, asJSON); err != nil {
		return err
	}
	if !done.Pinned() {
		return fmt.Errorf("pin request %s failed: %s", done.ID, done.Status)
	}
	return nil
}

func showPinRequest(a *app, r pinata.PinRequest, asJSON bool) error {
	if asJSON {
		return a.printJSON(pinRequestJSON(r))
	}
	fmt.Fprintf(a.stdout, "%s\t%s\t%s\t%s\n", r.ID, r.Status, r.CID, r.Name)
	return nil
}

// cmdFilesPin queues a CID (POST /v3/files/public/pin_by_cid), and with --wait waits
// until it is pinned or has failed.
func cmdFilesPin(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files pin", "CID")
	name := fs.String("name", "", "the file's name (default: the CID)")
	var hosts, kvs multiFlag
	fs.Var(&hosts, "host-node", "`multiaddr` of a node holding the content (repeatable, at most 5)")
	fs.Var(&kvs, "kv", "`key=value` (repeatable, at most 10)")
	group := fs.String("group", "", "put the file in this v3 group")
	wait := fs.Bool("wait", false, "wait until pinned or failed (exit 1 when it failed)")
	wf := newQueueWaitFlags(fs)
	asJSON := fs.Bool("json", false, "print the request as JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	kv := map[string]string{}
	for _, s := range kvs {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return usagef("--kv wants key=value, got %q", s)
		}
		kv[k] = v
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	r, err := c.FilesPinByCID(ctx, pos[0], &pinata.FilesPinOptions{Name: *name, KeyValues: kv, GroupID: *group, HostNodes: hosts})
	if err != nil {
		return err
	}
	if !*wait {
		return showPinRequest(a, *r, *asJSON)
	}
	if !*asJSON {
		fmt.Fprintf(a.stderr, "queued %s as %s\n", r.CID, r.ID)
	}
	return waitQueued(ctx, a, c, *r, wf, *asJSON)
}

// cmdFilesWait waits for a queued request by id.
func cmdFilesWait(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files wait", "ID")
	cid := fs.String("cid", "", "the request's CID (recognises it once pinned and out of the queue)")
	wf := newQueueWaitFlags(fs)
	asJSON := fs.Bool("json", false, "print the request as JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	return waitQueued(ctx, a, c, pinata.PinRequest{ID: pos[0], CID: *cid}, wf, *asJSON)
}

// cmdFilesQueue lists the queue (GET /v3/files/public/pin_by_cid).
func cmdFilesQueue(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files queue", "")
	status := fs.String("status", "", "only requests with this status (prechecking, searching, retrieving, expired, ...)")
	cid := fs.String("cid", "", "only requests for this CID")
	order := fs.String("order", "", "asc or desc (by queue time)")
	limit := fs.Uint("page-size", 0, "requests per call, 1-1000 (default: the service's)")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q := &pinata.PinQueueQuery{Status: *status, CID: *cid, Limit: uint32(*limit), Order: pinata.DefaultOrder}
	switch strings.ToLower(*order) {
	case "":
	case "asc":
		q.Order = pinata.Ascending
	case "desc":
		q.Order = pinata.Descending
	default:
		return usagef("--order must be asc or desc")
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	if !*asJSON {
		fmt.Fprintln(tw, "ID\tSTATUS\tCID\tNAME")
	}
	for r, err := range c.FilesPinQueue(ctx, q) {
		if err != nil {
			tw.Flush()
			return err
		}
		if *asJSON {
			fmt.Fprintln(a.stdout, r.RawJSON)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Status, r.CID, r.Name)
	}
	return tw.Flush()
}

// cmdFilesCancel cancels a queued request.
func cmdFilesCancel(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files cancel", "ID")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	return c.FilesPinCancel(ctx, pos[0])
}
