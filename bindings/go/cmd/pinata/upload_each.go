package main

import (
	"context"
	"fmt"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// eachRunner sends every regular file directly inside dir: PinEach or UploadEach.
type eachRunner func(ctx context.Context, c *pinata.Client, dir string, bopts *pinata.BatchOptions) ([]pinata.BatchItem, error)

// uploadEachV3 is `upload --each DIR --network N`: every file as its own v3 file, those
// above the TUS threshold resumable (the same command run again resumes them).
func uploadEachV3(ctx context.Context, a *app, dir string, f v3UploadFlags, bopts *pinata.BatchOptions) error {
	opts, err := f.options()
	if err != nil {
		return err
	}
	if opts.ResumableThreshold, err = a.tusThreshold(f.resumableThreshold); err != nil {
		return err
	}
	if opts.ResumableThreshold == 0 {
		// The library reads 0 as "its default": at least one byte means every file.
		opts.Path = pinata.UploadPathResumable
	}
	opts.JournalDir = a.flagOrEnv(f.journalDir, "PINATA_TUS_JOURNAL_DIR")
	return uploadEach(ctx, a, dir, bopts, f.progress, f.asJSON, "uploaded",
		func(ctx context.Context, c *pinata.Client, dir string, bopts *pinata.BatchOptions) ([]pinata.BatchItem, error) {
			return c.UploadEach(ctx, dir, opts, bopts)
		})
}

// uploadEach is `upload --each DIR`: every regular file directly inside DIR as its own
// pin (or v3 file), several at once. Prints "CID  PATH" per file sent on stdout (or one
// JSON array with --json), each failure on stderr, and "<verb> N of M files"; fails
// when any file failed.
func uploadEach(ctx context.Context, a *app, dir string, bopts *pinata.BatchOptions,
	showProgress, asJSON bool, verb string, run eachRunner,
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
	items, err := run(ctx, c, dir, bopts)
	bar.finish()
	if asJSON {
		rows := make([]map[string]any, 0, len(items))
		for _, it := range items {
			row := map[string]any{"path": it.Path}
			switch {
			case it.Result != nil:
				r := it.Result
				row["cid"], row["size"], row["duplicate"], row["cid_check"] = r.CID, r.Size, r.IsDuplicate, r.CIDCheck.String()
			case it.File != nil:
				r := it.File
				row["id"], row["cid"], row["size"], row["duplicate"] = r.File.ID, r.File.CID, r.File.Size, r.File.IsDuplicate
				row["cid_check"], row["upload_path"] = r.CIDCheck.String(), r.Path.String()
			case it.Err != nil:
				row["error"] = it.Err.Error()
			}
			rows = append(rows, row)
		}
		if jerr := a.printJSON(rows); jerr != nil {
			return jerr
		}
	} else {
		sent := 0
		for _, it := range items {
			switch {
			case it.Result != nil:
				sent++
				fmt.Fprintf(a.stdout, "%s  %s\n", it.Result.CID, it.Path)
			case it.File != nil:
				sent++
				fmt.Fprintf(a.stdout, "%s  %s\n", it.File.File.CID, it.Path)
			case it.Err != nil:
				fmt.Fprintf(a.stderr, "%s: %v\n", it.Path, it.Err)
			}
		}
		fmt.Fprintf(a.stderr, "%s %d of %d files\n", verb, sent, len(items))
	}
	return err
}
