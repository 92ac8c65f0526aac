/* The Pinning Service API from C against the emulator's /psa: every pinata_psa_* call,
 * waiting (PSA requests and legacy pin-by-CID jobs), the emulator's Pinata mode, the
 * fault matrix over the five PSA operations, and bad input. Runs under valgrind and
 * ASan (tests/c/run.sh). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include "check.h"

#define PEER "12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF"
#define PUBLIC_ORIGIN "/ip4/203.0.113.7/tcp/4001/p2p/" PEER
#define PRIVATE_ORIGIN "/ip4/10.1.2.3/udp/4001/quic-v1/p2p/" PEER

/* Distinct valid CIDs: CIDv1 raw of sha2-256("psa-test-N"), and two v0 CIDs. */
static const char *cids[] = {
    "bafkreifhp3jt37azuwwrirjzgatfer25iw4dpyzlps73kjx2nldpo3vtty",
    "bafkreihw4zmapsojvb7momt5hzglxzfirgcm5j22qjnd5jwv5nyd3pt6i4",
    "bafkreibupnkxoamz4q3l5te5h53ifxifg3mkknopdtdfdxckuzraz6m7ya",
    "bafkreifafx442uaf7wtjrswgd6evifcdff4xdnzc4opz6745hbn5l6ibzy",
    "bafkreifpzaf6qpootlmlmtpxu4ex3ehtiblmw3syoaghlmycuzsml75v7u",
    "bafkreicccelfos7qhys4wernbpz6llfe3tlgjixhzpwhe6nfrxg5lro7ny",
    "bafkreif7p77z5zdf24r4wmphi2poovxo4qrayqzier3tlivcxa7rrjjiwy",
    "bafkreiepb72vbblqvpa6gzjdizcmf46nu2anr7ks7af6panbfzhkm7acoi",
    "bafkreics4rhef2hcpdfzaaoa7fxp6x5vshvweigj4iai53wsxmlsl5ccza",
    "bafkreig7675fm5bnaosmtlpmdawnpabt43j2r23qgcig7zwkdtihnj4g4u",
    "bafkreicyfjeuiykvt7pqmodgsbigi5qnjd6onob3ehknwxumxx4c4p6i7i",
    "bafkreih24zzutnz747plcp4tqymke2aqeiuwrhkt2ilwf5ifqbwv4rodje",
    "bafkreig5anucqpryxwfemj5nl5zx2eztwoadksqaufb7xcui3jmvv7vxd4",
    "bafkreieeojxaf6brmhnwve2rtg6grmgqyfixhgyh4hzbgpykdsfw6do3ze",
    "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
    "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u",
};
#define NCIDS (sizeof cids / sizeof cids[0])

static char endpoint[1024];

static pinata_psa_client *psa_client(void) {
    pinata_psa_client *c = NULL;
    CHECK_STATUS(PINATA_OK, pinata_psa_client_new(endpoint, test_env("PINATA_TEST_JWT"), &c, NULL));
    return c;
}

static void psa_mode(const char *mode, const char *step_ms) {
    char json[256];
    snprintf(json, sizeof json, "{\"mode\":\"%s\",\"step_ms\":%s}", mode, step_ms);
    CHECK(test_hook("POST", "/__emulator/psa", json) == 0);
}

static void advance(const char *requestid, const char *status) {
    char path[512], json[128];
    snprintf(path, sizeof path, "/__emulator/psa/pins/%s/advance", requestid);
    snprintf(json, sizeof json, "{\"status\":\"%s\"}", status);
    CHECK(test_hook("POST", path, json) == 0);
}

static pinata_psa_pin *make_pin(const char *cid, const char *name) {
    pinata_psa_pin *p = NULL;
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_new(cid, &p, NULL));
    if (name != NULL) {
        CHECK_STATUS(PINATA_OK, pinata_psa_pin_set_name(p, name, NULL));
    }
    return p;
}

/* Adds a pin; returns its request id (caller frees) or NULL. */
static char *add(pinata_psa_client *c, const char *cid, const char *name) {
    pinata_psa_pin *p = make_pin(cid, name);
    pinata_psa_request *r = NULL;
    char *id = NULL;
    CHECK_ERR(PINATA_OK, pinata_psa_add(c, p, &r, &err));
    if (r != NULL) {
        const char *rid = pinata_psa_status_requestid(pinata_psa_request_status(r));
        id = malloc(strlen(rid) + 1);
        if (id) strcpy(id, rid);
    }
    pinata_psa_request_free(r);
    pinata_psa_pin_free(p);
    return id;
}

static int status_of(pinata_psa_client *c, const char *id) {
    pinata_psa_request *r = NULL;
    int s = -1;
    if (pinata_psa_get(c, id, &r, NULL) == PINATA_OK) {
        s = pinata_psa_status_status(pinata_psa_request_status(r));
    }
    pinata_psa_request_free(r);
    return s;
}

