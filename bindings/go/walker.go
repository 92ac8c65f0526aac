package pinata

import (
	"context"
	"sync"
)

// walker is what the paging iterators (PinIterator, PSAIterator) share: the current
// record, the error that ended the walk and the C iterator's lifetime, under one lock.
// Its iterator reaches the C side through the three functions.
type walker[R any] struct {
	mu sync.Mutex
	// ctx is the iterator's context. Each step checks it first: its watcher raises the
	// C side's cancel flag from another goroutine, maybe only after the next fetch.
	ctx  context.Context
	open bool // until free
	done bool
	cur  R
	err  error
	// next fetches the next record; ok is false at the end. An error ends the walk.
	next func() (r R, ok bool, err error)
	// total is the C iterator's count of matches so far (-1: none yet).
	total func() int64
	// release frees the C iterator and stops its context watcher.
	release func()
}

// newWalker starts a walk; the caller counts the live handle it stands for.
func newWalker[R any](ctx context.Context, next func() (R, bool, error), total func() int64, release func()) *walker[R] {
	liveHandles.Add(1)
	return &walker[R]{ctx: ctx, open: true, next: next, total: total, release: release}
}

// step moves to the next record: false at the end, on an error (see failure) and once
// freed.
func (w *walker[R]) step() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return false
	}
	if !w.open {
		w.err, w.done = closedError("iterator"), true
		return false
	}
	if w.ctx.Err() != nil {
		w.err, w.done = contextError(w.ctx), true
		return false
	}
	r, ok, err := w.next()
	switch {
	case err != nil:
		w.err, w.done = err, true
	case !ok:
		w.done = true
	default:
		w.cur = r
	}
	return ok && err == nil
}

func (w *walker[R]) current() R {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur
}

func (w *walker[R]) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// count is the total the service reported so far, or -1 (none yet, or freed).
func (w *walker[R]) count() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.open {
		return -1
	}
	return w.total()
}

// free releases the C iterator once; false when it already was.
func (w *walker[R]) free() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.open {
		return false
	}
	w.release()
	w.open = false
	liveHandles.Add(-1)
	return true
}
