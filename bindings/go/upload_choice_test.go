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

// ResumableChunkSize (pinata_upload_options_set_resumable_chunk_size) sets the bytes per
// TUS PATCH: 300 KiB in 64 KiB chunks is 5 PATCHes, in the default 16 MiB chunks one.
func TestUploadFileResumableChunkSize(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := v3Client(t)
	dir := t.TempDir()
	data := make([]byte, 300*1024)
	for i := range data {
		data[i] = byte(i*31 + i>>11)
	}
	file := filepath.Join(dir, "chunked.bin")
	writeFile(t, file, data)
	for _, tc := range []struct {
		chunk   uint64
		patches float64
	}{{64 * 1024, 5}, {0, 1}} {
		hook(t, "POST", "/__emulator/tus/reset", nil)
		r, err := c.UploadFile(ctx, file, &pinata.UploadOptions{Network: pinata.NetworkPublic, Path: pinata.UploadPathResumable,
			JournalDir: dir, ResumableChunkSize: tc.chunk})
		if err != nil {
			t.Fatal(err)
		}
		if r.Path != pinata.UploadPathResumable || r.CIDCheck != pinata.CIDVerified {
			t.Fatalf("chunk %d: %+v", tc.chunk, r)
		}
		ups, _ := hook(t, "GET", "/__emulator/tus/uploads", nil)["uploads"].([]any)
		if len(ups) != 1 {
			t.Fatalf("chunk %d: %d TUS uploads", tc.chunk, len(ups))
		}
		if got := ups[0].(map[string]any)["patches"]; got != tc.patches {
			t.Fatalf("chunk %d: %v PATCHes, want %v", tc.chunk, got, tc.patches)
		}
	}
	// Below 64 KiB is refused before anything is sent.
	if _, err := c.UploadFile(ctx, file, &pinata.UploadOptions{Path: pinata.UploadPathResumable, JournalDir: dir,
		ResumableChunkSize: 1000}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("a 1000-byte chunk: %v", err)
	}
}
