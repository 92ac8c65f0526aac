package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPSA(t *testing.T) {
	reset(t)
	hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": 10})
	t.Cleanup(func() { hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": 100}) })
	cid := "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
	r := runOK(t, 0, "psa", "add", cid, "--name", "cli-psa", "--meta", "k=v", "--wait", "--json")
	var added map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &added); err != nil || added["status"] != "pinned" || added["name"] != "cli-psa" {
		t.Fatalf("psa add --wait: %q (%v)", r.stdout, err)
	}
	id := added["requestid"].(string)
	// Another provider's endpoint and token (here the same emulator).
	r = cli(t, map[string]string{"PINATA_JWT": "", "PINATA_API_URL": ""}, "psa", "get", id,
		"--endpoint", emu.URL+"/psa", "--token", emu.JWT)
	if r.code != 0 || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "pinned") {
		t.Fatalf("psa get --endpoint: %+v", r)
	}
	r = runOK(t, 0, "psa", "ls", "--name", "CLI", "--match", "ipartial")
	if !strings.Contains(r.stdout, id) {
		t.Fatalf("psa ls: %q", r.stdout)
	}
	r = runOK(t, 0, "psa", "replace", id, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH", "--json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep["requestid"] == id {
		t.Fatalf("psa replace: %q", r.stdout)
	}
	newID := rep["requestid"].(string)
	runOK(t, 0, "psa", "wait", newID, "--interval", "5ms")
	runOK(t, 0, "psa", "rm", newID)
	expect(t, cli(t, nil, "psa", "get", newID), 18) // 10 + PINATA_E_NOT_FOUND
	expect(t, cli(t, nil, "psa", "get", "a\nb"), 11)
	expect(t, cli(t, nil, "psa", "add", "not-a-cid"), 11)
	expect(t, cli(t, nil, "psa", "frobnicate"), 2)
	expect(t, cli(t, nil, "psa"), 2)
	expect(t, cli(t, nil, "psa", "ls", "--status", "done"), 2)
}
