/* One pinata_client shared by many threads: every thread makes a long mix of calls
 * (authentication, key list, pins of bytes and JSON, a page of the pin list, usage,
 * pin by CID, pin jobs, metadata updates, unpins of its own pins) and every call must
 * succeed. The emulator's request counter must then have grown by exactly the number of
 * requests the threads made: one per call, so no call was retried, lost or doubled.
 *
 * PINATA_CONCURRENCY_THREADS (default 8) and PINATA_CONCURRENCY_CALLS (calls per
 * thread, default 500) size the run. tests/c/run.sh runs the full size under memcheck
 * (about 30 s) and ASan; tests/helgrind.sh runs it under helgrind with fewer calls. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include <pthread.h>
#include <stdint.h>

#define MAX_THREADS 64
#define PAGE_LIMIT 5
/* Room for a thread's active pins (a ring of CIDs; it holds a few at most). */
#define RING 64

/* The request families the threads make, in the order of the operation cycle. */
enum op {
    OP_AUTH,
    OP_KEYS_LIST,
    OP_PIN_BYTES,
    OP_PIN_JSON,
    OP_PIN_LIST_PAGE,
    OP_USAGE,
    OP_PIN_BY_CID,
    OP_PIN_JOBS,
    OP_UPDATE_METADATA,
    OP_UNPIN,
    OP_COUNT
};

/* Emulator paths per family (unpin paths end with the CID: counted by prefix). */
static const char *const op_paths[OP_COUNT] = {
    "/data/testAuthentication", "/users/apiKeys",        "/pinning/pinFileToIPFS",
    "/pinning/pinJSONToIPFS",   "/data/pinList",         "/data/userPinnedDataTotal",
    "/pinning/pinByHash",       "/pinning/pinJobs",      "/pinning/hashMetadata",
    "/pinning/unpin/",
};

struct worker {
    const pinata_client *client;
    int id;
    int calls;
    /* Results, read by the main thread after pthread_join only. */
    long requests[OP_COUNT];
    long pins;   /* pins that created a row (never duplicates) */
    long unpins;
    int passed;
    int failed;
    /* CIDs of this thread's active pins, oldest at `head`. */
    char ring[RING][128];
    int head;
    int len;
};

/* Per-thread CHECK: the harness's counters are plain ints, so threads count into their
 * own struct and the main thread adds them up after joining. */
