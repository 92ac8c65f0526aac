// Command consumer is a Go program outside libpinata's repository: tests/install_check.sh
// copies it into a new module in a temporary folder, requires the Go binding (a
// replace to this checkout) and builds it against an installed libpinata through
// pkg-config only. It authenticates against PINATA_API_URL with PINATA_JWT and checks
// that a refused call is a *pinata.Error matching pinata.ErrUnauthorized.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go consumer:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := os.Getenv("PINATA_API_URL")
	client, err := pinata.NewClientJWT(os.Getenv("PINATA_JWT"), pinata.WithBaseURL(url))
	if err != nil {
		return err
	}
	defer client.Close()
	message, err := client.TestAuth(ctx)
	if err != nil {
		return err
	}

	refused, err := pinata.NewClientKeys("0123456789abcdef0123", "wrong-secret", pinata.WithBaseURL(url))
	if err != nil {
		return err
	}
	defer refused.Close()
	if _, err := refused.TestAuth(ctx); !errors.Is(err, pinata.ErrUnauthorized) {
		return fmt.Errorf("bad credentials: got %v, want ErrUnauthorized", err)
	}
	fmt.Printf("Go consumer, libpinata %s: %s\n", pinata.Version(), message)
	return nil
}
