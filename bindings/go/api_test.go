package pinata_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

const helloV1 = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne"

func TestVersion(t *testing.T) {
	v := pinata.Version()
	if !regexp.MustCompile(`^\d+\.\d+\.\d+`).MatchString(v) {
		t.Fatalf("Version() = %q", v)
	}
	n := pinata.VersionNumber()
	if got := fmt.Sprintf("%d.%d.%d", n>>16, (n>>8)&0xff, n&0xff); !strings.HasPrefix(v, got) {
		t.Fatalf("VersionNumber() %#x does not match %q", n, v)
	}
	if n != pinata.HeaderVersionNumber {
		t.Fatalf("library %#x, header %#x", n, pinata.HeaderVersionNumber)
	}
}

func TestStatusNames(t *testing.T) {
	want := []string{"PINATA_OK", "PINATA_E_INVALID_ARGUMENT", "PINATA_E_IO", "PINATA_E_NETWORK",
		"PINATA_E_TIMEOUT", "PINATA_E_CANCELLED", "PINATA_E_UNAUTHORIZED", "PINATA_E_FORBIDDEN",
		"PINATA_E_NOT_FOUND", "PINATA_E_RATE_LIMITED", "PINATA_E_BAD_REQUEST", "PINATA_E_SERVER",
		"PINATA_E_PROTOCOL", "PINATA_E_INTEGRITY", "PINATA_E_INTERNAL"}
	for i, w := range want {
		if got := pinata.Status(i).String(); got != w {
			t.Errorf("Status(%d) = %q, want %q", i, got, w)
		}
	}
	if got := pinata.Status(99).String(); got != "PINATA_E_UNKNOWN" {
		t.Errorf("Status(99) = %q", got)
	}
}

func TestClientConstruction(t *testing.T) {
	for name, f := range map[string]func() (*pinata.Client, error){
		"empty jwt":       func() (*pinata.Client, error) { return pinata.NewClientJWT("") },
		"jwt with CRLF":   func() (*pinata.Client, error) { return pinata.NewClientJWT("a.b\r\nX-Evil: 1") },
		"jwt with NUL":    func() (*pinata.Client, error) { return pinata.NewClientJWT("a.b\x00c") },
		"secret with NUL": func() (*pinata.Client, error) { return pinata.NewClientKeys("k", "s\x00") },
		"secret with LF":  func() (*pinata.Client, error) { return pinata.NewClientKeys("k", "topsecret\n") },
		"ftp base url":    func() (*pinata.Client, error) { return pinata.NewClientJWT("a.b.c", pinata.WithBaseURL("ftp://x")) },
		"insecure http": func() (*pinata.Client, error) {
			return pinata.NewClientJWT("a.b.c", pinata.WithBaseURL("http://example.com"))
		},
		"zero timeout": func() (*pinata.Client, error) {
			return pinata.NewClientJWT("a.b.c", pinata.WithConnectTimeout(-time.Second))
		},
		"bad backoff": func() (*pinata.Client, error) {
			return pinata.NewClientJWT("a.b.c", pinata.WithBackoff(time.Minute, time.Second))
		},
	} {
		c, err := f()
		if c != nil || !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Errorf("%s: got %v, %v; want ErrInvalidArgument", name, c, err)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%s: the message leaks the secret: %v", name, err)
		}
	}
	if _, err := pinata.NewClientJWT("a.b.c", pinata.WithCABundle("/nonexistent/ca.pem")); !errors.Is(err, pinata.ErrIO) {
		t.Errorf("missing CA bundle: %v", err)
	}
	if _, err := pinata.NewClientJWT("a.b.c", pinata.WithHTTPVersion(7)); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("HTTP version 7: %v", err)
	}
	// A bad proxy URL is refused without repeating its credentials.
	if _, err := pinata.NewClientJWT("a.b.c", pinata.WithProxy("ftp://user:pr0xy-secret@127.0.0.1:1")); !errors.Is(err, pinata.ErrInvalidArgument) ||
		strings.Contains(err.Error(), "pr0xy-secret") {
		t.Errorf("bad proxy URL: %v", err)
	}
	// An explicit proxy is used: nothing listens on port 1, so the call fails before
	// reaching the server; WithoutProxy connects directly.
	viaProxy := newClient(t, pinata.WithProxy("http://127.0.0.1:1"), pinata.WithRetries(0, 0))
	if _, err := viaProxy.TestAuth(ctxT(t)); !errors.Is(err, pinata.ErrNetwork) {
		t.Errorf("through a closed proxy port: %v", err)
	}
	direct := newClient(t, pinata.WithoutProxy())
	if _, err := direct.TestAuth(ctxT(t)); err != nil {
		t.Errorf("without a proxy: %v", err)
	}
	c, err := pinata.NewClientJWT("a.b.c",
		pinata.WithAllowInsecureHTTP(true), pinata.WithBaseURL("http://example.com"),
		pinata.WithConnectTimeout(5*time.Second), pinata.WithRequestTimeout(5*time.Second),
		pinata.WithStallTimeout(5*time.Second), pinata.WithRetries(0, 0), pinata.WithBackoff(time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	_ = c.Close() // idempotent
	_, err = c.TestAuth(ctxT(t))
	if !errors.Is(err, pinata.ErrClosed) || !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("call on a closed client: %v", err)
	}
}

