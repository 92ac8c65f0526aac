package main

// The v3 Files API commands: `files ls|get|update|rm`, `sign`, `download-link`, and
// `upload --network` / `upload --signed-url`.

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// v3UploadURL is --upload-url, else $PINATA_UPLOAD_URL, else the API URL when one was
// given (a local server or proxy serves both hosts), else "" (the library's default).
func (a *app) v3UploadURL(apiURL string) string {
	if u := a.flagOrEnv(a.uploadURL, "PINATA_UPLOAD_URL"); u != "" {
		return u
	}
	return apiURL
}

func parseNetwork(s string) (pinata.Network, error) {
	switch s {
	case "public":
		return pinata.NetworkPublic, nil
	case "private", "":
		return pinata.NetworkPrivate, nil
	}
	return 0, usagef("--network must be public or private, got %q", s)
}

type v3UploadFlags struct {
	network, signedURL, name, group string
	kvs                             multiFlag
	cidVersion                      optionalInt
	noVerify, progress, asJSON      bool
	// TUS (tus_cmd.go): flags, else PINATA_TUS_JOURNAL_DIR / PINATA_TUS_THRESHOLD.
	journalDir, resumableThreshold string
}

// options are the upload options the flags give (no progress, no path choice).
func (f *v3UploadFlags) options() (*pinata.UploadOptions, error) {
	network, err := parseNetwork(f.network)
	if err != nil {
		return nil, err
	}
	opts := &pinata.UploadOptions{Network: network, Name: f.name, GroupID: f.group}
	if len(f.kvs) > 0 {
		opts.KeyValues = map[string]string{}
		for _, kv := range f.kvs {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, usagef("--kv wants key=value, got %q", kv)
			}
			opts.KeyValues[k] = v
		}
	}
	if f.cidVersion.set {
		if f.cidVersion.v != 0 && f.cidVersion.v != 1 {
			return nil, usagef("--cid-version must be 0 or 1")
		}
		opts.CIDVersion = pinata.Int(f.cidVersion.v)
	}
	if f.noVerify {
		opts.VerifyCID = pinata.Bool(false)
	}
	return opts, nil
}

func uploadV3(ctx context.Context, a *app, path string, f v3UploadFlags) error {
	opts, err := f.options()
	if err != nil {
		return err
	}
	bar := &progressBar{a: a}
	if f.progress {
		opts.Progress = bar.update
	}
	var r *pinata.UploadResult
	if f.signedURL != "" {
		// The signed URL is the credential: a client without credentials carries only
		// the transport settings (--ca-bundle, --http-version).
		tlsOpts, terr := a.tlsOptions()
		if terr != nil {
			return terr
		}
		anon, cerr := pinata.NewClientAnonymous(tlsOpts...)
		if cerr != nil {
			return cerr
		}
		defer anon.Close()
		cctx, cancel := a.withTimeout(ctx)
		defer cancel()
		r, err = anon.UploadFileSigned(cctx, f.signedURL, path, opts)
	} else {
		c, cctx, done, cerr := a.connect(ctx)
		if cerr != nil {
			return cerr
		}
		defer done()
		// Large files resume after an interruption (tus_cmd.go).
		resumable, terr := a.resumableUpload(path, f.resumableThreshold)
		if terr != nil {
			return terr
		}
		if resumable {
			return uploadResumableCLI(cctx, a, c, path, opts, f)
		}
		// Chosen here: the library must not choose TUS on its own threshold.
		opts.Path = pinata.UploadPathMultipart
		r, err = c.UploadFile(cctx, path, opts)
	}
	bar.finish()
	if err != nil {
		return err
	}
	if f.asJSON {
		return a.printJSON(map[string]any{"id": r.File.ID, "cid": r.File.CID, "size": r.File.Size,
			"name": r.File.Name, "duplicate": r.File.IsDuplicate, "local_cid": r.LocalCID,
			"cid_check": r.CIDCheck.String()})
	}
	fmt.Fprintln(a.stdout, r.File.CID)
	fmt.Fprintf(a.stderr, "uploaded %s as file %s (%s; CID check: %s)\n", path, r.File.ID, human(r.File.Size), r.CIDCheck)
	return nil
}

func cmdFiles(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return usagef("files wants ls, get ID, update ID, rm ID, pin CID, queue, cancel ID or wait ID")
	}
	switch args[0] {
	case "ls", "list":
		return cmdFilesList(ctx, a, args[1:])
	case "get":
		return cmdFilesGet(ctx, a, args[1:])
	case "update":
		return cmdFilesUpdate(ctx, a, args[1:])
	case "rm", "delete":
		return cmdFilesRm(ctx, a, args[1:])
	// The v3 pin-by-CID queue (pin_queue_cmd.go).
	case "pin":
		return cmdFilesPin(ctx, a, args[1:])
	case "queue":
		return cmdFilesQueue(ctx, a, args[1:])
	case "cancel":
		return cmdFilesCancel(ctx, a, args[1:])
	case "wait":
		return cmdFilesWait(ctx, a, args[1:])
	}
	return usagef("unknown files command %q (ls, get, update, rm, pin, queue, cancel, wait)", args[0])
}