/* Counts what an iterator over `q` yields, checking no request id repeats. */
static long count_listed(pinata_psa_client *c, const pinata_psa_query *q, const char *name_prefix) {
    pinata_psa_list_iter *it = NULL;
    const pinata_psa_status *s = NULL;
    char seen[64][64];
    long n = 0, all = 0;
    int i;
    if (pinata_psa_list_iter_new(c, q, &it, NULL) != PINATA_OK) return -1;
    CHECK(pinata_psa_list_iter_total(it) == -1);
    while (pinata_psa_list_iter_next(it, &s, NULL) == PINATA_OK && s != NULL) {
        const char *id = pinata_psa_status_requestid(s);
        const char *name = pinata_psa_status_name(s);
        for (i = 0; i < all && i < 64; i++) {
            CHECK(strcmp(seen[i], id) != 0);
        }
        if (all < 64) snprintf(seen[all], sizeof seen[all], "%s", id);
        all++;
        if (name_prefix == NULL || (name != NULL && strncmp(name, name_prefix, strlen(name_prefix)) == 0)) {
            n++;
        }
    }
    CHECK(s == NULL);
    CHECK(pinata_psa_list_iter_total(it) >= 0);
    pinata_psa_list_iter_free(it);
    return n;
}

/* Wait callback: records the statuses seen; optionally advances a request or job on
 * the first status (so a manual-clock wait makes progress), or stops. */
struct waiter {
    char seen[8][32];
    int n;
    int stop;
    const char *advance_path; /* hook path to POST on the first call */
    const char *advance_json;
};

static int32_t on_status(const char *status, void *userdata) {
    struct waiter *w = userdata;
    if (w->n < 8) snprintf(w->seen[w->n], sizeof w->seen[w->n], "%s", status);
    w->n++;
    if (w->n == 1 && w->advance_path != NULL) {
        CHECK(test_hook("POST", w->advance_path, w->advance_json) == 0);
    }
    return w->stop;
}

