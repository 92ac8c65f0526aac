/*
 * libpinata through its C API: the contender bench/run.sh times.
 *
 *   pinata_bench auth   URL JWT N                 N sequential pinata_test_auth on one client
 *   pinata_bench upload URL JWT FILE off|v0|v1 [WARM]
 *                                                 one pinata_pin_file; off = verification off,
 *                                                 v0/v1 = cid version set, verification on;
 *                                                 with WARM, a v1 upload of WARM first (untimed)
 *                                                 so the client has learned the service's v1
 *                                                 profile and hashes only that one
 *   pinata_bench json   URL JWT N THREADS         N pinata_pin_json split over THREADS threads
 *                                                 sharing one client (verification off)
 *   pinata_bench jsonv  URL JWT N THREADS         the same with verification on (default)
 *   pinata_bench cid    FILE 0|1                  pinata_cid_of_path (one thread)
 *   pinata_bench batch  URL JWT DIR K off|v0      pinata_pin_batch of every file of DIR, K in
 *                                                 flight; off = verification off, v0 = on
 *
 * Over https:// (bench/tls.sh), BENCH_CA names the CA bundle and BENCH_HTTP_VERSION
 * ("1.1" or "2") forces the HTTP version; unset, the library's choice.
 * BENCH_WARMUP=1 makes `auth` do one untimed call first, so the connection set-up (TLS
 * handshake, a TLS stack's once-per-process seeding) stays out of the per-call time.
 *
 * Prints one JSON line: {"secs":S,"n":N[,"cid":"..."]}; exits non-zero on any failure.
 * The time covers the calls only (the client is made before the clock starts).
 */
#define _POSIX_C_SOURCE 200809L
#include <pinata.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

static void die(const char *what, pinata_status st, pinata_error *err) {
    fprintf(stderr, "pinata_bench: %s failed: %s: %s\n", what, pinata_status_str(st),
            err ? pinata_error_message(err) : "(no error object)");
    pinata_error_free(err);
    exit(1);
}

static pinata_client *make_client(const char *url, const char *jwt) {
    pinata_client *c = NULL;
    pinata_error *err = NULL;
    pinata_status st = pinata_client_new_jwt(jwt, &c, &err);
    if (st != PINATA_OK) die("pinata_client_new_jwt", st, err);
    st = pinata_client_set_base_url(c, url, &err);
    if (st != PINATA_OK) die("pinata_client_set_base_url", st, err);
    const char *ca = getenv("BENCH_CA"), *v = getenv("BENCH_HTTP_VERSION");
    if (ca != NULL && ca[0] != '\0') {
        st = pinata_client_set_ca_bundle(c, ca, &err);
        if (st != PINATA_OK) die("pinata_client_set_ca_bundle", st, err);
    }
    if (v != NULL && v[0] != '\0') {
        st = pinata_client_set_http_version(
            c, strcmp(v, "1.1") == 0 ? PINATA_HTTP_VERSION_1_1 : PINATA_HTTP_VERSION_2, &err);
        if (st != PINATA_OK) die("pinata_client_set_http_version", st, err);
    }
    return c;
}

/* What every JSON worker shares (struct json_job's ctx). */
struct json_ctx {
    const pinata_client *client;
    const pinata_pin_options *opts;
};

