package pinata_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// These examples are compiled, not run: they need an account or the emulator.

func Example() {
	client, err := pinata.NewClientJWT(os.Getenv("PINATA_JWT"))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := client.PinFile(ctx, "site/", &pinata.PinOptions{
		Name:       "my site",
		KeyValues:  map[string]any{"env": "prod", "build": 42},
		CIDVersion: pinata.Int(1),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.CID, res.CIDCheck)
}

func ExampleClient_PinList() {
	client, _ := pinata.NewClientJWT(os.Getenv("PINATA_JWT"))
	defer client.Close()
	q := &pinata.PinListQuery{
		Status:    pinata.PinStatusPinned,
		KeyValues: []pinata.KeyValueFilter{{Key: "build", Op: pinata.OpBetween, Value: 40, SecondValue: 50}},
	}
	for row, err := range client.PinList(context.Background(), q) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(row.CID, row.Name, row.KeyValues)
	}
}

func ExampleError() {
	client, _ := pinata.NewClientJWT(os.Getenv("PINATA_JWT"))
	defer client.Close()
	err := client.Unpin(context.Background(), "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne")
	var pe *pinata.Error
	switch {
	case errors.Is(err, pinata.ErrNotFound):
		fmt.Println("not pinned by this account")
	case errors.Is(err, pinata.ErrRateLimited) && errors.As(err, &pe):
		fmt.Println("slow down for", pe.RetryAfter)
	case errors.Is(err, context.Canceled):
		fmt.Println("cancelled")
	case err != nil:
		log.Fatal(err)
	}
}

func ExamplePinOptions_progress() {
	client, _ := pinata.NewClientJWT(os.Getenv("PINATA_JWT"))
	defer client.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // or from another goroutine: stops the upload mid-transfer
	_, err := client.PinFile(ctx, "video.mp4", &pinata.PinOptions{
		Progress: func(sent, total uint64) bool {
			fmt.Printf("\r%d/%d", sent, total)
			return true // false cancels
		},
	})
	if errors.Is(err, pinata.ErrCancelled) {
		fmt.Println("cancelled")
	}
}