static void test_crud(void) {
    pinata_psa_client *c = psa_client();
    pinata_client *client = test_client();
    pinata_psa_client *derived = NULL;
    pinata_psa_pin *p = make_pin(cids[0], "crud-pin");
    pinata_psa_request *r = NULL, *g = NULL, *rep = NULL;
    const pinata_psa_status *s;
    char id[128], newid[128];
    long pins_before = test_pin_count(client);

    psa_mode("spec", "null");
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_add_origin(p, PUBLIC_ORIGIN, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_add_origin(p, PRIVATE_ORIGIN, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_set_drop_private_origins(p, true, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_set_meta(p, "app", "test_psa", NULL));
    CHECK_ERR(PINATA_OK, pinata_psa_add(c, p, &r, &err));
    s = pinata_psa_request_status(r);
    CHECK(s != NULL);
    CHECK(pinata_psa_status_status(s) == PINATA_PSA_QUEUED);
    CHECK(strcmp(pinata_psa_status_cid(s), cids[0]) == 0);
    CHECK(strcmp(pinata_psa_status_name(s), "crud-pin") == 0);
    CHECK(pinata_psa_status_created(s) != NULL && strlen(pinata_psa_status_created(s)) >= 20);
    /* The private origin was dropped before sending; the public one went out. */
    CHECK(pinata_psa_status_origin_count(s) == 1);
    CHECK(strcmp(pinata_psa_status_origin(s, 0), PUBLIC_ORIGIN) == 0);
    CHECK(pinata_psa_status_origin(s, 1) == NULL);
    CHECK(pinata_psa_status_delegate_count(s) >= 1);
    CHECK(strstr(pinata_psa_status_delegate(s, 0), "/p2p/") != NULL);
    CHECK(strstr(pinata_psa_status_meta_json(s), "\"app\":\"test_psa\"") != NULL);
    CHECK(strcmp(pinata_psa_status_info_json(s), "{}") == 0);
    CHECK(strstr(pinata_psa_status_raw_json(s), "\"requestid\"") != NULL);
    snprintf(id, sizeof id, "%s", pinata_psa_status_requestid(s));
    pinata_psa_request_free(r);

    /* Get follows the emulator's hook through the statuses. */
    CHECK(status_of(c, id) == PINATA_PSA_QUEUED);
    advance(id, "pinning");
    CHECK(status_of(c, id) == PINATA_PSA_PINNING);
    advance(id, "pinned");
    CHECK_ERR(PINATA_OK, pinata_psa_get(c, id, &g, &err));
    CHECK(pinata_psa_status_status(pinata_psa_request_status(g)) == PINATA_PSA_PINNED);
    CHECK(strcmp(pinata_psa_status_requestid(pinata_psa_request_status(g)), id) == 0);
    pinata_psa_request_free(g);
    /* One pin store: the legacy API sees the PSA pin. */
    CHECK(test_pin_count(client) == pins_before + 1);

    /* A PSA client derived from the Pinata client reaches the same request. */
    CHECK_ERR(PINATA_OK, pinata_psa_client_from_client(client, &derived, &err));
    CHECK(status_of(derived, id) == PINATA_PSA_PINNED);

    /* Replace: a new id, the old one is gone (404 Failure → PINATA_E_NOT_FOUND). */
    pinata_psa_pin_free(p);
    p = make_pin(cids[1], "crud-pin-2");
    CHECK_ERR(PINATA_OK, pinata_psa_replace(c, id, p, &rep, &err));
    snprintf(newid, sizeof newid, "%s", pinata_psa_status_requestid(pinata_psa_request_status(rep)));
    CHECK(strcmp(newid, id) != 0);
    CHECK(strcmp(pinata_psa_status_cid(pinata_psa_request_status(rep)), cids[1]) == 0);
    pinata_psa_request_free(rep);
    {
        pinata_error *err = NULL;
        pinata_psa_request *none = NULL;
        CHECK(pinata_psa_get(c, id, &none, &err) == PINATA_E_NOT_FOUND);
        CHECK(none == NULL);
        CHECK(err != NULL && pinata_error_http_status(err) == 404);
        CHECK(err != NULL && pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "NOT_FOUND") == 0);
        pinata_error_free(err);
    }
    /* The replaced CID was unpinned. */
    CHECK(test_pin_count(client) == pins_before);

    /* Delete, then the id is unknown. */
    CHECK_ERR(PINATA_OK, pinata_psa_delete(c, newid, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_psa_get(c, newid, &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_psa_delete(c, newid, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_psa_delete(c, "no-such-request", &err));

    pinata_psa_pin_free(p);
    pinata_psa_client_free(derived);
    pinata_psa_client_free(c);
    pinata_client_free(client);
}

static void test_list(void) {
    pinata_psa_client *c = psa_client();
    pinata_psa_query *q = NULL;
    char name[64], *ids[12];
    size_t i;

    CHECK(test_hook("POST", "/__emulator/reset", NULL) == 0);
    psa_mode("spec", "0"); /* pinned by the next read */
    for (i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "page-%02u", (unsigned)i);
        ids[i] = add(c, cids[i], name);
    }
    /* Every status, pages of 5: the iterator pages by `before` on its own. */
    CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_set_limit(q, 5, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_status(q, PINATA_PSA_QUEUED, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_status(q, PINATA_PSA_PINNING, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_status(q, PINATA_PSA_PINNED, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_status(q, PINATA_PSA_FAILED, NULL));
    CHECK(count_listed(c, q, "page-") == 12);
    pinata_psa_query_free(q);

    /* The default query: pinned only, all 12 (the emulator's clock is instant). */
    CHECK(count_listed(c, NULL, "page-") == 12);

    /* The four name match modes. */
    {
        struct { const char *name; int32_t mode; long want; } cases[] = {
            {"page-03", PINATA_PSA_MATCH_EXACT, 1},  {"PAGE-03", PINATA_PSA_MATCH_EXACT, 0},
            {"PAGE-03", PINATA_PSA_MATCH_IEXACT, 1}, {"ge-0", PINATA_PSA_MATCH_PARTIAL, 10},
            {"GE-1", PINATA_PSA_MATCH_PARTIAL, 0},   {"GE-1", PINATA_PSA_MATCH_IPARTIAL, 2},
        };
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));
            CHECK_STATUS(PINATA_OK, pinata_psa_query_set_name(q, cases[i].name, cases[i].mode, NULL));
            if (count_listed(c, q, NULL) != cases[i].want) {
                check_failed++;
                fprintf(stderr, "name %s mode %d: wanted %ld\n", cases[i].name, cases[i].mode, cases[i].want);
            } else {
                check_passed++;
            }
            pinata_psa_query_free(q);
        }
    }
    /* CID set. */
    CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_cid(q, cids[2], NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_cid(q, cids[5], NULL));
    CHECK(count_listed(c, q, NULL) == 2);
    pinata_psa_query_free(q);
    /* Status: after one failed, a failed-only query finds it alone. */
    advance(ids[4], "failed");
    CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_add_status(q, PINATA_PSA_FAILED, NULL));
    CHECK(count_listed(c, q, "page-04") == 1);
    CHECK(count_listed(c, q, NULL) == 1);
    pinata_psa_query_free(q);
    /* Before / after. */
    CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_set_time(q, 1, "2999-01-01T00:00:00Z", NULL));
    CHECK(count_listed(c, q, NULL) == 0);
    CHECK_STATUS(PINATA_OK, pinata_psa_query_set_time(q, 1, NULL, NULL));
    CHECK_STATUS(PINATA_OK, pinata_psa_query_set_time(q, 0, "2000-01-01T00:00:00.000Z", NULL));
    CHECK(count_listed(c, q, NULL) == 0);
    pinata_psa_query_free(q);
    /* Meta. */
    {
        pinata_psa_pin *p = make_pin(cids[13], "meta-pin");
        pinata_psa_request *r = NULL;
        CHECK_STATUS(PINATA_OK, pinata_psa_pin_set_meta(p, "team", "blue", NULL));
        CHECK_STATUS(PINATA_OK, pinata_psa_add(c, p, &r, NULL));
        pinata_psa_request_free(r);
        pinata_psa_pin_free(p);
        CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));
        CHECK_STATUS(PINATA_OK, pinata_psa_query_set_meta(q, "team", "blue", NULL));
        CHECK(count_listed(c, q, "meta-pin") == 1);
        CHECK(count_listed(c, q, NULL) == 1);
        CHECK_STATUS(PINATA_OK, pinata_psa_query_set_meta(q, "team", "red", NULL));
        CHECK(count_listed(c, q, NULL) == 0);
        pinata_psa_query_free(q);
    }
    for (i = 0; i < 12; i++) free(ids[i]);
    pinata_psa_client_free(c);
}

