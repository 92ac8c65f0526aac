package main

import (
	"encoding/json"
	"fmt"
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

// --journal-dir and --resumable-threshold do what the environment variables do: a
// killed upload resumes when the same command runs again, and says at which offset
// (the server's, read from the emulator once the killed PATCH has ended).
func TestUploadResumesWithFlagsAndPrintsTheOffset(t *testing.T) {
	hook(t, "POST", "/__emulator/tus/reset", nil)
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal")
	if err := os.Mkdir(journal, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "flags.bin")
	data := make([]byte, 3*1024*1024+5)
	for i := range data {
		data[i] = byte(i*17 + i>>9)
	}
	writeFile(t, file, string(data))
	args := []string{"upload", file, "--network", "public", "--quiet",
		"--journal-dir", journal, "--resumable-threshold", "1000000"}

	hook(t, "POST", "/__emulator/tus/hold", map[string]any{"ms": 300})
	cmd := exec.Command(cliBin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PINATA_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PINATA_API_URL="+apiURL, "PINATA_JWT="+emu.JWT)
	if frontCA != "" {
		cmd.Env = append(cmd.Env, "PINATA_CA_BUNDLE="+frontCA,
			"PINATA_HTTP_VERSION="+os.Getenv("PINATA_TEST_HTTP_VERSION"))
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A hang guard only (the held answers make the upload last seconds).
	deadline := time.Now().Add(60 * time.Second)
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
	// Wait until every PATCH of the killed process has ended: the offset is then final.
	var offset uint64
	for {
		ups := tusUploads(t)
		if len(ups) != 1 {
			t.Fatalf("uploads %v", ups)
		}
		if p, e := ups[0]["patches"].(float64), ups[0]["patches_ended"].(float64); p > 0 && p == e {
			offset = uint64(ups[0]["offset"].(float64))
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the killed PATCH never ended on the emulator")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// (one 16 MiB chunk holds the whole file: the server may have every byte, its
	// answer held back when the process died)
	if offset == 0 || offset > uint64(len(data)) {
		t.Fatalf("offset %d after the kill", offset)
	}

	// The environment names another journal directory and threshold: the flags win.
	r := cli(t, map[string]string{"PINATA_TUS_JOURNAL_DIR": dir, "PINATA_TUS_THRESHOLD": "999999999"}, args...)
	expect(t, r, 0, args...)
	want := fmt.Sprintf("resumed at %s (%d bytes)\n", human(offset), offset)
	if !strings.Contains(r.stderr, want) {
		t.Fatalf("want %q in stderr: %q", want, r.stderr)
	}
	ups := tusUploads(t)
	if len(ups) != 1 || ups[0]["cid"] != strings.TrimSpace(r.stdout) {
		t.Fatalf("uploads %v, stdout %q", ups, r.stdout)
	}
	if left, _ := os.ReadDir(journal); len(left) != 0 {
		t.Fatalf("journal left behind: %v", left)
	}
}

func TestResumableFlagsAreChecked(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f.bin")
	writeFile(t, file, "x")
	for _, args := range [][]string{
		{"upload", file, "--network", "public", "--resumable-threshold", "90MB"},
		{"upload", file, "--network", "public", "--resumable-threshold", "-1"},
		{"upload", file, "--journal-dir", t.TempDir()},
		{"upload", file, "--resumable-threshold", "10"},
	} {
		r := cli(t, nil, args...)
		expect(t, r, 2, args...)
	}
	// At or below the threshold the journal directory is never used: multipart.
	r := cli(t, nil, "upload", file, "--network", "public", "--quiet", "--resumable-threshold", "1000",
		"--journal-dir", filepath.Join(t.TempDir(), "missing"))
	expect(t, r, 0)
	if strings.Contains(r.stderr, "TUS") {
		t.Fatalf("a 1-byte file went through TUS: %q", r.stderr)
	}
}
