package pinata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// pinned uploads data (CIDv1) and returns its CID.
func pinned(t *testing.T, c *pinata.Client, data []byte) string {
	t.Helper()
	one := 1
	r, err := c.PinBytes(ctxT(t), data, "d.bin", &pinata.PinOptions{CIDVersion: &one})
	if err != nil {
		t.Fatal(err)
	}
	return r.CID
}

func TestDownload(t *testing.T) {
	if front.ca != "" {
		t.Skip("the gateway is reached directly (plain http to the emulator)")
	}
	reset(t)
	c := newClient(t, pinata.WithGateway(emu.URL, ""))
	data := make([]byte, 700_000)
	for i := range data {
		data[i] = byte(i * 7 / 3)
	}
	cid := pinned(t, c, data)
	dir := t.TempDir()

	// To a path, through a CAR, with progress.
	calls := 0
	d, err := c.DownloadCID(ctxT(t), cid, filepath.Join(dir, "out"), &pinata.DownloadOptions{
		Progress: func(got, total uint64) bool { calls++; return true },
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "out"))
	if !bytes.Equal(got, data) || d.Bytes != uint64(len(data)) || d.Method != pinata.DownloadCAR ||
		d.Verified != pinata.VerifiedBlocks || calls == 0 {
		t.Fatalf("download: %+v, %d bytes, %d progress calls", d, len(got), calls)
	}

	// Into memory with a cap, and to an io.Writer; raw blocks.
	b, d, err := c.DownloadCIDBytes(ctxT(t), cid, uint64(len(data)), &pinata.DownloadOptions{Method: pinata.DownloadRaw})
	if err != nil || !bytes.Equal(b, data) || d.Method != pinata.DownloadRaw {
		t.Fatalf("bytes: %v %+v", err, d)
	}
	if _, _, err := c.DownloadCIDBytes(ctxT(t), cid, uint64(len(data)-1), nil); !errors.Is(err, pinata.ErrProtocol) {
		t.Fatalf("over the cap: %v", err)
	}
	var w bytes.Buffer
	if _, err := c.DownloadCIDTo(ctxT(t), cid, &w, dir, nil); err != nil || !bytes.Equal(w.Bytes(), data) {
		t.Fatalf("writer: %v", err)
	}

	// A lying gateway: ErrIntegrity, nothing left; the writer gets nothing.
	hook(t, "POST", "/__emulator/gateway/fault", map[string]any{"kind": "flip", "cid": cid, "block": 1})
	t.Cleanup(func() { hook(t, "POST", "/__emulator/gateway/fault", map[string]any{"kind": "none"}) })
	if _, err := c.DownloadCID(ctxT(t), cid, filepath.Join(dir, "lie"), nil); !errors.Is(err, pinata.ErrIntegrity) {
		t.Fatalf("flipped byte: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lie")); !os.IsNotExist(err) {
		t.Fatalf("something was left: %v", err)
	}
	w.Reset()
	if _, err := c.DownloadCIDTo(ctxT(t), cid, &w, dir, nil); !errors.Is(err, pinata.ErrIntegrity) || w.Len() != 0 {
		t.Fatalf("writer after a lie: %v, %d bytes", err, w.Len())
	}

	// A cancelled context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.DownloadCID(ctx, cid, filepath.Join(dir, "cancelled"), nil); err == nil {
		t.Fatal("a cancelled context downloaded")
	}
	// Bad input.
	if _, err := c.DownloadCID(ctxT(t), "not-a-cid", filepath.Join(dir, "x"), nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad cid: %v", err)
	}
	if _, err := pinata.NewClientJWT("a.b.c", pinata.WithGateway("ftp://x", "")); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad gateway: %v", err)
	}
}