static void test_wait(void) {
    pinata_psa_client *c = psa_client();
    pinata_psa_request *r = NULL;
    char *id;
    char path[512];

    /* On the emulator's clock (20 ms a step): queued → pinning → pinned. */
    psa_mode("spec", "20");
    id = add(c, cids[14], "wait-clock");
    {
        struct waiter w = {.n = 0};
        CHECK_ERR(PINATA_OK, pinata_psa_wait(c, id, 60000, 5, 20, on_status, &w, &r, &err));
        CHECK(r != NULL && pinata_psa_status_status(pinata_psa_request_status(r)) == PINATA_PSA_PINNED);
        CHECK(w.n >= 1 && w.n <= 3);
        CHECK(w.n >= 1 && strcmp(w.seen[w.n - 1], "pinned") == 0);
        pinata_psa_request_free(r);
        r = NULL;
    }
    free(id);

    /* Manual clock: the callback moves the request, each change is reported once. */
    psa_mode("spec", "null");
    id = add(c, cids[15], "wait-hook");
    snprintf(path, sizeof path, "/__emulator/psa/pins/%s/advance", id);
    {
        struct waiter w = {.n = 0, .advance_path = path, .advance_json = "{\"status\":\"pinned\"}"};
        CHECK_ERR(PINATA_OK, pinata_psa_wait(c, id, 60000, 5, 10, on_status, &w, &r, &err));
        CHECK(w.n == 2 && strcmp(w.seen[0], "queued") == 0 && strcmp(w.seen[1], "pinned") == 0);
        pinata_psa_request_free(r);
        r = NULL;
    }
    /* Failed is returned with PINATA_OK. */
    free(id);
    id = add(c, cids[0], "wait-failed");
    snprintf(path, sizeof path, "/__emulator/psa/pins/%s/advance", id);
    {
        struct waiter w = {.n = 0, .advance_path = path, .advance_json = "{\"status\":\"failed\"}"};
        CHECK_ERR(PINATA_OK, pinata_psa_wait(c, id, 60000, 5, 10, on_status, &w, &r, &err));
        CHECK(r != NULL && pinata_psa_status_status(pinata_psa_request_status(r)) == PINATA_PSA_FAILED);
        pinata_psa_request_free(r);
        r = NULL;
    }
    free(id);
    /* Never moves: the budget runs out; the callback stops it; a raised cancel flag too. */
    id = add(c, cids[1], "wait-stuck");
    CHECK_ERR(PINATA_E_TIMEOUT, pinata_psa_wait(c, id, 150, 10, 40, NULL, NULL, &r, &err));
    CHECK(r == NULL);
    {
        struct waiter w = {.n = 0, .stop = 1};
        CHECK_ERR(PINATA_E_CANCELLED, pinata_psa_wait(c, id, 60000, 10, 40, on_status, &w, &r, &err));
        CHECK(w.n == 1);
    }
    {
        pinata_cancel *cancel = NULL;
        pinata_psa_client *cc = NULL;
        CHECK_STATUS(PINATA_OK, pinata_cancel_new(&cancel, NULL));
        CHECK_STATUS(PINATA_OK, pinata_psa_client_with_cancel(c, cancel, &cc, NULL));
        pinata_cancel_request(cancel);
        CHECK_ERR(PINATA_E_CANCELLED, pinata_psa_wait(cc, id, 60000, 10, 40, NULL, NULL, &r, &err));
        pinata_cancel_free(cancel);
        pinata_psa_client_free(cc);
    }
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_psa_wait(c, "no-such-request", 1000, 10, 40, NULL, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_wait(c, id, 1000, 500, 40, NULL, NULL, &r, &err));
    free(id);

    /* The same helper for legacy pin-by-CID jobs: the callback advances the job. */
    {
        pinata_client *client = test_client();
        pinata_pin_job *job = NULL, *done = NULL;
        char jpath[512];
        CHECK_ERR(PINATA_OK, pinata_pin_by_cid(client, "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u",
                                               NULL, &job, &err));
        snprintf(jpath, sizeof jpath, "/__emulator/pin-jobs/%s/advance",
                 pinata_pin_job_info_id(pinata_pin_job_get_info(job)));
        {
            struct waiter w = {.n = 0, .advance_path = jpath, .advance_json = "{\"status\":\"pinned\"}"};
            CHECK_ERR(PINATA_OK, pinata_pin_job_wait(client, pinata_pin_job_get_info(job), 60000, 5, 10,
                                                     on_status, &w, &done, &err));
            CHECK(w.n == 2 && strcmp(w.seen[0], "prechecking") == 0 && strcmp(w.seen[1], "pinned") == 0);
            CHECK(done != NULL && strcmp(pinata_pin_job_info_status(pinata_pin_job_get_info(done)), "pinned") == 0);
        }
        pinata_pin_job_free(done);
        done = NULL;
        pinata_pin_job_free(job);
        job = NULL;
        /* A job that expires is returned with its failure status. */
        CHECK_ERR(PINATA_OK, pinata_pin_by_cid(client, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
                                               NULL, &job, &err));
        snprintf(jpath, sizeof jpath, "/__emulator/pin-jobs/%s/advance",
                 pinata_pin_job_info_id(pinata_pin_job_get_info(job)));
        {
            struct waiter w = {.n = 0, .advance_path = jpath, .advance_json = "{\"status\":\"expired\"}"};
            CHECK_ERR(PINATA_OK, pinata_pin_job_wait(client, pinata_pin_job_get_info(job), 60000, 5, 10,
                                                     on_status, &w, &done, &err));
            CHECK(done != NULL && strcmp(pinata_pin_job_info_status(pinata_pin_job_get_info(done)), "expired") == 0);
        }
        pinata_pin_job_free(done);
        done = NULL;
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_job_wait(client, pinata_pin_job_get_info(job), 0, 0, 0,
                                                                 NULL, NULL, NULL, &err));
        pinata_pin_job_free(job);
        job = NULL;

        /* By id and CID alone, after the job's handle is gone (as a binding that copied
           its fields does). */
        {
            const char *wcid = "QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4";
            char id[128];
            CHECK_ERR(PINATA_OK, pinata_pin_by_cid(client, wcid, NULL, &job, &err));
            snprintf(id, sizeof id, "%s", pinata_pin_job_info_id(pinata_pin_job_get_info(job)));
            pinata_pin_job_free(job);
            job = NULL;
            snprintf(jpath, sizeof jpath, "/__emulator/pin-jobs/%s/advance", id);
            struct waiter w = {.n = 0, .advance_path = jpath, .advance_json = "{\"status\":\"pinned\"}"};
            CHECK_ERR(PINATA_OK, pinata_pin_job_wait_by_id(client, id, wcid, 60000, 5, 10, on_status, &w, &done,
                                                           &err));
            CHECK(w.n == 2 && strcmp(w.seen[0], "prechecking") == 0 && strcmp(w.seen[1], "pinned") == 0);
            CHECK(done != NULL && strcmp(pinata_pin_job_info_status(pinata_pin_job_get_info(done)), "pinned") == 0);
            CHECK(done != NULL && strcmp(pinata_pin_job_info_id(pinata_pin_job_get_info(done)), id) == 0);
            CHECK(done != NULL && strcmp(pinata_pin_job_info_cid(pinata_pin_job_get_info(done)), wcid) == 0);
            pinata_pin_job_free(done);
            done = NULL;
            /* The job left the queue pinned: a second wait finds it among the pins. */
            CHECK_ERR(PINATA_OK, pinata_pin_job_wait_by_id(client, id, wcid, 60000, 5, 10, NULL, NULL, &done, &err));
            CHECK(done != NULL && strcmp(pinata_pin_job_info_status(pinata_pin_job_get_info(done)), "pinned") == 0);
            pinata_pin_job_free(done);
            done = NULL;
            /* Neither queued nor pinned. */
            CHECK_ERR(PINATA_E_NOT_FOUND,
                      pinata_pin_job_wait_by_id(client, "no-such-job", "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8v",
                                                1000, 5, 10, NULL, NULL, &done, &err));
            CHECK(done == NULL);
            /* Bad arguments: each is named, and nothing is written. */
            CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
                      pinata_pin_job_wait_by_id(NULL, id, wcid, 0, 0, 0, NULL, NULL, &done, &err));
            {
                pinata_error *e = NULL;
                CHECK(pinata_pin_job_wait_by_id(client, NULL, wcid, 0, 0, 0, NULL, NULL, &done, &e) ==
                      PINATA_E_INVALID_ARGUMENT);
                CHECK(e != NULL && strcmp(pinata_error_message(e), "`id` is NULL") == 0);
                pinata_error_free(e);
                e = NULL;
                CHECK(pinata_pin_job_wait_by_id(client, id, NULL, 0, 0, 0, NULL, NULL, &done, &e) ==
                      PINATA_E_INVALID_ARGUMENT);
                CHECK(e != NULL && strcmp(pinata_error_message(e), "`cid` is NULL") == 0);
                pinata_error_free(e);
            }
            CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
                      pinata_pin_job_wait_by_id(client, "a\r\nb", wcid, 0, 0, 0, NULL, NULL, &done, &err));
            CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
                      pinata_pin_job_wait_by_id(client, id, "not-a-cid", 0, 0, 0, NULL, NULL, &done, &err));
            CHECK_ERR(PINATA_E_INVALID_ARGUMENT,
                      pinata_pin_job_wait_by_id(client, id, wcid, 0, 0, 0, NULL, NULL, NULL, &err));
            CHECK(done == NULL);
        }
        pinata_client_free(client);
    }
    pinata_psa_client_free(c);
}