func cmdFilesList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files ls", "")
	network := fs.String("network", "public", "`public` or private")
	name := fs.String("name", "", "names containing this text")
	group := fs.String("group", "", "files of this group")
	noGroup := fs.Bool("no-group", false, "files in no group")
	mime := fs.String("mime-type", "", "files of this MIME type")
	cid := fs.String("cid", "", "files with this CID")
	pending := fs.Bool("cid-pending", false, "files whose CID is still being computed")
	var kvs multiFlag
	fs.Var(&kvs, "kv", "`key=value` the file must have (repeatable)")
	order := fs.String("order", "", "asc or desc (by creation)")
	limit := fs.Uint("page-size", 0, "files per request, 1-1000 (default: the service's)")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	net, err := parseNetwork(*network)
	if err != nil {
		return err
	}
	q := &pinata.FileQuery{Name: *name, GroupID: *group, NoGroup: *noGroup, MimeType: *mime, CID: *cid,
		CIDPending: *pending, Limit: uint32(*limit), Order: pinata.DefaultOrder}
	switch strings.ToLower(*order) {
	case "":
	case "asc":
		q.Order = pinata.Ascending
	case "desc":
		q.Order = pinata.Descending
	default:
		return usagef("--order must be asc or desc")
	}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("--kv wants key=value, got %q", kv)
		}
		if q.KeyValues == nil {
			q.KeyValues = map[string]string{}
		}
		q.KeyValues[k] = v
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	if !*asJSON {
		fmt.Fprintln(tw, "ID\tCID\tSIZE\tCREATED\tNAME")
	}
	for row, err := range c.Files(ctx, net, q) {
		if err != nil {
			tw.Flush()
			return err
		}
		if *asJSON {
			fmt.Fprintln(a.stdout, row.RawJSON)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", row.ID, row.CID, row.Size, row.CreatedAt.Format(time.RFC3339), row.Name)
	}
	return tw.Flush()
}

func cmdFilesGet(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files get", "ID")
	network := fs.String("network", "public", "`public` or private")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := parseNetwork(*network)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	row, err := c.GetFile(ctx, net, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, row.RawJSON)
	return nil
}

func cmdFilesUpdate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files update", "ID")
	network := fs.String("network", "public", "`public` or private")
	name := fs.String("name", "", "new name")
	var kvs multiFlag
	fs.Var(&kvs, "kv", "set `key=value` (repeatable; key= removes the key)")
	expires := fs.Duration("expires-in", 0, "delete the file automatically after this long")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := parseNetwork(*network)
	if err != nil {
		return err
	}
	u := pinata.FileUpdate{Name: *name}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("--kv wants key=value, got %q", kv)
		}
		if u.KeyValues == nil {
			u.KeyValues = map[string]any{}
		}
		if v == "" {
			u.KeyValues[k] = nil
		} else {
			u.KeyValues[k] = v
		}
	}
	if *expires > 0 {
		u.ExpiresAt = time.Now().Add(*expires)
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	row, err := c.UpdateFile(ctx, net, pos[0], u)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, row.RawJSON)
	return nil
}

func cmdFilesRm(ctx context.Context, a *app, args []string) error {
	fs := a.flags("files rm", "ID")
	network := fs.String("network", "public", "`public` or private")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	net, err := parseNetwork(*network)
	if err != nil {
		return err
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	return c.DeleteFile(ctx, net, pos[0])
}

func cmdSign(ctx context.Context, a *app, args []string) error {
	fs := a.flags("sign", "")
	expires := fs.Duration("expires", time.Minute, "how long the URL stays valid")
	maxSize := fs.Uint64("max-file-size", 0, "largest file accepted, in bytes (0: no limit)")
	var mimes multiFlag
	fs.Var(&mimes, "mime-type", "accepted MIME `type` (repeatable; image/* patterns)")
	network := fs.String("network", "", "the network uploads go to: public or private")
	group := fs.String("group", "", "the uploaded file's group")
	name := fs.String("name", "", "the uploaded file's name")
	var kvs multiFlag
	fs.Var(&kvs, "kv", "the uploaded file's `key=value` (repeatable)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	o := &pinata.SignOptions{Expires: *expires, MaxFileSize: *maxSize, AllowMimeTypes: mimes, GroupID: *group, Name: *name}
	if *network != "" {
		n, err := parseNetwork(*network)
		if err != nil {
			return err
		}
		o.Network = &n
	}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("--kv wants key=value, got %q", kv)
		}
		if o.KeyValues == nil {
			o.KeyValues = map[string]string{}
		}
		o.KeyValues[k] = v
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	url, err := c.SignUploadURL(ctx, o)
	if err != nil {
		return err
	}
	// Printed because asking for it is the point; it is a credential until it expires.
	fmt.Fprintln(a.stdout, url)
	return nil
}

func cmdDownloadLink(ctx context.Context, a *app, args []string) error {
	fs := a.flags("download-link", "CID")
	gateway := fs.String("gateway", "", "the account's gateway `URL` (default $PINATA_GATEWAY_URL, else the API URL)")
	expires := fs.Duration("expires", time.Minute, "how long the link stays valid")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	gw := *gateway
	if gw == "" {
		gw = a.getenv("PINATA_GATEWAY_URL")
	}
	if gw == "" {
		gw = a.apiURL
	}
	if gw == "" {
		gw = a.getenv("PINATA_API_URL")
	}
	if gw == "" {
		return usagef("download-link needs --gateway (or PINATA_GATEWAY_URL)")
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	link, err := c.DownloadLink(ctx, gw, pos[0], *expires)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, link)
	return nil
}
