package main

// `upload --network` of a file above the TUS threshold (90 MiB, as Pinata's SDK;
// --resumable-threshold, else the environment's PINATA_TUS_THRESHOLD, overrides it)
// goes through a resumable upload with a journal (--journal-dir, else
// PINATA_TUS_JOURNAL_DIR, else the library's default directory): the same command run
// again after an interruption resumes, and says where.

import (
	"context"
	"fmt"
	"os"
	"strconv"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

const defaultTUSThreshold = 90 * 1024 * 1024

// tusThreshold is the size above which a file goes through TUS: flagValue
// (--resumable-threshold) when given, else PINATA_TUS_THRESHOLD (ignored when not a
// number, as before the flag existed), else 90 MiB.
func (a *app) tusThreshold(flagValue string) (uint64, error) {
	if flagValue != "" {
		n, err := strconv.ParseUint(flagValue, 10, 64)
		if err != nil {
			return 0, usagef("--resumable-threshold wants a number of bytes, got %q", flagValue)
		}
		return n, nil
	}
	if v := a.getenv("PINATA_TUS_THRESHOLD"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			return n, nil
		}
	}
	return defaultTUSThreshold, nil
}

// resumableUpload reports whether path is a regular file above the TUS threshold.
func (a *app) resumableUpload(path, flagValue string) (bool, error) {
	limit, err := a.tusThreshold(flagValue)
	if err != nil {
		return false, err
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && uint64(st.Size()) > limit, nil
}

func uploadResumableCLI(ctx context.Context, a *app, c *pinata.Client, path string, o *pinata.UploadOptions, f v3UploadFlags) error {
	asJSON := f.asJSON
	ro := &pinata.ResumableOptions{Name: o.Name, Network: o.Network, GroupID: o.GroupID,
		KeyValues: o.KeyValues, JournalDir: a.flagOrEnv(f.journalDir, "PINATA_TUS_JOURNAL_DIR")}
	if o.CIDVersion != nil && *o.CIDVersion == 0 {
		ro.CIDv0 = true
	}
	if o.VerifyCID != nil && !*o.VerifyCID {
		ro.NoCIDCheck = true
	}
	r, err := c.UploadResumable(ctx, path, ro)
	if err != nil {
		return err
	}
	if r.RestartReason != "" {
		fmt.Fprintf(a.stderr, "started over: %s\n", r.RestartReason)
	}
	if r.ResumedFrom > 0 {
		// The exact offset too: "2.1 GiB" alone hides how much was already there.
		fmt.Fprintf(a.stderr, "resumed at %s (%d bytes)\n", human(r.ResumedFrom), r.ResumedFrom)
	}
	if asJSON {
		return a.printJSON(map[string]any{"cid": r.CID, "local_cid": r.LocalCID,
			"resumed_from": r.ResumedFrom, "restart_reason": r.RestartReason})
	}
	fmt.Fprintln(a.stdout, r.CID)
	fmt.Fprintf(a.stderr, "uploaded %s with TUS (resumable)\n", path)
	return nil
}
