package pinata

// The //export'ed status callback of PSAClient.Wait; cgo allows only declarations in
// the preamble of a file with //export, so the C trampoline lives in psa.go.

/*
#include <stdint.h>
*/
import "C"

import "runtime/cgo"

// pinataGoPSAStatus is the wait callback: C passes back the runtime/cgo.Handle of a
// *psaWaiter as userdata. It runs on the goroutine that made the call. A panic in the
// user's function is caught (unwinding through the library is not allowed), the wait
// stops, and the panic is raised again once the C call has returned.
//
//export pinataGoPSAStatus
func pinataGoPSAStatus(status *C.char, handle C.uintptr_t) (ret C.int32_t) {
	w, ok := cgo.Handle(handle).Value().(*psaWaiter)
	if !ok || w.panicked {
		return 1
	}
	defer func() {
		if r := recover(); r != nil {
			w.panicked = true
			w.panicVal = r
			ret = 1
		}
	}()
	if w.fn == nil || w.fn(C.GoString(status)) {
		return 0
	}
	return 1
}
