package main

import (
	"context"
	"fmt"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// cmdGet downloads a CID from a gateway, every byte verified against its hash.
func cmdGet(ctx context.Context, a *app, args []string) error {
	fs := a.flags("get", "CID")
	out := fs.String("o", "", "destination `path` (a file, or a directory for a directory CID; required)")
	gateway := fs.String("gateway", "", "gateway domain or URL (default $PINATA_GATEWAY, else https://gateway.pinata.cloud)")
	token := fs.String("gateway-token", "", "the dedicated gateway's access token (default $PINATA_GATEWAY_TOKEN)")
	method := fs.String("method", "auto", "auto, car, raw or plain")
	unverifiable := fs.Bool("accept-unverifiable", false, "keep plain bytes no import profile can check")
	maxBytes := fs.Uint64("max-bytes", 0, "refuse content of more than N bytes, all files together (0: no cap)")
	maxEntries := fs.Uint64("max-entries", 0, "refuse content of more than N files and directories (0: no cap)")
	showProgress := fs.Bool("progress", false, "draw the progress bar even when stderr is not a terminal")
	quiet := fs.Bool("quiet", false, "no progress bar")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("get needs -o PATH")
	}
	methods := map[string]pinata.DownloadMethod{
		"auto": pinata.DownloadAuto, "car": pinata.DownloadCAR,
		"raw": pinata.DownloadRaw, "plain": pinata.DownloadPlain,
	}
	m, ok := methods[*method]
	if !ok {
		return usagef("--method must be auto, car, raw or plain")
	}
	gw, tok := *gateway, *token
	if gw == "" {
		gw = a.getenv("PINATA_GATEWAY")
	}
	if tok == "" {
		tok = a.getenv("PINATA_GATEWAY_TOKEN")
	}
	opts := []pinata.Option{}
	if gw != "" {
		opts = append(opts, pinata.WithGateway(gw, tok))
	}
	// A gateway needs no API credentials; none are sent (the placeholder only makes a
	// client).
	var c *pinata.Client
	c, err = pinata.NewClientJWT("gateway.download.only", opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	cctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := &pinata.DownloadOptions{
		Method: m, AcceptUnverifiable: *unverifiable, MaxBytes: *maxBytes, MaxEntries: *maxEntries,
	}
	bar := &progressBar{a: a}
	if !*quiet && (a.stderrIsTTY || *showProgress) {
		d.Progress = func(got, total uint64) bool {
			if total == 0 {
				// A streamed CAR has no announced length: bytes so far only.
				fmt.Fprintf(a.stderr, "\r%s received", human(got))
				bar.drawn = true
				return true
			}
			return bar.update(got, total)
		}
	}
	r, err := c.DownloadCID(cctx, pos[0], *out, d)
	bar.finish()
	if err != nil {
		return err
	}
	how := map[pinata.Verification]string{
		pinata.VerifiedBlocks:     "every block verified",
		pinata.VerifiedRecomputed: "CID recomputed from the bytes",
		pinata.Unverifiable:       "NOT verified",
	}[r.Verified]
	kind := "file"
	if r.IsDir {
		kind = fmt.Sprintf("directory, %d files", r.Files)
	}
	fmt.Fprintf(a.stderr, "saved %s to %s (%s, %s; %s)\n", pos[0], *out, kind, human(r.Bytes), how)
	return nil
}
