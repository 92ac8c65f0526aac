package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// queuedID returns the id of the queue request named name for cid, polling until the
// CLI running beside the test has queued it (a failing CLI ends the test's wait first).
func queuedID(t *testing.T, cid, name string, exited <-chan result) string {
	t.Helper()
	for {
		req, _ := http.NewRequest("GET", emu.URL+"/v3/files/public/pin_by_cid?cid="+url.QueryEscape(cid), nil)
		req.Header.Set("Authorization", "Bearer "+emu.JWT)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Data struct {
				Jobs []struct{ ID, Name string } `json:"jobs"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range body.Data.Jobs {
			if j.Name == name {
				return j.ID
			}
		}
		select {
		case r := <-exited:
			t.Fatalf("the CLI ended before queueing: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// pinWait runs `files pin CID --wait` beside the test, moves the request to status
// with the emulator's hook once it is queued, and returns the CLI's result.
func pinWait(t *testing.T, cid, name, status string) (result, string) {
	t.Helper()
	exited := make(chan result, 1)
	go func() {
		exited <- cli(t, nil, "files", "pin", cid, "--wait", "--name", name, "--interval", "10ms", "--budget", "1m")
	}()
	id := queuedID(t, cid, name, exited)
	hook(t, "POST", "/__emulator/pin-jobs/"+id+"/advance", map[string]string{"status": status})
	return <-exited, id
}

func TestFilesPinQueueCommands(t *testing.T) {
	reset(t)
	const cid = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
	// --wait to pinned: each status on stderr, the settled request on stdout.
	r, id := pinWait(t, cid, "cli-wait", "pinned")
	expect(t, r, 0, "files pin --wait")
	if !strings.Contains(r.stdout, id+"\tpinned\t"+cid) {
		t.Fatalf("files pin --wait: %q", r.stdout)
	}
	// Only the statuses the CLI is sure to see: the test advances the request as soon as
	// it is queued, which may be before the CLI's first poll, so "prechecking" may never
	// be observed (the package test checks every status in order with a callback that
	// drives the emulator: TestFilesPinWait in bindings/go).
	if !strings.Contains(r.stderr, "queued "+cid+" as "+id) || !strings.Contains(r.stderr, id+": pinned") {
		t.Fatalf("files pin --wait progress: %q", r.stderr)
	}
	if r := runOK(t, 0, "files", "ls", "--network", "public", "--cid", cid); !strings.Contains(r.stdout, "cli-wait") {
		t.Fatalf("the pinned request is not a public file: %s", r.stdout)
	}
	// A request that fails: printed, and exit status 1.
	r, id = pinWait(t, cid, "cli-fail", "expired")
	expect(t, r, 1, "files pin --wait (expired)")
	if !strings.Contains(r.stdout, id+"\texpired\t") || !strings.Contains(r.stderr, "failed: expired") {
		t.Fatalf("files pin --wait (expired): %q %q", r.stdout, r.stderr)
	}

	// Without --wait: the request; queue lists it; wait by id runs out of budget;
	// cancel; waiting on a cancelled request is not found.
	r = runOK(t, 0, "files", "pin", cid, "--name", "cli-queued", "--kv", "env=cli", "--json")
	var req map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &req); err != nil || req["status"] != "prechecking" || req["name"] != "cli-queued" {
		t.Fatalf("files pin --json: %q %v", r.stdout, err)
	}
	qid, _ := req["id"].(string)
	r = runOK(t, 0, "files", "queue", "--status", "prechecking", "--order", "desc")
	if !strings.Contains(r.stdout, qid) || !strings.Contains(r.stdout, "cli-queued") || strings.Contains(r.stdout, "cli-fail") {
		t.Fatalf("files queue: %s", r.stdout)
	}
	runOK(t, 14, "files", "wait", qid, "--cid", cid, "--budget", "100ms", "--interval", "10ms")
	runOK(t, 0, "files", "cancel", qid)
	runOK(t, 18, "files", "cancel", qid)
	runOK(t, 18, "files", "wait", qid, "--interval", "10ms")
	runOK(t, 11, "files", "pin", "not-a-cid")
	runOK(t, 11, "files", "wait", qid, "--cid", "not-a-cid")
	runOK(t, 2, "files", "queue", "--order", "sideways")
	runOK(t, 2, "files", "pin")
}
