package pinata

// The //export'ed batch progress callback (its C trampoline is in batch.go: cgo allows
// only declarations in the preamble of a file with //export).

/*
#include <stddef.h>
#include <stdint.h>
*/
import "C"

import "runtime/cgo"

// pinataGoBatchProgress is the progress callback of PinBatch: C passes back the
// runtime/cgo.Handle of a *batchProgress. It runs on the goroutine that called
// PinBatch. A panic in the user's function cancels the batch and is raised again once
// the C call has returned. A context that is done by the time the function returns
// cancels the batch here and now: context.AfterFunc raises the cancel flag from a
// goroutine of its own, which may run only after more files have gone.
//
//export pinataGoBatchProgress
func pinataGoBatchProgress(filesDone, filesTotal C.size_t, bytesSent, bytesTotal C.uint64_t, handle C.uintptr_t) (ret C.int32_t) {
	p, ok := cgo.Handle(handle).Value().(*batchProgress)
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
	if p.fn(BatchProgress{
		FilesDone:  int(filesDone),
		FilesTotal: int(filesTotal),
		BytesSent:  uint64(bytesSent),
		BytesTotal: uint64(bytesTotal),
	}) && p.ctx.Err() == nil {
		return 0
	}
	return 1
}
