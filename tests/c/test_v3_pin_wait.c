/* Waiting for a v3 pin-by-CID request (pinata_files_pin_wait): to pinned (by id and
 * CID, and by id alone), to a failure status (returned at once, not a timeout), a
 * budget that runs out, cancellation by the callback, by a raised cancel flag and by
 * another thread mid-wait, a cancelled or unknown request, faults on the queue path,
 * and bad arguments. The emulator's hook POST /__emulator/pin-jobs/{id}/advance moves
 * a request (the v3 queue is the pinByHash queue). Runs under valgrind and ASan
 * (tests/c/run.sh). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>
#include "check.h"

/* CIDs nobody uploads here: each case queues its own. */
static const char *CID_A = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
static const char *CID_B = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
static const char *CID_C = "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u";
static const char *CID_D = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
static const char *CID_E = "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne";
static const char *BAD_UTF8 = "\xc3\x28";

/* The callback's record: statuses seen, and hook bodies to POST on the 1st, 2nd, ...
 * call (NULL: none), so a wait on the emulator's manual queue makes progress. */
struct waiter {
    char seen[8][32];
    int n;
    int stop;
    const char *id;
    const char *steps[4];
};

static void advance(const char *id, const char *json) {
    char path[512];
    snprintf(path, sizeof path, "/__emulator/pin-jobs/%s/advance", id);
    CHECK(test_hook("POST", path, json) == 0);
}

static int32_t on_status(const char *status, void *userdata) {
    struct waiter *w = userdata;
    if (w->n < 8) snprintf(w->seen[w->n], sizeof w->seen[w->n], "%s", status);
    if (w->n < 4 && w->steps[w->n] != NULL) {
        advance(w->id, w->steps[w->n]);
    }
    w->n++;
    return w->stop;
}

/* Queues `cid` with name `name`; returns the request (the caller frees it). */
static pinata_files_pin_request *queue(pinata_client *c, const char *cid, const char *name) {
    pinata_files_pin_options *o = NULL;
    pinata_files_pin_request *r = NULL;
    CHECK_STATUS(PINATA_OK, pinata_files_pin_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_files_pin_options_set_name(o, name, NULL));
    CHECK_ERR(PINATA_OK, pinata_files_pin_by_cid(c, cid, o, &r, &err));
    pinata_files_pin_options_free(o);
    CHECK(r != NULL);
    return r;
}

/* Whether `cid` is listed as a public file. */
static int is_public_file(pinata_client *c, const char *cid) {
    pinata_files_query *q = NULL;
    pinata_files_list_iter *it = NULL;
    const pinata_file_row *row = NULL;
    int found = 0;
    CHECK_STATUS(PINATA_OK, pinata_files_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_files_query_set_cid(q, cid, NULL));
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_new(c, PINATA_NETWORK_PUBLIC, q, &it, &err));
    CHECK_ERR(PINATA_OK, pinata_files_list_iter_next(it, &row, &err));
    found = row != NULL && strcmp(pinata_file_row_cid(row), cid) == 0;
    pinata_files_list_iter_free(it);
    pinata_files_query_free(q);
    return found;
}

