package pinata_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// TestAuth and PinJSON park in the netpoller between the steps of their calls
// (stepped.go). These tests cover what only that path has: the context watcher wakes
// a parked goroutine, libcurl's timer (a retry's backoff) wakes it, many goroutines
// share a Client's call descriptors, and Close closes them.

// A cancel ends a call parked while the emulator holds its answer for two minutes.
// (The watcher wakes the goroutine at once; libcurl's once-a-second progress timer
// would also let the next step see the cancel flag, so this test cannot tell the two
// apart: it fails only if a parked call ignores the cancel until the answer comes.)
func TestSteppedCancelEndsParkedCall(t *testing.T) {
	reset(t)
	c := newClient(t, pinata.WithRequestTimeout(5*time.Minute))
	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "delay", "delay_ms": 120000, "times": 1})
	before := requestsTotal(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan error, 1)
	go func() {
		_, err := c.TestAuth(ctx)
		got <- err
	}()
	for requestsTotal(t) == before {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-got:
		if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the cancelled call stayed parked while the emulator held its answer")
	}
	// The client serves the next call.
	if _, err := c.TestAuth(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

// Two 503 answers are retried after their backoff: the step's wait becomes the
// poller's deadline (nothing arrives on the descriptor meanwhile).
func TestSteppedRetryAfterBackoff(t *testing.T) {
	reset(t)
	c := newClient(t, pinata.WithBackoff(50*time.Millisecond, 100*time.Millisecond))
	fault(t, map[string]any{"path": "/pinning/pinJSONToIPFS", "kind": "status", "status": 503, "times": 2})
	before := requestsTotal(t)
	r, err := c.PinJSON(ctxT(t), map[string]any{"retried": true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.CIDCheck != pinata.CIDVerified || r.LocalCID != r.CID {
		t.Errorf("check %v, local %q, service %q", r.CIDCheck, r.LocalCID, r.CID)
	}
	if n := requestsTotal(t) - before; n != 3 {
		t.Errorf("%v requests, want 3 (two refused, one pinned)", n)
	}
	// Past the retries, the error is the blocking call's.
	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "status", "status": 401, "times": 1})
	if _, err := c.TestAuth(ctxT(t)); !errors.Is(err, pinata.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
}

// Eight goroutines pin JSON and check credentials on one Client at once; each answer
// is its own (the CIDs match the documents sent).
func TestSteppedCallsFromManyGoroutines(t *testing.T) {
	reset(t)
	c := newClient(t)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*2)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				doc := map[string]any{"worker": w, "i": i}
				r, err := c.PinJSON(context.Background(), doc, nil)
				if err != nil {
					errs <- err
					continue
				}
				if r.CIDCheck != pinata.CIDVerified || r.LocalCID != r.CID {
					errs <- fmt.Errorf("worker %d pin %d: check %v, local %q, service %q", w, i, r.CIDCheck, r.LocalCID, r.CID)
				}
				if _, err := c.TestAuth(ctxT(t)); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

// Close releases every descriptor the stepped calls used: the library's poll sets,
// their connections and the netpoller's duplicates.
func TestSteppedCloseReleasesDescriptors(t *testing.T) {
	reset(t)
	// Warm up what the process opens once (libcurl's globals, the netpoller).
	warm := newClient(t)
	if _, err := warm.TestAuth(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	warm.Close()
	before := openFDs(t)
	c, err := pinata.NewClientJWT(emu.JWT, append([]pinata.Option{pinata.WithBaseURL(emu.URL)}, frontOptions()...)...)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := c.TestAuth(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if during := openFDs(t); during <= before {
		t.Errorf("%d descriptors open with the client, %d before: the calls used none?", during, before)
	}
	c.Close()
	if after := openFDs(t); after != before {
		t.Errorf("%d descriptors open after Close, %d before", after, before)
	}
}

// A JSON pin allocates only what it returns (the result, its CID and its raw JSON):
// the call, its step function and the document's NUL-terminated copy are pooled.
func TestPinJSONAllocatesOnlyItsResult(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items at random")
	}
	reset(t)
	c := newClient(t)
	ctx := context.Background()
	// Converted to an interface once: each conversion allocates a slice header.
	var doc any = json.RawMessage(`{"allocations":"counted"}`)
	opts := &pinata.PinOptions{VerifyCID: pinata.Bool(false)}
	var err error
	pin := func() {
		if _, e := c.PinJSON(ctx, doc, opts); e != nil && err == nil {
			err = e
		}
	}
	pin()
	allocs := testing.AllocsPerRun(200, pin)
	if err != nil {
		t.Fatal(err)
	}
	if allocs > 3 {
		t.Fatalf("PinJSON allocated %.1f times per call, want at most 3", allocs)
	}
}
