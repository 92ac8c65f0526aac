package pinata

/*
#include "pinata.h"

// A started call and its descriptor: one cgo crossing, not two. (Its first step is
// for the netpoller's read callback: readiness that came before the goroutine waits
// is forgotten, so the call is stepped once it waits, not before.)
typedef struct {
	pinata_call *call;
	int32_t fd;
} pinata_go_started;

static pinata_status pinata_go_started_fd(pinata_status st, pinata_go_started *out) {
	if (st == PINATA_OK) {
		out->fd = pinata_call_fd(out->call);
	}
	return st;
}

static pinata_status pinata_go_test_auth_start(const pinata_client *client,
                                               pinata_go_started *out, pinata_error **err_out) {
	return pinata_go_started_fd(pinata_test_auth_start(client, &out->call, err_out), out);
}

static pinata_status pinata_go_pin_json_start(const pinata_client *client, const char *json,
                                              const pinata_pin_options *options,
                                              pinata_go_started *out, pinata_error **err_out) {
	return pinata_go_started_fd(pinata_pin_json_start(client, json, options, &out->call, err_out),
	                            out);
}

// The *_finish functions and pinata_call_free in one crossing: the call is freed
// whatever the outcome.
static pinata_status pinata_go_test_auth_finish(pinata_call *call, char **message_out,
                                                pinata_error **err_out) {
	pinata_status st = pinata_test_auth_finish(call, message_out, err_out);
	pinata_call_free(call);
	return st;
}

static pinata_status pinata_go_pin_json_finish(pinata_call *call, pinata_pin_result **result_out,
                                               pinata_error **err_out) {
	pinata_status st = pinata_pin_json_finish(call, result_out, err_out);
	pinata_call_free(call);
	return st;
}
*/
import "C"

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// Calls driven from Go's netpoller (pinata_call_step).
//
// A blocking cgo call holds its goroutine's P for the whole round trip: under a small
// GOMAXPROCS the other goroutines wait until the runtime's monitor takes the P back
// (20 µs to 10 ms later) and hands it to another thread. TestAuth and PinJSON instead
// start the call, step it with short cgo calls, and park in the netpoller on the
// call's descriptor between steps, as Go's own network code does (bench/NOTES.md,
// "Performance round four").

// poller is one of the library's call descriptors, duplicated once and registered
// with the netpoller. The library keeps each descriptor open, and the same, for the
// life of its client (pinata_call_fd), so a Client keeps its pollers until Close.
type poller struct {
	f  *os.File
	rc syscall.RawConn
	// The read deadline last set on f. A poller serves one call at a time (the
	// library gives calls in flight together different descriptors), so only that
	// call's goroutine touches it.
	deadline time.Time
}

// wakeBy makes sure a goroutine parked on p wakes no later than want (zero: no
// limit). A deadline already set is kept when it comes first but not much too early
// (an early wake costs one step): setting one costs a runtime timer update, and often
// a wake-up of the thread in the netpoller, on every call otherwise.
func (p *poller) wakeBy(want time.Time) {
	now := time.Now()
	d := p.deadline
	if !d.IsZero() && d.After(now) {
		if want.IsZero() {
			return
		}
		if !d.After(want) && d.Sub(now) >= want.Sub(now)/2 {
			return
		}
	}
	if want.IsZero() && d.IsZero() {
		return
	}
	p.deadline = want
	_ = p.f.SetReadDeadline(want)
}

// expired records that p's deadline has passed (or the context watcher set one in
// the past), so that the next wakeBy sets a new one.
func (p *poller) expired() {
	p.deadline = time.Time{}
	_ = p.f.SetReadDeadline(time.Time{})
}

// pollerFor returns the poller of descriptor fd, making it on first use; nil when fd
// cannot be watched (then the call steps without the netpoller).
func (c *Client) pollerFor(fd C.int32_t) *poller {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pollers[fd]; ok {
		return p
	}
	dup, err := syscall.Dup(int(fd))
	if err != nil {
		return nil
	}
	syscall.CloseOnExec(dup)
	f := os.NewFile(uintptr(dup), "libpinata-call")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	p := &poller{f: f, rc: rc}
	if c.pollers == nil {
		c.pollers = make(map[C.int32_t]*poller)
	}
	c.pollers[fd] = p
	return p
}