#define WCHECK(w, cond)                                                              \
    do {                                                                             \
        if (cond) {                                                                  \
            (w)->passed++;                                                           \
        } else {                                                                     \
            (w)->failed++;                                                           \
            fprintf(stderr, "%s:%d: thread %d: CHECK failed: %s\n", __FILE__,        \
                    __LINE__, (w)->id, #cond);                                       \
        }                                                                            \
    } while (0)

/* Runs a call whose last argument is `&err` and that makes exactly one request of
 * family `op`; it must succeed. Evaluates to whether it did. */
static int wcall(struct worker *w, enum op op, int line, pinata_status st, pinata_error **errp) {
    pinata_error *err = *errp;
    *errp = NULL;
    w->requests[op]++;
    if (st == PINATA_OK && err == NULL) {
        w->passed++;
        return 1;
    }
    w->failed++;
    fprintf(stderr, "%s:%d: thread %d: %s returned %s: %s\n", __FILE__, line, w->id,
            op_paths[op], pinata_status_str(st), err ? pinata_error_message(err) : "(no error)");
    pinata_error_free(err);
    return 0;
}
#define WCALL(w, op, call) wcall((w), (op), __LINE__, (call), &err)

static void ring_push(struct worker *w, const char *cid) {
    if (w->len == RING) {
        return; /* cannot happen: a thread holds at most a few pins (see `cycle`) */
    }
    snprintf(w->ring[(w->head + w->len) % RING], sizeof w->ring[0], "%s", cid);
    w->len++;
}

static void record_pin(struct worker *w, pinata_pin_result *r) {
    WCHECK(w, r != NULL);
    if (r == NULL) {
        return;
    }
    WCHECK(w, !pinata_pin_result_is_duplicate(r));
    WCHECK(w, pinata_pin_result_cid_check(r) == PINATA_CID_VERIFIED);
    if (pinata_pin_result_cid(r) != NULL) {
        ring_push(w, pinata_pin_result_cid(r));
        w->pins++;
    }
    pinata_pin_result_free(r);
}

static void do_op(struct worker *w, int call, enum op op) {
    pinata_error *err = NULL;
    char text[160];
    switch (op) {
    case OP_AUTH: {
        char *message = NULL;
        if (WCALL(w, op, pinata_test_auth(w->client, &message, &err))) {
            WCHECK(w, message != NULL && strstr(message, "Congratulations") != NULL);
        }
        pinata_string_free(message);
        break;
    }
    case OP_KEYS_LIST: {
        pinata_key_list *list = NULL;
        if (WCALL(w, op, pinata_keys_list(w->client, NULL, &list, &err))) {
            WCHECK(w, pinata_key_list_len(list) >= 1);
            WCHECK(w, pinata_key_list_get(list, 0) != NULL &&
                          pinata_key_info_key(pinata_key_list_get(list, 0)) != NULL);
        }
        pinata_key_list_free(list);
        break;
    }
    case OP_PIN_BYTES: {
        pinata_pin_result *r = NULL;
        int n = snprintf(text, sizeof text, "concurrency: thread %d, call %d\n", w->id, call);
        if (WCALL(w, op, pinata_pin_bytes(w->client, (const uint8_t *)text, (size_t)n, "c.txt",
                                          NULL, &r, &err))) {
            record_pin(w, r);
        }
        break;
    }
    case OP_PIN_JSON: {
        pinata_pin_result *r = NULL;
        snprintf(text, sizeof text, "{\"thread\":%d,\"call\":%d,\"test\":\"concurrency\"}", w->id,
                 call);
        if (WCALL(w, op, pinata_pin_json(w->client, text, NULL, &r, &err))) {
            record_pin(w, r);
        }
        break;
    }
    case OP_PIN_LIST_PAGE: {
        /* At most PAGE_LIMIT rows are read, so the iterator fetches exactly one page. */
        pinata_pin_list_query *q = NULL;
        pinata_pin_list_iter *it = NULL;
        const pinata_pin_row *row = NULL;
        int rows = 0, bad_rows = 0;
        WCHECK(w, pinata_pin_list_query_new(&q, NULL) == PINATA_OK);
        WCHECK(w, pinata_pin_list_query_set_status(q, PINATA_PIN_STATUS_PINNED, NULL) == PINATA_OK);
        WCHECK(w, pinata_pin_list_query_set_paging(q, PAGE_LIMIT, (uint64_t)(call % 7), NULL) ==
                      PINATA_OK);
        WCHECK(w, pinata_pin_list_iter_new(w->client, q, &it, NULL) == PINATA_OK);
        w->requests[op]++;
        while (rows < PAGE_LIMIT) {
            pinata_status st = pinata_pin_list_iter_next(it, &row, &err);
            if (st != PINATA_OK) {
                w->failed++;
                fprintf(stderr, "thread %d: pin list page: %s\n", w->id,
                        err ? pinata_error_message(err) : pinata_status_str(st));
                pinata_error_free(err);
                err = NULL;
                break;
            }
            if (row == NULL) {
                break;
            }
            if (pinata_pin_row_cid(row) == NULL) {
                bad_rows++;
            }
            rows++;
        }
        WCHECK(w, bad_rows == 0);
        WCHECK(w, pinata_pin_list_iter_total(it) >= rows);
        pinata_pin_list_iter_free(it);
        pinata_pin_list_query_free(q);
        break;
    }
    case OP_USAGE: {
        uint64_t count = 0, size = 0, repl = 0;
        if (WCALL(w, op, pinata_usage(w->client, &count, &size, &repl, &err))) {
            WCHECK(w, repl >= size);
        }
        break;
    }
    case OP_PIN_BY_CID: {
        char *cid = NULL;
        pinata_pin_job *job = NULL;
        int n = snprintf(text, sizeof text, "job: thread %d, call %d", w->id, call);
        /* Local, no request. */
        WCHECK(w, pinata_cid_of_bytes((const uint8_t *)text, (size_t)n, 1, &cid, NULL) == PINATA_OK);
        if (cid != NULL && WCALL(w, op, pinata_pin_by_cid(w->client, cid, NULL, &job, &err))) {
            const char *job_cid = pinata_pin_job_info_cid(pinata_pin_job_get_info(job));
            WCHECK(w, job_cid != NULL && strcmp(job_cid, cid) == 0);
        }
        pinata_pin_job_free(job);
        pinata_string_free(cid);
        break;
    }
    case OP_PIN_JOBS: {
        pinata_pin_job_query *q = NULL;
        pinata_pin_job_list *list = NULL;
        WCHECK(w, pinata_pin_job_query_new(&q, NULL) == PINATA_OK);
        WCHECK(w, pinata_pin_job_query_set(q, NULL, NULL, call % 2, PAGE_LIMIT, 0, NULL) == PINATA_OK);
        if (WCALL(w, op, pinata_pin_jobs_list(w->client, q, &list, &err))) {
            WCHECK(w, pinata_pin_job_list_len(list) <= PAGE_LIMIT);
        }
        pinata_pin_job_list_free(list);
        pinata_pin_job_query_free(q);
        break;
    }
    case OP_UPDATE_METADATA: {
        /* The newest of this thread's pins. */
        pinata_metadata_update *u = NULL;
        const char *cid;
        if (w->len == 0) {
            WCHECK(w, w->len > 0);
            break;
        }
        cid = w->ring[(w->head + w->len - 1) % RING];
        snprintf(text, sizeof text, "renamed by thread %d at call %d", w->id, call);
        WCHECK(w, pinata_metadata_update_new(&u, NULL) == PINATA_OK);
        WCHECK(w, pinata_metadata_update_set_name(u, text, NULL) == PINATA_OK);
        WCHECK(w, pinata_metadata_update_set_number(u, "call", call, NULL) == PINATA_OK);
        WCHECK(w, pinata_metadata_update_set_string(u, "thread", "yes", NULL) == PINATA_OK);
        WCALL(w, op, pinata_pin_update_metadata(w->client, cid, u, &err));
        pinata_metadata_update_free(u);
        break;
    }
    case OP_UNPIN: {
        /* The oldest of this thread's pins. */
        if (w->len == 0) {
            WCHECK(w, w->len > 0);
            break;
        }
        if (WCALL(w, op, pinata_unpin(w->client, w->ring[w->head], &err))) {
            w->unpins++;
        }
        w->head = (w->head + 1) % RING;
        w->len--;
        break;
    }
    case OP_COUNT:
        break;
    }
}

/* The cycle: two pins, two unpins of this thread's oldest pins, a metadata update of
 * its newest, and one of each other call. A thread never holds more than a few pins. */
static const enum op cycle[] = {
    OP_PIN_BYTES, OP_AUTH,        OP_PIN_JSON, OP_KEYS_LIST,       OP_PIN_LIST_PAGE, OP_UNPIN,
    OP_USAGE,     OP_PIN_BY_CID,  OP_PIN_JOBS, OP_UPDATE_METADATA, OP_UNPIN,
};
#define CYCLE_LEN ((int)(sizeof cycle / sizeof cycle[0]))

static void *worker_main(void *arg) {
    struct worker *w = arg;
    int i;
    for (i = 0; i < w->calls; i++) {
        /* Threads start at different places in the cycle, so different calls overlap. */
        enum op op = cycle[(i + w->id) % CYCLE_LEN];
        /* A metadata update or unpin needs a pin of this thread's own. */
        if ((op == OP_UPDATE_METADATA || op == OP_UNPIN) && w->len == 0) {
            op = OP_PIN_BYTES;
        }
        do_op(w, i, op);
    }
    return NULL;
}

static int env_int(const char *name, int fallback, int lo, int hi) {
    const char *v = getenv(name);
    long n;
    char *end = NULL;
    if (v == NULL || v[0] == '\0') {
        return fallback;
    }
    n = strtol(v, &end, 10);
    if (*end != '\0' || n < lo || n > hi) {
        fprintf(stderr, "%s must be an integer in [%d, %d]\n", name, lo, hi);
        exit(2);
    }
    return (int)n;
}

/* The emulator's counters: `requests_total` and, per family, the sum of `by_path` over
 * the paths starting with the family's path. Returns 0 on success. */
static int read_stats(long *total, long per_op[OP_COUNT]) {
    char cmd[2048];
    size_t off;
    int i, ok = 1;
    FILE *p;
    off = (size_t)snprintf(cmd, sizeof cmd,
                           "curl -sf %s '%s/__emulator/stats' | python3 -c 'import json,sys\n"
                           "s = json.load(sys.stdin)\n"
                           "print(s[\"requests_total\"])\n"
                           "for p in sys.argv[1:]:\n"
                           "    print(sum(n for k, n in s[\"by_path\"].items() if k == p or "
                           "(p.endswith(\"/\") and k.startswith(p))))\n'",
                           test_curl_opts(), test_env("PINATA_TEST_URL"));
    for (i = 0; i < OP_COUNT; i++) {
        off += (size_t)snprintf(cmd + off, sizeof cmd - off, " '%s'", op_paths[i]);
    }
    p = popen(cmd, "r");
    if (p == NULL) {
        return -1;
    }
    if (fscanf(p, "%ld", total) != 1) {
        ok = 0;
    }
    for (i = 0; ok && i < OP_COUNT; i++) {
        if (fscanf(p, "%ld", &per_op[i]) != 1) {
            ok = 0;
        }
    }
    if (pclose(p) != 0) {
        ok = 0;
    }
    return ok ? 0 : -1;
}

int main(void) {
    int threads = env_int("PINATA_CONCURRENCY_THREADS", 8, 1, MAX_THREADS);
    int calls = env_int("PINATA_CONCURRENCY_CALLS", 500, 1, 1000000);
    static struct worker workers[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    pinata_client *client = test_client();
    long before_total = 0, after_total = 0, before[OP_COUNT], after[OP_COUNT];
    long made_total = 0, made[OP_COUNT], pins = 0, unpins = 0;
    uint64_t pins_before = 0, pins_after = 0;
    int i, j;

    CHECK_ERR(PINATA_OK, pinata_usage(client, &pins_before, NULL, NULL, &err));
    CHECK(read_stats(&before_total, before) == 0);

    for (i = 0; i < threads; i++) {
        workers[i].client = client;
        workers[i].id = i;
        workers[i].calls = calls;
        CHECK(pthread_create(&tids[i], NULL, worker_main, &workers[i]) == 0);
    }
    for (i = 0; i < threads; i++) {
        CHECK(pthread_join(tids[i], NULL) == 0);
    }

    CHECK(read_stats(&after_total, after) == 0);
    memset(made, 0, sizeof made);
    for (i = 0; i < threads; i++) {
        check_passed += workers[i].passed;
        check_failed += workers[i].failed;
        pins += workers[i].pins;
        unpins += workers[i].unpins;
        for (j = 0; j < OP_COUNT; j++) {
            made[j] += workers[i].requests[j];
            made_total += workers[i].requests[j];
        }
    }
    CHECK(made_total == (long)threads * calls);
    CHECK(after_total - before_total == made_total);
    if (after_total - before_total != made_total) {
        fprintf(stderr, "emulator saw %ld requests, threads made %ld\n",
                after_total - before_total, made_total);
    }
    for (j = 0; j < OP_COUNT; j++) {
        if (calls >= CYCLE_LEN) {
            CHECK(made[j] > 0);
        }
        CHECK(after[j] - before[j] == made[j]);
        if (after[j] - before[j] != made[j]) {
            fprintf(stderr, "%s: emulator saw %ld, threads made %ld\n", op_paths[j],
                    after[j] - before[j], made[j]);
        }
    }
    /* Every pin created a row and every unpin removed one. */
    CHECK_ERR(PINATA_OK, pinata_usage(client, &pins_after, NULL, NULL, &err));
    CHECK((long)(pins_after - pins_before) == pins - unpins);

    printf("%d threads x %d calls: %ld requests (%ld pins, %ld unpins)\n", threads, calls,
           made_total, pins, unpins);
    pinata_client_free(client);
    return check_finish("test_concurrency");
}
