package pinata_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// batchDir writes n distinct small files and returns the folder.
func batchDir(t *testing.T, n int) string {
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), []byte(fmt.Sprintf("batch file %d of the Go test", i)))
	}
	return dir
}

func TestPinEachWithAPerFileFault(t *testing.T) {
	c := newClient(t)
	dir := batchDir(t, 12)
	fault(t, map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "status", "status": 403, "times": 1})
	var last pinata.BatchProgress
	calls := 0
	items, err := c.PinEach(ctxT(t), dir, nil, &pinata.BatchOptions{InFlight: 3, Progress: func(p pinata.BatchProgress) bool {
		calls++
		last = p
		return true
	}})
	if !errors.Is(err, pinata.ErrForbidden) {
		t.Fatalf("batch error %v, want the one forbidden file's", err)
	}
	if len(items) != 12 {
		t.Fatalf("%d items", len(items))
	}
	failed := 0
	for _, it := range items {
		switch {
		case it.Err != nil:
			failed++
			if !errors.Is(it.Err, pinata.ErrForbidden) || it.Result != nil {
				t.Errorf("%s: %v", it.Path, it.Err)
			}
		case it.Result == nil || it.Result.CIDCheck != pinata.CIDVerified:
			t.Errorf("%s: no verified result", it.Path)
		}
	}
	if failed != 1 {
		t.Errorf("%d files failed, want 1", failed)
	}
	if calls < 12 || last.FilesDone != 12 || last.FilesTotal != 12 || last.BytesSent != last.BytesTotal {
		t.Errorf("progress: %d calls, last %+v", calls, last)
	}
}

func TestPinBatchCancelledByContext(t *testing.T) {
	c := newClient(t)
	dir := batchDir(t, 6)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel once the first file is done.
	items, err := c.PinBatch(ctx, paths, nil, &pinata.BatchOptions{InFlight: 1, Progress: func(p pinata.BatchProgress) bool {
		if p.FilesDone >= 1 {
			cancel()
		}
		return true
	}})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("error %v, want the context's cancellation", err)
	}
	if items[0].Result == nil || items[len(items)-1].Err == nil {
		t.Fatalf("first %+v, last %+v", items[0], items[len(items)-1])
	}
	if _, err := c.PinBatch(ctx, paths, nil, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a done context: %v", err)
	}
	if _, err := c.PinBatch(ctxT(t), paths, nil, &pinata.BatchOptions{InFlight: 65}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("65 in flight: %v", err)
	}
}

// A context cancelled from another goroutine while four pins are held by the emulator:
// the transfers are taken off the multi handle mid-call (the path that once freed a
// header list the slot then wiped), nothing is pinned, and the client goes on working.
func TestPinBatchCancelledWithTransfersInFlight(t *testing.T) {
	c := newClient(t)
	dir := batchDir(t, 6)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	fault(t, map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "delay", "delay_ms": 5000, "times": 4})
	before := requestsTotal(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the four held pins have reached the emulator.
		defer cancel()
		for deadline := time.Now().Add(30 * time.Second); requestsTotal(t) < before+4 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
	}()
	items, err := c.PinBatch(ctx, paths, nil, &pinata.BatchOptions{InFlight: 4})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("error %v, want the context's cancellation", err)
	}
	for _, it := range items {
		if it.Result != nil || !errors.Is(it.Err, pinata.ErrCancelled) {
			t.Errorf("%s: %+v", it.Path, it)
		}
	}
	items, err = c.PinBatch(ctxT(t), paths, nil, &pinata.BatchOptions{InFlight: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Result == nil {
			t.Errorf("%s: not pinned after the cancelled batch: %v", it.Path, it.Err)
		}
	}
}

// The v3 batch: files above the resumable threshold go through TUS, one file is refused
// by a fault, every other file comes back as a verified v3 file named after itself.
func TestUploadEachToV3WithAPerFileFault(t *testing.T) {
	c := v3Client(t)
	dir := t.TempDir()
	const threshold = 3000
	sizes := map[string]int{}
	for i := 0; i < 8; i++ {
		name := fmt.Sprintf("v%02d.bin", i)
		data := []byte(strings.Repeat(fmt.Sprintf("v3 batch file %d ", i), 50*(i+1)))
		sizes[name] = len(data)
		writeFile(t, filepath.Join(dir, name), data)
	}
	opts := &pinata.UploadOptions{Network: pinata.NetworkPublic, ResumableThreshold: threshold,
		JournalDir: t.TempDir(), KeyValues: map[string]string{"batch": "go"}}
	fault(t, map[string]any{"path": "/v3/files", "kind": "status", "status": 403, "times": 1})
	items, err := c.UploadEach(ctxT(t), dir, opts, &pinata.BatchOptions{InFlight: 3})
	if !errors.Is(err, pinata.ErrForbidden) {
		t.Fatalf("batch error %v, want the one forbidden file's", err)
	}
	failed, tus := 0, 0
	for _, it := range items {
		name := filepath.Base(it.Path)
		switch {
		case it.Err != nil:
			failed++
			if !errors.Is(it.Err, pinata.ErrForbidden) || it.File != nil {
				t.Errorf("%s: %v", name, it.Err)
			}
		case it.File == nil || it.Result != nil:
			t.Errorf("%s: no v3 result (%+v)", name, it)
		default:
			f := it.File
			if f.CIDCheck != pinata.CIDVerified || f.LocalCID != f.File.CID || f.File.Name != name ||
				f.File.Size != uint64(sizes[name]) || f.File.KeyValues["batch"] != "go" {
				t.Errorf("%s: %+v", name, f)
			}
			want := pinata.UploadPathMultipart
			if sizes[name] > threshold {
				want = pinata.UploadPathResumable
				tus++
			}
			if f.Path != want {
				t.Errorf("%s (%d bytes): path %v, want %v", name, sizes[name], f.Path, want)
			}
		}
	}
	if len(items) != 8 || failed != 1 || tus < 3 {
		t.Fatalf("%d items, %d failed, %d through TUS", len(items), failed, tus)
	}
	paths := make([]string, len(items))
	for i, it := range items {
		paths[i] = it.Path
	}
	if items, err = c.UploadBatch(ctxT(t), paths, opts, nil); err != nil || items[7].File == nil {
		t.Fatalf("second run: %v", err)
	}
}
