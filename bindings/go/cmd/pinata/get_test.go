package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGet(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "data.bin")
	writeFile(t, src, strings.Repeat("0123456789abcdef", 40000))
	cid := strings.TrimSpace(runOK(t, 0, "upload", src, "--cid-version", "1").stdout)
	out := filepath.Join(dir, "out.bin")

	r := runOK(t, 0, "get", cid, "-o", out, "--gateway", emu.URL, "--progress")
	got, err := os.ReadFile(out)
	want, _ := os.ReadFile(src)
	if err != nil || string(got) != string(want) || !strings.Contains(r.stderr, "every block verified") ||
		!strings.Contains(r.stderr, "received") {
		t.Fatalf("get: %v %q", err, r.stderr)
	}
	// Through $PINATA_GATEWAY, raw blocks.
	os.Remove(out)
	r = cli(t, map[string]string{"PINATA_GATEWAY": emu.URL}, "get", "--method", "raw", cid, "-o", out)
	expect(t, r, 0, "get --method raw")
	// Caps: one byte under the content is 10 + PINATA_E_PROTOCOL, nothing written; the
	// content's own size and one entry are enough.
	os.Remove(out)
	r = runOK(t, 22, "get", cid, "-o", out, "--gateway", emu.URL, "--max-bytes", "639999")
	if _, err := os.Stat(out); !os.IsNotExist(err) || !strings.Contains(r.stderr, "cap of 639999 bytes") {
		t.Fatalf("over the cap: %v %q", err, r.stderr)
	}
	runOK(t, 0, "get", cid, "-o", out, "--gateway", emu.URL, "--max-bytes", "640000", "--max-entries", "1")
	os.Remove(out)
	// A lying gateway: 10 + PINATA_E_INTEGRITY, nothing written.
	os.Remove(out)
	hook(t, "POST", "/__emulator/gateway/fault", map[string]any{"kind": "flip", "cid": cid, "block": 1})
	defer hook(t, "POST", "/__emulator/gateway/fault", map[string]any{"kind": "none"})
	runOK(t, 23, "get", cid, "-o", out, "--gateway", emu.URL)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a lie left %s: %v", out, err)
	}
	// Usage errors.
	runOK(t, 2, "get", cid)
	runOK(t, 2, "get", cid, "-o", out, "--method", "bogus")
}