/* What the emulator's Pinata mode answers differently (emulator/README.md). */
static void test_pinata_mode(void) {
    pinata_psa_client *c = psa_client();
    pinata_psa_pin *p = make_pin(cids[2], "pinata-mode");
    pinata_psa_request *r = NULL;
    char id[128];

    psa_mode("pinata", "null");
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_add_origin(p, PRIVATE_ORIGIN, NULL));
    {
        pinata_error *err = NULL;
        CHECK(pinata_psa_add(c, p, &r, &err) == PINATA_E_BAD_REQUEST);
        CHECK(err != NULL && pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "INVALID_ORIGINS") == 0);
        CHECK(err != NULL && pinata_error_http_status(err) == 400);
        pinata_error_free(err);
    }
    CHECK_STATUS(PINATA_OK, pinata_psa_pin_set_drop_private_origins(p, true, NULL));
    CHECK_ERR(PINATA_OK, pinata_psa_add(c, p, &r, &err));
    CHECK(strstr(pinata_psa_status_info_json(pinata_psa_request_status(r)), "pinata_pinjob_status") != NULL);
    snprintf(id, sizeof id, "%s", pinata_psa_status_requestid(pinata_psa_request_status(r)));
    pinata_psa_request_free(r);
    r = NULL;
    CHECK_ERR(PINATA_OK, pinata_psa_delete(c, id, &err)); /* 200 "OK" */
    {
        pinata_error *err = NULL;
        CHECK(pinata_psa_get(c, id, &r, &err) == PINATA_E_NOT_FOUND);
        CHECK(err != NULL && pinata_error_reason(err) != NULL &&
              strcmp(pinata_error_reason(err), "OBJECT_NOT_FOUND") == 0);
        pinata_error_free(err);
    }
    psa_mode("spec", "null");
    pinata_psa_pin_free(p);
    pinata_psa_client_free(c);
}

