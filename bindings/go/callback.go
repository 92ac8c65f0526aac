package pinata

// This file holds the //export'ed callbacks. cgo allows only declarations in the
// preamble of a file with //export, so the C trampolines live in pin.go.

/*
#include <stdint.h>
*/
import "C"

import "runtime/cgo"

// pinataGoProgress is the progress callback of uploads: C passes back the
// runtime/cgo.Handle of a *progress as its userdata. It runs on the goroutine that
// made the call. A panic in the user's function is caught here (unwinding through
// the library is not allowed), the upload is cancelled, and the panic is raised again
// once the C call has returned.
//
//export pinataGoProgress
func pinataGoProgress(sent, total C.uint64_t, handle C.uintptr_t) (ret C.int32_t) {
	p, ok := cgo.Handle(handle).Value().(*progress)
	if !ok || p.panicked {
		return 1
	}
	defer func() {
		if r := recover(); r != nil {
			p.panicked = true
			p.panicVal = r
			ret = 1
		}
	}()
	if p.fn(uint64(sent), uint64(total)) {
		return 0
	}
	return 1
}
