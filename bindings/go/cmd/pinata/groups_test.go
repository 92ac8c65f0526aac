package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGroups(t *testing.T) {
	reset(t)
	// v3: create on the private network, read back, update, list with filters, rm.
	r := runOK(t, 0, "groups", "create", "vault", "--network", "private", "--json")
	var g map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil || g["name"] != "vault" || g["is_public"] != false {
		t.Fatalf("create: %q %v", r.stdout, err)
	}
	id := g["id"].(string)
	runOK(t, 0, "groups", "create", "shared", "--network", "private", "--public")
	runOK(t, 18, "groups", "get", id) // the public network has no such group
	r = runOK(t, 0, "groups", "get", id, "--network", "private")
	if !strings.Contains(r.stdout, "vault") {
		t.Errorf("get: %q", r.stdout)
	}
	r = runOK(t, 0, "groups", "update", id, "--network", "private", "--name", "vault-2", "--public", "true", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil || g["name"] != "vault-2" || g["is_public"] != true {
		t.Errorf("update: %q", r.stdout)
	}
	r = runOK(t, 0, "groups", "list", "--network", "private", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 2 || rows[0]["name"] != "shared" {
		t.Errorf("list: %q", r.stdout)
	}
	r = runOK(t, 0, "groups", "list", "--network", "private", "--name", "vault")
	if !strings.Contains(r.stdout, "vault-2") || strings.Contains(r.stdout, "shared") {
		t.Errorf("list --name: %q", r.stdout)
	}
	r = runOK(t, 0, "groups", "list", "--json")
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("public list: %q", r.stdout)
	}
	runOK(t, 0, "groups", "rm", id, "--network", "private")
	runOK(t, 18, "groups", "rm", id, "--network", "private")

	// Legacy: CIDs join and leave the group; the pin list shows it.
	runOK(t, 0, "upload", writeTemp(t, "in-group.txt", "in a group\n"), "--cid-version", "1")
	cid := strings.TrimSpace(runOK(t, 0, "cid", writeTemp(t, "again.txt", "in a group\n"), "--cid-version", "1").stdout)
	r = runOK(t, 0, "groups", "create", "album", "--legacy", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil || g["name"] != "album" {
		t.Fatalf("legacy create: %q", r.stdout)
	}
	lid := g["id"].(string)
	runOK(t, 0, "groups", "add", lid, cid, "--legacy")
	r = runOK(t, 0, "list", "--group", lid)
	if !strings.Contains(r.stdout, cid) {
		t.Errorf("list --group after add: %q", r.stdout)
	}
	runOK(t, 0, "groups", "remove", lid, cid, "--legacy")
	r = runOK(t, 0, "list", "--group", lid)
	if strings.Contains(r.stdout, cid) {
		t.Errorf("list --group after remove: %q", r.stdout)
	}
	runOK(t, 0, "groups", "update", lid, "--legacy", "--name", "album-2")
	r = runOK(t, 0, "groups", "list", "--legacy")
	if !strings.Contains(r.stdout, "album-2") {
		t.Errorf("legacy list: %q", r.stdout)
	}
	runOK(t, 0, "groups", "rm", lid, "--legacy")
	runOK(t, 18, "groups", "get", lid, "--legacy")

	// Usage errors and bad input.
	runOK(t, 2, "groups")
	runOK(t, 2, "groups", "frob")
	runOK(t, 2, "groups", "create", "x", "--network", "both")
	runOK(t, 2, "groups", "update", "x")
	runOK(t, 2, "groups", "add", "x")
	runOK(t, 11, "groups", "add", lid, "not-a-cid", "--legacy")
	runOK(t, 11, "groups", "create", "a\nb")
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := t.TempDir() + "/" + name
	writeFile(t, p, data)
	return p
}
