package pinata

/*
#include <stdint.h>
#include "pinata.h"

// Defined in psa_callback.go (//export); userdata carries a runtime/cgo.Handle of a
// *psaWaiter, the same waiter as PSAClient.Wait.
extern int32_t pinataGoPSAStatus(char *status, uintptr_t handle);

static int32_t pinata_go_pin_job_status_trampoline(const char *status, void *userdata) {
	return pinataGoPSAStatus((char *)status, (uintptr_t)userdata);
}

static pinata_status pinata_go_pin_job_wait(const pinata_client *client, const char *id,
                                            const char *cid, uint64_t budget, uint64_t interval,
                                            uint64_t max_interval, uintptr_t handle,
                                            pinata_pin_job **out, pinata_error **err_out) {
	return pinata_pin_job_wait_by_id(client, id, cid, budget, interval, max_interval,
	                                 pinata_go_pin_job_status_trampoline, (void *)handle, out,
	                                 err_out);
}
*/
import "C"

import "context"

// Waiting until a legacy pin-by-CID job is pinned (pinata_pin_job_wait_by_id).

// PinJobWait polls the pin-by-CID job j (by j.ID and j.CID, as [Client.PinByCID] or
// [Client.PinJobs] gave it) until it is pinned or has failed, with backoff within the
// budget of o (nil: the defaults, 10 minutes, 500 ms, 30 s). A pinned job leaves the
// queue; it is then recognised by its CID among the pins, and returned with Status
// "pinned". A failed job (expired, invalid_object, ...) is returned without error:
// check Status. Past the budget the error is ErrTimeout; a job neither queued nor
// pinned gives ErrNotFound; o.OnStatus returning false, or cancelling ctx, stops it
// (ErrCancelled, and errors.Is(err, context.Canceled) for ctx).
func (c *Client) PinJobWait(ctx context.Context, j PinJob, o *WaitOptions) (*PinJob, error) {
	if o == nil {
		o = &WaitOptions{}
	}
	var a cstrings
	defer a.free()
	id, cid := a.str("id", j.ID), a.str("cid", j.CID)
	if a.err != nil {
		return nil, a.err
	}
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	return waitFor(k, o, func(h C.uintptr_t, out **C.pinata_pin_job, cerr **C.pinata_error) C.pinata_status {
		return C.pinata_go_pin_job_wait(k.cl, id, cid, millis(o.Budget), millis(o.Interval),
			millis(o.MaxInterval), h, out, cerr)
	}, func(j *C.pinata_pin_job) { C.pinata_pin_job_free(j) }, func(j *C.pinata_pin_job) PinJob {
		return copyPinJob(C.pinata_pin_job_get_info(j))
	})
}