static void *json_worker(void *arg) {
    struct json_job *j = arg;
    const struct json_ctx *ctx = j->ctx;
    char doc[256];
    for (int i = j->first; i < j->first + j->count; i++) {
        snprintf(doc, sizeof doc,
                 "{\"bench\":\"libpinata\",\"thread\":%d,\"i\":%d,\"text\":\"a small JSON document\"}",
                 j->thread, i);
        pinata_pin_result *res = NULL;
        pinata_error *err = NULL;
        pinata_status st = pinata_pin_json(ctx->client, doc, ctx->opts, &res, &err);
        if (st != PINATA_OK) {
            fprintf(stderr, "pinata_bench: pinata_pin_json failed: %s: %s\n", pinata_status_str(st),
                    err ? pinata_error_message(err) : "");
            pinata_error_free(err);
            j->failed = 1;
            return NULL;
        }
        pinata_pin_result_free(res);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: see the comment at the top of pinata_bench.c\n");
        return 2;
    }
    const char *mode = argv[1];
    pinata_error *err = NULL;
    pinata_status st;

    if (strcmp(mode, "auth") == 0 && argc == 5) {
        pinata_client *c = make_client(argv[2], argv[3]);
        int n = atoi(argv[4]);
        const char *warm = getenv("BENCH_WARMUP");
        if (warm != NULL && strcmp(warm, "1") == 0) {
            char *msg = NULL;
            st = pinata_test_auth(c, &msg, &err);
            if (st != PINATA_OK) die("pinata_test_auth (warm-up)", st, err);
            pinata_string_free(msg);
        }
        double t0 = now();
        for (int i = 0; i < n; i++) {
            char *msg = NULL;
            st = pinata_test_auth(c, &msg, &err);
            if (st != PINATA_OK) die("pinata_test_auth", st, err);
            pinata_string_free(msg);
        }
        double t1 = now();
        printf("{\"secs\":%.6f,\"n\":%d}\n", t1 - t0, n);
        pinata_client_free(c);
        return 0;
    }
    if (strcmp(mode, "upload") == 0 && (argc == 6 || argc == 7)) {
        pinata_client *c = make_client(argv[2], argv[3]);
        pinata_pin_options *o = NULL;
        st = pinata_pin_options_new(&o, &err);
        if (st != PINATA_OK) die("pinata_pin_options_new", st, err);
        const char *v = argv[5];
        if (strcmp(v, "off") == 0) {
            st = pinata_pin_options_set_verify_cid(o, false, &err);
        } else {
            st = pinata_pin_options_set_cid_version(o, strcmp(v, "v1") == 0 ? 1 : 0, &err);
            if (st == PINATA_OK) st = pinata_pin_options_set_verify_cid(o, true, &err);
        }
        if (st != PINATA_OK) die("pinata_pin_options_set_*", st, err);
        pinata_pin_result *res = NULL;
        if (argc == 7) {
            pinata_pin_options *w = NULL;
            st = pinata_pin_options_new(&w, &err);
            if (st == PINATA_OK) st = pinata_pin_options_set_cid_version(w, 1, &err);
            if (st == PINATA_OK) st = pinata_pin_file(c, argv[6], w, &res, &err);
            if (st != PINATA_OK) die("warm-up pinata_pin_file", st, err);
            pinata_pin_result_free(res);
            pinata_pin_options_free(w);
            res = NULL;
            if (pinata_client_learned_cid_profile(c) != PINATA_CID_PROFILE_KUBO_V1) {
                fprintf(stderr, "pinata_bench: the warm-up taught no v1 profile\n");
                return 1;
            }
        }
        double t0 = now();
        st = pinata_pin_file(c, argv[4], o, &res, &err);
        double t1 = now();
        if (st != PINATA_OK) die("pinata_pin_file", st, err);
        int check = pinata_pin_result_cid_check(res);
        if (strcmp(v, "off") != 0 && check != PINATA_CID_VERIFIED) {
            fprintf(stderr, "pinata_bench: CID check outcome %d, expected VERIFIED\n", check);
            return 1;
        }
        printf("{\"secs\":%.6f,\"n\":1,\"bytes\":%llu,\"cid\":\"%s\",\"cid_check\":%d,\"profiles_hashed\":%u}\n",
               t1 - t0, (unsigned long long)pinata_pin_result_size(res), pinata_pin_result_cid(res), check,
               pinata_pin_result_profiles_hashed(res));
        pinata_pin_result_free(res);
        pinata_pin_options_free(o);
        pinata_client_free(c);
        return 0;
    }
    if ((strcmp(mode, "json") == 0 || strcmp(mode, "jsonv") == 0) && argc == 6) {
        pinata_client *c = make_client(argv[2], argv[3]);
        pinata_pin_options *o = NULL;
        st = pinata_pin_options_new(&o, &err);
        if (st != PINATA_OK) die("pinata_pin_options_new", st, err);
        if (strcmp(mode, "json") == 0) {
            st = pinata_pin_options_set_verify_cid(o, false, &err);
            if (st != PINATA_OK) die("pinata_pin_options_set_verify_cid", st, err);
        }
        struct json_ctx ctx = {c, o};
        int rc = json_bench(json_worker, &ctx, atoi(argv[4]), atoi(argv[5]));
        pinata_pin_options_free(o);
        pinata_client_free(c);
        return rc;
    }
    if (strcmp(mode, "batch") == 0 && argc == 7) {
        pinata_client *c = make_client(argv[2], argv[3]);
        pinata_pin_batch *b = NULL;
        pinata_pin_options *o = NULL;
        pinata_error *err = NULL;
        size_t added = 0;
        pinata_status st = pinata_pin_batch_new(c, &b, &err);
        if (st != PINATA_OK) die("pinata_pin_batch_new", st, err);
        st = pinata_pin_batch_add_dir(b, argv[4], &added, &err);
        if (st != PINATA_OK) die("pinata_pin_batch_add_dir", st, err);
        st = pinata_pin_batch_set_in_flight(b, (uint32_t)atoi(argv[5]), &err);
        if (st != PINATA_OK) die("pinata_pin_batch_set_in_flight", st, err);
        st = pinata_pin_options_new(&o, &err);
        if (st != PINATA_OK) die("pinata_pin_options_new", st, err);
        st = pinata_pin_options_set_verify_cid(o, strcmp(argv[6], "off") != 0, &err);
        if (st != PINATA_OK) die("pinata_pin_options_set_verify_cid", st, err);
        double t0 = now();
        st = pinata_pin_batch_run(b, o, &err);
        double t1 = now();
        if (st != PINATA_OK) die("pinata_pin_batch_run", st, err);
        printf("{\"secs\":%.6f,\"n\":%zu,\"in_flight\":%d}\n", t1 - t0, added, atoi(argv[5]));
        pinata_pin_options_free(o);
        pinata_pin_batch_free(b);
        pinata_client_free(c);
        return 0;
    }
    if (strcmp(mode, "cid") == 0 && argc == 4) {
        char *cid = NULL;
        double t0 = now();
        st = pinata_cid_of_path(argv[2], atoi(argv[3]), &cid, &err);
        double t1 = now();
        if (st != PINATA_OK) die("pinata_cid_of_path", st, err);
        printf("{\"secs\":%.6f,\"n\":1,\"cid\":\"%s\"}\n", t1 - t0, cid);
        pinata_string_free(cid);
        return 0;
    }
    fprintf(stderr, "pinata_bench: bad arguments\n");
    return 2;
}
