package pinata_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// Many clients, iterators and results made and dropped (some closed, most not) with
// collections in between: nothing crashes, and the finalizers free what was dropped.
func TestGCPressure(t *testing.T) {
	reset(t)
	baseLive, baseFinalized := pinata.LiveHandles(), pinata.FinalizedHandles()
	ctx := context.Background()
	dropped := 0
	var cancels []context.CancelFunc
	for i := 0; i < 300; i++ {
		c, err := pinata.NewClientJWT(emu.JWT, atEmu()...)
		if err != nil {
			t.Fatal(err)
		}
		switch i % 6 {
		case 0:
			if _, err := c.TestAuth(ctx); err != nil {
				t.Fatal(err)
			}
		case 1:
			r, err := c.PinBytes(ctx, []byte(fmt.Sprintf("gc %d", i%20)), "gc.txt", &pinata.PinOptions{
				Name:      "gc",
				KeyValues: map[string]any{"i": i},
				Progress:  func(sent, total uint64) bool { return true },
			})
			if err != nil || r.CID == "" {
				t.Fatal(r, err)
			}
		case 2:
			// An iterator left open, on a context that is never cancelled before
			// the iterator becomes garbage.
			ictx, cancel := context.WithCancel(ctx)
			cancels = append(cancels, cancel)
			it, err := c.PinListIterator(ictx, &pinata.PinListQuery{PageSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			it.Next()
			dropped++
		case 3:
			if _, err := c.ListKeys(ctx, nil); err != nil {
				t.Fatal(err)
			}
		case 4:
			// A cancelled call: the derived client and cancel flag are freed too.
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if _, err := c.Usage(cctx); !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
		}
		if i%7 == 0 {
			c.Close()
		} else {
			dropped++
		}
		if i%25 == 0 {
			runtime.GC()
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for pinata.LiveHandles() > baseLive && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	for _, cancel := range cancels {
		cancel()
	}
	if live := pinata.LiveHandles(); live != baseLive {
		t.Errorf("%d handles still alive after GC (baseline %d)", live, baseLive)
	}
	if fin := pinata.FinalizedHandles() - baseFinalized; fin < int64(dropped) {
		t.Errorf("finalizers freed %d handles, want at least %d", fin, dropped)
	} else {
		t.Logf("finalizers freed %d dropped handles", fin)
	}
}

// Several goroutines share one client; some of their contexts are cancelled.
func TestConcurrentUse(t *testing.T) {
	reset(t)
	c := newClient(t)
	const workers, rounds = 8, 12
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				var err error
				switch i % 6 {
				case 0:
					_, err = c.TestAuth(ctx)
				case 1:
					_, err = c.PinBytes(ctx, []byte(fmt.Sprintf("worker %d round %d", g, i)), "w.txt",
						&pinata.PinOptions{Name: fmt.Sprintf("w%d", g), Progress: func(uint64, uint64) bool { return true }})
				case 2:
					for _, e := range c.PinList(ctx, &pinata.PinListQuery{PageSize: 3}) {
						if e != nil {
							err = e
						}
					}
				case 3:
					_, err = c.Usage(ctx)
				case 4:
					_, err = c.ListKeys(ctx, nil)
				case 5:
					// A call whose context is cancelled by another goroutine right away.
					cctx, ccancel := context.WithCancel(ctx)
					go ccancel()
					_, err = c.PinBytes(cctx, make([]byte, 256<<10), "c.bin", nil)
					if err != nil && !errors.Is(err, context.Canceled) {
						err = fmt.Errorf("cancelled call: %w", err)
					} else {
						err = nil
					}
					ccancel()
				}
				cancel()
				if err != nil {
					errs <- fmt.Errorf("worker %d round %d: %w", g, i, err)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	for _, err := range c.PinList(context.Background(), &pinata.PinListQuery{NameContains: "w"}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != workers*2 {
		t.Errorf("%d pins from the workers, want %d", n, workers*2)
	}
}

// Close waits for the calls in flight, and later calls fail with ErrClosed. The call
// in flight is held by the emulator until its context is cancelled, so Close cannot
// return before that cancel unless it fails to wait; once the call has ended (with the
// cancel's error), Close returns. Nothing here depends on how fast anything runs: a
// Close that returned early is caught whenever it returns before the cancel.
func TestCloseWaitsForCallsInFlight(t *testing.T) {
	reset(t)
	c, err := pinata.NewClientJWT(emu.JWT, atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "delay", "delay_ms": 20000, "times": 1})
	before := requestsTotal(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.TestAuth(ctx)
		done <- err
	}()
	// Close once the emulator holds the call (it counts a request as it arrives).
	for deadline := time.Now().Add(30 * time.Second); requestsTotal(t) == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the call never reached the emulator")
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ { // concurrent Close calls
		wg.Add(1)
		go func() { defer wg.Done(); c.Close() }()
	}
	closed := make(chan struct{})
	go func() { wg.Wait(); close(closed) }()
	// Give a Close that does not wait the time to return, then check that none has.
	time.Sleep(200 * time.Millisecond)
	select {
	case <-closed:
		t.Fatal("Close returned while the call was in flight")
	case err := <-done:
		t.Fatalf("the call in flight ended before its cancel: %v", err)
	default:
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("the call in flight: %v, want context.Canceled", err)
	}
	<-closed
	if _, err := c.TestAuth(context.Background()); !errors.Is(err, pinata.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}
