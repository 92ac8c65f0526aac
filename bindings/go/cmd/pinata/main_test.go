package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// The CLI is built once with `go build` and run as a separate process against a
// fresh emulator, exactly as a user would.
var (
	cliBin string
	emu    struct {
		URL       string `json:"url"`
		JWT       string `json:"jwt"`
		APIKey    string `json:"api_key"`
		APISecret string `json:"api_secret"`
	}
	// The URL the CLI is pointed at: the emulator, or the TLS front before it when
	// PINATA_TEST_FRONT_CMD is set (bindings/go/test.sh with PINATA_TEST_FRONT=tls);
	// frontCA is then the front's CA, given to the CLI as PINATA_CA_BUNDLE. The test
	// hooks always go to the emulator itself.
	apiURL, frontCA string
)

const helloV1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

// buildSetting returns a setting of this binary's build ("-tags", ...), "" if unset.
func buildSetting(key string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == key {
				return s.Value
			}
		}
	}
	return ""
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "pinata-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	cliBin = filepath.Join(dir, "pinata")
	// Linked the way this test binary was (`go test -tags pinata_repo` in the repository).
	args := []string{"build", "-o", cliBin}
	if tags := buildSetting("-tags"); tags != "" {
		args = append(args, "-tags="+tags)
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the CLI:", err)
		return 1
	}

	bin := os.Getenv("PINATA_EMULATOR_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "..", "..", "target", "debug", "pinata-emulator")
	}
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--quiet")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the emulator %s: %v\n", bin, err)
		return 1
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil || json.Unmarshal(line, &emu) != nil || emu.URL == "" {
		fmt.Fprintf(os.Stderr, "the emulator printed no address: %q %v\n", line, err)
		return 1
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	apiURL = emu.URL
	if cmdline := os.Getenv("PINATA_TEST_FRONT_CMD"); cmdline != "" {
		stop, err := startFront(cmdline)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		code := m.Run()
		if err := stop(); err != nil {
			fmt.Fprintln(os.Stderr, "the TLS front:", err)
			code = 1
		}
		return code
	}
	return m.Run()
}

// startFront starts the TLS front command (tests/tls_front_serve.sh) before the
// emulator, reads its "URL CA" line, and returns the function that stops it, which
// fails unless the CLI's requests used the HTTP version PINATA_TEST_HTTP_VERSION asks for.
func startFront(cmdline string) (func() error, error) {
	cmd := exec.Command("bash", "-c", cmdline+` "$0"`, emu.URL)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("the TLS front: %v", err)
	}
	if _, err := fmt.Fscan(bufio.NewReader(out), &apiURL, &frontCA); err != nil {
		_ = stdin.Close()
		_ = cmd.Wait()
		return nil, fmt.Errorf("the TLS front printed no URL and CA: %v", err)
	}
	return func() error { _ = stdin.Close(); return cmd.Wait() }, nil
}

type result struct {
	stdout, stderr string
	code           int
}

// cli runs the CLI with PINATA_API_URL and PINATA_JWT of the emulator's admin key,
// unless env overrides them ("" removes a variable).
func cli(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	vars := map[string]string{"PINATA_API_URL": apiURL, "PINATA_JWT": emu.JWT,
		"PINATA_CA_BUNDLE": frontCA, "PINATA_HTTP_VERSION": os.Getenv("PINATA_TEST_HTTP_VERSION")}
	for k, v := range env {
		vars[k] = v
	}
	cmd := exec.Command(cliBin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PINATA_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range vars {
		if v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := result{stdout.String(), stderr.String(), code}
	// The credentials in use are never printed.
	for _, secret := range []string{emu.JWT, emu.APISecret} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("pinata %v printed a secret", args)
		}
	}
	return r
}

func expect(t *testing.T, r result, code int, args ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("pinata %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, code, r.stdout, r.stderr)
	}
}

// runOK runs a command that must exit with code.
func runOK(t *testing.T, code int, args ...string) result {
	t.Helper()
	r := cli(t, nil, args...)
	expect(t, r, code, args...)
	return r
}

