package pinata_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

func v3Client(t *testing.T) *pinata.Client {
	t.Helper()
	return newClient(t, pinata.WithUploadURL(emu.URL))
}

func TestV3UploadListUpdateDelete(t *testing.T) {
	ctx := context.Background()
	c := v3Client(t)
	tag := t.Name() + time.Now().Format("150405.000000")
	r, err := c.UploadBytes(ctx, []byte("v3 from Go "+tag), "hello.txt", &pinata.UploadOptions{
		Network: pinata.NetworkPublic, Name: "go-" + tag, KeyValues: map[string]string{"run": tag}, GroupID: "go-group",
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.File.IsDuplicate || r.CIDCheck != pinata.CIDVerified || r.LocalCID != r.File.CID {
		t.Fatalf("upload: %+v", r)
	}
	if r.File.KeyValues["run"] != tag || r.File.GroupID != "go-group" {
		t.Fatalf("row: %+v", r.File)
	}
	for i := 0; i < 4; i++ {
		if _, err := c.UploadBytes(ctx, []byte(tag+string(rune('a'+i))), "x.txt", &pinata.UploadOptions{
			Network: pinata.NetworkPublic, KeyValues: map[string]string{"run": tag},
		}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for row, err := range c.Files(ctx, pinata.NetworkPublic, &pinata.FileQuery{KeyValues: map[string]string{"run": tag}, Limit: 2, Order: pinata.DefaultOrder}) {
		if err != nil {
			t.Fatal(err)
		}
		if row.ID == "" {
			t.Fatal("empty row")
		}
		n++
	}
	if n != 5 {
		t.Fatalf("listed %d files, want 5 (over 3 pages)", n)
	}
	got, err := c.GetFile(ctx, pinata.NetworkPublic, r.File.ID)
	if err != nil || got.CID != r.File.CID {
		t.Fatalf("get: %+v %v", got, err)
	}
	u, err := c.UpdateFile(ctx, pinata.NetworkPublic, r.File.ID, pinata.FileUpdate{Name: "renamed"})
	if err != nil || u.Name != "renamed" {
		t.Fatalf("update: %+v %v", u, err)
	}
	if _, err := c.UpdateFile(ctx, pinata.NetworkPublic, r.File.ID, pinata.FileUpdate{}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("empty update: %v", err)
	}
	if err := c.DeleteFile(ctx, pinata.NetworkPublic, r.File.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetFile(ctx, pinata.NetworkPublic, r.File.ID); !errors.Is(err, pinata.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	// A cancelled context stops the call.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.UploadBytes(cctx, []byte("x"), "x", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestV3SignedUploadAndDownloadLink(t *testing.T) {
	ctx := context.Background()
	c := v3Client(t)
	priv := pinata.NetworkPrivate
	url, err := c.SignUploadURL(ctx, &pinata.SignOptions{Expires: time.Minute, Network: &priv, MaxFileSize: 100,
		AllowMimeTypes: []string{"text/plain"}, Name: "from-go-app"})
	if err != nil {
		t.Fatal(err)
	}
	// The app holds no credentials: an anonymous client carries the transport settings
	// (the TLS front's CA when the suite runs through it).
	app, err := pinata.NewClientAnonymous(atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if _, err := app.TestAuth(ctx); !errors.Is(err, pinata.ErrUnauthorized) {
		t.Fatalf("an anonymous client authenticated: %v", err)
	}
	r, err := app.UploadBytesSigned(ctx, url, []byte("app bytes\n"), "a.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.File.Name != "from-go-app" || r.CIDCheck != pinata.CIDVerified {
		t.Fatalf("signed upload: %+v", r)
	}
	// A client with credentials uses its settings too (never its credentials).
	dir := t.TempDir()
	writeFile(t, dir+"/b.txt", []byte("more app bytes\n"))
	if r, err := c.UploadFileSigned(ctx, url, dir+"/b.txt", nil); err != nil || r.File.Name != "from-go-app" {
		t.Fatalf("signed upload with a client: %+v %v", r, err)
	}
	if _, err := c.UploadFileSigned(ctx, url, dir+"/missing.txt", nil); !errors.Is(err, pinata.ErrIO) {
		t.Fatalf("missing file: %v", err)
	}
	if os.Getenv("PINATA_TEST_FRONT_CMD") == "" {
		// The package-level calls use a default client: system CAs only, so not
		// through the TLS front.
		if _, err := pinata.UploadBytesSigned(ctx, url, []byte("no client\n"), "n.txt", nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err = app.UploadBytesSigned(ctx, url, []byte("png"), "a.png", nil)
	if !errors.Is(err, pinata.ErrBadRequest) || strings.Contains(err.Error(), url) {
		t.Fatalf("refused MIME type: %v", err)
	}
	sig := url[strings.Index(url, "X-Signature=")+12:]
	if strings.Contains(err.Error(), sig) {
		t.Fatalf("the signature leaked: %v", err)
	}
	link, err := c.DownloadLink(ctx, emu.URL, r.File.CID, time.Minute)
	if err != nil || !strings.Contains(link, "/files/"+r.File.CID+"?") {
		t.Fatalf("link %q %v", link, err)
	}
}