/* The fault matrix over the five PSA operations. */
enum op { LIST, GET, ADD, REPLACE, DELETE };
static const struct { const char *name, *method, *path; int idempotent, json; } ops[] = {
    {"list", "GET", "/psa/pins", 1, 1},          {"get", "GET", "/psa/pins/*", 1, 1},
    {"add", "POST", "/psa/pins", 0, 1},          {"replace", "POST", "/psa/pins/*", 0, 1},
    {"delete", "DELETE", "/psa/pins/*", 0, 0},
};
enum rule { OK_AFTER_RETRY, OK_IF_IDEMPOTENT, FIXED, JSON_BREAKS };
static const struct {
    const char *name, *spec;
    enum rule rule;
    pinata_status status;
    int http;
    const char *reason;
} faults[] = {
    {"503 once", "\"kind\":\"status\",\"status\":503,\"times\":1", OK_AFTER_RETRY, PINATA_OK, 0, NULL},
    {"429 once", "\"kind\":\"status\",\"status\":429,\"retry_after\":0,\"times\":1", OK_AFTER_RETRY, PINATA_OK, 0, NULL},
    {"500 once", "\"kind\":\"status\",\"status\":500,\"times\":1", OK_IF_IDEMPOTENT, PINATA_E_SERVER, 500, NULL},
    {"reset once", "\"kind\":\"reset\",\"after_bytes\":0,\"times\":1", OK_IF_IDEMPOTENT, PINATA_E_NETWORK, 0, NULL},
    {"503 always", "\"kind\":\"status\",\"status\":503", FIXED, PINATA_E_SERVER, 503, NULL},
    {"429 always", "\"kind\":\"status\",\"status\":429,\"retry_after\":0", FIXED, PINATA_E_RATE_LIMITED, 429, NULL},
    {"reset always", "\"kind\":\"reset\",\"after_bytes\":0", FIXED, PINATA_E_NETWORK, 0, NULL},
    {"401 Failure", "\"kind\":\"status\",\"status\":401,\"body\":{\"error\":{\"reason\":\"UNAUTHORIZED\",\"details\":\"bad token\"}}",
     FIXED, PINATA_E_UNAUTHORIZED, 401, "UNAUTHORIZED"},
    {"409 Failure", "\"kind\":\"status\",\"status\":409,\"body\":{\"error\":{\"reason\":\"INSUFFICIENT_FUNDS\",\"details\":\"pay\"}}",
     FIXED, PINATA_E_BAD_REQUEST, 409, "INSUFFICIENT_FUNDS"},
    {"404 Failure", "\"kind\":\"status\",\"status\":404,\"body\":{\"error\":{\"reason\":\"NOT_FOUND\"}}",
     FIXED, PINATA_E_NOT_FOUND, 404, "NOT_FOUND"},
    {"malformed JSON", "\"kind\":\"malformed_json\"", JSON_BREAKS, PINATA_E_PROTOCOL, 0, NULL},
    {"empty 200", "\"kind\":\"empty_200\"", JSON_BREAKS, PINATA_E_PROTOCOL, 0, NULL},
    {"delay beyond the timeout", "\"kind\":\"delay\",\"delay_ms\":2500", FIXED, PINATA_E_TIMEOUT, 0, NULL},
};