func hook(t *testing.T, method, path string, body any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, emu.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("hook %s %s: HTTP %d", method, path, resp.StatusCode)
	}
}

func reset(t *testing.T) { hook(t, "POST", "/__emulator/reset", nil) }

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVersionAndUsageErrors(t *testing.T) {
	r := runOK(t, 0, "version")
	if !strings.Contains(r.stdout, "libpinata 0.") {
		t.Errorf("version: %q", r.stdout)
	}
	runOK(t, 0, "--help")
	runOK(t, 0, "upload", "-h")
	runOK(t, 0, "keys", "--help")
	runOK(t, 0, "keys", "create", "-h")
	if r := runOK(t, 2); !strings.Contains(r.stderr, "usage: pinata") {
		t.Errorf("no args: %q", r.stderr)
	}
	for _, args := range [][]string{
		{"frobnicate"},
		{"--no-such-flag", "auth"},
		{"auth", "extra"},
		{"upload"},
		{"upload", "a", "b"},
		{"upload", "x", "--kv", "novalue"},
		{"upload", "x", "--cid-version", "2"},
		{"list", "--status", "bogus"},
		{"list", "--limit", "-1"},
		{"list", "--kv", "n=between:1"},
		{"list", "--pinned-after", "yesterday"},
		{"jobs", "--sort", "sideways"},
		{"keys"},
		{"keys", "rotate"},
		{"keys", "create"},
		{"keys", "create", "k"}, // no permission given
		{"keys", "create", "k", "--endpoint", "nope"},
		{"keys", "list", "--revoked", "--active"},
		{"cid"},
		{"cid", "x", "--cid-version", "3"},
		{"unpin"},
		{"pin-cid"},
		{"--jwt", "a.b.c", "--api-key", "k", "auth"},
		{"auth", "--api-key", "k"},
	} {
		r := cli(t, nil, args...)
		expect(t, r, 2, args...)
	}
	// No credentials anywhere.
	r = cli(t, map[string]string{"PINATA_JWT": ""}, "auth")
	expect(t, r, 2, "auth")
	if !strings.Contains(r.stderr, "no credentials") {
		t.Errorf("no credentials: %q", r.stderr)
	}
}

func TestAuth(t *testing.T) {
	reset(t)
	r := runOK(t, 0, "auth")
	if !strings.Contains(r.stdout, "Congratulations") {
		t.Errorf("auth: %q", r.stdout)
	}
	// Credentials from flags, before or after the command.
	r = cli(t, map[string]string{"PINATA_JWT": ""}, "--jwt", emu.JWT, "auth")
	expect(t, r, 0)
	r = cli(t, map[string]string{"PINATA_JWT": ""}, "auth", "--api-key", emu.APIKey, "--api-secret", emu.APISecret)
	expect(t, r, 0)
	r = cli(t, map[string]string{"PINATA_JWT": "", "PINATA_API_KEY": emu.APIKey, "PINATA_API_SECRET": emu.APISecret}, "auth")
	expect(t, r, 0)
	r = cli(t, map[string]string{"PINATA_API_URL": ""}, "--api-url", apiURL, "auth")
	expect(t, r, 0)

	// A bad token: 10 + PINATA_E_UNAUTHORIZED (6), and the token is not printed.
	r = cli(t, map[string]string{"PINATA_JWT": "bad.token.value"}, "auth")
	expect(t, r, 16, "auth with a bad token")
	if strings.Contains(r.stdout+r.stderr, "bad.token.value") || !strings.Contains(r.stderr, "401") {
		t.Errorf("bad token output: %q %q", r.stdout, r.stderr)
	}
	r = cli(t, nil, "auth", "--api-key", "0123456789abcdef0123", "--api-secret", "s3cr3tvalue42")
	expect(t, r, 16)
	if strings.Contains(r.stderr, "s3cr3tvalue42") {
		t.Error("the secret was printed")
	}
	// A malformed token never leaves the machine: 10 + PINATA_E_INVALID_ARGUMENT.
	expect(t, cli(t, map[string]string{"PINATA_JWT": "has space"}, "auth"), 11)
	// Nothing listening: 10 + PINATA_E_NETWORK.
	expect(t, cli(t, map[string]string{"PINATA_API_URL": "http://127.0.0.1:1"}, "usage"), 13)
}

