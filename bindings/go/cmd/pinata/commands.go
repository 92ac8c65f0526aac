package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// optionalInt is an int flag that knows whether it was given.
type optionalInt struct {
	v   int
	set bool
}

func (o *optionalInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.v)
}

func (o *optionalInt) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not an integer")
	}
	o.v, o.set = v, true
	return nil
}

// scalar reads a keyvalue value: a number when it parses as one, else a string.
func scalar(s string) any {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i
		}
		return f
	}
	return s
}

// keyValues parses repeated key=value flags.
func keyValues(kvs []string) (map[string]any, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("--kv wants key=value, got %q", kv)
		}
		m[k] = scalar(v)
	}
	return m, nil
}

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdAuth(ctx context.Context, a *app, args []string) error {
	fs := a.flags("auth", "")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	msg, err := c.TestAuth(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, msg)
	return nil
}

// progressBar draws upload progress on stderr, at most ten times a second (and
// once more when the last byte has gone out).
type progressBar struct {
	a        *app
	last     time.Time
	lastSent uint64
	drawn    bool
}

func (p *progressBar) update(sent, total uint64) bool {
	now := time.Now()
	if p.drawn && (sent == p.lastSent || sent < total && now.Sub(p.last) < 100*time.Millisecond) {
		return true
	}
	p.last, p.lastSent = now, sent
	const width = 30
	frac := 0.0
	if total > 0 {
		frac = float64(sent) / float64(total)
	}
	n := int(frac * width)
	bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
	fmt.Fprintf(p.a.stderr, "\r[%s] %3.0f%% %s / %s", bar, frac*100, human(sent), human(total))
	p.drawn = true
	return true
}

func (p *progressBar) finish() {
	if p.drawn {
		fmt.Fprintln(p.a.stderr)
	}
}

