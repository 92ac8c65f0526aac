// C helpers the Go binding's hot calls share (pin.go, stepped.go). Each one does in a
// single cgo crossing what would otherwise take several, and hands its outputs back
// in a struct returned by value: cgo checks every Go pointer passed to C on every
// call, so out-parameters in Go memory cost a check each.
#ifndef PINATA_GO_H
#define PINATA_GO_H

#include <stdbool.h>
#include <stdint.h>
#include "pinata.h"

// A result's fields (copyPinResult).
typedef struct {
	const char *cid, *timestamp, *local_cid, *raw_json;
	uint64_t size;
	bool is_duplicate;
	int32_t cid_check, cid_profile;
	uint32_t profiles_hashed;
} pinata_go_pin_fields;

static inline void pinata_go_pin_fields_of(const pinata_pin_result *r, pinata_go_pin_fields *f) {
	f->cid = pinata_pin_result_cid(r);
	f->timestamp = pinata_pin_result_timestamp(r);
	f->local_cid = pinata_pin_result_local_cid(r);
	f->raw_json = pinata_pin_result_raw_json(r);
	f->size = pinata_pin_result_size(r);
	f->is_duplicate = pinata_pin_result_is_duplicate(r);
	f->cid_check = pinata_pin_result_cid_check(r);
	f->cid_profile = pinata_pin_result_cid_profile(r);
	f->profiles_hashed = pinata_pin_result_profiles_hashed(r);
}

// A started call and its descriptor (pinata_call_fd).
typedef struct {
	pinata_status status;
	pinata_error *err;
	pinata_call *call;
	int32_t fd;
} pinata_go_started;

static inline pinata_go_started pinata_go_started_of(pinata_status st, pinata_call *call,
                                                     pinata_error *err) {
	pinata_go_started s = {st, err, call, -1};
	if (st == PINATA_OK) {
		s.fd = pinata_call_fd(call);
	}
	return s;
}

static inline pinata_go_started pinata_go_test_auth_start(const pinata_client *client) {
	pinata_call *call = NULL;
	pinata_error *err = NULL;
	pinata_status st = pinata_test_auth_start(client, &call, &err);
	return pinata_go_started_of(st, call, err);
}

// PinOptions whose only fields set are these scalars, built in the start's own
// crossing (see scalarPinOptions in stepped.go).
typedef struct {
	bool has_cid_version;
	int32_t cid_version;
	bool wrap_with_directory;
	bool no_verify;
} pinata_go_pin_scalars;

// Starts a JSON pin with `options`, or, when it is NULL and `scalars` asks for
// something, with options made from `scalars` and freed before returning (the start
// reads its options during the call only).
static inline pinata_go_started pinata_go_pin_json_start(const pinata_client *client,
                                                         const char *json,
                                                         const pinata_pin_options *options,
                                                         pinata_go_pin_scalars scalars) {
	pinata_call *call = NULL;
	pinata_error *err = NULL;
	pinata_pin_options *made = NULL;
	pinata_status st = PINATA_OK;
	if (options == NULL &&
	    (scalars.has_cid_version || scalars.wrap_with_directory || scalars.no_verify)) {
		st = pinata_pin_options_new(&made, &err);
		if (st == PINATA_OK && scalars.has_cid_version) {
			st = pinata_pin_options_set_cid_version(made, scalars.cid_version, &err);
		}
		if (st == PINATA_OK && scalars.wrap_with_directory) {
			st = pinata_pin_options_set_wrap_with_directory(made, true, &err);
		}
		if (st == PINATA_OK && scalars.no_verify) {
			st = pinata_pin_options_set_verify_cid(made, false, &err);
		}
		options = made;
	}
	if (st == PINATA_OK) {
		st = pinata_pin_json_start(client, json, options, &call, &err);
	}
	pinata_pin_options_free(made);
	return pinata_go_started_of(st, call, err);
}

// A finished call's outcome; the call is freed whatever it was.
typedef struct {
	pinata_status status;
	pinata_error *err;
	char *message;              // pinata_go_test_auth_finish
	pinata_pin_result *result;  // pinata_go_pin_json_finish: free it after reading fields
	pinata_go_pin_fields fields;
} pinata_go_finished;

static inline pinata_go_finished pinata_go_test_auth_finish(pinata_call *call) {
	pinata_go_finished f = {PINATA_OK, NULL, NULL, NULL, {0}};
	f.status = pinata_test_auth_finish(call, &f.message, &f.err);
	pinata_call_free(call);
	return f;
}

static inline pinata_go_finished pinata_go_pin_json_finish(pinata_call *call) {
	pinata_go_finished f = {PINATA_OK, NULL, NULL, NULL, {0}};
	f.status = pinata_pin_json_finish(call, &f.result, &f.err);
	pinata_call_free(call);
	if (f.status == PINATA_OK) {
		pinata_go_pin_fields_of(f.result, &f.fields);
	}
	return f;
}

// The finish function pinata_go_step runs, in its own crossing, once the call is done.
typedef enum {
	PINATA_GO_FINISH_TEST_AUTH = 1,
	PINATA_GO_FINISH_PIN_JSON = 2,
} pinata_go_finish_kind;

// One pinata_call_step; once it says done, the call's finish function too, which frees
// the call (`finished`, outcome in `fin`).
typedef struct {
	pinata_status status;
	pinata_error *err;
	bool done;
	int64_t wait_ms;
	bool finished;
	pinata_go_finished fin;
} pinata_go_stepped;

static inline pinata_go_stepped pinata_go_step(pinata_call *call, pinata_go_finish_kind finish) {
	pinata_go_stepped s = {PINATA_OK, NULL, false, -1, false, {PINATA_OK, NULL, NULL, NULL, {0}}};
	s.status = pinata_call_step(call, &s.done, &s.wait_ms, &s.err);
	if (s.status == PINATA_OK && s.done) {
		if (finish == PINATA_GO_FINISH_TEST_AUTH) {
			s.fin = pinata_go_test_auth_finish(call);
			s.finished = true;
		} else if (finish == PINATA_GO_FINISH_PIN_JSON) {
			s.fin = pinata_go_pin_json_finish(call);
			s.finished = true;
		}
	}
	return s;
}

#endif