// closePollers closes the duplicated descriptors; c.mu is held.
func (c *Client) closePollers() {
	for _, p := range c.pollers {
		p.f.Close()
	}
	c.pollers = nil
}

// pastDeadline wakes a goroutine parked on a poller (see call.wake).
var pastDeadline = time.Unix(1, 0)

// stepped runs one call in the stepped form: start launches it and gives its
// descriptor (pinata_go_*_start), drive parks between its steps, finish takes its outcome
// and frees the call (pinata_go_*_finish).
func (k *call) stepped(
	start func(out *C.pinata_go_started, e **C.pinata_error) C.pinata_status,
	finish func(call *C.pinata_call, e **C.pinata_error) C.pinata_status,
) error {
	var s C.pinata_go_started
	var cerr *C.pinata_error
	if st := start(&s, &cerr); st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	if err := k.drive(&s); err != nil {
		C.pinata_call_free(s.call)
		return err
	}
	if st := finish(s.call, &cerr); st != C.PINATA_OK {
		return k.fail(st, cerr)
	}
	return nil
}

// testAuth is TestAuth's call in the stepped form.
func (k *call) testAuth() (string, error) {
	var msg *C.char
	err := k.stepped(func(s *C.pinata_go_started, e **C.pinata_error) C.pinata_status {
		return C.pinata_go_test_auth_start(k.cl, s, e)
	}, func(call *C.pinata_call, e **C.pinata_error) C.pinata_status {
		return C.pinata_go_test_auth_finish(call, &msg, e)
	})
	if err != nil {
		return "", err
	}
	return takeString(msg), nil
}

// pinJSON is PinJSON's call in the stepped form; the caller frees the result.
func (k *call) pinJSON(doc *C.char, opts *C.pinata_pin_options) (*C.pinata_pin_result, error) {
	var r *C.pinata_pin_result
	err := k.stepped(func(s *C.pinata_go_started, e **C.pinata_error) C.pinata_status {
		return C.pinata_go_pin_json_start(k.cl, doc, opts, s, e)
	}, func(call *C.pinata_call, e **C.pinata_error) C.pinata_status {
		return C.pinata_go_pin_json_finish(call, &r, e)
	})
	return r, err
}

// drive steps the started call until its outcome is in, parking in the netpoller in
// between. It returns an error only when stepping itself fails (bad arguments, a
// bug); the call's own outcome is for its *_finish function.
func (k *call) drive(s *C.pinata_go_started) error {
	var p *poller
	if s.fd >= 0 {
		p = k.c.pollerFor(s.fd)
	}
	var (
		done    C.bool
		waitMs  C.int64_t
		stepErr error
	)
	step := func() bool {
		var cerr *C.pinata_error
		if st := C.pinata_call_step(s.call, &done, &waitMs, &cerr); st != C.PINATA_OK {
			stepErr = takeError(st, cerr)
			return true
		}
		return bool(done)
	}
	if p == nil {
		// No descriptor: pinata_call_step waits briefly itself.
		for !step() {
		}
		return stepErr
	}
	// A cancelled context wakes the parked goroutine through a deadline in the past
	// (wakeOnCancel); end() waits for the watcher, so no later call is woken.
	k.wake.Store(p)
	defer k.wake.Store(nil)
	for {
		// Read forgets readiness from before it is called, then runs the function
		// before each wait: the call is stepped after that, so no wake-up is lost.
		err := p.rc.Read(func(uintptr) bool {
			if step() {
				return true
			}
			want := time.Time{}
			if waitMs >= 0 {
				want = time.Now().Add(time.Duration(waitMs) * time.Millisecond)
			}
			p.wakeBy(want)
			// The watcher raises the flag, then sets its deadline: had it done so
			// before wakeBy replaced it, the flag is up by now.
			if k.cancelled.Load() {
				_ = p.f.SetReadDeadline(pastDeadline)
			}
			return false
		})
		if err == nil {
			return stepErr
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			// The descriptor cannot be waited on (it never fails on Linux): finish
			// by stepping alone.
			for !step() {
				time.Sleep(time.Millisecond)
			}
			return stepErr
		}
		// libcurl's timer is due, or the context was cancelled: step again.
		p.expired()
	}
}

// wakeOnCancel is what the context watcher does for a call parked on a poller.
func wakeOnCancel(w *atomic.Pointer[poller]) {
	if p := w.Load(); p != nil {
		_ = p.f.SetReadDeadline(pastDeadline)
	}
}