static void test_pinned(pinata_client *c) {
    pinata_files_pin_request *r = queue(c, CID_A, "waited"), *done = NULL;
    char id[128];
    snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
    CHECK(!is_public_file(c, CID_A));
    {
        /* Each status is reported once, in order; the hook moves the request one step,
         * then straight to pinned. */
        struct waiter w = {.n = 0, .id = id, .steps = {"", "{\"status\":\"pinned\"}", NULL, NULL}};
        CHECK_ERR(PINATA_OK, pinata_files_pin_wait(c, id, pinata_files_pin_request_cid(r), 60000, 5, 10,
                                                   on_status, &w, &done, &err));
        CHECK(w.n == 3);
        CHECK(strcmp(w.seen[0], "prechecking") == 0);
        CHECK(strcmp(w.seen[1], "searching") == 0);
        CHECK(strcmp(w.seen[2], "pinned") == 0);
    }
    CHECK(done != NULL);
    if (done != NULL) {
        CHECK(strcmp(pinata_files_pin_request_status(done), "pinned") == 0);
        CHECK(strcmp(pinata_files_pin_request_id(done), id) == 0);
        CHECK(strcmp(pinata_files_pin_request_cid(done), CID_A) == 0);
        CHECK(strcmp(pinata_files_pin_request_name(done), "waited") == 0);
        CHECK(strstr(pinata_files_pin_request_raw_json(done), "\"status\":\"pinned\"") != NULL);
    }
    CHECK(is_public_file(c, CID_A));
    pinata_files_pin_request_free(done);
    done = NULL;
    /* Once pinned, a new wait on the same request answers at once from the files. */
    CHECK_ERR(PINATA_OK, pinata_files_pin_wait(c, id, CID_A, 60000, 5, 10, NULL, NULL, &done, &err));
    CHECK(done != NULL && strcmp(pinata_files_pin_request_status(done), "pinned") == 0);
    pinata_files_pin_request_free(done);
    done = NULL;
    pinata_files_pin_request_free(r);

    /* By id alone: the whole queue is searched, the CID learnt from the request. */
    r = queue(c, CID_B, "by-id");
    snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
    {
        struct waiter w = {.n = 0, .id = id, .steps = {"{\"status\":\"retrieving\"}", "{\"status\":\"pinned\"}"}};
        CHECK_ERR(PINATA_OK, pinata_files_pin_wait(c, id, NULL, 60000, 5, 10, on_status, &w, &done, &err));
        CHECK(w.n == 3 && strcmp(w.seen[1], "retrieving") == 0 && strcmp(w.seen[2], "pinned") == 0);
    }
    CHECK(done != NULL && strcmp(pinata_files_pin_request_status(done), "pinned") == 0);
    CHECK(done != NULL && strcmp(pinata_files_pin_request_cid(done), CID_B) == 0);
    pinata_files_pin_request_free(done);
    pinata_files_pin_request_free(r);
}

static void test_failed(pinata_client *c) {
    static const char *failures[] = {"expired", "invalid_object", "bad_host_node", "over_free_limit",
                                     "over_max_size"};
    size_t i;
    for (i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        pinata_files_pin_request *r = queue(c, CID_C, "fails"), *done = NULL;
        char id[128], body[64];
        snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
        snprintf(body, sizeof body, "{\"status\":\"%s\"}", failures[i]);
        {
            /* A failure ends the wait at once with PINATA_OK (the budget is a minute:
             * a wait that missed the failure would end in PINATA_E_TIMEOUT). */
            struct waiter w = {.n = 0, .id = id, .steps = {body, NULL}};
            CHECK_ERR(PINATA_OK, pinata_files_pin_wait(c, id, i % 2 ? NULL : CID_C, 60000, 5, 10, on_status,
                                                       &w, &done, &err));
            CHECK(w.n == 2 && strcmp(w.seen[1], failures[i]) == 0);
        }
        CHECK(done != NULL && strcmp(pinata_files_pin_request_status(done), failures[i]) == 0);
        pinata_files_pin_request_free(done);
        pinata_files_pin_request_free(r);
    }
    CHECK(!is_public_file(c, CID_C));
}

struct canceller {
    pinata_cancel *cancel;
    int fired;
};

static void *cancel_later(void *arg) {
    struct canceller *k = arg;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    pinata_cancel_request(k->cancel);
    k->fired = 1;
    return NULL;
}

