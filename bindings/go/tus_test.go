package pinata_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// Cancelling the context stops a resumable upload and keeps its journal; the next call
// resumes from the server's offset; abandoning removes the journal.
func TestUploadResumableCancelKeepsJournal(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal")
	file := filepath.Join(dir, "big.bin")
	data := make([]byte, 2*1024*1024+3)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	writeFile(t, journal+"/.keep", nil)
	writeFile(t, file, data)
	c := newClient(t, pinata.WithBackoff(time.Millisecond, 5*time.Millisecond))
	opts := &pinata.ResumableOptions{
		ChunkSize:  256 * 1024,
		JournalDir: journal,
		Endpoint:   emu.URL + "/v3/files",
		Network:    pinata.NetworkPublic,
	}
	// Every chunk's answer is held back, so the cancel lands mid-upload.
	hook(t, "POST", "/__emulator/tus/hold", map[string]any{"ms": 200})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.UploadResumable(ctx, file, opts)
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ups, _ := hook(t, "GET", "/__emulator/tus/uploads", nil)["uploads"].([]any)
		if len(ups) == 1 && ups[0].(map[string]any)["offset"].(float64) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the upload never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	err := <-done
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled upload: %v", err)
	}
	hook(t, "POST", "/__emulator/tus/hold", map[string]any{})
	pending, err := pinata.PendingUploads(journal)
	// (its offset may still be 0: the held answer of the first chunk never arrived)
	if err != nil || len(pending) != 1 || pending[0].Size != uint64(len(data)) {
		t.Fatalf("pending after cancel: %+v %v", pending, err)
	}

	r, err := c.UploadResumable(ctxT(t), file, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The server kept the chunk whose answer was lost: the resume starts after it.
	if r.ResumedFrom == 0 || r.ResumedFrom < pending[0].Offset || r.RestartReason != "" {
		t.Fatalf("did not resume: %+v", r)
	}
	if r.CID == "" || r.CID != r.LocalCID || !strings.Contains(r.FileJSON, r.CID) ||
		!strings.Contains(r.FileJSON, `"network":"public"`) {
		t.Fatalf("result: %+v", r)
	}
	if r.BytesSent != uint64(len(data))-r.ResumedFrom {
		t.Fatalf("sent %d bytes after resuming from %d", r.BytesSent, r.ResumedFrom)
	}
	if p, _ := pinata.PendingUploads(journal); len(p) != 0 {
		t.Fatalf("journal left after success: %+v", p)
	}

	// Abandon: the journal goes, and the server's upload with it.
	ctx2, cancel2 := context.WithCancel(context.Background())
	hook(t, "POST", "/__emulator/tus/hold", map[string]any{"ms": 200})
	writeFile(t, file, append(data, 1))
	go func() {
		_, err := c.UploadResumable(ctx2, file, opts)
		done <- err
	}()
	// Cancel once the upload is in the journal (its chunks' answers are held).
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if p, _ := pinata.PendingUploads(journal); len(p) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second upload never reached the journal")
		}
	}
	cancel2()
	if err := <-done; !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("second cancel: %v", err)
	}
	hook(t, "POST", "/__emulator/tus/hold", map[string]any{})
	found, err := c.AbandonResumable(ctxT(t), file, opts)
	if err != nil || !found {
		t.Fatalf("abandon: %v %v", found, err)
	}
	if p, _ := pinata.PendingUploads(journal); len(p) != 0 {
		t.Fatalf("journal left after abandon: %+v", p)
	}
	if _, err := pinata.PendingUploads(filepath.Join(dir, "missing")); !errors.Is(err, pinata.ErrIO) {
		t.Fatalf("missing journal directory: %v", err)
	}
}

// ResumableOptions.Progress (pinata_upload_resumable_options_set_progress): false
// cancels and keeps the journal; the resumed upload reports from the resumed offset
// up to the file's size; a panic in it is raised again on the caller's goroutine.
func TestUploadResumableProgress(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal")
	writeFile(t, journal+"/.keep", nil)
	file := filepath.Join(dir, "progress.bin")
	data := make([]byte, 1024*1024+5)
	for i := range data {
		data[i] = byte(i*5 + i>>8)
	}
	writeFile(t, file, data)
	c := newClient(t)
	size := uint64(len(data))
	type call struct{ sent, total uint64 }
	var calls []call
	opts := &pinata.ResumableOptions{ChunkSize: 256 * 1024, JournalDir: journal, Endpoint: emu.URL + "/v3/files",
		Network: pinata.NetworkPublic,
		Progress: func(sent, total uint64) bool {
			calls = append(calls, call{sent, total})
			return sent < 300*1024
		}}
	if _, err := c.UploadResumable(ctxT(t), file, opts); !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("progress returned false: %v", err)
	}
	if len(calls) == 0 || calls[len(calls)-1].sent < 300*1024 || calls[0].total != size {
		t.Fatalf("progress calls before the cancel: %+v", calls)
	}
	if p, err := pinata.PendingUploads(journal); err != nil || len(p) != 1 {
		t.Fatalf("pending after the cancel: %+v %v", p, err)
	}

	calls = nil
	opts.Progress = func(sent, total uint64) bool { calls = append(calls, call{sent, total}); return true }
	r, err := c.UploadResumable(ctxT(t), file, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.ResumedFrom == 0 || len(calls) == 0 || calls[0].sent < r.ResumedFrom {
		t.Fatalf("resumed from %d; progress calls %+v", r.ResumedFrom, calls)
	}
	if last := calls[len(calls)-1]; last.sent != size || last.total != size {
		t.Fatalf("last progress call %+v, want %d of %d", last, size, size)
	}

	writeFile(t, file, append(data, 7)) // a new file: a fresh upload
	opts.Progress = func(sent, total uint64) bool { panic("progress panic") }
	func() {
		defer func() {
			if v := recover(); v != "progress panic" {
				t.Fatalf("recovered %v", v)
			}
		}()
		_, _ = c.UploadResumable(ctxT(t), file, opts)
		t.Fatal("the panic was not raised again")
	}()
}
