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
	// A signed URL takes one file: with --each it is refused, not silently a single upload.
	if r := runOK(t, 2, "upload", "--each", "--signed-url", "http://127.0.0.1:1/x", dir); !strings.Contains(r.stderr, "--each") {
		t.Errorf("upload --each --signed-url: %q", r.stderr)
	}
}

// `upload --each --network public`: every file as its own v3 file, those above
// --resumable-threshold through TUS, one refused by a fault; JSON says which path each took.
func TestUploadEachV3(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	for i := 0; i < 4; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("v%d.txt", i)), strings.Repeat(fmt.Sprintf("v3 file %d ", i), 40*(i+1)))
	}
	hook(t, "POST", "/__emulator/faults", map[string]any{"path": "/v3/files", "kind": "status", "status": 403, "times": 1})
	r := runOK(t, 17, "upload", "--each", "--network", "public", "--resumable-threshold", "700",
		"--journal-dir", t.TempDir(), "--kv", "batch=cli", "--json", dir)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 4 {
		t.Fatalf("upload --each --network --json: %q %v", r.stdout, err)
	}
	failed, tus := 0, 0
	for _, row := range rows {
		switch {
		case row["error"] != nil:
			failed++
		case row["cid_check"] != "verified" || row["id"] == nil:
			t.Errorf("row %v", row)
		case row["size"].(float64) > 700:
			tus++
			if row["upload_path"] != "resumable" {
				t.Errorf("row %v: want resumable", row)
			}
		case row["upload_path"] != "multipart":
			t.Errorf("row %v: want multipart", row)
		}
	}
	if failed != 1 || tus < 2 {
		t.Errorf("%d failed, %d through TUS: %v", failed, tus, rows)
	}
	r = runOK(t, 0, "upload", "--each", "--network", "public", dir)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 4 || !strings.Contains(r.stderr, "uploaded 4 of 4 files") {
		t.Errorf("upload --each --network: %q %q", r.stdout, r.stderr)
	}
}
