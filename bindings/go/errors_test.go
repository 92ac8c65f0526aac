package pinata_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

var sentinels = []*pinata.Error{
	pinata.ErrInvalidArgument, pinata.ErrIO, pinata.ErrNetwork, pinata.ErrTimeout, pinata.ErrCancelled,
	pinata.ErrUnauthorized, pinata.ErrForbidden, pinata.ErrNotFound, pinata.ErrRateLimited,
	pinata.ErrBadRequest, pinata.ErrServer, pinata.ErrProtocol, pinata.ErrIntegrity, pinata.ErrInternal,
	pinata.ErrTLS,
}

// Each status matches its sentinel and no other, also when wrapped.
func TestSentinels(t *testing.T) {
	for i, s := range sentinels {
		if s.Status != pinata.Status(i+1) {
			t.Fatalf("sentinel %d has status %v", i, s.Status)
		}
		if !strings.Contains(s.Error(), s.Status.String()) {
			t.Errorf("sentinel text %q", s.Error())
		}
		e := &pinata.Error{Status: pinata.Status(i + 1), Message: "m"}
		wrapped := fmt.Errorf("doing it: %w", e)
		for j, o := range sentinels {
			if errors.Is(wrapped, o) != (i == j) {
				t.Errorf("status %v vs sentinel %v: %v", e.Status, o.Status, errors.Is(wrapped, o))
			}
		}
	}
	if errors.Is(&pinata.Error{Status: pinata.StatusNotFound}, &pinata.Error{Status: pinata.StatusNotFound}) {
		t.Error("a non-sentinel target matched")
	}
}

// Every status the emulator can produce, checked through errors.Is and errors.As.
func TestErrorsFromTheService(t *testing.T) {
	reset(t)
	ctx := ctxT(t)
	fast := []pinata.Option{pinata.WithRetries(0, 0), pinata.WithRequestTimeout(2 * time.Second)}
	c := newClient(t, fast...)

	expect := func(name string, err error, want *pinata.Error, http int) *pinata.Error {
		t.Helper()
		var pe *pinata.Error
		if !errors.Is(err, want) || !errors.As(err, &pe) {
			t.Errorf("%s: got %v, want %v", name, err, want)
			return &pinata.Error{}
		}
		if http >= 0 && pe.HTTPStatus != http {
			t.Errorf("%s: HTTP %d, want %d", name, pe.HTTPStatus, http)
		}
		if pe.Message == "" {
			t.Errorf("%s: empty message", name)
		}
		return pe
	}

	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "status", "status": 429, "retry_after": 7, "times": 1})
	_, err := c.TestAuth(ctx)
	if pe := expect("429", err, pinata.ErrRateLimited, 429); pe.RetryAfter != 7*time.Second {
		t.Errorf("Retry-After %v", pe.RetryAfter)
	}

	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "status", "status": 503, "times": 1})
	_, err = c.TestAuth(ctx)
	expect("503", err, pinata.ErrServer, 503)

	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "status", "status": 418, "times": 1})
	_, err = c.TestAuth(ctx)
	expect("418", err, pinata.ErrBadRequest, 418)

	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "status", "status": 404, "times": 1})
	_, err = c.TestAuth(ctx)
	expect("404", err, pinata.ErrNotFound, 404)

	fault(t, map[string]any{"path": "/data/userPinnedDataTotal", "kind": "malformed_json", "times": 1})
	_, err = c.Usage(ctx)
	expect("malformed JSON", err, pinata.ErrProtocol, -1)

	fault(t, map[string]any{"path": "/data/testAuthentication", "kind": "delay", "delay_ms": 5000, "times": 1})
	_, err = c.TestAuth(ctx)
	expect("timeout", err, pinata.ErrTimeout, 0)

	// A cap too small for an error answer is refused.
	if _, err := pinata.NewClientJWT(emu.JWT, append(fast, pinata.WithMaxResponseBytes(65535))...); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Errorf("a cap of 65535: got %v, want ErrInvalidArgument", err)
	}
	// An answer past the client's cap, chunked so that only the cap stops it.
	small := newClient(t, append(fast, pinata.WithMaxResponseBytes(1<<20))...)
	fault(t, map[string]any{"path": "/data/userPinnedDataTotal", "kind": "huge_body", "size_mb": 2, "chunked": true, "times": 1})
	_, err = small.Usage(ctx)
	expect("answer cap", err, pinata.ErrProtocol, -1)
	if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("answer cap: %v", err)
	}

	// An upload the server stops reading: the stall timeout.
	stall := newClient(t, append(fast, pinata.WithStallTimeout(500*time.Millisecond))...)
	fault(t, map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "delay", "delay_ms": 20000, "times": 1})
	_, err = stall.PinFile(ctx, bigFile(t, 32<<20), nil)
	expect("stall", err, pinata.ErrTimeout, 0)
	hook(t, "DELETE", "/__emulator/faults", nil)

	// A service answering with another CID than the content's.
	fault(t, map[string]any{"path": "/pinning/pinFileToIPFS", "kind": "status", "status": 200, "times": 1,
		"body": map[string]any{"IpfsHash": "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "PinSize": 20, "Timestamp": "2024-01-01T00:00:00.000Z"}})
	_, err = c.PinBytes(ctx, []byte("Hello World!"), "h.txt", nil)
	expect("integrity", err, pinata.ErrIntegrity, -1)

	// Nothing listens on the port of a closed listener.
	nc, err := pinata.NewClientJWT(emu.JWT, append(fast, pinata.WithBaseURL("http://127.0.0.1:1"))...)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_, err = nc.TestAuth(ctx)
	expect("network", err, pinata.ErrNetwork, 0)

	_, err = c.PinFile(ctx, "/nonexistent/file", nil)
	expect("io", err, pinata.ErrIO, 0)
	err = c.Unpin(ctx, "garbage")
	expect("invalid", err, pinata.ErrInvalidArgument, 0)

	bad, _ := pinata.NewClientJWT("x.y.z", atEmu()...)
	defer bad.Close()
	_, err = bad.TestAuth(ctx)
	expect("unauthorized", err, pinata.ErrUnauthorized, 401)

	key, err := c.CreateKey(ctx, "nothing", pinata.Permissions{Endpoints: []pinata.Endpoint{pinata.EndpointPinJobs}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	limited, _ := pinata.NewClientJWT(key.JWT, atEmu()...)
	defer limited.Close()
	_, err = limited.Usage(ctx)
	expect("forbidden", err, pinata.ErrForbidden, 403)

	_, err = c.PinFile(ctx, bigFile(t, 1<<20), &pinata.PinOptions{Progress: func(uint64, uint64) bool { return false }})
	expect("cancelled", err, pinata.ErrCancelled, 0)

	// The internal status cannot be provoked from outside; its sentinel still matches.
	if !errors.Is(&pinata.Error{Status: pinata.StatusInternal}, pinata.ErrInternal) {
		t.Error("internal")
	}
}
