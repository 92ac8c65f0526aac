package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func tusUploads(t *testing.T) []map[string]any {
	t.Helper()
	resp, err := http.Get(emu.URL + "/__emulator/tus/uploads")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Uploads []map[string]any `json:"uploads"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v.Uploads
}

// A v3 upload above the threshold goes through TUS; killed mid-upload, the same
// command resumes from the journal and says where.
func TestUploadLargeFileResumes(t *testing.T) {
	hook(t, "POST", "/__emulator/tus/reset", nil)
	dir := t.TempDir()
	file := filepath.Join(dir, "large.bin")
	data := make([]byte, 3*1024*1024)
	for i := range data {
		data[i] = byte(i*31 + i>>11)
	}
	writeFile(t, file, string(data))
	env := map[string]string{"PINATA_TUS_THRESHOLD": "1000000", "PINATA_TUS_JOURNAL_DIR": dir}
	args := []string{"upload", file, "--network", "public", "--quiet"}

	// First run: every chunk's answer is held back; killed once the server has bytes.
	hook(t, "POST", "/__emulator/tus/hold", map[string]any{"ms": 300})
	cmd := exec.Command(cliBin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PINATA_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// The same address and TLS settings as cli() gives the second run (the TLS front's
	// when the suite runs through it): a journal belongs to one upload endpoint.
	cmd.Env = append(cmd.Env, "PINATA_API_URL="+apiURL, "PINATA_JWT="+emu.JWT,
		"PINATA_TUS_THRESHOLD=1000000", "PINATA_TUS_JOURNAL_DIR="+dir)
	if frontCA != "" {
		cmd.Env = append(cmd.Env, "PINATA_CA_BUNDLE="+frontCA,
			"PINATA_HTTP_VERSION="+os.Getenv("PINATA_TEST_HTTP_VERSION"))
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ups := tusUploads(t)
		if len(ups) == 1 && ups[0]["offset"].(float64) > 0 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the TUS upload never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	hook(t, "POST", "/__emulator/tus/hold", map[string]any{})

	r := cli(t, env, args...)
	expect(t, r, 0, args...)
	if !strings.Contains(r.stderr, "resumed at ") {
		t.Fatalf("no resume reported: %q", r.stderr)
	}
	ups := tusUploads(t)
	if len(ups) != 1 || ups[0]["cid"] != strings.TrimSpace(r.stdout) {
		t.Fatalf("uploads %v, stdout %q", ups, r.stdout)
	}
	if ups[0]["received"].(float64) != float64(len(data)) {
		t.Fatalf("bytes sent twice: %v", ups[0])
	}
}
