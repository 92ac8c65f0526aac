package main

import (
	"context"
	"fmt"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// uploadEach is `upload --each DIR`: every regular file directly inside DIR as its own
// pin, several at once. Prints "CID  PATH" per pinned file on stdout (or one JSON array
// with --json), each failure on stderr; fails when any file failed.
func uploadEach(ctx context.Context, a *app, dir string, opts *pinata.PinOptions, bopts *pinata.BatchOptions,
	showProgress, asJSON bool,
) error {
	if bopts.InFlight < 1 || bopts.InFlight > 64 {
		return usagef("--in-flight must be between 1 and 64")
	}
	bar := &progressBar{a: a}
	if showProgress {
		bopts.Progress = func(p pinata.BatchProgress) bool {
			return bar.update(p.BytesSent, p.BytesTotal)
		}
	}
	c, ctx, done, err := a.connect(ctx)
	if err != nil {
		return err
	}
	defer done()
	items, err := c.PinEach(ctx, dir, opts, bopts)
	bar.finish()
	if asJSON {
		rows := make([]map[string]any, 0, len(items))
		for _, it := range items {
			row := map[string]any{"path": it.Path}
			if it.Result != nil {
				r := it.Result
				row["cid"], row["size"], row["duplicate"], row["cid_check"] = r.CID, r.Size, r.IsDuplicate, r.CIDCheck.String()
			} else if it.Err != nil {
				row["error"] = it.Err.Error()
			}
			rows = append(rows, row)
		}
		if jerr := a.printJSON(rows); jerr != nil {
			return jerr
		}
	} else {
		pinned := 0
		for _, it := range items {
			switch {
			case it.Result != nil:
				pinned++
				fmt.Fprintf(a.stdout, "%s  %s\n", it.Result.CID, it.Path)
			case it.Err != nil:
				fmt.Fprintf(a.stderr, "%s: %v\n", it.Path, it.Err)
			}
		}
		fmt.Fprintf(a.stderr, "pinned %d of %d files\n", pinned, len(items))
	}
	return err
}
