/* Calls driven by their caller (pinata_call_*): testAuthentication and JSON pins run
 * from a poll(2) loop on one thread, alone and eight at once; the same outcomes as the
 * blocking calls; retries, errors, cancellation and a call freed mid-flight; the
 * descriptors a client's calls share; bad arguments. */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdbool.h>
#include "check.h"

#define NCALLS 8

static void fault(const char *json) {
    CHECK(test_hook("POST", "/__emulator/faults", json) == 0);
}

/* Steps every unfinished call of `calls` until all are done, waiting in poll(2) on
 * their descriptors in between. Returns how many poll(2) waits it took. */
static int drive(pinata_call **calls, int n) {
    bool done[NCALLS] = {false};
    int waits = 0;
    for (;;) {
        struct pollfd fds[NCALLS];
        int nfds = 0;
        int64_t timeout = -1;
        for (int i = 0; i < n; i++) {
            int64_t wait_ms = 0;
            if (done[i]) {
                continue;
            }
            CHECK_ERR(PINATA_OK, pinata_call_step(calls[i], &done[i], &wait_ms, &err));
            if (done[i]) {
                continue;
            }
            CHECK(wait_ms >= -1);
            fds[nfds].fd = pinata_call_fd(calls[i]);
            fds[nfds].events = POLLIN;
            fds[nfds].revents = 0;
            nfds++;
            if (wait_ms >= 0 && (timeout < 0 || wait_ms < timeout)) {
                timeout = wait_ms;
            }
        }
        if (nfds == 0) {
            return waits;
        }
        /* No call may leave the loop waiting on nothing with no time limit. */
        CHECK(fds[0].fd >= 0 || timeout >= 0);
        poll(fds, (nfds_t)nfds, (int)timeout);
        waits++;
    }
}

static void test_auth_stepped(pinata_client *client) {
    char *blocking = NULL, *stepped = NULL;
    pinata_call *call = NULL;
    CHECK_ERR(PINATA_OK, pinata_test_auth(client, &blocking, &err));
    /* The emulator holds the answer for 2 s: neither the start nor a step waits. */
    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"delay\",\"delay_ms\":2000,\"times\":1}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    CHECK(call != NULL);
    int fd = pinata_call_fd(call);
    CHECK(fd >= 0); /* Linux has epoll */
    bool done = true;
    int64_t wait_ms = 0;
    CHECK_ERR(PINATA_OK, pinata_call_step(call, &done, &wait_ms, &err));
    CHECK(!done);
    CHECK(drive(&call, 1) >= 1);
    CHECK_ERR(PINATA_OK, pinata_test_auth_finish(call, &stepped, &err));
    CHECK(blocking != NULL && stepped != NULL && strcmp(blocking, stepped) == 0);
    /* The outcome is taken once. */
    char *again = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth_finish(call, &again, &err));
    CHECK(again == NULL);
    /* Stepping a finished call says done again and changes nothing. */
    done = false;
    CHECK_ERR(PINATA_OK, pinata_call_step(call, &done, &wait_ms, &err));
    CHECK(done);
    /* A finished call gave its descriptor back, before it is freed: the client's next
       call takes the same one from its pool. */
    CHECK(pinata_call_fd(call) == -1);
    pinata_call *next = NULL;
    /* Held, so that it cannot finish (and give its descriptor back) inside its start. */
    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"delay\",\"delay_ms\":300,\"times\":1}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &next, &err));
    CHECK(pinata_call_fd(next) == fd);
    pinata_call_free(call);
    drive(&next, 1);
    pinata_string_free(stepped);
    stepped = NULL;
    CHECK_ERR(PINATA_OK, pinata_test_auth_finish(next, &stepped, &err));
    pinata_call_free(next);
    pinata_string_free(blocking);
    pinata_string_free(stepped);
}

