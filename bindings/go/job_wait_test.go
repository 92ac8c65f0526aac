package pinata_test

import (
	"context"
	"errors"
	"testing"
	"time"

	pinata "github.com/libpinata/libpinata/bindings/go"
)

// PinJobWait waits on a job by the fields PinByCID copied (the C job is long freed).
func TestPinJobWait(t *testing.T) {
	reset(t)
	c := newClient(t)
	ctx := ctxT(t)
	const cidA = "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u"
	const cidB = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
	// Each new status moves the job one step on (to the next of steps).
	fast := func(id string, steps ...string) (*pinata.WaitOptions, *[]string) {
		var seen []string
		return &pinata.WaitOptions{Interval: 5 * time.Millisecond, MaxInterval: 10 * time.Millisecond,
			OnStatus: func(s string) bool {
				if len(seen) < len(steps) {
					advanceJob(t, id, steps[len(seen)])
				}
				seen = append(seen, s)
				return true
			}}, &seen
	}

	// To pinned: each status once; the job then leaves the queue and is found among
	// the pins by its CID.
	job, err := c.PinByCID(ctx, cidA, &pinata.PinOptions{Name: "waited"})
	if err != nil {
		t.Fatal(err)
	}
	o, seen := fast(job.ID, "", "pinned")
	done, err := c.PinJobWait(ctx, *job, o)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != "pinned" || done.ID != job.ID || done.CID != cidA {
		t.Fatalf("settled job: %+v", done)
	}
	if want := []string{"prechecking", "searching", "pinned"}; len(*seen) != 3 || (*seen)[0] != want[0] || (*seen)[1] != want[1] || (*seen)[2] != want[2] {
		t.Fatalf("statuses %v, want %v", *seen, want)
	}
	again, err := c.PinJobWait(ctx, *job, &pinata.WaitOptions{Interval: 5 * time.Millisecond})
	if err != nil || again.Status != "pinned" {
		t.Fatalf("second wait: %+v, %v", again, err)
	}

	// A failure is returned at once, without error.
	job, err = c.PinByCID(ctx, cidB, nil)
	if err != nil {
		t.Fatal(err)
	}
	o, _ = fast(job.ID, "expired")
	done, err = c.PinJobWait(ctx, *job, o)
	if err != nil || done.Status != "expired" || done.CID != cidB {
		t.Fatalf("failed job: %+v, %v", done, err)
	}

	// Stuck: the budget runs out; the callback stops it; ctx cancels it mid-wait; a
	// panic in the callback comes out of PinJobWait.
	job, err = c.PinByCID(ctx, cidB, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PinJobWait(ctx, *job, &pinata.WaitOptions{Budget: 100 * time.Millisecond, Interval: 10 * time.Millisecond})
	if !errors.Is(err, pinata.ErrTimeout) {
		t.Fatalf("budget: %v", err)
	}
	calls := 0
	_, err = c.PinJobWait(ctx, *job, &pinata.WaitOptions{Interval: 10 * time.Millisecond,
		OnStatus: func(string) bool { calls++; return false }})
	if !errors.Is(err, pinata.ErrCancelled) || calls != 1 {
		t.Fatalf("callback stop: %v after %d calls", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = c.PinJobWait(cctx, *job, &pinata.WaitOptions{Interval: 10 * time.Millisecond, MaxInterval: time.Second})
	if !errors.Is(err, pinata.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("ctx cancel: %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "from OnStatus" {
				t.Fatalf("recovered %v, want the callback's panic", r)
			}
		}()
		_, _ = c.PinJobWait(ctx, *job, &pinata.WaitOptions{Interval: 10 * time.Millisecond,
			OnStatus: func(string) bool { panic("from OnStatus") }})
		t.Fatal("PinJobWait returned after its callback panicked")
	}()

	// Unknown, and bad arguments.
	if _, err := c.PinJobWait(ctx, pinata.PinJob{ID: "no-such-job", CID: cidA + "x"}, nil); !errors.Is(err, pinata.ErrInvalidArgument) {
		t.Fatalf("bad CID: %v", err)
	}
	unknown := pinata.PinJob{ID: "no-such-job", CID: "QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4"}
	if _, err := c.PinJobWait(ctx, unknown, &pinata.WaitOptions{Interval: 5 * time.Millisecond}); !errors.Is(err, pinata.ErrNotFound) {
		t.Fatalf("unknown job: %v", err)
	}
	for name, j := range map[string]pinata.PinJob{
		"no id":  {CID: cidA},
		"no cid": {ID: job.ID},
		"CR/LF":  {ID: "a\r\nb", CID: cidA},
		"NUL":    {ID: "a\x00b", CID: cidA},
	} {
		if _, err := c.PinJobWait(ctx, j, nil); !errors.Is(err, pinata.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
