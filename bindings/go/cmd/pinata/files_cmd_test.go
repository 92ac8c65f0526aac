package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestV3FilesCommands(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "note.txt")
	writeFile(t, f, "Hello World!")
	r := runOK(t, 0, "upload", f, "--network", "private", "--group", "G", "--name", "note", "--kv", "env=cli", "--json")
	if !strings.Contains(r.stdout, `"cid_check": "verified"`) || !strings.Contains(r.stdout, "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne") {
		t.Fatalf("upload --network private: %s", r.stdout)
	}
	id := between(r.stdout, `"id": "`, `"`)
	r = runOK(t, 0, "files", "ls", "--network", "private", "--kv", "env=cli")
	if !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "note") {
		t.Fatalf("files ls: %s", r.stdout)
	}
	if r = runOK(t, 0, "files", "ls", "--network", "public"); strings.Contains(r.stdout, id) {
		t.Fatalf("a private file listed as public: %s", r.stdout)
	}
	r = runOK(t, 0, "files", "get", id, "--network", "private")
	if !strings.Contains(r.stdout, `"group_id":"G"`) {
		t.Fatalf("files get: %s", r.stdout)
	}
	r = runOK(t, 0, "files", "update", id, "--network", "private", "--name", "renamed")
	if !strings.Contains(r.stdout, `"name":"renamed"`) {
		t.Fatalf("files update: %s", r.stdout)
	}
	runOK(t, 0, "files", "rm", id, "--network", "private")
	runOK(t, 18, "files", "get", id, "--network", "private")
	runOK(t, 2, "files", "ls", "--network", "elsewhere")
	runOK(t, 2, "files", "frobnicate")

	// sign, then upload with the URL and no credentials at all.
	r = runOK(t, 0, "sign", "--expires", "1m", "--network", "public", "--name", "from-cli-app")
	url := strings.TrimSpace(r.stdout)
	if !strings.Contains(url, "X-Signature=") {
		t.Fatalf("sign: %q", url)
	}
	if os.Getenv("PINATA_TEST_FRONT_CMD") != "" {
		// A signed upload has no client, so no CA setting: the TLS front's test CA is not
		// trusted (a known gap: signed uploads cannot take transport options yet).
		return
	}
	g := filepath.Join(dir, "app.txt")
	writeFile(t, g, "uploaded by the app\n")
	app := cli(t, map[string]string{"PINATA_JWT": "", "PINATA_API_URL": ""}, "upload", g, "--signed-url", url)
	expect(t, app, 0, "upload --signed-url")
	if strings.Contains(app.stdout+app.stderr, url) {
		t.Fatal("the signed URL was printed")
	}
	cid := strings.TrimSpace(app.stdout)
	r = runOK(t, 0, "files", "ls", "--network", "public", "--cid", cid)
	if !strings.Contains(r.stdout, "from-cli-app") {
		t.Fatalf("the signed upload is not listed: %s", r.stdout)
	}
	// download-link (the emulator is the gateway too).
	r = runOK(t, 0, "download-link", cid, "--expires", "30s")
	if !strings.Contains(r.stdout, "/files/"+cid+"?") {
		t.Fatalf("download-link: %s", r.stdout)
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}
