// The libpinata Go quickstart: authenticate, pin a file with metadata, list pins,
// unpin it.
//
//	PINATA_JWT=<JWT> [PINATA_API_URL=http://127.0.0.1:PORT] go run .
//
// `go run .` links an installed libpinata (pkg-config); inside this repository,
// after `make target/debug/pinata-static.pc`, use `go run -tags pinata_repo .`.
// Without PINATA_API_URL it talks to https://api.pinata.cloud. From the repository
// root, `examples/run-demo.sh <binary>` runs a built copy against a fresh local
// emulator.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

func main() {
	os.Exit(run())
}

func run() int {
	jwt := os.Getenv("PINATA_JWT")
	if jwt == "" {
		fmt.Fprintln(os.Stderr, "set PINATA_JWT (and PINATA_API_URL for the emulator)")
		return 2
	}
	url := os.Getenv("PINATA_API_URL")
	var opts []pinata.Option
	if url != "" {
		opts = append(opts, pinata.WithBaseURL(url))
	} else {
		url = "https://api.pinata.cloud"
	}
	fmt.Printf("libpinata %s (Go binding) talking to %s\n", pinata.Version(), url)

	// Ctrl-C cancels whatever call is in flight; the whole run gets two minutes.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	client, err := pinata.NewClientJWT(jwt, opts...)
	if err != nil {
		return fail("creating a client", err)
	}
	defer client.Close()

	fmt.Println("1. Test authentication")
	msg, err := client.TestAuth(ctx)
	if err != nil {
		return fail("testAuthentication", err)
	}
	fmt.Println("  ", msg)

	fmt.Println("2. Pin a file with metadata")
	dir, err := os.MkdirTemp("", "pinata-quickstart")
	if err != nil {
		return fail("making a temporary directory", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hello-from-go.txt")
	content := fmt.Sprintf("Hello from the libpinata Go quickstart, %s\n", time.Now().UTC().Format(time.RFC3339Nano))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return fail("writing the file", err)
	}
	sentAll := false
	res, err := client.PinFile(ctx, path, &pinata.PinOptions{
		Name:       "go-quickstart",
		KeyValues:  map[string]any{"example": "quickstart", "lang": "go", "bytes": len(content)},
		CIDVersion: pinata.Int(1),
		Progress: func(sent, total uint64) bool {
			if sent == total && !sentAll { // called about once a second and as bytes move
				sentAll = true
				fmt.Printf("   request body sent: %d bytes\n", total)
			}
			return true // false would cancel the upload
		},
	})
	if err != nil {
		return fail("pinFileToIPFS", err)
	}
	fmt.Printf("   pinned %s (%d bytes, CID check: %s)\n", res.CID, res.Size, res.CIDCheck)

	fmt.Println("3. List the pins made by this example")
	n := 0
	for row, err := range client.PinList(ctx, &pinata.PinListQuery{
		Status:    pinata.PinStatusPinned,
		KeyValues: []pinata.KeyValueFilter{{Key: "example", Op: pinata.OpEQ, Value: "quickstart"}},
	}) {
		if err != nil {
			return fail("pinList", err)
		}
		n++
		fmt.Printf("   %s  %-14s %6d bytes  pinned %s  %v\n", row.CID, row.Name, row.Size,
			row.DatePinned.Format(time.RFC3339), row.KeyValues)
	}
	if n == 0 {
		fmt.Println("   (the new pin is not listed yet)")
	}

	fmt.Println("4. Unpin it")
	if err := client.Unpin(ctx, res.CID); err != nil {
		return fail("unpin", err)
	}
	fmt.Println("   unpinned", res.CID)
	// A second unpin is refused: errors.Is matches the status.
	err = client.Unpin(ctx, res.CID)
	var pe *pinata.Error
	switch {
	case errors.Is(err, pinata.ErrNotFound) && errors.As(err, &pe):
		fmt.Printf("   unpinning again: not found (HTTP %d, %s), as expected\n", pe.HTTPStatus, pe.Reason)
	default:
		return fail("second unpin (wanted ErrNotFound)", err)
	}
	fmt.Println("quickstart: every step behaved as expected")
	return 0
}

// fail prints a failed step and returns the exit status.
func fail(what string, err error) int {
	fmt.Fprintf(os.Stderr, "%s failed: %v\n", what, err)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintln(os.Stderr, "(cancelled)")
	}
	return 1
}
