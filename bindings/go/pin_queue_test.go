package pinata_test

import (
	"context"
	"errors"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

const (
	queueCIDA = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
	queueCIDB = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
)

// advanceJob moves a queued request with the emulator's hook ("" = one step).
func advanceJob(t *testing.T, id, status string) {
	t.Helper()
	var body any
	if status != "" {
		body = map[string]string{"status": status}
	}
	hook(t, "POST", "/__emulator/pin-jobs/"+id+"/advance", body)
}

func TestFilesPinQueueListCancel(t *testing.T) {
	reset(t)
	c := newClient(t)
	ctx := ctxT(t)
	r, err := c.FilesPinByCID(ctx, queueCIDA, &pinata.FilesPinOptions{
		Name: "queued", KeyValues: map[string]string{"env": "go"}, GroupID: "g",
		HostNodes: []string{"/ip4/127.0.0.1/tcp/4001"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || r.CID != queueCIDA || r.Name != "queued" || r.Status != "prechecking" || r.DateQueued.IsZero() {
		t.Fatalf("queued request: %+v", r)
	}
	r2, err := c.FilesPinByCID(ctx, queueCIDB, nil)
	if err != nil || r2.Name != queueCIDB {
		t.Fatalf("queue with nil options: %+v %v", r2, err)
	}
	// The whole queue in pages of one, oldest first.
	var ids []string
	for q, err := range c.FilesPinQueue(ctx, &pinata.PinQueueQuery{Order: pinata.Ascending, Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.ID)
	}
	if len(ids) != 2 || ids[0] != r.ID || ids[1] != r2.ID {
		t.Fatalf("queue: %v, want [%s %s]", ids, r.ID, r2.ID)
	}
	// Filters.
	n := 0
	for q, err := range c.FilesPinQueue(ctx, &pinata.PinQueueQuery{CID: queueCIDB, Status: "prechecking", Order: pinata.DefaultOrder}) {
		if err != nil {
			t.Fatal(err)
		}
		if q.ID != r2.ID {
			t.Fatalf("filtered queue gave %+v", q)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("filtered queue: %d rows", n)
	}
	for _, err := range c.FilesPinQueue(ctx, &pinata.PinQueueQuery{Limit: 5000}) {
		if !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Fatalf("limit 5000: %v", err)
		}
	}
	if err := c.FilesPinCancel(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.FilesPinCancel(ctx, r.ID); !errors.Is(err, pinata.ErrNotFound) {
		t.Fatalf("second cancel: %v", err)
	}
	if _, err := c.FilesPinByCID(ctx, "not-a-cid", nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad CID: %v", err)
	}
	if _, err := c.FilesPinByCID(ctx, queueCIDA, &pinata.FilesPinOptions{HostNodes: []string{"nope"}}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad host node: %v", err)
	}
}

func TestFilesPinWait(t *testing.T) {
	reset(t)
	c := newClient(t)
	ctx := ctxT(t)
	fast := func(steps ...string) (*pinata.WaitOptions, *[]string, *string) {
		var seen []string
		id := new(string)
		return &pinata.WaitOptions{Interval: 5 * time.Millisecond, MaxInterval: 10 * time.Millisecond,
			OnStatus: func(s string) bool {
				if len(seen) < len(steps) {
					advanceJob(t, *id, steps[len(seen)])
				}
				seen = append(seen, s)
				return true
			}}, &seen, id
	}

	// To pinned: each status once, and the request is then a public file.
	r, err := c.FilesPinByCID(ctx, queueCIDA, &pinata.FilesPinOptions{Name: "waited"})
	if err != nil {
		t.Fatal(err)
	}
	o, seen, id := fast("", "pinned")
	*id = r.ID
	done, err := c.FilesPinWait(ctx, *r, o)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Pinned() || done.ID != r.ID || done.CID != queueCIDA || done.Name != "waited" {
		t.Fatalf("settled request: %+v", done)
	}
	if want := []string{"prechecking", "searching", "pinned"}; len(*seen) != 3 || (*seen)[0] != want[0] || (*seen)[1] != want[1] || (*seen)[2] != want[2] {
		t.Fatalf("statuses %v, want %v", *seen, want)
	}
	found := false
	for f, err := range c.Files(ctx, pinata.NetworkPublic, &pinata.FileQuery{CID: queueCIDA}) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || f.CID == queueCIDA
	}
	if !found {
		t.Fatal("the pinned request is not a public file")
	}

	// A failure is returned at once, without error, by id alone.
	r, err = c.FilesPinByCID(ctx, queueCIDB, nil)
	if err != nil {
		t.Fatal(err)
	}
	o, _, id = fast("expired")
	*id = r.ID
	done, err = c.FilesPinWait(ctx, pinata.PinRequest{ID: r.ID}, o)
	if err != nil {
		t.Fatal(err)
	}
	if done.Pinned() || done.Status != "expired" || done.CID != queueCIDB {
		t.Fatalf("failed request: %+v", done)
	}

	// Stuck: the budget runs out; the callback stops it; ctx cancels it mid-wait.
	r, err = c.FilesPinByCID(ctx, queueCIDB, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.FilesPinWait(ctx, *r, &pinata.WaitOptions{Budget: 100 * time.Millisecond, Interval: 10 * time.Millisecond})
	if !errors.Is(err, pinata.ErrTimeout) {
		t.Fatalf("budget: %v", err)
	}
	calls := 0
	_, err = c.FilesPinWait(ctx, *r, &pinata.WaitOptions{Interval: 10 * time.Millisecond,
		OnStatus: func(string) bool { calls++; return false }})
	if !errors.Is(err, pinata.ErrCancelled) || calls != 1 {
		t.Fatalf("callback stop: %v after %d calls", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = c.FilesPinWait(cctx, *r, &pinata.WaitOptions{Interval: 10 * time.Millisecond, MaxInterval: time.Second})
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("ctx cancel: %v", err)
	}

	// Cancelled, unknown and bad arguments.
	if err := c.FilesPinCancel(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FilesPinWait(ctx, *r, &pinata.WaitOptions{Interval: 5 * time.Millisecond}); !errors.Is(err, pinata.ErrNotFound) {
		t.Fatalf("cancelled request: %v", err)
	}
	if _, err := c.FilesPinWait(ctx, pinata.PinRequest{}, nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("empty id: %v", err)
	}
	if _, err := c.FilesPinWait(ctx, pinata.PinRequest{ID: "x", CID: "nope"}, nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad CID: %v", err)
	}
	if _, err := c.FilesPinWait(ctx, pinata.PinRequest{ID: "x"}, &pinata.WaitOptions{Interval: time.Second, MaxInterval: time.Millisecond}); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("interval above max: %v", err)
	}
}