/* Eight JSON pins in flight at once on one thread, each checked against its CID. */
static void test_pin_json_many(pinata_client *client) {
    pinata_call *calls[NCALLS] = {NULL};
    pinata_pin_options *opts = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&opts, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_verify_cid(opts, true, &err));
    /* Each answer is held, so that all eight are in flight together (a call whose
       answer comes during its start is done at once, and has no descriptor left). */
    fault("{\"path\":\"/pinning/pinJSONToIPFS\",\"kind\":\"delay\",\"delay_ms\":300,\"times\":8}");
    for (int i = 0; i < NCALLS; i++) {
        char doc[128];
        snprintf(doc, sizeof doc, "{\"stepped\":%d,\"text\":\"a small JSON document\"}", i);
        CHECK_ERR(PINATA_OK, pinata_pin_json_start(client, doc, opts, &calls[i], &err));
    }
    /* Calls in flight together each have a descriptor of their own. */
    for (int i = 0; i < NCALLS; i++) {
        CHECK(pinata_call_fd(calls[i]) >= 0);
        for (int j = 0; j < i; j++) {
            CHECK(pinata_call_fd(calls[i]) != pinata_call_fd(calls[j]));
        }
    }
    drive(calls, NCALLS);
    for (int i = 0; i < NCALLS; i++) {
        pinata_pin_result *stepped = NULL, *blocking = NULL;
        char doc[128];
        snprintf(doc, sizeof doc, "{\"stepped\":%d,\"text\":\"a small JSON document\"}", i);
        CHECK_ERR(PINATA_OK, pinata_pin_json_finish(calls[i], &stepped, &err));
        CHECK_ERR(PINATA_OK, pinata_pin_json(client, doc, opts, &blocking, &err));
        if (stepped != NULL && blocking != NULL) {
            CHECK(strcmp(pinata_pin_result_cid(stepped), pinata_pin_result_cid(blocking)) == 0);
            CHECK(pinata_pin_result_cid_check(stepped) == PINATA_CID_VERIFIED);
            CHECK(pinata_pin_result_local_cid(stepped) != NULL &&
                  strcmp(pinata_pin_result_local_cid(stepped), pinata_pin_result_cid(stepped)) == 0);
        }
        pinata_pin_result_free(stepped);
        pinata_pin_result_free(blocking);
        pinata_call_free(calls[i]);
    }
    pinata_pin_options_free(opts);
}

/* Two 503 answers are retried after their backoff, which step reports as a wait. */
static void test_retries(pinata_client *client) {
    pinata_call *call = NULL;
    char *message = NULL;
    CHECK_ERR(PINATA_OK, pinata_client_set_backoff_ms(client, 50, 100, &err));
    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"status\",\"status\":503,\"times\":2}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    drive(&call, 1);
    CHECK_ERR(PINATA_OK, pinata_test_auth_finish(call, &message, &err));
    CHECK(message != NULL);
    pinata_string_free(message);
    pinata_call_free(call);

    /* Past the retry budget the call fails as the blocking one does. */
    CHECK_ERR(PINATA_OK, pinata_client_set_retry_policy(client, 1, 60000, &err));
    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"status\",\"status\":503,\"times\":2}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    drive(&call, 1);
    pinata_error *e = NULL;
    message = NULL;
    CHECK(pinata_test_auth_finish(call, &message, &e) == PINATA_E_SERVER);
    CHECK(message == NULL);
    CHECK(e != NULL && pinata_error_http_status(e) == 503);
    pinata_error_free(e);
    pinata_call_free(call);
    CHECK_ERR(PINATA_OK, pinata_client_set_retry_policy(client, 3, 120000, &err));
}

/* Errors: bad credentials, a bad JSON document (refused at the start, nothing sent),
 * an answer that is not JSON. The message never carries the JWT. */
static void test_errors(void) {
    pinata_client *bad = NULL;
    pinata_call *call = NULL;
    char *message = NULL;
    const char *jwt = "eyJhbGciOiJIUzI1NiJ9.c3RlcHBlZA.not-a-valid-signature";
    CHECK_ERR(PINATA_OK, pinata_client_new_jwt(jwt, &bad, &err));
    CHECK_ERR(PINATA_OK, test_configure(bad));
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(bad, &call, &err));
    drive(&call, 1);
    pinata_error *e = NULL;
    CHECK(pinata_test_auth_finish(call, &message, &e) == PINATA_E_UNAUTHORIZED);
    CHECK(e != NULL && pinata_error_http_status(e) == 401);
    CHECK(e != NULL && strstr(pinata_error_message(e), "not-a-valid-signature") == NULL);
    pinata_error_free(e);
    pinata_call_free(call);

    call = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json_start(bad, "{\"a\":", NULL, &call, &err));
    CHECK(call == NULL);
    pinata_client_free(bad);

    pinata_client *client = test_client();
    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"malformed_json\",\"times\":1}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    drive(&call, 1);
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_test_auth_finish(call, &message, &err));
    pinata_call_free(call);
    pinata_client_free(client);
}