func human(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func cmdUpload(ctx context.Context, a *app, args []string) error {
	fs := a.flags("upload", "PATH")
	name := fs.String("name", "", "the pin's name (default: the file or directory name)")
	var kvs multiFlag
	fs.Var(&kvs, "kv", "metadata `key=value` (repeatable; numbers are sent as numbers)")
	var cidVersion optionalInt
	fs.Var(&cidVersion, "cid-version", "CID `version` 0 or 1 (default: the service's, v0)")
	wrap := fs.Bool("wrap", false, "wrap the upload in a directory")
	noVerify := fs.Bool("no-verify", false, "do not check the service's CID against the local one")
	group := fs.String("group", "", "put the pin in this group")
	showProgress := fs.Bool("progress", false, "draw the progress bar even when stderr is not a terminal")
	quiet := fs.Bool("quiet", false, "no progress bar")
	asJSON := fs.Bool("json", false, "print the whole result as JSON")
	// Batch upload: every file of the folder PATH as its own pin, or v3 file with
	// --network (upload_each.go).
	each := fs.Bool("each", false, "PATH is a folder: upload each regular file directly inside it separately")
	inFlight := fs.Int("in-flight", 8, "with --each: uploads at once (1-64)")
	stopOnError := fs.Bool("stop-on-error", false, "with --each: start no new file after a failure")
	network := fs.String("network", "", "v3 upload to `public` or private (files_cmd.go)")
	signedURL := fs.String("signed-url", "", "v3 upload through this signed `URL`, with no credentials")
	// Resumable (TUS) v3 uploads of large files (tus_cmd.go).
	journalDir := fs.String("journal-dir", "", "with --network: the `directory` of TUS upload journals (default: $PINATA_TUS_JOURNAL_DIR, else the library's)")
	resumableThreshold := fs.String("resumable-threshold", "", "with --network: files above this many `bytes` go through TUS and resume when run again (default: $PINATA_TUS_THRESHOLD, else 90 MiB)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *each && *signedURL != "" {
		return usagef("--each does not combine with --signed-url (a signed URL takes one file)")
	}
	batch := &pinata.BatchOptions{InFlight: *inFlight, StopOnError: *stopOnError}
	if *network != "" || *signedURL != "" {
		f := v3UploadFlags{network: *network, signedURL: *signedURL, name: *name,
			kvs: kvs, cidVersion: cidVersion, group: *group, noVerify: *noVerify,
			progress: !*quiet && (a.stderrIsTTY || *showProgress), asJSON: *asJSON,
			journalDir: *journalDir, resumableThreshold: *resumableThreshold}
		if *each {
			return uploadEachV3(ctx, a, pos[0], f, batch)
		}
		return uploadV3(ctx, a, pos[0], f)
	}
	if *journalDir != "" || *resumableThreshold != "" {
		return usagef("--journal-dir and --resumable-threshold apply to v3 uploads (--network)")
	}
	kv, err := keyValues(kvs)
	if err != nil {
		return err
	}
	if cidVersion.set && cidVersion.v != 0 && cidVersion.v != 1 {
		return usagef("--cid-version must be 0 or 1")
	}
	opts := &pinata.PinOptions{Name: *name, KeyValues: kv, WrapWithDirectory: *wrap, GroupID: *group}
	if cidVersion.set {
		opts.CIDVersion = pinata.Int(cidVersion.v)
	}
	if *noVerify {
		opts.VerifyCID = pinata.Bool(false)
	}
	bar := &progressBar{a: a}
	if *each {
		return uploadEach(ctx, a, pos[0], batch, !*quiet && (a.stderrIsTTY || *showProgress), *asJSON, "pinned",
			func(ctx context.Context, c *pinata.Client, dir string, bopts *pinata.BatchOptions) ([]pinata.BatchItem, error) {
				return c.PinEach(ctx, dir, opts, bopts)
			})
	}
	if !*quiet && (a.stderrIsTTY || *showProgress) {
		opts.Progress = bar.update
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	r, err := c.PinFile(ctx, pos[0], opts)
	bar.finish()
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(map[string]any{
			"cid": r.CID, "size": r.Size, "timestamp": r.Timestamp, "duplicate": r.IsDuplicate,
			"local_cid": r.LocalCID, "cid_check": r.CIDCheck.String(),
		})
	}
	fmt.Fprintln(a.stdout, r.CID)
	dup := ""
	if r.IsDuplicate {
		dup = ", already pinned"
	}
	fmt.Fprintf(a.stderr, "pinned %s (%s%s; CID check: %s)\n", pos[0], human(r.Size), dup, r.CIDCheck)
	return nil
}

func cmdPinCID(ctx context.Context, a *app, args []string) error {
	fs := a.flags("pin-cid", "CID")
	name := fs.String("name", "", "the pin's name")
	var hosts, kvs multiFlag
	fs.Var(&hosts, "host-node", "`multiaddr` of a node holding the content (repeatable, at most 5)")
	fs.Var(&kvs, "kv", "metadata `key=value` (repeatable)")
	group := fs.String("group", "", "put the pin in this group")
	asJSON := fs.Bool("json", false, "print the job as JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	kv, err := keyValues(kvs)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	job, err := c.PinByCID(ctx, pos[0], &pinata.PinOptions{Name: *name, HostNodes: hosts, KeyValues: kv, GroupID: *group})
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(jobJSON(*job))
	}
	fmt.Fprintf(a.stdout, "%s\t%s\t%s\n", job.ID, job.Status, job.CID)
	return nil
}

func jobJSON(j pinata.PinJob) map[string]any {
	m := map[string]any{"id": j.ID, "cid": j.CID, "status": j.Status, "name": j.Name}
	if !j.DateQueued.IsZero() {
		m["date_queued"] = j.DateQueued
	}
	return m
}

func cmdJobs(ctx context.Context, a *app, args []string) error {
	fs := a.flags("jobs", "")
	status := fs.String("status", "", "only jobs with this status (prechecking, searching, retrieving, expired, ...)")
	cid := fs.String("cid", "", "only jobs for this CID")
	limit := fs.Uint("limit", 0, "at most this many jobs (1-1000; 0: the service's default)")
	offset := fs.Uint64("offset", 0, "skip this many jobs")
	sortOrder := fs.String("sort", "", "newest or oldest first (default: the service's order)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q := &pinata.PinJobQuery{Status: *status, CID: *cid, Offset: *offset}
	if *limit > 1000 {
		return usagef("--limit must be at most 1000")
	}
	q.Limit = uint32(*limit)
	switch *sortOrder {
	case "":
	case "newest":
		q.Sort = pinata.SortNewestFirst
	case "oldest":
		q.Sort = pinata.SortOldestFirst
	default:
		return usagef("--sort must be newest or oldest")
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	page, err := c.PinJobs(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		jobs := make([]map[string]any, 0, len(page.Jobs))
		for _, j := range page.Jobs {
			jobs = append(jobs, jobJSON(j))
		}
		return a.printJSON(map[string]any{"total": page.Total, "jobs": jobs})
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCID\tSTATUS\tNAME\tQUEUED")
	for _, j := range page.Jobs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", j.ID, j.CID, j.Status, j.Name, date(j.DateQueued))
	}
	return tw.Flush()
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// keyValueFilter parses key=op:value (op one of Pinata's operator names; without a
// known op, eq). The between operators take two values separated by a comma.
func keyValueFilter(s string) (pinata.KeyValueFilter, error) {
	key, rest, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return pinata.KeyValueFilter{}, usagef("--kv wants key=op:value, got %q", s)
	}
	f := pinata.KeyValueFilter{Key: key, Op: pinata.OpEQ, Value: rest}
	if opName, value, ok := strings.Cut(rest, ":"); ok {
		if op, err := pinata.ParseKeyValueOp(opName); err == nil {
			f.Op, f.Value = op, value
		}
	}
	v := f.Value.(string)
	if f.Op == pinata.OpBetween || f.Op == pinata.OpNotBetween {
		lo, hi, ok := strings.Cut(v, ",")
		if !ok {
			return f, usagef("--kv %s: %s wants two values, low,high", key, f.Op)
		}
		f.Value, f.SecondValue = scalar(lo), scalar(hi)
		_, loNum := f.Value.(string)
		_, hiNum := f.SecondValue.(string)
		if loNum != hiNum { // one a number, one a string: compare both as strings
			f.Value, f.SecondValue = lo, hi
		}
		return f, nil
	}
	f.Value = scalar(v)
	return f, nil
}

func cmdList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("list", "")
	cid := fs.String("cid", "", "only this CID (or CIDs containing it)")
	name := fs.String("name", "", "only pins whose name contains this")
	group := fs.String("group", "", "only pins in this group")
	status := fs.String("status", "pinned", "pinned, unpinned or all")
	var kvs multiFlag
	fs.Var(&kvs, "kv", "keyvalue filter `key=op:value` (repeatable); op: gt gte lt lte ne eq between notBetween like notLike iLike notILike regexp iRegexp; between takes low,high")
	after := fs.String("pinned-after", "", "only pins pinned at or after this RFC 3339 time")
	before := fs.String("pinned-before", "", "only pins pinned at or before this RFC 3339 time")
	limit := fs.Int("limit", 0, "print at most N rows in total (0: all)")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	q := &pinata.PinListQuery{CID: *cid, NameContains: *name, GroupID: *group}
	switch *status {
	case "pinned":
		q.Status = pinata.PinStatusPinned
	case "unpinned":
		q.Status = pinata.PinStatusUnpinned
	case "all":
		q.Status = pinata.PinStatusAll
	default:
		return usagef("--status must be pinned, unpinned or all")
	}
	for _, kv := range kvs {
		f, err := keyValueFilter(kv)
		if err != nil {
			return err
		}
		q.KeyValues = append(q.KeyValues, f)
	}
	for _, d := range []struct {
		flag, value string
		dst         *time.Time
	}{{"--pinned-after", *after, &q.PinStart}, {"--pinned-before", *before, &q.PinEnd}} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, d.value)
		if err != nil {
			return usagef("%s wants an RFC 3339 time such as 2024-01-31T00:00:00Z", d.flag)
		}
		*d.dst = t
	}
	if *limit < 0 {
		return usagef("--limit must not be negative")
	}
	if *limit > 0 && *limit < 1000 {
		q.PageSize = uint32(*limit) // fetch no more than needed
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()

	var tw *tabwriter.Writer
	if *asJSON {
		fmt.Fprint(a.stdout, "[")
	} else {
		tw = tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CID\tSIZE\tPINNED\tNAME")
	}
	n := 0
	var failure error
	for row, err := range c.PinList(ctx, q) {
		if err != nil {
			failure = err
			break
		}
		if *asJSON {
			b, err := json.Marshal(map[string]any{
				"id": row.ID, "cid": row.CID, "size": row.Size, "name": row.Name,
				"date_pinned": row.DatePinned, "date_unpinned": optTime(row.DateUnpinned),
				"keyvalues": row.KeyValues,
			})
			if err != nil {
				return err
			}
			sep := ","
			if n == 0 {
				sep = ""
			}
			fmt.Fprintf(a.stdout, "%s\n  %s", sep, b)
		} else {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", row.CID, row.Size, date(row.DatePinned), row.Name)
		}
		n++
		if *limit > 0 && n >= *limit {
			break
		}
	}
	if *asJSON {
		if n > 0 {
			fmt.Fprint(a.stdout, "\n")
		}
		fmt.Fprintln(a.stdout, "]")
	} else if err := tw.Flush(); err != nil {
		return err
	}
	return failure
}

func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func cmdUnpin(ctx context.Context, a *app, args []string) error {
	fs := a.flags("unpin", "CID")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	if err := c.Unpin(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "unpinned", pos[0])
	return nil
}

func cmdKeys(ctx context.Context, a *app, args []string) error {
	usage := func() {
		fmt.Fprintln(a.stderr, "usage: pinata keys create NAME [--admin] [--endpoint NAME ...] [--resource SCOPE ...] [--max-uses N] [--json]")
		fmt.Fprintln(a.stderr, "       pinata keys list [--name TEXT] [--revoked | --active] [--json]")
		fmt.Fprintln(a.stderr, "       pinata keys revoke KEY")
	}
	if len(args) == 0 {
		usage()
		return usagef("keys needs a subcommand: create, list or revoke")
	}
	switch args[0] {
	case "create":
		return cmdKeysCreate(ctx, a, args[1:])
	case "list":
		return cmdKeysList(ctx, a, args[1:])
	case "revoke":
		return cmdKeysRevoke(ctx, a, args[1:])
	case "-h", "-help", "--help", "help":
		usage()
		return flag.ErrHelp
	}
	usage()
	return usagef("unknown keys subcommand %q (create, list or revoke)", args[0])
}

func cmdKeysCreate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("keys create", "NAME")
	admin := fs.Bool("admin", false, "an admin key (every endpoint, key management included)")
	var endpoints, resources multiFlag
	fs.Var(&endpoints, "endpoint", "allow a legacy endpoint (repeatable): pinList userPinnedDataTotal hashMetadata hashPinPolicy pinByHash pinFileToIPFS pinJSONToIPFS pinJobs unpin userPinPolicy")
	fs.Var(&resources, "resource", "allow a v3 resource scope such as org:files:read (repeatable)")
	maxUses := fs.Uint64("max-uses", 0, "the key stops working after N uses (0: unlimited)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	perms := pinata.Permissions{Admin: *admin}
	for _, e := range endpoints {
		ep, err := pinata.ParseEndpoint(e)
		if err != nil {
			return usagef("unknown endpoint %q", e)
		}
		perms.Endpoints = append(perms.Endpoints, ep)
	}
	for _, r := range resources {
		perms.Resources = append(perms.Resources, pinata.Resource(r))
	}
	if !perms.Admin && len(perms.Endpoints) == 0 && len(perms.Resources) == 0 {
		return usagef("give the key --admin, or at least one --endpoint or --resource")
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	key, err := c.CreateKey(ctx, pos[0], perms, *maxUses)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, "Pinata shows the secret and the JWT of a key only once: store them now.")
	if *asJSON {
		return a.printJSON(map[string]string{"api_key": key.Key, "api_secret": key.Secret, "jwt": key.JWT})
	}
	fmt.Fprintf(a.stdout, "api key:    %s\napi secret: %s\njwt:        %s\n", key.Key, key.Secret, key.JWT)
	return nil
}

func cmdKeysList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("keys list", "")
	name := fs.String("name", "", "only keys whose name contains this (case-insensitive)")
	revoked := fs.Bool("revoked", false, "only revoked keys")
	active := fs.Bool("active", false, "only keys not revoked")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *revoked && *active {
		return usagef("--revoked and --active exclude each other")
	}
	q := &pinata.KeyQuery{Name: *name}
	if *revoked {
		q.Revoked = pinata.Bool(true)
	}
	if *active {
		q.Revoked = pinata.Bool(false)
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	keys, err := c.ListAllKeys(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]map[string]any, 0, len(keys))
		for _, k := range keys {
			out = append(out, map[string]any{
				"id": k.ID, "name": k.Name, "key": k.Key, "created_at": optTime(k.CreatedAt),
				"max_uses": k.MaxUses, "uses": k.Uses, "revoked": k.Revoked, "admin": k.Admin,
			})
		}
		return a.printJSON(out)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tNAME\tADMIN\tUSES\tMAX USES\tREVOKED\tCREATED")
	for _, k := range keys {
		maxUses := "-"
		if k.MaxUses > 0 {
			maxUses = strconv.FormatUint(k.MaxUses, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%t\t%d\t%s\t%t\t%s\n", k.Key, k.Name, k.Admin, k.Uses, maxUses, k.Revoked, date(k.CreatedAt))
	}
	return tw.Flush()
}

func cmdKeysRevoke(ctx context.Context, a *app, args []string) error {
	fs := a.flags("keys revoke", "KEY")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	if err := c.RevokeKey(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "revoked", pos[0])
	return nil
}

func cmdCID(_ context.Context, a *app, args []string) error {
	fs := a.flags("cid", "PATH")
	version := fs.Int("cid-version", 0, "CID version 0 or 1")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *version != 0 && *version != 1 {
		return usagef("--cid-version must be 0 or 1")
	}
	cid, err := pinata.CIDOfPath(pos[0], *version)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, cid)
	return nil
}

func cmdUsage(ctx context.Context, a *app, args []string) error {
	fs := a.flags("usage", "")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	u, err := c.Usage(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(map[string]uint64{
			"pin_count": u.PinCount, "pin_size_total": u.PinSizeTotal,
			"pin_size_with_replications_total": u.PinSizeWithReplicas,
		})
	}
	fmt.Fprintf(a.stdout, "pins:                   %d\n", u.PinCount)
	fmt.Fprintf(a.stdout, "size:                   %s (%d bytes)\n", human(u.PinSizeTotal), u.PinSizeTotal)
	fmt.Fprintf(a.stdout, "size with replications: %s (%d bytes)\n", human(u.PinSizeWithReplicas), u.PinSizeWithReplicas)
	return nil
}

func cmdVersion(_ context.Context, a *app, args []string) error {
	fs := a.flags("version", "")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "pinata (Go binding) with libpinata %s\n", pinata.Version())
	return nil
}
