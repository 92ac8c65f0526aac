package pinata_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

const (
	psaCID1 = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
	psaCID2 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
	psaPeer = "12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF"
)

func psaClient(t *testing.T) *pinata.PSAClient {
	t.Helper()
	p, err := newClient(t).PSA()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func TestPSALifecycle(t *testing.T) {
	reset(t)
	hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": 10})
	t.Cleanup(func() { hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": 100}) })
	ctx := ctxT(t)
	p := psaClient(t)
	r, err := p.Add(ctx, pinata.PSAPin{
		CID: psaCID1, Name: "go-psa", Meta: map[string]string{"k": "v"},
		Origins:            []string{"/ip4/192.168.1.2/tcp/4001/p2p/" + psaPeer, "/ip4/203.0.113.9/tcp/4001/p2p/" + psaPeer},
		DropPrivateOrigins: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != pinata.PSAQueued || r.Name != "go-psa" || r.CID != psaCID1 || r.Meta["k"] != "v" ||
		len(r.Origins) != 1 || len(r.Delegates) == 0 {
		t.Fatalf("add = %+v", r)
	}
	var seen []string
	done, err := p.Wait(ctx, r.RequestID, &pinata.WaitOptions{Interval: 5 * time.Millisecond,
		OnStatus: func(s string) bool { seen = append(seen, s); return true }})
	if err != nil || done.Status != pinata.PSAPinned || len(seen) == 0 || seen[len(seen)-1] != "pinned" {
		t.Fatalf("wait = %+v, %v (seen %v)", done, err, seen)
	}
	n := 0
	for req, err := range p.List(ctx, &pinata.PSAQuery{Name: "GO-", Match: pinata.PSAMatchIPartial, PageLimit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if req.RequestID == r.RequestID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("list found the request %d times", n)
	}
	rep, err := p.Replace(ctx, r.RequestID, pinata.PSAPin{CID: psaCID2})
	if err != nil || rep.RequestID == r.RequestID {
		t.Fatalf("replace = %+v, %v", rep, err)
	}
	if _, err := p.Get(ctx, r.RequestID); !errors.Is(err, pinata.ErrNotFound) {
		t.Fatalf("old id: %v", err)
	}
	if err := p.Delete(ctx, rep.RequestID); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(ctx, rep.RequestID); !errors.Is(err, pinata.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestPSAWaitCancelAndErrors(t *testing.T) {
	reset(t)
	hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": nil})
	t.Cleanup(func() { hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": 100}) })
	p := psaClient(t)
	r, err := p.Add(ctxT(t), pinata.PSAPin{CID: psaCID1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = p.Wait(ctx, r.RequestID, &pinata.WaitOptions{Interval: 10 * time.Millisecond})
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait past the context deadline: %v", err)
	}
	_, err = p.Wait(ctxT(t), r.RequestID, &pinata.WaitOptions{Budget: 100 * time.Millisecond, Interval: 10 * time.Millisecond})
	if !errors.Is(err, pinata.ErrTimeout) {
		t.Fatalf("wait past the budget: %v", err)
	}
	if _, err := p.Add(ctxT(t), pinata.PSAPin{CID: psaCID1, Origins: []string{"/ip4/1.2.3.4/tcp/1/p2p/nope"}}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad origin: %v", err)
	}
	cids := make([]string, 11)
	for i := range cids {
		cids[i] = psaCID1
	}
	for _, err := range p.List(ctxT(t), &pinata.PSAQuery{CIDs: cids}) {
		if !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Fatalf("11 CIDs: %v", err)
		}
	}
	if _, err := p.Get(ctxT(t), "a\nb"); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("CR/LF id: %v", err)
	}
	kc, err := pinata.NewClientKeys(emu.APIKey, emu.APISecret, atEmu()...)
	if err != nil {
		t.Fatal(err)
	}
	defer kc.Close()
	if _, err := kc.PSA(); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("PSA of a key-pair client: %v", err)
	}
	if strings.HasPrefix(emu.URL, "http://") {
		direct, err := pinata.NewPSAClient(emu.URL+"/psa", emu.JWT)
		if err != nil {
			t.Fatal(err)
		}
		defer direct.Close()
		if got, err := direct.Get(ctxT(t), r.RequestID); err != nil || got.RequestID != r.RequestID {
			t.Fatalf("direct client: %+v, %v", got, err)
		}
		if err := direct.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := direct.Get(ctxT(t), r.RequestID); err == nil {
			t.Fatal("a closed client still works")
		}
	}
}

// WithPSARetries (pinata_psa_client_set_retry_policy): without retries one 503 fails
// the call; with two, two 503s are retried and the call succeeds.
func TestPSARetryPolicy(t *testing.T) {
	if !strings.HasPrefix(emu.URL, "http://") {
		t.Skip("NewPSAClient trusts the system CAs only: not through the TLS front")
	}
	reset(t)
	none, err := pinata.NewPSAClient(emu.URL+"/psa", emu.JWT, pinata.WithPSARetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	fault(t, map[string]any{"path": "/psa/pins", "method": "POST", "kind": "status", "status": 503, "times": 1})
	before := requestsTotal(t)
	_, err = none.Add(ctxT(t), pinata.PSAPin{CID: psaCID1})
	var pe *pinata.Error
	if !errors.Is(err, pinata.ErrServer) || !errors.As(err, &pe) || pe.HTTPStatus != 503 {
		t.Fatalf("no retries: %v", err)
	}
	if n := requestsTotal(t) - before; n != 1 {
		t.Fatalf("no retries: %v requests", n)
	}

	two, err := pinata.NewPSAClient(emu.URL+"/psa", emu.JWT, pinata.WithPSARetries(2, 30*time.Second), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	fault(t, map[string]any{"path": "/psa/pins", "method": "POST", "kind": "status", "status": 503, "times": 2})
	before = requestsTotal(t)
	r, err := two.Add(ctxT(t), pinata.PSAPin{CID: psaCID1})
	if err != nil || r.CID != psaCID1 {
		t.Fatalf("two retries: %+v %v", r, err)
	}
	if n := requestsTotal(t) - before; n != 3 {
		t.Fatalf("two retries: %v requests, want 3", n)
	}
}

// PSAClient.ListIterator and PSAIterator.Total (pinata_psa_list_iter_total): -1 before
// the first page, then the count the service reported; the iterator outlives Close of
// its client; a cancelled context and a closed iterator stop it.
func TestPSAListIteratorTotal(t *testing.T) {
	reset(t)
	hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": nil})
	t.Cleanup(func() { hook(t, "POST", "/__emulator/psa", map[string]any{"mode": "spec", "step_ms": 100}) })
	ctx := ctxT(t)
	p := psaClient(t)
	cids := []string{psaCID1, psaCID2, queueCIDA}
	for i, cid := range cids {
		if _, err := p.Add(ctx, pinata.PSAPin{CID: cid, Name: fmt.Sprintf("total-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Add(ctx, pinata.PSAPin{CID: queueCIDB, Name: "other"}); err != nil {
		t.Fatal(err)
	}
	q := &pinata.PSAQuery{Name: "total-", Match: pinata.PSAMatchPartial, PageLimit: 1,
		Statuses: []pinata.PSAStatus{pinata.PSAQueued, pinata.PSAPinning, pinata.PSAPinned, pinata.PSAFailed}}
	it, err := p.ListIterator(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	if n := it.Total(); n != -1 {
		t.Fatalf("total before the first page: %d", n)
	}
	if err := p.Close(); err != nil { // the iterator holds its own reference
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for it.Next() {
		seen[it.Request().CID] = true
		if n := it.Total(); n != int64(len(cids)) {
			t.Fatalf("total %d, want %d", n, len(cids))
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(cids) {
		t.Fatalf("listed %v, want the %d requests named total-*", seen, len(cids))
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	if it.Next() || it.Total() != -1 {
		t.Fatal("a closed iterator went on")
	}
	if _, err := p.ListIterator(ctx, q); !errors.Is(err, pinata.ErrClosed) {
		t.Fatalf("ListIterator on a closed client: %v", err)
	}

	// A context cancelled before the first page: Next fails with its error.
	p2 := psaClient(t)
	cctx, cancel := context.WithCancel(ctx)
	it2, err := p2.ListIterator(cctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer it2.Close()
	cancel()
	if it2.Next() || !errors.Is(it2.Err(), pinata.ErrCancelled) || !errors.Is(it2.Err(), context.Canceled) {
		t.Fatalf("cancelled iterator: %v", it2.Err())
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = psaCID1
	}
	if _, err := p2.ListIterator(ctx, &pinata.PSAQuery{CIDs: eleven}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("11 CIDs: %v", err)
	}
}