func TestTimeoutFlag(t *testing.T) {
	reset(t)
	hook(t, "POST", "/__emulator/faults", map[string]any{"path": "/data/testAuthentication", "kind": "slow_drip", "interval_ms": 1000})
	defer hook(t, "DELETE", "/__emulator/faults", nil)
	r := runOK(t, 15, "auth", "--timeout", "300ms")
	if !strings.Contains(r.stderr, "CANCELLED") {
		t.Errorf("timeout: %q", r.stderr)
	}
}

func TestUploadListUnpin(t *testing.T) {
	reset(t)
	dir := t.TempDir()
	hello := filepath.Join(dir, "hello.txt")
	writeFile(t, hello, "Hello World!")

	r := runOK(t, 0, "upload", hello, "--name", "greeting", "--kv", "env=test", "--kv", "n=7", "--cid-version", "1")
	if strings.TrimSpace(r.stdout) != helloV1 || !strings.Contains(r.stderr, "verified") {
		t.Fatalf("upload: %q %q", r.stdout, r.stderr)
	}
	// Flags before the path, no verification, JSON out.
	r = runOK(t, 0, "upload", "--no-verify", "--json", "--cid-version", "1", hello)
	var res map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res["cid"] != helloV1 || res["duplicate"] != true || res["cid_check"] != "not checked" {
		t.Fatalf("upload --json: %q %v", r.stdout, err)
	}
	// A directory, wrapped, with the progress bar forced on.
	site := filepath.Join(dir, "site")
	writeFile(t, filepath.Join(site, "index.html"), "<h1>hi</h1>")
	writeFile(t, filepath.Join(site, "big.bin"), strings.Repeat("x", 3<<20))
	r = runOK(t, 0, "upload", site, "--progress", "--name", "site", "--kv", "n=3", "--wrap", "--cid-version", "1")
	if !strings.Contains(r.stderr, "100%") || !strings.Contains(r.stderr, "[") {
		t.Errorf("no progress bar: %q", r.stderr)
	}
	siteCID := strings.TrimSpace(r.stdout)
	// Missing path: 10 + PINATA_E_IO.
	runOK(t, 12, "upload", filepath.Join(dir, "missing"))

	r = runOK(t, 0, "cid", hello, "--cid-version", "1")
	if strings.TrimSpace(r.stdout) != helloV1 {
		t.Errorf("cid: %q", r.stdout)
	}
	r = runOK(t, 0, "cid", hello)
	if !strings.HasPrefix(r.stdout, "Qm") {
		t.Errorf("cid v0: %q", r.stdout)
	}
	runOK(t, 12, "cid", filepath.Join(dir, "missing"))

	// list: table and JSON, filters, limit.
	r = runOK(t, 0, "list")
	if !strings.Contains(r.stdout, helloV1) || !strings.Contains(r.stdout, "greeting") || !strings.HasPrefix(r.stdout, "CID") {
		t.Errorf("list: %q", r.stdout)
	}
	rows := func(args ...string) []map[string]any {
		t.Helper()
		r := runOK(t, 0, append([]string{"list", "--json"}, args...)...)
		var v []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
			t.Fatalf("list --json %v: %v\n%s", args, err, r.stdout)
		}
		return v
	}
	if v := rows(); len(v) != 2 {
		t.Errorf("list --json: %d rows", len(v))
	}
	if v := rows("--name", "greet"); len(v) != 1 || v[0]["cid"] != helloV1 {
		t.Errorf("--name: %v", v)
	} else if kv, _ := v[0]["keyvalues"].(map[string]any); kv["env"] != "test" || kv["n"] != float64(7) {
		t.Errorf("keyvalues: %v", v[0]["keyvalues"])
	}
	if v := rows("--kv", "n=gt:5"); len(v) != 1 || v[0]["cid"] != helloV1 {
		t.Errorf("--kv n=gt:5: %v", v)
	}
	if v := rows("--kv", "n=between:1,4"); len(v) != 1 || v[0]["cid"] != siteCID {
		t.Errorf("--kv between: %v", v)
	}
	if v := rows("--kv", "env=test", "--kv", "n=7"); len(v) != 1 {
		t.Errorf("--kv eq: %v", v)
	}
	if v := rows("--kv", "env=like:te%"); len(v) != 1 {
		t.Errorf("--kv like: %v", v)
	}
	if v := rows("--cid", siteCID); len(v) != 1 {
		t.Errorf("--cid: %v", v)
	}
	if v := rows("--limit", "1"); len(v) != 1 {
		t.Errorf("--limit 1: %v", v)
	}
	if v := rows("--pinned-after", "2999-01-01T00:00:00Z"); len(v) != 0 {
		t.Errorf("--pinned-after: %v", v)
	}
	if v := rows("--status", "unpinned"); len(v) != 0 {
		t.Errorf("--status unpinned: %v", v)
	}

	r = runOK(t, 0, "unpin", helloV1)
	if !strings.Contains(r.stdout, helloV1) {
		t.Errorf("unpin: %q", r.stdout)
	}
	if v := rows("--status", "unpinned"); len(v) != 1 || v[0]["date_unpinned"] == nil {
		t.Errorf("after unpin, --status unpinned: %v", v)
	}
	if v := rows("--status", "all"); len(v) != 2 {
		t.Errorf("--status all: %v", v)
	}
	// Unknown CID: 10 + PINATA_E_NOT_FOUND (8); a malformed one: 10 + INVALID_ARGUMENT.
	r = runOK(t, 18, "unpin", helloV1)
	if !strings.Contains(r.stderr, "CURRENT_USER_HAS_NOT_PINNED_CID") {
		t.Errorf("unpin unknown: %q", r.stderr)
	}
	runOK(t, 11, "unpin", "garbage")

	r = runOK(t, 0, "usage", "--json")
	var u map[string]float64
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil || u["pin_count"] != 1 || u["pin_size_total"] == 0 {
		t.Errorf("usage --json: %q %v", r.stdout, err)
	}
	r = runOK(t, 0, "usage")
	if !strings.Contains(r.stdout, "pins:") {
		t.Errorf("usage: %q", r.stdout)
	}
}

