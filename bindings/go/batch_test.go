package pinata_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

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