static pinata_status run_op(enum op op, pinata_psa_client *c, const char *id, pinata_error **err) {
    pinata_psa_request *r = NULL;
    pinata_psa_list_iter *it = NULL;
    const pinata_psa_status *s = NULL;
    pinata_psa_pin *p = NULL;
    pinata_status st = PINATA_E_INTERNAL;
    switch (op) {
    case LIST:
        if ((st = pinata_psa_list_iter_new(c, NULL, &it, err)) == PINATA_OK) st = pinata_psa_list_iter_next(it, &s, err);
        pinata_psa_list_iter_free(it);
        break;
    case GET: st = pinata_psa_get(c, id, &r, err); break;
    case ADD:
        pinata_psa_pin_new(cids[9], &p, NULL);
        st = pinata_psa_add(c, p, &r, err);
        break;
    case REPLACE:
        pinata_psa_pin_new(cids[10], &p, NULL);
        st = pinata_psa_replace(c, id, p, &r, err);
        break;
    case DELETE: st = pinata_psa_delete(c, id, err); break;
    }
    pinata_psa_pin_free(p);
    pinata_psa_request_free(r);
    return st;
}

static void test_faults(void) {
    pinata_psa_client *setup = psa_client();
    size_t fi, oi;
    psa_mode("spec", "null");
    for (fi = 0; fi < sizeof faults / sizeof faults[0]; fi++) {
        for (oi = 0; oi < sizeof ops / sizeof ops[0]; oi++) {
            pinata_client *base = test_client();
            pinata_psa_client *c = NULL;
            pinata_error *err = NULL;
            char json[1024], *id;
            pinata_status want = faults[fi].status, got;
            if (faults[fi].rule == OK_AFTER_RETRY) want = PINATA_OK;
            if (faults[fi].rule == OK_IF_IDEMPOTENT && ops[oi].idempotent) want = PINATA_OK;
            if (faults[fi].rule == JSON_BREAKS && !ops[oi].json) want = PINATA_OK;
            CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
            id = add(setup, cids[3], "fault-target");
            CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(base, 2, 20000, NULL));
            CHECK_STATUS(PINATA_OK, pinata_client_set_backoff_ms(base, 1, 5, NULL));
            CHECK_STATUS(PINATA_OK, pinata_client_set_request_timeout_ms(base, 1000, NULL));
            CHECK_STATUS(PINATA_OK, pinata_psa_client_from_client(base, &c, NULL));
            snprintf(json, sizeof json, "{\"path\":\"%s\",\"method\":\"%s\",%s}", ops[oi].path, ops[oi].method,
                     faults[fi].spec);
            CHECK(test_hook("POST", "/__emulator/faults", json) == 0);
            got = run_op((enum op)oi, c, id ? id : "x", &err);
            if (got != want) {
                check_failed++;
                fprintf(stderr, "fault '%s' x %s: got %s, wanted %s: %s\n", faults[fi].name, ops[oi].name,
                        pinata_status_str(got), pinata_status_str(want), err ? pinata_error_message(err) : "");
            } else {
                check_passed++;
            }
            if (want != PINATA_OK) {
                CHECK(err != NULL && pinata_error_status(err) == want);
                if (err != NULL && faults[fi].http != 0) CHECK(pinata_error_http_status(err) == faults[fi].http);
                if (err != NULL && faults[fi].reason != NULL)
                    CHECK(pinata_error_reason(err) != NULL && strcmp(pinata_error_reason(err), faults[fi].reason) == 0);
            } else {
                CHECK(err == NULL);
            }
            pinata_error_free(err);
            free(id);
            pinata_psa_client_free(c);
            pinata_client_free(base);
        }
    }
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    pinata_psa_client_free(setup);
}

