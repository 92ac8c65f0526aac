package pinata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

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