/* A cancel raised while the emulator holds the answer finishes the call at its next
 * step; a call freed mid-flight is abandoned; the client serves the next call. */
static void test_cancel_and_free(pinata_client *client) {
    pinata_cancel *cancel = NULL;
    pinata_client *derived = NULL;
    pinata_call *call = NULL;
    char *message = NULL;
    bool done = false;
    int64_t wait_ms = 0;
    CHECK_ERR(PINATA_OK, pinata_cancel_new(&cancel, &err));
    CHECK_ERR(PINATA_OK, pinata_client_with_cancel(client, cancel, &derived, &err));
    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"delay\",\"delay_ms\":5000,\"times\":2}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(derived, &call, &err));
    CHECK_ERR(PINATA_OK, pinata_call_step(call, &done, &wait_ms, &err));
    CHECK(!done);
    pinata_cancel_request(cancel);
    CHECK_ERR(PINATA_OK, pinata_call_step(call, &done, &wait_ms, &err));
    CHECK(done);
    CHECK_ERR(PINATA_E_CANCELLED, pinata_test_auth_finish(call, &message, &err));
    pinata_call_free(call);

    /* Freed while the emulator holds the answer: nothing leaks (valgrind), nothing
     * waits for the 5 s. */
    call = NULL;
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    CHECK_ERR(PINATA_OK, pinata_call_step(call, &done, &wait_ms, &err));
    CHECK(!done);
    pinata_call_free(call);
    pinata_client_free(derived);
    pinata_cancel_free(cancel);

    CHECK_ERR(PINATA_OK, pinata_test_auth(client, &message, &err));
    pinata_string_free(message);
}

/* A call keeps its own reference to the client, which may be freed first. */
static void test_client_freed_first(void) {
    pinata_client *client = test_client();
    pinata_call *call = NULL;
    char *message = NULL;
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    pinata_client_free(client);
    drive(&call, 1);
    CHECK_ERR(PINATA_OK, pinata_test_auth_finish(call, &message, &err));
    pinata_string_free(message);
    pinata_call_free(call);
}

static void test_bad_arguments(pinata_client *client) {
    pinata_call *call = NULL;
    bool done = false;
    int64_t wait_ms = 0;
    char *message = NULL;
    pinata_pin_result *result = NULL;
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth_start(NULL, &call, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth_start(client, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json_start(client, NULL, NULL, &call, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json_start(client, "\"\xc3\x28\"", NULL, &call, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_call_step(NULL, &done, &wait_ms, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth_finish(NULL, &message, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json_finish(NULL, &result, &err));
    CHECK(pinata_call_fd(NULL) == -1);
    pinata_call_free(NULL);

    fault("{\"path\":\"/data/testAuthentication\",\"kind\":\"delay\",\"delay_ms\":300,\"times\":1}");
    CHECK_ERR(PINATA_OK, pinata_test_auth_start(client, &call, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_call_step(call, NULL, &wait_ms, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_call_step(call, &done, NULL, &err));
    /* Not finished yet (the emulator holds the answer 300 ms). */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth_finish(call, &message, &err));
    drive(&call, 1);
    /* The wrong kind of call. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_json_finish(call, &result, &err));
    CHECK(result == NULL);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_test_auth_finish(call, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_test_auth_finish(call, &message, &err));
    pinata_string_free(message);
    pinata_call_free(call);
}

int main(void) {
    pinata_client *client = test_client();
    test_auth_stepped(client);
    test_pin_json_many(client);
    test_retries(client);
    test_errors();
    test_cancel_and_free(client);
    test_client_freed_first();
    test_bad_arguments(client);
    pinata_client_free(client);
    printf("test_call: %d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}