static void test_budget_and_cancel(pinata_client *c) {
    pinata_files_pin_request *r = queue(c, CID_D, "stuck"), *done = NULL;
    char id[128];
    snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
    /* Never moves: the budget runs out, and nothing is written. */
    CHECK_ERR(PINATA_E_TIMEOUT, pinata_files_pin_wait(c, id, CID_D, 150, 10, 40, NULL, NULL, &done, &err));
    CHECK(done == NULL);
    /* The callback stops it on the first status. */
    {
        struct waiter w = {.n = 0, .stop = 1, .id = id};
        CHECK_ERR(PINATA_E_CANCELLED, pinata_files_pin_wait(c, id, CID_D, 60000, 10, 40, on_status, &w, &done,
                                                            &err));
        CHECK(w.n == 1 && strcmp(w.seen[0], "prechecking") == 0);
    }
    /* A cancel flag raised before the call, then one raised by another thread while
     * the wait sleeps between polls. */
    {
        pinata_cancel *cancel = NULL;
        pinata_client *cc = NULL;
        pthread_t t;
        struct canceller k;
        CHECK_STATUS(PINATA_OK, pinata_cancel_new(&cancel, NULL));
        CHECK_STATUS(PINATA_OK, pinata_client_with_cancel(c, cancel, &cc, NULL));
        pinata_cancel_request(cancel);
        CHECK_ERR(PINATA_E_CANCELLED, pinata_files_pin_wait(cc, id, CID_D, 60000, 10, 40, NULL, NULL, &done, &err));
        pinata_cancel_reset(cancel);
        k.cancel = cancel;
        k.fired = 0;
        CHECK(pthread_create(&t, NULL, cancel_later, &k) == 0);
        CHECK_ERR(PINATA_E_CANCELLED, pinata_files_pin_wait(cc, id, CID_D, 60000, 10, 1000, NULL, NULL, &done,
                                                            &err));
        CHECK(pthread_join(t, NULL) == 0);
        CHECK(k.fired == 1);
        pinata_client_free(cc);
        pinata_cancel_free(cancel);
    }
    CHECK(done == NULL);
    /* A cancelled request is neither queued nor pinned. */
    CHECK_ERR(PINATA_OK, pinata_files_pin_cancel(c, id, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_pin_wait(c, id, CID_D, 60000, 5, 10, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_pin_wait(c, id, NULL, 60000, 5, 10, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_files_pin_wait(c, "00000000-0000-4000-8000-000000000000", NULL, 60000, 5,
                                                        10, NULL, NULL, &done, &err));
    CHECK(done == NULL);
    pinata_files_pin_request_free(r);
}

static void test_faults(pinata_client *c) {
    pinata_files_pin_request *r = queue(c, CID_E, "faults"), *done = NULL;
    char id[128];
    snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(c, 2, 20000, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_backoff_ms(c, 1, 5, NULL));
    /* A 503 once on a poll is retried by the transport; the wait goes on to pinned. */
    CHECK(test_hook("POST", "/__emulator/faults",
                    "{\"path\":\"/v3/files/public/pin_by_cid\",\"method\":\"GET\",\"kind\":\"status\",\"status\":503,"
                    "\"times\":1}") == 0);
    {
        struct waiter w = {.n = 0, .id = id, .steps = {"{\"status\":\"pinned\"}", NULL}};
        CHECK_ERR(PINATA_OK, pinata_files_pin_wait(c, id, CID_E, 60000, 5, 10, on_status, &w, &done, &err));
        CHECK(done != NULL && strcmp(pinata_files_pin_request_status(done), "pinned") == 0);
    }
    pinata_files_pin_request_free(done);
    done = NULL;
    pinata_files_pin_request_free(r);
    /* A poll that keeps failing ends the wait with the poll's status, not a timeout. */
    r = queue(c, CID_E, "faults-2");
    snprintf(id, sizeof id, "%s", pinata_files_pin_request_id(r));
    CHECK(test_hook("POST", "/__emulator/faults",
                    "{\"path\":\"/v3/files/public/pin_by_cid\",\"method\":\"GET\",\"kind\":\"status\",\"status\":500}")
          == 0);
    CHECK_ERR(PINATA_E_SERVER, pinata_files_pin_wait(c, id, CID_E, 60000, 5, 10, NULL, NULL, &done, &err));
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    CHECK(test_hook("POST", "/__emulator/faults",
                    "{\"path\":\"/v3/files/public/pin_by_cid\",\"method\":\"GET\",\"kind\":\"malformed_json\","
                    "\"times\":1}") == 0);
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_files_pin_wait(c, id, CID_E, 60000, 5, 10, NULL, NULL, &done, &err));
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    CHECK(done == NULL);
    CHECK_ERR(PINATA_OK, pinata_files_pin_cancel(c, id, &err));
    pinata_files_pin_request_free(r);
}

static void test_bad_arguments(pinata_client *c) {
    pinata_files_pin_request *done = NULL;
    char longid[300];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(NULL, "x", NULL, 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, NULL, NULL, 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "x", NULL, 0, 0, 0, NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "", NULL, 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, BAD_UTF8, NULL, 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "a\r\nb", NULL, 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, longid, NULL, 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "x", "not-a-cid", 0, 0, 0, NULL, NULL, &done, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "x", BAD_UTF8, 0, 0, 0, NULL, NULL, &done, &err));
    /* An interval above the maximum. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "x", CID_A, 1000, 500, 40, NULL, NULL, &done, &err));
    CHECK(done == NULL);
    /* The same checks answer before any request is made. */
    {
        long before = test_requests_total();
        CHECK(before >= 0);
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_files_pin_wait(c, "x", "nope", 0, 0, 0, NULL, NULL, &done,
                                                                   &err));
        CHECK(test_requests_total() == before);
    }
}

int main(void) {
    pinata_client *c = test_client();
    test_pinned(c);
    test_failed(c);
    test_budget_and_cancel(c);
    test_bad_arguments(c);
    test_faults(c);
    pinata_client_free(c);
    return check_finish("test_v3_pin_wait");
}