func TestAuth(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	msg, err := c.TestAuth(ctx)
	if err != nil || msg != "Congratulations! You are communicating with the Pinata API!" {
		t.Fatalf("TestAuth = %q, %v", msg, err)
	}
	kc, err := pinata.NewClientKeys(emu.APIKey, emu.APISecret, atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer kc.Close()
	if _, err := kc.TestAuth(ctx); err != nil {
		t.Fatalf("key pair: %v", err)
	}

	bad, err := pinata.NewClientKeys("0123456789abcdef0123", "s3cr3tvalue42", atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	_, err = bad.TestAuth(ctx)
	var pe *pinata.Error
	if !errors.As(err, &pe) || !errors.Is(err, pinata.ErrUnauthorized) {
		t.Fatalf("bad key: %v", err)
	}
	if pe.Status != pinata.StatusUnauthorized || pe.HTTPStatus != 401 || pe.Reason != "INVALID_CREDENTIALS" ||
		pe.Details == "" || pe.Message == "" || pe.RetryAfter >= 0 {
		t.Errorf("bad key error: %+v", pe)
	}
	if strings.Contains(err.Error(), "s3cr3tvalue42") {
		t.Errorf("the error leaks the secret: %v", err)
	}
	if errors.Is(err, pinata.ErrForbidden) || errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("one error matches two sentinels: %v", err)
	}

	badJWT, err := pinata.NewClientJWT("not.a.jwt", atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer badJWT.Close()
	if _, err := badJWT.TestAuth(ctx); !errors.Is(err, pinata.ErrUnauthorized) {
		t.Errorf("bad JWT: %v", err)
	}
}

func TestKeys(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)

	if _, err := c.CreateKey(ctx, "", pinata.Permissions{Endpoints: []pinata.Endpoint{pinata.EndpointPinList}}, 0); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("empty name: %v", err)
	}
	if _, err := c.CreateKey(ctx, "x", pinata.Permissions{Endpoints: []pinata.Endpoint{99}}, 0); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("unknown endpoint: %v", err)
	}
	if _, err := c.CreateKey(ctx, "x", pinata.Permissions{Resources: []pinata.Resource{"org:all"}}, 0); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("unknown resource: %v", err)
	}

	key, err := c.CreateKey(ctx, "go-list-only", pinata.Permissions{Endpoints: []pinata.Endpoint{pinata.EndpointPinList}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(key.Key) != 20 || len(key.Secret) != 64 || !strings.Contains(key.JWT, ".") {
		t.Fatalf("created key: %+v", key)
	}
	admin, err := c.CreateKey(ctx, "go-admin", pinata.Permissions{Admin: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateKey(ctx, "go-files", pinata.Permissions{Resources: []pinata.Resource{pinata.ResourceOrgFilesRead}}, 0); err != nil {
		t.Fatal(err)
	}

	// The new key works, within its scope.
	scoped, err := pinata.NewClientJWT(key.JWT, atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer scoped.Close()
	_, err = scoped.ListKeys(ctx, nil)
	var pe *pinata.Error
	if !errors.Is(err, pinata.ErrForbidden) || !errors.As(err, &pe) || pe.HTTPStatus != 403 || pe.Reason != "NO_SCOPES_FOUND" {
		t.Fatalf("scoped key lists keys: %v", err)
	}
	// The pin list is in its scope: it sees the account's one pin, made by the admin.
	pinned, err := c.PinBytes(ctx, []byte("seen by the scoped key"), "scoped.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for row, err := range scoped.PinList(ctx, nil) {
		if err != nil {
			t.Fatalf("scoped key lists pins: %v", err)
		}
		listed = append(listed, row.CID)
	}
	if len(listed) != 1 || listed[0] != pinned.CID {
		t.Fatalf("scoped listing: %v, wanted [%s]", listed, pinned.CID)
	}
	// The admin key made with key+secret works too.
	ac, err := pinata.NewClientKeys(admin.Key, admin.Secret, atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()

	page, err := ac.ListKeys(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Keys) < 4 || page.Total < int64(len(page.Keys)) {
		t.Fatalf("ListKeys: %d keys, total %d", len(page.Keys), page.Total)
	}
	found := false
	for _, k := range page.Keys {
		if k.ID == "" || strings.Contains(k.RawJSON, `"secret"`) {
			t.Errorf("row %+v", k)
		}
		if k.Key == key.Key {
			found = true
			if k.Name != "go-list-only" || k.MaxUses != 2 || k.Admin || k.Revoked || k.CreatedAt.IsZero() {
				t.Errorf("row of the new key: %+v", k)
			}
		}
		if k.Key == admin.Key && !k.Admin {
			t.Errorf("admin key not admin: %+v", k)
		}
	}
	if !found {
		t.Fatal("the new key is not listed")
	}

	all, err := c.ListAllKeys(ctx, &pinata.KeyQuery{Name: "GO-LIST", Revoked: pinata.Bool(false), LimitedUse: pinata.Bool(true)})
	if err != nil || len(all) != 1 || all[0].Key != key.Key {
		t.Fatalf("ListAllKeys filtered: %+v, %v", all, err)
	}
	if _, err := c.ListKeys(ctx, &pinata.KeyQuery{Name: "bad\x00"}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("NUL in the name filter: %v", err)
	}

	if err := c.RevokeKey(ctx, key.Key); err != nil {
		t.Fatal(err)
	}
	_, err = scoped.TestAuth(ctx)
	if !errors.Is(err, pinata.ErrForbidden) || !errors.As(err, &pe) || pe.Reason != "API_KEY_REVOKED" {
		t.Fatalf("revoked key: %v", err)
	}
	revoked, err := c.ListKeys(ctx, &pinata.KeyQuery{Revoked: pinata.Bool(true)})
	if err != nil || len(revoked.Keys) < 1 || !revoked.Keys[0].Revoked {
		t.Fatalf("revoked keys: %+v %v", revoked, err)
	}
	if err := c.RevokeKey(ctx, ""); !errors.Is(err, pinata.ErrInvalidArgument) && !errors.Is(err, pinata.ErrBadRequest) && !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("revoke of an empty key: %v", err)
	}
}

func TestEndpointAndOpNames(t *testing.T) {
	for _, name := range []string{"pinList", "userPinnedDataTotal", "hashMetadata", "hashPinPolicy", "pinByHash",
		"pinFileToIPFS", "pinJSONToIPFS", "pinJobs", "unpin", "userPinPolicy"} {
		e, err := pinata.ParseEndpoint(name)
		if err != nil || e.String() != name {
			t.Errorf("ParseEndpoint(%q) = %v, %v", name, e, err)
		}
	}
	if _, err := pinata.ParseEndpoint("nope"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Error(err)
	}
	for i := pinata.OpGT; i <= pinata.OpIRegexp; i++ {
		op, err := pinata.ParseKeyValueOp(i.String())
		if err != nil || op != i {
			t.Errorf("op %d: %v %v", i, op, err)
		}
	}
	if _, err := pinata.ParseKeyValueOp("nope"); err == nil {
		t.Error("ParseKeyValueOp accepted nope")
	}
}

// Each Go constant is the C constant it is named after (the library names it).
func TestEndpointAndOpCNames(t *testing.T) {
	endpoints := map[pinata.Endpoint]string{
		pinata.EndpointPinList:             "PINATA_ENDPOINT_PIN_LIST",
		pinata.EndpointUserPinnedDataTotal: "PINATA_ENDPOINT_USER_PINNED_DATA_TOTAL",
		pinata.EndpointHashMetadata:        "PINATA_ENDPOINT_HASH_METADATA",
		pinata.EndpointHashPinPolicy:       "PINATA_ENDPOINT_HASH_PIN_POLICY",
		pinata.EndpointPinByHash:           "PINATA_ENDPOINT_PIN_BY_HASH",
		pinata.EndpointPinFileToIPFS:       "PINATA_ENDPOINT_PIN_FILE_TO_IPFS",
		pinata.EndpointPinJSONToIPFS:       "PINATA_ENDPOINT_PIN_JSON_TO_IPFS",
		pinata.EndpointPinJobs:             "PINATA_ENDPOINT_PIN_JOBS",
		pinata.EndpointUnpin:               "PINATA_ENDPOINT_UNPIN",
		pinata.EndpointUserPinPolicy:       "PINATA_ENDPOINT_USER_PIN_POLICY",
		pinata.Endpoint(999):               "PINATA_ENDPOINT_UNKNOWN",
	}
	for e, want := range endpoints {
		if got := e.CName(); got != want {
			t.Errorf("%v.CName() = %q, want %q", e, got, want)
		}
	}
	ops := []string{"GT", "GTE", "LT", "LTE", "NE", "EQ", "BETWEEN", "NOT_BETWEEN", "LIKE", "NOT_LIKE",
		"ILIKE", "NOT_ILIKE", "REGEXP", "IREGEXP"}
	for i, op := range []pinata.KeyValueOp{pinata.OpGT, pinata.OpGTE, pinata.OpLT, pinata.OpLTE, pinata.OpNE,
		pinata.OpEQ, pinata.OpBetween, pinata.OpNotBetween, pinata.OpLike, pinata.OpNotLike, pinata.OpILike,
		pinata.OpNotILike, pinata.OpRegexp, pinata.OpIRegexp} {
		if got := op.CName(); got != "PINATA_OP_"+ops[i] {
			t.Errorf("%v.CName() = %q, want PINATA_OP_%s", op, got, ops[i])
		}
	}
	if got := pinata.KeyValueOp(-1).CName(); got != "PINATA_OP_UNKNOWN" {
		t.Errorf("KeyValueOp(-1).CName() = %q", got)
	}
}

func TestCID(t *testing.T) {
	cid, err := pinata.CIDOfBytes([]byte("Hello World!"), 1)
	if err != nil || cid != helloV1 {
		t.Fatalf("CIDOfBytes = %q, %v", cid, err)
	}
	cid, err = pinata.CIDOfBytes(nil, 0)
	if err != nil || cid != "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH" {
		t.Fatalf("empty = %q, %v", cid, err)
	}
	if _, err := pinata.CIDOfBytes([]byte("x"), 2); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("version 2: %v", err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "hello.txt")
	writeFile(t, p, []byte("Hello World!"))
	if cid, err := pinata.CIDOfPath(p, 1); err != nil || cid != helloV1 {
		t.Fatalf("CIDOfPath = %q, %v", cid, err)
	}
	if cid, err := pinata.CIDOfPathThreads(p, 1, 0); err != nil || cid != helloV1 {
		t.Fatalf("CIDOfPathThreads = %q, %v", cid, err)
	}
	if _, err := pinata.CIDOfPath(filepath.Join(dir, "missing"), 0); !errors.Is(err, pinata.ErrIO) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := pinata.CIDOfPath("a\x00b", 0); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("NUL in a path: %v", err)
	}
	if cid, err := pinata.CIDOfPath(dir, 0); err != nil || !strings.HasPrefix(cid, "Qm") {
		t.Errorf("directory: %q %v", cid, err)
	}
}

func TestUploads(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	dir := t.TempDir()
	hello := filepath.Join(dir, "hello.txt")
	writeFile(t, hello, []byte("Hello World!"))

	if _, err := c.PinFile(ctx, filepath.Join(dir, "missing.txt"), nil); !errors.Is(err, pinata.ErrIO) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := c.PinFile(ctx, "/dev/zero", nil); !errors.Is(err, pinata.ErrIO) {
		t.Errorf("/dev/zero: %v", err)
	}

	var calls int
	var lastSent, lastTotal uint64
	r, err := c.PinFile(ctx, hello, &pinata.PinOptions{
		Name:       "hello",
		KeyValues:  map[string]any{"env": "test", "n": 7, "ratio": 0.5, "big": uint64(1 << 40)},
		CIDVersion: pinata.Int(1),
		Progress: func(sent, total uint64) bool {
			calls++
			lastSent, lastTotal = sent, total
			return true
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.CID != helloV1 || r.Size != 12 || r.Timestamp.IsZero() || r.IsDuplicate || r.LocalCID != helloV1 ||
		r.CIDCheck != pinata.CIDVerified || !strings.Contains(r.RawJSON, "IpfsHash") {
		t.Fatalf("PinFile: %+v", r)
	}
	if calls == 0 || lastSent != lastTotal || lastTotal < 12 {
		t.Errorf("progress: %d calls, %d/%d", calls, lastSent, lastTotal)
	}

	// The same bytes again: a duplicate; verification off leaves no local CID.
	r, err = c.PinBytes(ctx, []byte("Hello World!"), "h.txt", &pinata.PinOptions{CIDVersion: pinata.Int(1), VerifyCID: pinata.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.IsDuplicate || r.LocalCID != "" || r.CIDCheck != pinata.CIDNotChecked {
		t.Errorf("PinBytes duplicate: %+v", r)
	}
	r, err = c.PinBytes(ctx, nil, "empty", nil)
	if err != nil || r.CID != "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH" {
		t.Fatalf("empty PinBytes: %+v %v", r, err)
	}
	if _, err := c.PinBytes(ctx, []byte("x"), "a/b", nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("file name with a slash: %v", err)
	}
	if _, err := c.PinBytes(ctx, []byte("x"), "x", &pinata.PinOptions{KeyValues: map[string]any{"b": true}}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("bool keyvalue: %v", err)
	}
	tooMany := map[string]any{}
	for i := 0; i < 11; i++ {
		tooMany[fmt.Sprintf("k%d", i)] = i
	}
	if _, err := c.PinBytes(ctx, []byte("x"), "x", &pinata.PinOptions{KeyValues: tooMany}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("11 keyvalues: %v", err)
	}
	if _, err := c.PinBytes(ctx, []byte("x"), "x", &pinata.PinOptions{CIDVersion: pinata.Int(2)}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("cid version 2: %v", err)
	}

	// JSON: a Go value, encoded; its CID is that of the compact encoding.
	r, err = c.PinJSON(ctx, map[string]string{"hello": "world"}, &pinata.PinOptions{Name: "doc"})
	if err != nil {
		t.Fatal(err)
	}
	local, _ := pinata.CIDOfBytes([]byte(`{"hello":"world"}`), 0)
	if r.CID != local || r.CIDCheck != pinata.CIDVerified {
		t.Errorf("PinJSON: %+v, want %s", r, local)
	}
	// A json.RawMessage goes as written (not re-encoded here); the library checks it
	// is JSON, and its CID is still that of the compact encoding.
	r, err = c.PinJSON(ctx, json.RawMessage(`{"a": [1, 2]}`), nil)
	local, _ = pinata.CIDOfBytes([]byte(`{"a":[1,2]}`), 0)
	if err != nil || r.CID != local || r.CIDCheck != pinata.CIDVerified {
		t.Errorf("raw JSON: %+v, %v; want %s", r, err, local)
	}
	for name, raw := range map[string]string{"truncated": `{"a": [1, 2`, "NUL inside": "{\"a\": 1}\x00{"} {
		if _, err := c.PinJSON(ctx, json.RawMessage(raw), nil); !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Errorf("raw JSON, %s: %v", name, err)
		}
	}
	if _, err := c.PinJSON(ctx, func() {}, nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("unencodable value: %v", err)
	}
	// Options with only CIDVersion, WrapWithDirectory and VerifyCID set are built in the
	// start's own cgo crossing (scalarPinOptions): each one must still take effect.
	r, err = c.PinJSON(ctx, json.RawMessage(`{"s":1}`), &pinata.PinOptions{VerifyCID: pinata.Bool(false)})
	if err != nil || r.CIDCheck != pinata.CIDNotChecked || r.LocalCID != "" {
		t.Errorf("PinJSON, verification off: %+v, %v", r, err)
	}
	r, err = c.PinJSON(ctx, json.RawMessage(`{"s":2}`), &pinata.PinOptions{CIDVersion: pinata.Int(1)})
	local, _ = pinata.CIDOfBytes([]byte(`{"s":2}`), 1)
	if err != nil || r.CID != local || !strings.HasPrefix(r.CID, "b") || r.CIDCheck != pinata.CIDVerified {
		t.Errorf("PinJSON, CIDv1: %+v, %v; want %s", r, err, local)
	}
	for name, o := range map[string]*pinata.PinOptions{
		"wrap":               {WrapWithDirectory: true},
		"cid version 7":      {CIDVersion: pinata.Int(7)},
		"cid version -2":     {CIDVersion: pinata.Int(-2)},
		"cid version 2^40":   {CIDVersion: pinata.Int(1 << 40)},
		"wrap, name as well": {WrapWithDirectory: true, Name: "n"},
	} {
		if _, err := c.PinJSON(ctx, json.RawMessage(`{"s":3}`), o); !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Errorf("PinJSON, %s: %v", name, err)
		}
	}

	// A directory with a nested folder and a hidden file.
	site := filepath.Join(dir, "site")
	writeFile(t, filepath.Join(site, "index.html"), []byte("<h1>hi</h1>"))
	writeFile(t, filepath.Join(site, "css", "a.css"), []byte("body{}"))
	writeFile(t, filepath.Join(site, ".hidden"), []byte("h"))
	r, err = c.PinFile(ctx, site, &pinata.PinOptions{Name: "my site", CIDVersion: pinata.Int(1)})
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := pinata.CIDOfPath(site, 1); r.CID != want || r.CIDCheck != pinata.CIDVerified {
		t.Errorf("directory: %+v, want %s", r, want)
	}
	// Wrapped in a directory.
	r, err = c.PinFile(ctx, hello, &pinata.PinOptions{CIDVersion: pinata.Int(1), WrapWithDirectory: true})
	if err != nil || !strings.HasPrefix(r.CID, "bafybei") || r.CIDCheck != pinata.CIDVerified {
		t.Errorf("wrapped: %+v %v", r, err)
	}
}

func TestPinByCIDAndJobs(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	if _, err := c.PinByCID(ctx, "Qmnope", nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("malformed CID: %v", err)
	}
	if _, err := c.PinByCID(ctx, helloV1, &pinata.PinOptions{HostNodes: []string{"not-a-multiaddr"}}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("bad host node: %v", err)
	}
	job, err := c.PinByCID(ctx, helloV1, &pinata.PinOptions{
		Name:      "remote",
		KeyValues: map[string]any{"src": "go"},
		HostNodes: []string{"/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWExample"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if job.ID == "" || job.CID != helloV1 || job.Status != "prechecking" || job.Name != "remote" || job.RawJSON == "" {
		t.Fatalf("job: %+v", job)
	}
	hook(t, "POST", "/__emulator/pin-jobs/"+job.ID+"/advance", nil)

	page, err := c.PinJobs(ctx, &pinata.PinJobQuery{Status: "searching", CID: helloV1, Sort: pinata.SortOldestFirst, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Jobs) != 1 || page.Total != 1 || page.Jobs[0].Status != "searching" || page.Jobs[0].ID != job.ID || page.Jobs[0].DateQueued.IsZero() {
		t.Fatalf("jobs: %+v", page)
	}
	page, err = c.PinJobs(ctx, nil)
	if err != nil || len(page.Jobs) != 1 {
		t.Fatalf("all jobs: %+v %v", page, err)
	}
	page, err = c.PinJobs(ctx, &pinata.PinJobQuery{Status: "prechecking", Sort: pinata.SortNewestFirst})
	if err != nil || len(page.Jobs) != 0 {
		t.Fatalf("prechecking jobs: %+v %v", page, err)
	}
	if _, err := c.PinJobs(ctx, &pinata.PinJobQuery{Limit: 1001}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("limit 1001: %v", err)
	}
}

func TestMetadataAndUnpin(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	r, err := c.PinBytes(ctx, []byte("meta"), "m.txt", &pinata.PinOptions{KeyValues: map[string]any{"gone": "soon", "keep": 1}})
	if err != nil {
		t.Fatal(err)
	}
	err = c.UpdateMetadata(ctx, r.CID, pinata.MetadataUpdate{
		Name:   "renamed",
		Set:    map[string]any{"env": "prod", "n": 7},
		Remove: []string{"gone"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var row pinata.PinRow
	for rr, err := range c.PinList(ctx, &pinata.PinListQuery{CID: r.CID}) {
		if err != nil {
			t.Fatal(err)
		}
		row = rr
	}
	if row.Name != "renamed" || row.KeyValues["env"] != "prod" || row.KeyValues["n"] != float64(7) ||
		row.KeyValues["keep"] != float64(1) || row.KeyValues["gone"] != nil {
		t.Errorf("after the update: %+v", row)
	}
	if err := c.UpdateMetadata(ctx, "nope", pinata.MetadataUpdate{Name: "x"}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("bad CID: %v", err)
	}
	if err := c.UpdateMetadata(ctx, r.CID, pinata.MetadataUpdate{Set: map[string]any{"x": []int{1}}}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("slice keyvalue: %v", err)
	}
	other, _ := pinata.CIDOfBytes([]byte("never pinned"), 1)
	if err := c.UpdateMetadata(ctx, other, pinata.MetadataUpdate{Name: "x"}); !errors.Is(err, pinata.ErrNotFound) {
		t.Errorf("update of an unpinned CID: %v", err)
	}

	if err := c.Unpin(ctx, "garbage"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("unpin garbage: %v", err)
	}
	if err := c.Unpin(ctx, r.CID); err != nil {
		t.Fatal(err)
	}
	err = c.Unpin(ctx, r.CID)
	var pe *pinata.Error
	if !errors.Is(err, pinata.ErrNotFound) || !errors.As(err, &pe) || pe.Reason != "CURRENT_USER_HAS_NOT_PINNED_CID" {
		t.Errorf("second unpin: %v", err)
	}
}

func TestPinListAndUsage(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c := newClient(t)
	for i := 0; i < 12; i++ {
		parity := "even"
		if i%2 == 1 {
			parity = "odd"
		}
		_, err := c.PinBytes(ctx, []byte(fmt.Sprintf("content %d", i)), "f.txt", &pinata.PinOptions{
			Name:      fmt.Sprintf("item-%02d", i),
			KeyValues: map[string]any{"n": i, "parity": parity},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(q *pinata.PinListQuery) int {
		t.Helper()
		n := 0
		for _, err := range c.PinList(ctx, q) {
			if err != nil {
				t.Fatalf("PinList(%+v): %v", q, err)
			}
			n++
		}
		return n
	}
	if n := count(&pinata.PinListQuery{PageSize: 5}); n != 12 {
		t.Errorf("paged list: %d rows", n)
	}
	if n := count(nil); n != 12 {
		t.Errorf("list: %d rows", n)
	}
	if n := count(&pinata.PinListQuery{PageSize: 5, Offset: 10}); n != 2 {
		t.Errorf("offset 10: %d rows", n)
	}

	it, err := c.PinListIterator(ctx, &pinata.PinListQuery{PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !it.Next() {
		t.Fatal(it.Err())
	}
	row := it.Row()
	if it.Total() != 12 || row.ID == "" || row.CID == "" || row.Size == 0 || row.DatePinned.IsZero() ||
		!row.DateUnpinned.IsZero() || !strings.HasPrefix(row.Name, "item-") || row.KeyValues["parity"] == nil ||
		!strings.Contains(row.RawJSON, "ipfs_pin_hash") {
		t.Errorf("row: %+v (total %d)", row, it.Total())
	}
	it.Close()
	it.Close()
	if it.Next() || !errors.Is(it.Err(), pinata.ErrClosed) {
		t.Errorf("Next after Close: %v", it.Err())
	}

	// Breaking out of the loop early stops it.
	n := 0
	for range c.PinList(ctx, &pinata.PinListQuery{PageSize: 2}) {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("break: %d", n)
	}

	if n := count(&pinata.PinListQuery{KeyValues: []pinata.KeyValueFilter{{Key: "parity", Op: pinata.OpEQ, Value: "odd"}}}); n != 6 {
		t.Errorf("parity odd: %d", n)
	}
	if n := count(&pinata.PinListQuery{KeyValues: []pinata.KeyValueFilter{
		{Key: "parity", Op: pinata.OpEQ, Value: "odd"},
		{Key: "n", Op: pinata.OpBetween, Value: 2, SecondValue: 6},
	}}); n != 2 {
		t.Errorf("odd and 2..6: %d", n)
	}
	if n := count(&pinata.PinListQuery{KeyValues: []pinata.KeyValueFilter{{Key: "n", Op: pinata.OpGTE, Value: 10}}}); n != 2 {
		t.Errorf("n >= 10: %d", n)
	}
	if n := count(&pinata.PinListQuery{NameContains: "item-1"}); n != 2 {
		t.Errorf("name item-1: %d", n)
	}
	if n := count(&pinata.PinListQuery{Status: pinata.PinStatusUnpinned}); n != 0 {
		t.Errorf("unpinned: %d", n)
	}
	if n := count(&pinata.PinListQuery{Status: pinata.PinStatusPinned, MinSize: 1, MaxSize: 1000000,
		PinStart: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}); n != 12 {
		t.Errorf("pinned since 2000: %d", n)
	}
	if n := count(&pinata.PinListQuery{PinStart: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)}); n != 0 {
		t.Errorf("pinned since 2999: %d", n)
	}
	if n := count(&pinata.PinListQuery{PinEnd: time.Now().Add(time.Hour), UnpinStart: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), UnpinEnd: time.Now().Add(time.Hour)}); n != 0 {
		t.Errorf("unpinned in range: %d", n)
	}
	first := ""
	for row, err := range c.PinList(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		first = row.CID
		break
	}
	if n := count(&pinata.PinListQuery{CID: first}); n != 1 {
		t.Errorf("by CID: %d", n)
	}
	if n := count(&pinata.PinListQuery{GroupID: "no-such-group"}); n != 0 {
		t.Errorf("by group: %d", n)
	}

	// Invalid queries fail before anything is sent, as the first element.
	for name, q := range map[string]*pinata.PinListQuery{
		"page size":      {PageSize: 1001},
		"status":         {Status: 3},
		"size":           {MinSize: -5},
		"op":             {KeyValues: []pinata.KeyValueFilter{{Key: "n", Op: 99, Value: 1}}},
		"between":        {KeyValues: []pinata.KeyValueFilter{{Key: "n", Op: pinata.OpBetween, Value: 1}}},
		"mixed":          {KeyValues: []pinata.KeyValueFilter{{Key: "n", Op: pinata.OpBetween, Value: 1, SecondValue: "x"}}},
		"value type":     {KeyValues: []pinata.KeyValueFilter{{Key: "n", Op: pinata.OpEQ, Value: true}}},
		"NUL":            {NameContains: "a\x00"},
		"string between": {KeyValues: []pinata.KeyValueFilter{{Key: "n", Op: pinata.OpEQ, Value: "a", SecondValue: "b"}}},
	} {
		var got error
		for _, err := range c.PinList(ctx, q) {
			got = err
		}
		if !errors.Is(got, pinata.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, got)
		}
	}

	u, err := c.Usage(ctx)
	if err != nil || u.PinCount != 12 || u.PinSizeTotal == 0 || u.PinSizeWithReplicas < u.PinSizeTotal {
		t.Errorf("usage: %+v %v", u, err)
	}
}

func TestIteratorOutlivesClient(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	c, err := pinata.NewClientJWT(emu.JWT, atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PinBytes(ctx, []byte("a"), "a", nil); err != nil {
		t.Fatal(err)
	}
	it, err := c.PinListIterator(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	c.Close()
	if !it.Next() || it.Next() || it.Err() != nil {
		t.Fatalf("iterator after the client was closed: %v", it.Err())
	}
	if _, err := c.PinListIterator(ctx, nil); !errors.Is(err, pinata.ErrClosed) {
		t.Errorf("PinListIterator on a closed client: %v", err)
	}
}