// MaxBytes and MaxEntries (pinata_download_options_set_max_bytes, _set_max_entries): a
// real file of 2^40 bytes in 6 KB of valid blocks (tests/c/fixtures/byte-bomb.car) is
// refused with ErrProtocol and leaves nothing, to a path and into memory; a file meets a
// cap of its own size, not one byte less; one entry takes a file.
func TestDownloadCaps(t *testing.T) {
	if front.ca != "" {
		t.Skip("the gateway is reached directly (plain http to the emulator)")
	}
	reset(t)
	ctx := ctxT(t)
	c := newClient(t, pinata.WithUploadURL(emu.URL), pinata.WithGateway(emu.URL, ""))
	dir := t.TempDir()
	bomb, err := c.UploadFile(ctx, filepath.Join("..", "..", "tests", "c", "fixtures", "byte-bomb.car"),
		&pinata.UploadOptions{Network: pinata.NetworkPublic, Car: true})
	if err != nil {
		t.Fatal(err)
	}
	capped := &pinata.DownloadOptions{MaxBytes: 1 << 20}
	if _, err := c.DownloadCID(ctx, bomb.File.CID, filepath.Join(dir, "bomb"), capped); !errors.Is(err, pinata.ErrProtocol) ||
		!strings.Contains(err.Error(), "cap of 1048576 bytes") {
		t.Fatalf("a 1 TiB file under a 1 MiB cap: %v", err)
	}
	if _, _, err := c.DownloadCIDBytes(ctx, bomb.File.CID, 1<<30, capped); !errors.Is(err, pinata.ErrProtocol) {
		t.Fatalf("into memory: %v", err)
	}

	data := bytes.Repeat([]byte("capped "), 40_000)
	cid := pinned(t, c, data)
	if _, err := c.DownloadCID(ctx, cid, filepath.Join(dir, "short"), &pinata.DownloadOptions{MaxBytes: uint64(len(data) - 1)}); !errors.Is(err, pinata.ErrProtocol) {
		t.Fatalf("one byte over the cap: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("refused downloads left %d entries", len(left))
	}
	d, err := c.DownloadCID(ctx, cid, filepath.Join(dir, "out"), &pinata.DownloadOptions{MaxBytes: uint64(len(data)), MaxEntries: 1})
	if got, _ := os.ReadFile(filepath.Join(dir, "out")); err != nil || !bytes.Equal(got, data) || d.Files != 1 {
		t.Fatalf("a file at its caps: %v", err)
	}
}

// DownloadURL (pinata_download_url): a private v3 file, which no gateway serves, comes
// through its signed download link, verified against its CID; a link whose content is
// not that CID gives ErrIntegrity, leaves nothing and never shows the signature.
func TestDownloadURL(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t, pinata.WithUploadURL(emu.URL), pinata.WithGateway(emu.URL, ""))
	data := []byte("private bytes, fetched through a download link\n")
	r, err := c.UploadBytes(ctx, data, "private.txt", nil) // private network
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if front.ca == "" {
		// The gateway does not serve a private file: the link is the only way.
		if _, err := c.DownloadCID(ctx, r.File.CID, filepath.Join(dir, "gw"), nil); !errors.Is(err, pinata.ErrNotFound) {
			t.Fatalf("a private file through the gateway: %v", err)
		}
	}
	link, err := c.DownloadLink(ctx, emu.URL, r.File.CID, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	progressCalls := 0
	d, err := c.DownloadURL(ctx, link, r.File.CID, filepath.Join(dir, "out"), &pinata.DownloadOptions{
		Progress: func(got, total uint64) bool { progressCalls++; return true },
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "out"))
	if !bytes.Equal(got, data) || d.Bytes != uint64(len(data)) || d.IsDir || progressCalls == 0 {
		t.Fatalf("download: %+v, %q, %d progress calls", d, got, progressCalls)
	}
	other, err := pinata.CIDOfBytes([]byte("other bytes"), 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DownloadURL(ctx, link, other, filepath.Join(dir, "lie"), nil)
	if !errors.Is(err, pinata.ErrIntegrity) {
		t.Fatalf("the link's content is not that CID: %v", err)
	}
	sig := link[strings.Index(link, "X-Signature=")+len("X-Signature="):]
	if strings.Contains(err.Error(), sig) || strings.Contains(err.Error(), link) {
		t.Fatalf("the link leaked: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "lie")); !os.IsNotExist(err) {
		t.Fatalf("something was left: %v", err)
	}
	if _, err := c.DownloadURL(ctx, "ftp://h/x", r.File.CID, filepath.Join(dir, "x"), nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("ftp URL: %v", err)
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.DownloadURL(cctx, link, r.File.CID, filepath.Join(dir, "cancelled"), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled context: %v", err)
	}
}
