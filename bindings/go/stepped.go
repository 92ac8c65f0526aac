package pinata

/*
#include "pinata_go.h"
*/
import "C"

import (
	"errors"
	"math"
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

// stepping is what a call driven on a poller keeps between RawConn.Read's calls of
// its function. It lives in the call, not in the poller: the descriptor serves the
// client's next call as soon as the last step returns, before drive does.
type stepping struct {
	cc     *C.pinata_call
	finish C.pinata_go_finish_kind // run by the last step, in its crossing
	p      *poller
	last   C.pinata_go_stepped
	readFn func(uintptr) bool // onReadable, bound once per call
}

// onReadable is RawConn.Read's function: it steps the call, and says whether to stop
// waiting (the call is done, or stepping failed).
func (k *call) onReadable(uintptr) bool {
	st := &k.stepping
	st.last = C.pinata_go_step(st.cc, st.finish)
	if st.last.status != C.PINATA_OK || st.last.done {
		return true
	}
	want := time.Time{}
	if st.last.wait_ms >= 0 {
		want = time.Now().Add(time.Duration(st.last.wait_ms) * time.Millisecond)
	}
	st.p.wakeBy(want)
	// The watcher raises the flag, then sets its deadline: had it done so before
	// wakeBy replaced it, the flag is up by now.
	if k.cancelled.Load() {
		_ = st.p.f.SetReadDeadline(pastDeadline)
	}
	return false
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

// testAuth is TestAuth's call in the stepped form: start, drive, finish.
func (k *call) testAuth() (string, error) {
	s := C.pinata_go_test_auth_start(k.cl)
	if s.status != C.PINATA_OK {
		return "", k.fail(s.status, s.err)
	}
	if err := k.drive(s.call, s.fd, C.PINATA_GO_FINISH_TEST_AUTH); err != nil {
		C.pinata_call_free(s.call)
		return "", err
	}
	f, err := k.outcome(s.call)
	if err != nil {
		return "", err
	}
	if f.status != C.PINATA_OK {
		return "", k.fail(f.status, f.err)
	}
	return takeString(f.message), nil
}

// pinJSON is PinJSON's call in the stepped form. doc is NUL-terminated; opts is nil
// when scalars carries the options (scalarPinOptions).
func (k *call) pinJSON(doc *C.char, opts *C.pinata_pin_options, scalars C.pinata_go_pin_scalars) (*PinResult, error) {
	s := C.pinata_go_pin_json_start(k.cl, doc, opts, scalars)
	if s.status != C.PINATA_OK {
		return nil, k.fail(s.status, s.err)
	}
	if err := k.drive(s.call, s.fd, C.PINATA_GO_FINISH_PIN_JSON); err != nil {
		C.pinata_call_free(s.call)
		return nil, err
	}
	f, err := k.outcome(s.call)
	if err != nil {
		return nil, err
	}
	if f.status != C.PINATA_OK {
		return nil, k.fail(f.status, f.err)
	}
	r := pinResultOf(&f.fields)
	C.pinata_pin_result_free(f.result)
	return r, nil
}

// outcome is what the call's finish gave, which drive's last step ran (and which
// freed cc). A drive that succeeded without it would be a bug here: cc is freed, and
// the caller gets an internal error, not an empty result.
func (k *call) outcome(cc *C.pinata_call) (C.pinata_go_finished, error) {
	if !k.stepping.last.finished {
		C.pinata_call_free(cc)
		return C.pinata_go_finished{}, &Error{Status: StatusInternal, RetryAfter: -1,
			Message: "the call ended without its outcome"}
	}
	return k.stepping.last.fin, nil
}

// scalarPinOptions says whether o can go to pinata_go_pin_json_start as scalars
// (nothing but CIDVersion, WrapWithDirectory and VerifyCID set), and gives them: the
// options are then built inside the start's crossing rather than in four of their own.
func scalarPinOptions(o *PinOptions) (C.pinata_go_pin_scalars, bool) {
	var s C.pinata_go_pin_scalars
	if o == nil {
		return s, true
	}
	if o.Name != "" || o.GroupID != "" || len(o.KeyValues) > 0 || len(o.HostNodes) > 0 ||
		o.Progress != nil {
		return s, false
	}
	if o.CIDVersion != nil {
		if *o.CIDVersion < math.MinInt32 || *o.CIDVersion > math.MaxInt32 {
			return s, false // newCOptions reports it
		}
		s.has_cid_version = true
		s.cid_version = C.int32_t(*o.CIDVersion)
	}
	s.wrap_with_directory = C.bool(o.WrapWithDirectory)
	s.no_verify = C.bool(o.VerifyCID != nil && !*o.VerifyCID)
	return s, true
}

// drive steps the started call until its outcome is in, parking in the netpoller in
// between; the last step runs the call's finish function (finish), which frees the
// call, and leaves its outcome in k.stepping.last.fin. drive returns an error only
// when stepping itself fails (bad arguments, a bug), and then cc is not freed.
func (k *call) drive(cc *C.pinata_call, fd C.int32_t, finish C.pinata_go_finish_kind) error {
	st := &k.stepping
	st.cc, st.finish = cc, finish
	var p *poller
	if fd >= 0 {
		p = k.c.pollerFor(fd)
	}
	if p == nil {
		// No descriptor: pinata_call_step waits briefly itself.
		return k.stepAlone(nil)
	}
	// A cancelled context wakes the parked goroutine through a deadline in the past
	// (wakeOnCancel); end() waits for the watcher, so no later call is woken.
	k.wake.Store(p)
	defer k.wake.Store(nil)
	st.p = p
	if st.readFn == nil {
		st.readFn = k.onReadable
	}
	for {
		// Read forgets readiness from before it is called, then runs the function
		// before each wait: the call is stepped after that, so no wake-up is lost.
		err := p.rc.Read(st.readFn)
		if err == nil {
			if st.last.status != C.PINATA_OK {
				return takeError(st.last.status, st.last.err)
			}
			return nil
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			// The descriptor cannot be waited on (it never fails on Linux): finish
			// by stepping alone.
			return k.stepAlone(func() { time.Sleep(time.Millisecond) })
		}
		// libcurl's timer is due, or the context was cancelled: step again.
		p.expired()
	}
}

// stepAlone steps the call until it is done, calling pause (if any) between steps.
func (k *call) stepAlone(pause func()) error {
	st := &k.stepping
	for {
		st.last = C.pinata_go_step(st.cc, st.finish)
		if st.last.status != C.PINATA_OK {
			return takeError(st.last.status, st.last.err)
		}
		if st.last.done {
			return nil
		}
		if pause != nil {
			pause()
		}
	}
}

// wakeOnCancel is what the context watcher does for a call parked on a poller.
func wakeOnCancel(w *atomic.Pointer[poller]) {
	if p := w.Load(); p != nil {
		_ = p.f.SetReadDeadline(pastDeadline)
	}
}
