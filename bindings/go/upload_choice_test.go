package pinata_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// UploadFile takes TUS above ResumableThreshold and multipart at or below it, either
// path can be forced, and a cancelled TUS upload resumes when the call is made again.
func TestUploadFileChoosesItsPath(t *testing.T) {
	reset(t)
	ctx := context.Background()
	c := v3Client(t)
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal")
	if err := os.Mkdir(journal, 0o700); err != nil {
		t.Fatal(err)
	}
	large := filepath.Join(dir, "large.bin")
	data := make([]byte, 300*1024)
	for i := range data {
		data[i] = byte(i*13 + i>>10)
	}
	writeFile(t, large, data)
	small := filepath.Join(dir, "small.bin")
	writeFile(t, small, []byte("small file"))
	opts := func(path pinata.UploadPath) *pinata.UploadOptions {
		return &pinata.UploadOptions{Network: pinata.NetworkPublic, Path: path,
			ResumableThreshold: 100000, JournalDir: journal}
	}
	for _, tc := range []struct {
		file       string
		path, want pinata.UploadPath
	}{
		{large, pinata.UploadPathAuto, pinata.UploadPathResumable},
		{small, pinata.UploadPathAuto, pinata.UploadPathMultipart},
		{large, pinata.UploadPathMultipart, pinata.UploadPathMultipart},
		{small, pinata.UploadPathResumable, pinata.UploadPathResumable},
	} {
		r, err := c.UploadFile(ctx, tc.file, opts(tc.path))
		if err != nil {
			t.Fatalf("%s (%v): %v", tc.file, tc.path, err)
		}
		if r.Path != tc.want || r.Resumed || r.CIDCheck != pinata.CIDVerified {
			t.Fatalf("%s (%v): %+v", tc.file, tc.path, r)
		}
	}

	o := opts(pinata.UploadPathAuto)
	o.Progress = func(sent, total uint64) bool { return sent <= total/3 }
	if _, err := c.UploadFile(ctx, large, o); !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("cancelled upload: %v", err)
	}
	if p, err := pinata.PendingUploads(journal); err != nil || len(p) != 1 {
		t.Fatalf("pending %v, %v", p, err)
	}
	r, err := c.UploadFile(ctx, large, opts(pinata.UploadPathAuto))
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != pinata.UploadPathResumable || !r.Resumed || r.ResumedFrom > uint64(len(data)) || r.RestartReason != "" {
		t.Fatalf("resumed upload: %+v", r)
	}
	if p, err := pinata.PendingUploads(journal); err != nil || len(p) != 0 {
		t.Fatalf("pending after the resume %v, %v", p, err)
	}
}
