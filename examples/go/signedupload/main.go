// Command signedupload shows the native-app pattern of Pinata's v3 Files API with the
// Go binding of libpinata: a backend (holding the JWT) signs an upload URL, an app
// uploads with that URL alone (no credentials), and the backend lists the private file
// and makes a download link for it.
//
//	PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] [PINATA_GATEWAY_URL=https://NAME.mypinata.cloud] signedupload
//
// Against the emulator, PINATA_API_URL serves the API, uploads and the gateway.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "signedupload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	jwt, api, gateway := os.Getenv("PINATA_JWT"), os.Getenv("PINATA_API_URL"), os.Getenv("PINATA_GATEWAY_URL")
	if jwt == "" {
		return fmt.Errorf("set PINATA_JWT (and PINATA_API_URL for the emulator)")
	}
	if gateway == "" {
		gateway = api
	}
	if gateway == "" {
		return fmt.Errorf("set PINATA_GATEWAY_URL to your gateway (https://NAME.mypinata.cloud)")
	}
	var opts []pinata.Option
	if api != "" {
		opts = append(opts, pinata.WithBaseURL(api), pinata.WithUploadURL(api))
	}
	backend, err := pinata.NewClientJWT(jwt, opts...)
	if err != nil {
		return err
	}
	defer backend.Close()

	// 1. The backend signs: private, five minutes, text up to 1 MB, its own name.
	private := pinata.NetworkPrivate
	url, err := backend.SignUploadURL(ctx, &pinata.SignOptions{
		Expires: 5 * time.Minute, Network: &private, MaxFileSize: 1 << 20,
		AllowMimeTypes: []string{"text/plain"}, Name: "app note",
		KeyValues: map[string]string{"source": "go-app"},
	})
	if err != nil {
		return fmt.Errorf("backend: sign: %w", err)
	}
	fmt.Println("backend: signed an upload URL (not printed: it is a credential)")

	// 2. The app uploads with the URL alone.
	r, err := pinata.UploadBytesSigned(ctx, url, []byte("written by the Go app\n"), "note.txt", nil)
	if err != nil {
		return fmt.Errorf("app: upload: %w", err)
	}
	fmt.Printf("app: uploaded %s (CID check: %s)\n", r.File.CID, r.CIDCheck)

	// 3. The backend lists the private file and links to it.
	for row, err := range backend.Files(ctx, pinata.NetworkPrivate, &pinata.FileQuery{
		KeyValues: map[string]string{"source": "go-app"}, Order: pinata.DefaultOrder,
	}) {
		if err != nil {
			return fmt.Errorf("backend: list: %w", err)
		}
		fmt.Printf("backend: private file %s  %s  %d B  %s\n", row.ID, row.CID, row.Size, row.Name)
	}
	link, err := backend.DownloadLink(ctx, gateway, r.File.CID, time.Minute)
	if err != nil {
		return fmt.Errorf("backend: download link: %w", err)
	}
	fmt.Printf("backend: download link, valid 60 s:\n  %s\n", link)
	return nil
}
