package pinata_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// A 64 MiB upload cancelled through its context from the first progress call.
func TestCancelMidUploadFromProgress(t *testing.T) {
	reset(t)
	c := newClient(t)
	path := bigFile(t, 64<<20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	var sentAtCancel, total uint64
	start := time.Now()
	_, err := c.PinFile(ctx, path, &pinata.PinOptions{Progress: func(sent, tot uint64) bool {
		if calls.Add(1) == 1 {
			sentAtCancel, total = sent, tot
			cancel()
		}
		return true // only the context stops it
	}})
	elapsed := time.Since(start)
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	var pe *pinata.Error
	if !errors.As(err, &pe) || pe.Status != pinata.StatusCancelled {
		t.Fatalf("not a *pinata.Error: %#v", err)
	}
	if total < 64<<20 || sentAtCancel >= total {
		t.Errorf("cancelled at %d of %d bytes: not mid-upload", sentAtCancel, total)
	}
	if elapsed > 10*time.Second {
		t.Errorf("cancellation took %v", elapsed)
	}
	t.Logf("cancelled after %d progress calls, %v; %d of %d bytes sent at the first call", calls.Load(), elapsed, sentAtCancel, total)
	// Nothing was pinned.
	u, err := c.Usage(context.Background())
	if err != nil || u.PinCount != 0 {
		t.Errorf("usage after a cancelled upload: %+v %v", u, err)
	}
	// The client still works afterwards.
	if _, err := c.TestAuth(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The raised flag was lowered (pinata_cancel_reset) and kept; the next call with a
	// cancellable context reuses it, and is not cancelled by it.
	if n := pinata.SpareCancels(c); n != 1 {
		t.Fatalf("%d spare cancel flags after the cancelled call, want 1", n)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	if _, err := c.TestAuth(ctx2); err != nil {
		t.Fatalf("a call reusing the cancelled call's flag: %v", err)
	}
	if n := pinata.SpareCancels(c); n != 1 {
		t.Fatalf("%d spare cancel flags after reuse, want 1", n)
	}
}

// The same, cancelled once a good part of the body is on the wire.
func TestCancelAfterBytesSent(t *testing.T) {
	reset(t)
	c := newClient(t)
	path := bigFile(t, 64<<20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var at atomic.Uint64
	_, err := c.PinFile(ctx, path, &pinata.PinOptions{Progress: func(sent, total uint64) bool {
		if sent >= 4<<20 && at.Load() == 0 {
			at.Store(sent)
			cancel()
		}
		return true
	}})
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if at.Load() == 0 || at.Load() >= 64<<20 {
		t.Errorf("cancelled at %d bytes", at.Load())
	}
}

// A progress callback returning false stops the upload without any context.
func TestProgressReturnFalse(t *testing.T) {
	c := newClient(t)
	path := bigFile(t, 8<<20)
	_, err := c.PinFile(context.Background(), path, &pinata.PinOptions{Progress: func(sent, total uint64) bool { return false }})
	if !errors.Is(err, pinata.ErrCancelled) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// A panic in the progress callback reaches the caller after the C call returned.
func TestProgressPanic(t *testing.T) {
	c := newClient(t)
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v", r)
		}
		if _, err := c.TestAuth(context.Background()); err != nil {
			t.Fatal(err)
		}
	}()
	_, _ = c.PinBytes(context.Background(), make([]byte, 1<<20), "p.bin", &pinata.PinOptions{Progress: func(sent, total uint64) bool { panic("boom") }})
	t.Fatal("no panic")
}

// A context done before the call makes no request at all.
func TestPreCancelledContext(t *testing.T) {
	reset(t)
	c := newClient(t)
	path := bigFile(t, 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := requestsTotal(t)
	calls := 0
	_, err := c.PinFile(ctx, path, &pinata.PinOptions{Progress: func(uint64, uint64) bool { calls++; return true }})
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("PinFile: %v", err)
	}
	if _, err := c.TestAuth(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("TestAuth: %v", err)
	}
	yielded := 0
	for _, err := range c.PinList(ctx, nil) {
		yielded++
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("PinList: %v", err)
		}
	}
	if yielded != 1 {
		t.Errorf("PinList yielded %d times, wanted exactly one error", yielded)
	}
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	if _, err := c.Usage(dctx); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("Usage with a past deadline: %v", err)
	}
	if after := requestsTotal(t); after != before+0 || calls != 0 {
		t.Errorf("requests %v -> %v, progress calls %d", before, after, calls)
	}
}

// A deadline interrupts a call in flight whose response drips one byte a second.
func TestDeadlineSlowDrip(t *testing.T) {
	reset(t)
	c := newClient(t)
	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "slow_drip", "interval_ms": 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.TestAuth(ctx)
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("err = %v", err)
	}
	if elapsed < 400*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("returned after %v", elapsed)
	}
}

// A deadline interrupts an upload stalled by a server that waits before reading.
func TestDeadlineDelayedUpload(t *testing.T) {
	reset(t)
	c := newClient(t)
	path := bigFile(t, 64<<20)
	fault(t, map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "delay", "delay_ms": 30000})
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	var last atomic.Uint64
	_, err := c.PinFile(ctx, path, &pinata.PinOptions{Progress: func(sent, total uint64) bool { last.Store(sent); return true }})
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, pinata.ErrCancelled) {
		t.Fatalf("err = %v", err)
	}
	if elapsed > 10*time.Second {
		t.Errorf("returned after %v", elapsed)
	}
	if last.Load() >= 64<<20 {
		t.Errorf("the whole body went out (%d bytes) before the deadline", last.Load())
	}
	t.Logf("interrupted after %v with %d bytes sent", elapsed, last.Load())
}

// Cancelling a context from another goroutine interrupts a listing in flight.
func TestCancelFromAnotherGoroutine(t *testing.T) {
	reset(t)
	c := newClient(t)
	fault(t, map[string]any{"path": "/data/pinList", "kind": "slow_drip", "interval_ms": 200})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var got error
	for _, err := range c.PinList(ctx, nil) {
		got = err
	}
	if !errors.Is(got, context.Canceled) {
		t.Fatalf("err = %v", got)
	}
}