static void test_bad_input(void) {
    pinata_psa_client *c = psa_client();
    pinata_psa_pin *p = make_pin(cids[0], NULL);
    pinata_psa_query *q = NULL;
    pinata_psa_request *r = NULL;
    pinata_psa_list_iter *it = NULL;
    pinata_psa_client *none = NULL;
    const pinata_psa_status *s = NULL;
    char longname[300], longid[300], crlf_id[] = "abc\r\nX-Evil: 1", bad_utf8[] = {'a', (char)0xff, 'b', 0};
    size_t i;
    const char *bad_addrs[] = {
        "", "ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.999/tcp/1", "/ip4/1.2.3.4/tcp/99999", "/ip4/1.2.3.4/tcp",
        "/bogus/1", "/ip4/1.2.3.4/tcp/1/p2p/notapeer", "/ip4/1.2.3.4/tcp/1\n",
    };
    pinata_client *keys = NULL;

    memset(longname, 'n', 256);
    longname[256] = '\0';
    memset(longid, 'i', 299);
    longid[299] = '\0';
    CHECK_STATUS(PINATA_OK, pinata_psa_query_new(&q, NULL));

    /* Client construction. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new(NULL, "t", &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new(endpoint, NULL, &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new(endpoint, "t", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new(bad_utf8, "t", &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new(endpoint, "tok\r\nen", &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new("http://example.com/psa", "t", &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new("https://h/psa/pins", "t", &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_new("https://h/psa?x=1", "t", &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_from_client(NULL, &none, &err));
    CHECK_STATUS(PINATA_OK, pinata_client_new_keys("key", "secret", &keys, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_from_client(keys, &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_with_cancel(c, NULL, &none, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_client_set_retry_policy(NULL, 1, 1, &err));
    CHECK(none == NULL);
    pinata_client_free(keys);
    /* A wrong token: 401 Failure. */
    {
        pinata_psa_client *wrong = NULL;
        CHECK_STATUS(PINATA_OK, pinata_psa_client_new(endpoint, "not.a.token", &wrong, NULL));
        CHECK_ERR(PINATA_E_UNAUTHORIZED, pinata_psa_get(wrong, "x", &r, &err));
        pinata_psa_client_free(wrong);
    }

    /* Pins. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_new(NULL, &p, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_new("not-a-cid", &p, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_new(bad_utf8, &p, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_new(cids[0], NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_name(NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_name(p, longname, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_name(p, "a\r\nb", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_name(p, bad_utf8, &err));
    for (i = 0; i < sizeof bad_addrs / sizeof bad_addrs[0]; i++) {
        CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_add_origin(p, bad_addrs[i], &err));
    }
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_add_origin(p, NULL, &err));
    for (i = 0; i < 20; i++) CHECK_STATUS(PINATA_OK, pinata_psa_pin_add_origin(p, PUBLIC_ORIGIN, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_add_origin(p, PUBLIC_ORIGIN, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_meta(p, NULL, "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_meta(p, "k\n", "v", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_meta(p, "k", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_pin_set_drop_private_origins(NULL, true, &err));

    /* Calls. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_add(NULL, p, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_add(c, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_add(c, p, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_get(c, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_get(c, crlf_id, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_get(c, bad_utf8, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_get(c, "", &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_get(c, longid, &r, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_psa_get(c, "00000000-0000-4000-8000-000000000000", &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_replace(c, NULL, p, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_replace(c, "x", NULL, &r, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_psa_replace(c, "unknown-id", p, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_delete(c, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_delete(NULL, "x", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_delete(c, crlf_id, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_wait(NULL, "x", 0, 0, 0, NULL, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_wait(c, NULL, 0, 0, 0, NULL, NULL, &r, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_wait(c, "x", 0, 0, 0, NULL, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_job_wait(NULL, NULL, 0, 0, 0, NULL, NULL, NULL, &err));
    CHECK(r == NULL);

    /* Queries. */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_new(NULL, &err));
    for (i = 0; i < 10; i++) CHECK_STATUS(PINATA_OK, pinata_psa_query_add_cid(q, cids[i], NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_add_cid(q, cids[10], &err)); /* an 11th */
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_add_cid(q, "nope", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_add_cid(NULL, cids[0], &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_name(q, "x", 4, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_name(q, "x", -1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_name(q, longname, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_name(q, "a\nb", 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_add_status(q, 4, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_limit(q, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_limit(q, 1001, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_time(q, 0, "yesterday", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_time(q, 2, "2024-01-01T00:00:00Z", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_time(q, 0, "2024-01-01T00:00:00Z\r\n", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_query_set_meta(q, "k", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_list_iter_new(NULL, q, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_list_iter_new(c, q, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_list_iter_next(NULL, &s, &err));
    CHECK(it == NULL);
    /* The ten CIDs are accepted by the service. */
    CHECK_STATUS(PINATA_OK, pinata_psa_list_iter_new(c, q, &it, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_psa_list_iter_next(it, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_psa_list_iter_next(it, &s, &err));
    pinata_psa_list_iter_free(it);

    /* Accessors and frees take NULL. */
    CHECK(pinata_psa_request_status(NULL) == NULL);
    CHECK(pinata_psa_status_requestid(NULL) == NULL);
    CHECK(pinata_psa_status_status(NULL) == -1);
    CHECK(pinata_psa_status_created(NULL) == NULL);
    CHECK(pinata_psa_status_cid(NULL) == NULL);
    CHECK(pinata_psa_status_name(NULL) == NULL);
    CHECK(pinata_psa_status_origin_count(NULL) == 0);
    CHECK(pinata_psa_status_origin(NULL, 0) == NULL);
    CHECK(pinata_psa_status_delegate_count(NULL) == 0);
    CHECK(pinata_psa_status_delegate(NULL, 0) == NULL);
    CHECK(pinata_psa_status_meta_json(NULL) == NULL);
    CHECK(pinata_psa_status_info_json(NULL) == NULL);
    CHECK(pinata_psa_status_raw_json(NULL) == NULL);
    CHECK(pinata_psa_list_iter_total(NULL) == -1);
    pinata_psa_client_free(NULL);
    pinata_psa_pin_free(NULL);
    pinata_psa_request_free(NULL);
    pinata_psa_query_free(NULL);
    pinata_psa_list_iter_free(NULL);

    pinata_psa_query_free(q);
    pinata_psa_pin_free(p);
    pinata_psa_client_free(c);
}

int main(void) {
    snprintf(endpoint, sizeof endpoint, "%s/psa", test_env("PINATA_TEST_URL"));
    test_crud();
    test_list();
    test_wait();
    test_pinata_mode();
    test_bad_input();
    test_faults();
    psa_mode("spec", "100");
    return check_finish("test_psa");
}
