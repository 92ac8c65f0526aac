package pinata_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// The emulator every test talks to, started fresh by TestMain.
var emu struct {
	URL       string `json:"url"`
	JWT       string `json:"jwt"`
	APIKey    string `json:"api_key"`
	APISecret string `json:"api_secret"`
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	bin := os.Getenv("PINATA_EMULATOR_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "target", "debug", "pinata-emulator")
	}
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--quiet")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the emulator %s: %v (build it with cargo build --workspace, or set PINATA_EMULATOR_BIN)\n", bin, err)
		return 1
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil || json.Unmarshal(line, &emu) != nil || emu.URL == "" {
		fmt.Fprintf(os.Stderr, "the emulator printed no address: %q %v\n", line, err)
		return 1
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if err := useFront(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	if frontCmd != nil {
		_ = frontStdin.Close() // stops nginx
		if err := frontCmd.Wait(); err != nil {
			fmt.Fprintln(os.Stderr, "the TLS front:", err)
			code = 1
		}
	}
	return code
}

// The TLS front (tests/tls_front.sh) the suite runs through when PINATA_TEST_FRONT_CMD
// is set: bindings/go/test.sh sets it to a command that starts nginx in front of the
// emulator at the URL given as its argument, prints "URL CA" and serves until its
// stdin closes. Its CA is trusted by every client and by the hook calls, and
// PINATA_TEST_HTTP_VERSION ("1.1", "2") forces the clients' HTTP version.
var front struct {
	ca      string
	version pinata.HTTPVersion
	client  *http.Client
}

var (
	frontCmd   *exec.Cmd
	frontStdin io.WriteCloser
)

func useFront() error {
	front.client = http.DefaultClient
	switch os.Getenv("PINATA_TEST_HTTP_VERSION") {
	case "1.1":
		front.version = pinata.HTTP1_1
	case "2":
		front.version = pinata.HTTP2
	}
	cmdline := os.Getenv("PINATA_TEST_FRONT_CMD")
	if cmdline == "" {
		return nil
	}
	cmd := exec.Command("bash", "-c", cmdline+` "$0"`, emu.URL)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("the TLS front: %v", err)
	}
	// The front stops when the test binary exits and its stdin closes.
	frontStdin, frontCmd = stdin, cmd
	var url string
	if _, err := fmt.Fscan(bufio.NewReader(out), &url, &front.ca); err != nil {
		return fmt.Errorf("the TLS front printed no URL and CA: %v", err)
	}
	pem, err := os.ReadFile(front.ca)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("no certificate in %s", front.ca)
	}
	front.client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	emu.URL = url
	return nil
}

// atEmu are the options of a client of emu.URL (base URL, and the front's CA and
// HTTP version).
func atEmu() []pinata.Option {
	return append([]pinata.Option{pinata.WithBaseURL(emu.URL)}, frontOptions()...)
}

// frontOptions are the options every test client needs to reach emu.URL.
func frontOptions() []pinata.Option {
	var o []pinata.Option
	if front.ca != "" {
		o = append(o, pinata.WithCABundle(front.ca))
	}
	if front.version != pinata.HTTPVersionAuto {
		o = append(o, pinata.WithHTTPVersion(front.version))
	}
	return o
}

// hook calls an emulator test hook and returns the decoded JSON answer.
func hook(t testing.TB, method, path string, body any) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, emu.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := front.client.Do(req)
	if err != nil {
		t.Fatalf("hook %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("hook %s %s: HTTP %d %s", method, path, resp.StatusCode, data)
	}
	var v map[string]any
	_ = json.Unmarshal(data, &v)
	return v
}

func reset(t testing.TB) {
	t.Helper()
	hook(t, "POST", "/__emulator/reset", nil)
}

func fault(t testing.TB, spec map[string]any) {
	t.Helper()
	hook(t, "POST", "/__emulator/faults", spec)
	t.Cleanup(func() { hook(t, "DELETE", "/__emulator/faults", nil) })
}

// requestsTotal is the number of API requests the emulator has counted; a stats answer
// without it fails the test, so a comparison never reads 0 against 0.
func requestsTotal(t testing.TB) float64 {
	t.Helper()
	stats := hook(t, "GET", "/__emulator/stats", nil)
	v, ok := stats["requests_total"].(float64)
	if !ok {
		t.Fatalf("stats without requests_total: %v", stats)
	}
	return v
}

// newClient makes a client for the seeded admin key, closed at the end of the test.
func newClient(t testing.TB, opts ...pinata.Option) *pinata.Client {
	t.Helper()
	base := append([]pinata.Option{pinata.WithBaseURL(emu.URL)}, frontOptions()...)
	c, err := pinata.NewClientJWT(emu.JWT, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// bigFile writes a sparse-free file of n bytes and returns its path.
func bigFile(t testing.TB, n int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 64*1024) // 1 MiB
	for left := n; left > 0; {
		w := int64(len(chunk))
		if left < w {
			w = left
		}
		if _, err := f.Write(chunk[:w]); err != nil {
			t.Fatal(err)
		}
		left -= w
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