func TestPinCIDAndJobs(t *testing.T) {
	reset(t)
	r := runOK(t, 0, "pin-cid", helloV1, "--name", "remote", "--host-node", "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWExample")
	fields := strings.Fields(r.stdout)
	if len(fields) != 3 || fields[1] != "prechecking" || fields[2] != helloV1 {
		t.Fatalf("pin-cid: %q", r.stdout)
	}
	id := fields[0]
	runOK(t, 11, "pin-cid", "Qmnope")
	runOK(t, 11, "pin-cid", helloV1, "--host-node", "not-a-multiaddr")

	r = runOK(t, 0, "jobs")
	if !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "remote") {
		t.Errorf("jobs: %q", r.stdout)
	}
	hook(t, "POST", "/__emulator/pin-jobs/"+id+"/advance", nil)
	r = runOK(t, 0, "jobs", "--status", "searching", "--cid", helloV1, "--limit", "5", "--sort", "oldest", "--json")
	var page struct {
		Total int64            `json:"total"`
		Jobs  []map[string]any `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || page.Total != 1 || len(page.Jobs) != 1 || page.Jobs[0]["id"] != id {
		t.Errorf("jobs --json: %q %v", r.stdout, err)
	}
	r = runOK(t, 0, "jobs", "--status", "prechecking", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Jobs) != 0 {
		t.Errorf("jobs prechecking: %q", r.stdout)
	}
	runOK(t, 2, "jobs", "--limit", "5000")
}

func TestKeys(t *testing.T) {
	reset(t)
	r := runOK(t, 0, "keys", "create", "cli-list-only", "--endpoint", "pinList", "--max-uses", "2", "--json")
	var key map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &key); err != nil || len(key["api_key"]) != 20 || len(key["api_secret"]) != 64 || key["jwt"] == "" {
		t.Fatalf("keys create: %q %v", r.stdout, err)
	}
	if !strings.Contains(r.stderr, "only once") {
		t.Errorf("no warning: %q", r.stderr)
	}
	r = runOK(t, 0, "keys", "create", "cli-admin", "--admin")
	if !strings.Contains(r.stdout, "api key:") || !strings.Contains(r.stdout, "jwt:") {
		t.Errorf("keys create (text): %q", r.stdout)
	}
	runOK(t, 0, "keys", "create", "cli-files", "--resource", "org:files:read", "--endpoint", "pinJobs", "--endpoint", "unpin")
	runOK(t, 11, "keys", "create", "cli-bad", "--resource", "org:everything")

	// The scoped key: pinList works, key listing is forbidden (10 + 7).
	scoped := map[string]string{"PINATA_JWT": key["jwt"]}
	expect(t, cli(t, scoped, "list"), 0)
	r = cli(t, scoped, "keys", "list")
	expect(t, r, 17, "keys list with a scoped key")
	if !strings.Contains(r.stderr, "NO_SCOPES_FOUND") {
		t.Errorf("forbidden: %q", r.stderr)
	}

	r = runOK(t, 0, "keys", "list")
	if !strings.Contains(r.stdout, key["api_key"]) || !strings.Contains(r.stdout, "cli-list-only") || strings.Contains(r.stdout, key["api_secret"]) {
		t.Errorf("keys list: %q", r.stdout)
	}
	r = runOK(t, 0, "keys", "list", "--name", "CLI-LIST", "--json")
	var keys []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil || len(keys) != 1 || keys[0]["key"] != key["api_key"] || keys[0]["max_uses"] != float64(2) {
		t.Errorf("keys list --name: %q %v", r.stdout, err)
	}

	r = runOK(t, 0, "keys", "revoke", key["api_key"])
	if !strings.Contains(r.stdout, "revoked") {
		t.Errorf("revoke: %q", r.stdout)
	}
	// The revoked key is refused: 10 + PINATA_E_FORBIDDEN.
	r = cli(t, scoped, "auth")
	expect(t, r, 17, "auth with a revoked key")
	if !strings.Contains(r.stderr, "API_KEY_REVOKED") {
		t.Errorf("revoked: %q", r.stderr)
	}
	r = runOK(t, 0, "keys", "list", "--revoked", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil || len(keys) != 1 || keys[0]["revoked"] != true {
		t.Errorf("keys list --revoked: %q %v", r.stdout, err)
	}
	r = runOK(t, 0, "keys", "list", "--active", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil || len(keys) != 3 {
		t.Errorf("keys list --active: %d keys %v", len(keys), err)
	}
}

// --http-version takes auto, 1.1 or 2; through the TLS front, the CLI needs the
// front's CA (--ca-bundle or PINATA_CA_BUNDLE) and is refused with the TLS status
// (exit 10 + PINATA_E_TLS) without it.
func TestTLSFlags(t *testing.T) {
	r := cli(t, map[string]string{"PINATA_HTTP_VERSION": ""}, "--http-version", "3", "auth")
	expect(t, r, 2, "--http-version", "3", "auth")
	if !strings.Contains(r.stderr, "--http-version must be auto, 1.1 or 2") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if frontCA == "" {
		t.Skip("the CA cases need the TLS front (PINATA_TEST_FRONT=tls bindings/go/test.sh)")
	}
	r = cli(t, map[string]string{"PINATA_CA_BUNDLE": ""}, "auth")
	expect(t, r, 25, "auth", "(no CA bundle)")
	if !strings.Contains(r.stderr, "PINATA_E_TLS") || !strings.Contains(r.stderr, "certificate") {
		t.Errorf("stderr without the CA: %s", r.stderr)
	}
	r = cli(t, map[string]string{"PINATA_CA_BUNDLE": ""}, "--ca-bundle", frontCA, "auth")
	expect(t, r, 0, "--ca-bundle", frontCA, "auth")
}
