package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestUploadEach(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("p%d.txt", i)), fmt.Sprintf("photo %d of the CLI test", i))
	}
	writeFile(t, filepath.Join(dir, "sub", "skipped.txt"), "not sent")
	r := runOK(t, 0, "upload", "--each", "--in-flight", "2", "--cid-version", "1", dir)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 5 || !strings.Contains(r.stderr, "pinned 5 of 5 files") {
		t.Fatalf("upload --each: %q %q", r.stdout, r.stderr)
	}
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) != 2 || !strings.HasPrefix(f[0], "bafkrei") || f[1] != filepath.Join(dir, fmt.Sprintf("p%d.txt", i)) {
			t.Errorf("line %q", l)
		}
	}
	// One file failing (a 400 for the next upload): exit 10 + PINATA_E_BAD_REQUEST, the
	// others still pinned, as JSON.
	hook(t, "POST", "/__emulator/faults", map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "status", "status": 400, "times": 1})
	r = runOK(t, 20, "upload", "--each", "--json", dir)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 5 {
		t.Fatalf("upload --each --json: %q %v", r.stdout, err)
	}
	failed := 0
	for _, row := range rows {
		if row["error"] != nil {
			failed++
		} else if row["cid_check"] != "verified" {
			t.Errorf("row %v", row)
		}
	}
	if failed != 1 {
		t.Errorf("%d failed rows: %v", failed, rows)
	}
	runOK(t, 2, "upload", "--each", "--in-flight", "0", dir)
	// --each is a legacy batch: with a v3 flag it is refused, not silently a single upload.
	if r := runOK(t, 2, "upload", "--each", "--network", "public", dir); !strings.Contains(r.stderr, "--each") {
		t.Errorf("upload --each --network: %q", r.stderr)
	}
}
