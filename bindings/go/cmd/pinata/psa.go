package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

const psaUsage = "add|ls|get|replace|rm|wait [flags] [args]"

// cmdPSA runs `pinata psa SUBCOMMAND`: the IPFS Pinning Service API of Pinata (the
// credentials' JWT at --api-url + /psa) or of any provider (--endpoint and --token,
// or $PINATA_PSA_ENDPOINT and $PINATA_PSA_TOKEN).
func cmdPSA(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("psa needs a subcommand: %s", psaUsage)
	}
	sub, rest := args[0], args[1:]
	fs := a.flags("psa "+sub, "")
	endpoint := fs.String("endpoint", a.getenv("PINATA_PSA_ENDPOINT"), "PSA endpoint of any provider, e.g. https://api.pinata.cloud/psa (default $PINATA_PSA_ENDPOINT, else --api-url + /psa)")
	token := fs.String("token", a.getenv("PINATA_PSA_TOKEN"), "access token for --endpoint (default $PINATA_PSA_TOKEN, else the JWT)")
	asJSON := fs.Bool("json", false, "print JSON")
	var pin pinata.PSAPin
	var origins, metas, cids, statuses multiFlag
	var name, match, before, after *string
	var limit, max *uint
	var wait *bool
	var budget, interval *time.Duration
	minPos, maxPos := 0, 0
	pinFlags := func() {
		fs.StringVar(&pin.Name, "name", "", "the pin's name")
		fs.Var(&origins, "origin", "multiaddr of a peer that has the content (repeatable)")
		fs.Var(&metas, "meta", "key=value metadata (repeatable)")
		fs.BoolVar(&pin.DropPrivateOrigins, "drop-private-origins", false, "leave out LAN/loopback origins (Pinata refuses them)")
	}
	waitFlags := func() {
		budget = fs.Duration("budget", 10*time.Minute, "give up waiting after this long")
		interval = fs.Duration("interval", 500*time.Millisecond, "first pause between polls (doubles while nothing changes)")
	}
	switch sub {
	case "add":
		pinFlags()
		wait = fs.Bool("wait", false, "wait until pinned or failed")
		waitFlags()
		minPos, maxPos = 1, 1
	case "replace":
		pinFlags()
		minPos, maxPos = 2, 2
	case "get", "rm":
		minPos, maxPos = 1, 1
	case "wait":
		waitFlags()
		minPos, maxPos = 1, 1
	case "ls":
		fs.Var(&cids, "cid", "only this CID (repeatable, at most 10)")
		name = fs.String("name", "", "only pins with this name")
		match = fs.String("match", "exact", "how --name matches: exact, iexact, partial, ipartial")
		fs.Var(&statuses, "status", "only this status: queued, pinning, pinned, failed (repeatable; default pinned)")
		before = fs.String("before", "", "only requests created before this RFC 3339 time")
		after = fs.String("after", "", "only requests created after this RFC 3339 time")
		limit = fs.Uint("limit", 0, "page size (1-1000; 0: the service's default)")
		max = fs.Uint("max", 0, "stop after this many results (0: all)")
		fs.Var(&metas, "meta", "only pins with this key=value meta (repeatable)")
	default:
		return usagef("unknown psa subcommand %q (want %s)", sub, psaUsage)
	}
	pos, err := parse(fs, rest, minPos, maxPos)
	if err != nil {
		return err
	}
	meta := map[string]string{}
	for _, kv := range metas {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("--meta wants key=value, got %q", kv)
		}
		meta[k] = v
	}
	pin.Origins, pin.Meta = origins, meta

	var p *pinata.PSAClient
	cctx, cancel := a.withTimeout(ctx)
	defer cancel()
	if *endpoint != "" {
		if *token == "" {
			*token = a.jwt
			if *token == "" {
				*token = a.getenv("PINATA_JWT")
			}
		}
		if *token == "" {
			return usagef("--endpoint needs --token (or $PINATA_PSA_TOKEN)")
		}
		p, err = pinata.NewPSAClient(*endpoint, *token)
	} else {
		var c *pinata.Client
		if c, err = a.client(); err == nil {
			p, err = c.PSA()
			c.Close()
		}
	}
	if err != nil {
		return err
	}
	defer p.Close()

	show := func(r pinata.PSARequest) error {
		if *asJSON {
			return a.printJSON(psaJSON(r))
		}
		fmt.Fprintf(a.stdout, "%s\t%s\t%s\t%s\n", r.RequestID, r.Status, r.CID, r.Name)
		return nil
	}
	waitFor := func(id string) (pinata.PSARequest, error) {
		return p.Wait(cctx, id, &pinata.WaitOptions{Budget: *budget, Interval: *interval,
			OnStatus: func(s string) bool {
				if !*asJSON {
					fmt.Fprintf(a.stderr, "%s: %s\n", id, s)
				}
				return true
			}})
	}
	switch sub {
	case "add":
		pin.CID = pos[0]
		r, err := p.Add(cctx, pin)
		if err != nil {
			return err
		}
		if *wait {
			if r, err = waitFor(r.RequestID); err != nil {
				return err
			}
		}
		return show(r)
	case "replace":
		pin.CID = pos[1]
		r, err := p.Replace(cctx, pos[0], pin)
		if err != nil {
			return err
		}
		return show(r)
	case "get":
		r, err := p.Get(cctx, pos[0])
		if err != nil {
			return err
		}
		return show(r)
	case "wait":
		r, err := waitFor(pos[0])
		if err != nil {
			return err
		}
		return show(r)
	case "rm":
		return p.Delete(cctx, pos[0])
	}
	// ls
	q := &pinata.PSAQuery{CIDs: cids, Name: *name, Before: *before, After: *after, Meta: meta}
	switch *match {
	case "exact":
		q.Match = pinata.PSAMatchExact
	case "iexact":
		q.Match = pinata.PSAMatchIExact
	case "partial":
		q.Match = pinata.PSAMatchPartial
	case "ipartial":
		q.Match = pinata.PSAMatchIPartial
	default:
		return usagef("--match must be exact, iexact, partial or ipartial")
	}
	for _, s := range statuses {
		switch s {
		case "queued":
			q.Statuses = append(q.Statuses, pinata.PSAQueued)
		case "pinning":
			q.Statuses = append(q.Statuses, pinata.PSAPinning)
		case "pinned":
			q.Statuses = append(q.Statuses, pinata.PSAPinned)
		case "failed":
			q.Statuses = append(q.Statuses, pinata.PSAFailed)
		default:
			return usagef("--status must be queued, pinning, pinned or failed")
		}
	}
	if *limit > 1000 {
		return usagef("--limit must be at most 1000")
	}
	q.PageLimit = uint32(*limit)
	var out []map[string]any
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	if !*asJSON {
		fmt.Fprintln(tw, "REQUESTID\tSTATUS\tCID\tNAME\tCREATED")
	}
	n := uint(0)
	for r, err := range p.List(cctx, q) {
		if err != nil {
			return err
		}
		if *asJSON {
			out = append(out, psaJSON(r))
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.RequestID, r.Status, r.CID, r.Name, r.Created)
		}
		n++
		if *max > 0 && n >= *max {
			break
		}
	}
	if *asJSON {
		if out == nil {
			out = []map[string]any{}
		}
		return a.printJSON(out)
	}
	return tw.Flush()
}

func psaJSON(r pinata.PSARequest) map[string]any {
	return map[string]any{
		"requestid": r.RequestID, "status": r.Status.String(), "created": r.Created,
		"cid": r.CID, "name": r.Name, "origins": r.Origins, "delegates": r.Delegates,
		"meta": r.Meta, "info": r.Info,
	}
}
